// Which order a shopper's "order.lookup" finds: by the number they gave, or their latest order; only the
// shopper's own orders are revealed (theirs by contact, or placed with their email or phone), never another
// shopper's and never a guest order nobody can be matched to. The runtime applies this rule in SQL over its orders table
// (`apps/runtime/src/effects/order-lookup.ts`, with `normaliseOrderNumber` from here); the simulator applies it
// to the orders of its simulation world with `findOrder`.

/** "#1001", " 1001 " and "order 1001" all mean 1001. */
export function normaliseOrderNumber(input: string): string {
  const digits = input.match(/[A-Za-z0-9-]*\d[A-Za-z0-9-]*/)
  return (digits?.[0] ?? input).replace(/^#/, '').trim()
}

/**
 * The order number in a shopper's free text, or null: "#1004", "order 1004", "order no. 1004", "where is my
 * order 1004?", "NT-1004". A bare number counts only with 3–12 digits standing alone (not "2 shirts", not a
 * price like 12.99 or a date like 12/03).
 *
 * @example findOrderNumber('where is my order 1234?') // '1234'
 */
export function findOrderNumber(text: string): string | null {
  const hashed = text.match(/#\s?([A-Za-z0-9-]*\d[A-Za-z0-9-]*)/)
  if (hashed?.[1]) return hashed[1]
  const named = text.match(
    /\border\s*(?:number|nr\.?|no\.?|num\.?)?\s*:?\s*([A-Za-z]{0,6}-?\d{3,}[A-Za-z0-9-]*)/i,
  )
  if (named?.[1]) return named[1]
  const prefixed = text.match(/(?:^|[\s(])([A-Za-z]{1,6}-\d{3,12})(?=$|[\s.,!?)])/)
  if (prefixed?.[1]) return prefixed[1]
  const bare = text.match(/(?:^|[\s(])(\d{3,12})(?=$|[\s,!?)]|\.(?:\s|$))/)
  return bare?.[1] ?? null
}

/**
 * The order's name as the shopper knows it: Shopify's "#1004" as it is, a bare "1004" as "#1004", a store's
 * own "NT-1004" as it is. Messages write `Order {{order.name}}`, never "#{{order.number}}" ("##1004").
 */
export function orderDisplayName(number: string): string {
  const trimmed = number.trim()
  return /^\d/.test(trimmed) ? `#${trimmed}` : trimmed
}

/** How each status the store reports reads after "Order #1004 is …". */
const STATUS_TEXT: Record<string, string> = {
  created: 'confirmed and being prepared',
  open: 'confirmed and being prepared',
  pending: 'waiting for payment',
  paid: 'paid and being prepared',
  partially_fulfilled: 'partly on its way',
  fulfilled: 'on its way',
  shipped: 'on its way',
  delivered: 'delivered',
  delivery_problem: 'held up in delivery',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  refunded: 'refunded',
  returned: 'returned',
}

/**
 * An order's status in the shopper's words, for `{{order.status}}`: the store's own codes ("created",
 * "delivery_problem") are never shown as they are. A status we do not know reads with its underscores as spaces.
 *
 * @example orderStatusText('created') // 'confirmed and being prepared'
 * @example orderStatusText('on_hold') // 'on hold'
 */
export function orderStatusText(status: string): string {
  const key = status.trim().toLowerCase()
  return STATUS_TEXT[key] ?? key.replace(/[_-]+/g, ' ')
}

/**
 * An order as the lookup sees it: whose it is (`contact`: the shopper asking, or placed with their email or
 * phone; `other`: someone else's; `nobody`: a guest order matched to no one) and when it was placed.
 */
export interface LookupOrder<T> {
  number: string
  owner: 'contact' | 'other' | 'nobody'
  createdAt: string
  view: T
}

/**
 * @example findOrder(orders, '#1042') // the view of order 1042, or null when it is not there or not theirs
 */
export function findOrder<T>(orders: readonly LookupOrder<T>[], orderNumber?: string): T | null {
  let order: LookupOrder<T> | undefined
  if (orderNumber !== undefined && orderNumber.trim() !== '') {
    const n = normaliseOrderNumber(orderNumber)
    order = orders.find((o) => o.number === n || o.number === `#${n}`)
  } else {
    order = orders
      .filter((o) => o.owner === 'contact')
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]
  }
  if (order?.owner !== 'contact') return null
  return order.view
}
