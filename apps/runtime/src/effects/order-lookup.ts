// The `order.lookup` effect, answered from our own orders table inside the step: by the number the shopper
// gave, or the contact's latest order. Another shopper's order is never revealed (the same rule as
// `findOrder` in packages/flow, which the simulator applies to its world's orders).
import type { Database, Order } from '@parley/db'
import { normaliseOrderNumber } from '@parley/flow'
import type { Kysely } from 'kysely'

export interface OrderView {
  id: string
  number: string
  status: string
  total: number
  currency: string
  items: unknown[]
  trackingNumber: string | null
  carrier: string | null
  trackingUrl: string | null
  shippedAt: string | null
  createdAt: string
}

export function orderView(order: Order): OrderView {
  return {
    id: order.id,
    number: order.number,
    status: order.status,
    total: Number(order.total),
    currency: order.currency,
    items: order.items,
    trackingNumber: order.tracking_number,
    carrier: order.tracking_carrier,
    trackingUrl: order.tracking_url,
    shippedAt: order.shipped_at ? order.shipped_at.toISOString() : null,
    createdAt: order.created_at.toISOString(),
  }
}

export async function lookupOrder(
  db: Kysely<Database>,
  merchantId: string,
  contactId: string,
  orderNumber?: string,
): Promise<OrderView | null> {
  let query = db.selectFrom('orders').selectAll().where('merchant_id', '=', merchantId)
  if (orderNumber !== undefined && orderNumber.trim() !== '') {
    const n = normaliseOrderNumber(orderNumber)
    query = query.where('number', 'in', [n, `#${n}`])
  } else {
    query = query.where('contact_id', '=', contactId).orderBy('created_at', 'desc')
  }
  const order = await query.executeTakeFirst()
  if (!order) return null
  if (order.contact_id !== null && order.contact_id !== contactId) return null
  return orderView(order)
}
