// Commerce events from the store (POST /api/events, and the Shopify adapter): carts drive abandonment
// detection, orders end recovery runs as `recovered` and their abandonment episode (abandonment-episodes.ts:
// credited or not), shipments (shipped, delivered, a delivery problem) start shipping updates.
// Each event is one step transaction, deduplicated on the store's event id.
import { type Contact, jsonb } from '@parley/db'
import { sql } from 'kysely'
import { recommendProducts } from '../catalogue/recommendations.ts'
import {
  latestConversationId,
  openConversation,
  upsertContactByAddress,
  upsertContactByIdentity,
} from '../contacts/contact-repository.ts'
import type { RuntimeDeps } from '../deps.ts'
import { NotFoundError } from '../domain-errors.ts'
import { stepRuns } from '../engine/event-step.ts'
import { claimReceipts } from '../engine/receipts.ts'
import { findActiveRunIds } from '../engine/run-store.ts'
import { startTriggeredRuns } from '../engine/start-runs.ts'
import { inStepBatch, type StepBatch } from '../engine/step-batch.ts'
import type { Db } from '../engine/step-transaction.ts'
import { contactVars, orderEventPayload, orderVars, storeVarsOf } from '../engine/vars.ts'
import { endEpisodeForOrder } from './abandonment-episodes.ts'
import { countOrderSales } from './product-sales.ts'
import type {
  CartUpdatedEvent,
  OrderCreatedStoreEvent,
  ShipmentStoreEvent,
  StoreContact,
  StoreEvent,
} from './store-event-schema.ts'

export const STORE_EVENT_SOURCE = 'api'

export interface StoreEventResult {
  duplicate: boolean
  contactId?: string
  /** cart.updated: when the cart counts as abandoned if nothing else happens. */
  abandonAt?: string | null
  /** Runs stepped (recovered, ...) and started. */
  stepped: { id: string; status: string; outcome: string | null }[]
  started: string[]
}

/**
 * Processes a validated store event once: once per `event.id`, and once per any of `alsoDedupeOn` (other
 * names of the same event, like a key from a webhook's signed body).
 * @example await processStoreEvent(deps, merchantId, storeEventSchema.parse(body))
 */
export async function processStoreEvent(
  deps: RuntimeDeps,
  merchantId: string,
  event: StoreEvent,
  source = STORE_EVENT_SOURCE,
  alsoDedupeOn: readonly string[] = [],
): Promise<StoreEventResult> {
  return inStepBatch(deps, async (batch) => {
    if (!(await claimReceipts(batch.trx, merchantId, source, [event.id, ...alsoDedupeOn], batch.ctx.now))) {
      return { duplicate: true, stepped: [], started: [] }
    }
    switch (event.type) {
      case 'cart.updated':
        return cartUpdated(batch, merchantId, event)
      case 'order.created':
        return orderCreated(batch, merchantId, event)
      case 'order.shipped':
      case 'order.delivered':
      case 'order.delivery_problem':
        return orderShipment(batch, merchantId, event)
    }
  })
}

interface ResolvedContact {
  contact: Contact
  conversationId: string | null
}

/** The shopper an event names (by channel identity, email or phone), created on first sight. */
async function resolveContact(
  trx: Db,
  merchantId: string,
  input: StoreContact,
  now: number,
): Promise<ResolvedContact> {
  const profile = {
    name: input.name,
    email: input.email,
    phone: input.phone,
    timezone: input.timezone,
    marketingConsent: input.consent,
  }
  if (input.channelId && input.externalId) {
    const channel = await trx
      .selectFrom('channels')
      .select('id')
      .where('merchant_id', '=', merchantId)
      .where('id', '=', input.channelId)
      .executeTakeFirst()
    if (!channel) throw new NotFoundError('Channel')
    const contact = await upsertContactByIdentity(trx, merchantId, channel.id, input.externalId, profile, now)
    const conversation = await openConversation(trx, merchantId, contact.id, channel.id, now)
    return { contact, conversationId: conversation.id }
  }
  const contact = await upsertContactByAddress(trx, merchantId, profile, now)
  return { contact, conversationId: await latestConversationId(trx, merchantId, contact.id) }
}

async function storeVars(trx: Db, merchantId: string) {
  const merchant = await trx
    .selectFrom('merchants')
    .select(['name', 'cart_abandon_after_minutes', 'return_window_days'])
    .where('id', '=', merchantId)
    .executeTakeFirstOrThrow()
  return { merchant, store: storeVarsOf(merchant) }
}

async function cartUpdated(
  batch: StepBatch,
  merchantId: string,
  event: CartUpdatedEvent,
): Promise<StoreEventResult> {
  const { trx, ctx } = batch
  const { contact } = await resolveContact(trx, merchantId, event.contact, ctx.now)
  const { merchant } = await storeVars(trx, merchantId)
  const now = new Date(ctx.now)
  const hasItems = event.cart.items.length > 0
  const abandonAt = hasItems ? new Date(ctx.now + merchant.cart_abandon_after_minutes * 60_000) : null
  const items = event.cart.items.map((item) => ({
    title: item.title,
    quantity: item.quantity,
    price: Number(item.price),
    image: item.image ?? null,
    product_id: item.productId ?? null,
    url: item.url ?? null,
  }))
  const existing = await trx
    .selectFrom('carts')
    .select(['id', 'status'])
    .where('merchant_id', '=', merchantId)
    .where('token', '=', event.cart.token)
    .forUpdate()
    .executeTakeFirst()
  const values = {
    contact_id: contact.id,
    items: jsonb(items),
    value: Number(event.cart.value),
    currency: event.cart.currency,
    checkout_url: event.cart.checkoutUrl ?? null,
    last_activity_at: now,
    updated_at: now,
  }
  if (!existing) {
    await trx
      .insertInto('carts')
      .values({
        merchant_id: merchantId,
        token: event.cart.token,
        ...values,
        abandon_at: abandonAt,
        created_at: now,
      })
      .execute()
  } else if (existing.status === 'recovered') {
    // Bought already: later activity on the same token changes nothing about recovery.
    await trx
      .updateTable('carts')
      .set(values)
      .where('merchant_id', '=', merchantId)
      .where('id', '=', existing.id)
      .execute()
  } else {
    // Activity again (even after abandonment) restarts the inactivity clock. It does not end the cart's
    // abandonment episode: the shopper coming back through a reminder's link is how recovery usually looks, and
    // the order that follows must still be attributed to it.
    await trx
      .updateTable('carts')
      .set({ ...values, status: 'active', abandon_at: abandonAt })
      .where('merchant_id', '=', merchantId)
      .where('id', '=', existing.id)
      .execute()
  }
  return {
    duplicate: false,
    contactId: contact.id,
    abandonAt: existing?.status === 'recovered' ? null : (abandonAt?.toISOString() ?? null),
    stepped: [],
    started: [],
  }
}

async function upsertOrder(
  trx: Db,
  merchantId: string,
  contactId: string | null,
  event: OrderCreatedStoreEvent,
  now: Date,
) {
  const { order } = event
  const values = {
    external_id: order.id,
    contact_id: contactId,
    cart_token: order.cartToken ?? null,
    items: jsonb(order.items.map((item) => ({ ...item, price: Number(item.price) }))),
    total: Number(order.total),
    currency: order.currency,
    status: order.status,
    updated_at: now,
  }
  return (
    trx
      .insertInto('orders')
      .values({ merchant_id: merchantId, number: order.number, ...values, created_at: now })
      .onConflict((oc) => oc.columns(['merchant_id', 'number']).doUpdateSet(values))
      .returningAll()
      // True when this statement inserted the row (not an update of an order seen before).
      .returning(sql<boolean>`xmax = 0`.as('inserted'))
      .executeTakeFirstOrThrow()
  )
}

async function orderCreated(
  batch: StepBatch,
  merchantId: string,
  event: OrderCreatedStoreEvent,
): Promise<StoreEventResult> {
  const { trx, ctx } = batch
  const now = new Date(ctx.now)
  const cartToken = event.order.cartToken ?? null
  const cart = cartToken
    ? await trx
        .selectFrom('carts')
        .selectAll()
        .where('merchant_id', '=', merchantId)
        .where('token', '=', cartToken)
        .forUpdate()
        .executeTakeFirst()
    : undefined
  let resolved: ResolvedContact | null = null
  if (event.contact) resolved = await resolveContact(trx, merchantId, event.contact, ctx.now)
  else if (cart?.contact_id) {
    resolved = {
      contact: await trx
        .selectFrom('contacts')
        .selectAll()
        .where('merchant_id', '=', merchantId)
        .where('id', '=', cart.contact_id)
        .executeTakeFirstOrThrow(),
      conversationId: await latestConversationId(trx, merchantId, cart.contact_id),
    }
  }
  const order = await upsertOrder(
    trx,
    merchantId,
    resolved?.contact.id ?? cart?.contact_id ?? null,
    event,
    now,
  )
  // Best-sellers, bought-together and social proof count each order once, when it first arrives.
  if (order.inserted) await countOrderSales(trx, merchantId, event.order.items, now)
  // By the cart's token; an order without a known cart by the shopper and the items.
  const episodeEnded = await endEpisodeForOrder(
    trx,
    merchantId,
    { cartId: cart?.id ?? null, contactId: cart ? null : order.contact_id },
    { id: order.id, total: order.total, currency: order.currency, items: event.order.items },
    now,
  )
  if (cart && cart.status !== 'recovered') {
    // Ordered after it was abandoned, even if the shopper was active on it again since (an episode was open).
    const afterAbandonment = cart.status === 'abandoned' || episodeEnded !== null
    await trx
      .updateTable('carts')
      .set({
        // Only a cart that was abandoned is recovered; one bought in time simply stops being watched.
        status: afterAbandonment ? 'recovered' : 'active',
        recovered_at: afterAbandonment ? now : null,
        recovered_order_id: order.id,
        abandon_at: null,
        updated_at: now,
      })
      .where('merchant_id', '=', merchantId)
      .where('id', '=', cart.id)
      .execute()
  }
  const stepped = cartToken
    ? await stepRuns(
        batch,
        merchantId,
        await findActiveRunIds(trx, merchantId, { correlationKey: cartToken }),
        {
          type: 'order.created',
          order: orderEventPayload(order),
        },
      )
    : []
  const started = resolved
    ? await startTriggeredRuns(batch, {
        merchantId,
        trigger: 'order.created',
        contactId: resolved.contact.id,
        conversationId: resolved.conversationId,
        correlationKey: `order:${order.number}`,
        // Read only when a flow starts on the order: most orders start none.
        vars: async () => ({
          contact: contactVars(resolved.contact),
          // The catalogue's suggestions for post-purchase flows (catalogue/recommendations.ts).
          order: {
            ...orderVars(order),
            recommendations: await recommendProducts(trx, merchantId, order.items, { now }),
          },
          ...(await storeVars(trx, merchantId).then((s) => ({ store: s.store }))),
        }),
      })
    : []
  return { duplicate: false, contactId: resolved?.contact.id, stepped, started: started.map((r) => r.id) }
}

/** What each shipment event does to the order: its status, and the key one shipping-update run holds. */
const SHIPMENT: Record<
  ShipmentStoreEvent['type'],
  { status: string; correlation: (number: string, event: ShipmentStoreEvent) => string }
> = {
  'order.shipped': {
    status: 'shipped',
    correlation: (number, event) => `shipment:${number}:${event.order.trackingNumber ?? ''}`,
  },
  'order.delivered': { status: 'delivered', correlation: (number) => `delivered:${number}` },
  'order.delivery_problem': {
    status: 'delivery_problem',
    correlation: (number) => `delivery-problem:${number}`,
  },
}

async function orderShipment(
  batch: StepBatch,
  merchantId: string,
  event: ShipmentStoreEvent,
): Promise<StoreEventResult> {
  const { trx, ctx } = batch
  const now = new Date(ctx.now)
  const shipment = SHIPMENT[event.type]
  const order = await trx
    .updateTable('orders')
    .set({
      status: shipment.status,
      ...(event.order.trackingNumber ? { tracking_number: event.order.trackingNumber } : {}),
      ...(event.order.carrier ? { tracking_carrier: event.order.carrier } : {}),
      ...(event.order.trackingUrl ? { tracking_url: event.order.trackingUrl } : {}),
      ...(event.type === 'order.shipped' ? { shipped_at: now } : {}),
      ...(event.type === 'order.delivered' ? { delivered_at: now } : {}),
      updated_at: now,
    })
    .where('merchant_id', '=', merchantId)
    .where('number', 'in', [event.order.number, event.order.number.replace(/^#/, '')])
    .returningAll()
    .executeTakeFirst()
  if (!order) throw new NotFoundError('Order')
  let resolved: ResolvedContact | null = null
  if (event.contact) resolved = await resolveContact(trx, merchantId, event.contact, ctx.now)
  else if (order.contact_id) {
    resolved = {
      contact: await trx
        .selectFrom('contacts')
        .selectAll()
        .where('merchant_id', '=', merchantId)
        .where('id', '=', order.contact_id)
        .executeTakeFirstOrThrow(),
      conversationId: await latestConversationId(trx, merchantId, order.contact_id),
    }
  }
  const stepped = await stepRuns(
    batch,
    merchantId,
    await findActiveRunIds(trx, merchantId, { correlationKey: `order:${order.number}` }),
    { type: event.type, order: orderEventPayload(order) },
  )
  const started = resolved
    ? await startTriggeredRuns(batch, {
        merchantId,
        trigger: event.type,
        contactId: resolved.contact.id,
        conversationId: resolved.conversationId,
        correlationKey: shipment.correlation(order.number, event),
        vars: {
          contact: contactVars(resolved.contact),
          order: orderVars(order),
          store: (await storeVars(trx, merchantId)).store,
        },
      })
    : []
  return { duplicate: false, contactId: resolved?.contact.id, stepped, started: started.map((r) => r.id) }
}
