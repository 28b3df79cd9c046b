// The demo store (dev only): GET /demo is a "North Thread" shop page with the widget for the demo web-chat
// channel, and /demo/api/* are the buttons of its demo panel. The page never holds an API key: the server turns
// the visitor's cart into the same store events POST /api/events accepts (validated by the same schema, run
// by the same processStoreEvent) for the demo merchant, and moves the dev clock (time/dev-clock.ts). Mounted by
// app.ts only when the dev clock is on (never in production): otherwise /demo is the app's plain 404.
import { randomUUID } from 'node:crypto'
import { Hono } from 'hono'
import { z } from 'zod'
import { verifyVisitorToken } from '../channels/webchat/visitor-token.ts'
import { storeEventSchema } from '../commerce/store-event-schema.ts'
import { processStoreEvent } from '../commerce/store-events.ts'
import type { RuntimeDeps } from '../deps.ts'
import { runDueWork } from '../engine/due-work.ts'
import type { AppEnv } from '../http/app-env.ts'
import { AppError, unauthorized } from '../http/errors.ts'
import { readJsonBody } from '../http/json-body.ts'
import { syncClockOffset } from '../time/clock-offset.ts'
import { advanceDevClock } from '../time/dev-clock.ts'
import { renderDemoPage } from './demo-page.ts'
import { DEMO_MERCHANT_NAME } from './seed.ts'

const HOUR_MS = 3_600_000

const cartBody = z
  .object({
    cartToken: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
    items: z
      .array(z.object({ sku: z.string().min(1).max(200), quantity: z.number().int().min(1).max(20) }))
      .min(1)
      .max(20),
  })
  .strict()

const advanceBody = z.union([
  z
    .object({
      hours: z
        .number()
        .positive()
        .max(24 * 30),
    })
    .strict(),
  z.object({ next: z.literal(true) }).strict(),
])

interface DemoStore {
  merchantId: string
  channelId: string
  abandonAfterMinutes: number
}

async function findDemoStore(deps: RuntimeDeps): Promise<DemoStore> {
  const row = await deps.db
    .selectFrom('merchants as m')
    .innerJoin('channels as ch', (join) => join.onRef('ch.merchant_id', '=', 'm.id'))
    .select([
      'm.id as merchantId',
      'ch.id as channelId',
      'm.cart_abandon_after_minutes as abandonAfterMinutes',
    ])
    .where('m.name', '=', DEMO_MERCHANT_NAME)
    .where('ch.kind', '=', 'webchat')
    .where('ch.enabled', '=', true)
    .orderBy('m.created_at')
    .executeTakeFirst()
  if (!row)
    throw new AppError(
      404,
      'not_found',
      'No demo merchant: run the seed (pnpm --filter @parley/runtime seed)',
    )
  return row
}

/** The shopper behind a visitor id, once the store has reported them (null before their first cart). */
async function contactOf(deps: RuntimeDeps, store: DemoStore, visitorId: string): Promise<string | null> {
  const row = await deps.db
    .selectFrom('contact_identities')
    .select('contact_id')
    .where('merchant_id', '=', store.merchantId)
    .where('channel_id', '=', store.channelId)
    .where('external_id', '=', visitorId)
    .executeTakeFirst()
  return row?.contact_id ?? null
}

/**
 * The earliest pending timer, cart abandonment or deferred send: this shopper's when a visitor is given (so one tab's
 * "Skip to next message" never fires another visitor's timer first), else the whole demo merchant's.
 */
async function nextDueAt(
  deps: RuntimeDeps,
  merchantId: string,
  contactId?: string | null,
): Promise<number | null> {
  if (contactId === null) return null
  let timers = deps.db
    .selectFrom('timers')
    .select((eb) => eb.fn.min('timers.due_at').as('due'))
    .where('timers.merchant_id', '=', merchantId)
  if (contactId) {
    timers = timers
      .innerJoin('runs', (join) =>
        join.onRef('runs.merchant_id', '=', 'timers.merchant_id').onRef('runs.id', '=', 'timers.run_id'),
      )
      .where('runs.contact_id', '=', contactId)
  }
  let carts = deps.db
    .selectFrom('carts')
    .select((eb) => eb.fn.min('abandon_at').as('due'))
    .where('merchant_id', '=', merchantId)
    .where('status', '=', 'active')
  if (contactId) carts = carts.where('contact_id', '=', contactId)
  // A send the policy put off (quiet hours) waits in the outbox for its time: skipping to the next message
  // must reach it, or the evening's demo stops at a reminder that never shows.
  let deferred = deps.db
    .selectFrom('outbox')
    .innerJoin('conversations', (join) =>
      join
        .onRef('conversations.merchant_id', '=', 'outbox.merchant_id')
        .onRef('conversations.id', '=', 'outbox.conversation_id'),
    )
    .select((eb) => eb.fn.min('outbox.next_attempt_at').as('due'))
    .where('outbox.merchant_id', '=', merchantId)
    .where('outbox.lane', '=', 'message')
    .where('outbox.status', '=', 'pending')
    .where('outbox.next_attempt_at', '>', new Date(deps.clock.now()))
  if (contactId) deferred = deferred.where('conversations.contact_id', '=', contactId)
  const [timer, cart, send] = await Promise.all([
    timers.executeTakeFirst(),
    carts.executeTakeFirst(),
    deferred.executeTakeFirst(),
  ])
  const times = [timer?.due, cart?.due, send?.due]
    .filter((d) => d != null)
    .map((d) => new Date(d as Date).getTime())
  return times.length ? Math.min(...times) : null
}

async function clockState(deps: RuntimeDeps, merchantId: string, contactId?: string | null) {
  await syncClockOffset(deps.db, deps.clock)
  const next = await nextDueAt(deps, merchantId, contactId)
  return {
    now: new Date(deps.clock.now()).toISOString(),
    nextDueAt: next === null ? null : new Date(next).toISOString(),
  }
}

/** The visitor's contact when the request carries a valid visitor token; undefined (merchant-wide) without one. */
async function optionalContact(deps: RuntimeDeps, store: DemoStore, authorization: string | undefined) {
  if (!authorization) return undefined
  const visitor = await visitorOf(deps, store, authorization)
  return contactOf(deps, store, visitor.visitorId)
}

async function visitorOf(deps: RuntimeDeps, store: DemoStore, authorization: string | undefined) {
  const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1]
  const claims = verifyVisitorToken(token, store.channelId, deps.config.secret, deps.clock.now())
  if (!claims || claims.merchantId !== store.merchantId) throw unauthorized('Open the chat widget first')
  return claims
}

/** The cart priced from the catalogue (never from the page). */
async function pricedCart(deps: RuntimeDeps, merchantId: string, items: z.infer<typeof cartBody>['items']) {
  const products = await deps.db
    .selectFrom('products')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where(
      'external_id',
      'in',
      items.map((item) => item.sku),
    )
    .execute()
  const bySku = new Map(products.map((p) => [p.external_id, p]))
  const lines = items.map((item) => {
    const product = bySku.get(item.sku)
    if (!product) throw new AppError(400, 'bad_request', `Unknown product ${item.sku}`)
    return { product, quantity: item.quantity }
  })
  const value = lines.reduce((sum, line) => sum + Number(line.product.price) * line.quantity, 0)
  return { lines, value: value.toFixed(2), currency: lines[0]?.product.currency ?? 'USD' }
}

export function demoRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/demo', async (c) => {
    const deps = c.var.deps
    const store = await findDemoStore(deps)
    const products = await deps.db
      .selectFrom('products')
      .select(['external_id', 'title', 'description', 'price', 'currency', 'image_url'])
      .where('merchant_id', '=', store.merchantId)
      // Only what the store can sell: its cart calls name a product by the store's id (pricedCart), and a product
      // imported from a CSV has only a handle. Shown, it was an "Add to cart" whose order answered 400 (empty sku).
      .where('external_id', 'is not', null)
      .where('external_id', '<>', '')
      .orderBy('title')
      .limit(6)
      .execute()
    return c.html(
      renderDemoPage({
        channelId: store.channelId,
        abandonAfterMinutes: store.abandonAfterMinutes,
        products,
        nonce: c.get('secureHeadersNonce'),
      }),
    )
  })

  // Product links in chat messages point here.
  app.get('/demo/products/:sku', (c) => c.redirect(`/demo#${encodeURIComponent(c.req.param('sku'))}`))

  app.get('/demo/api/clock', async (c) => {
    const store = await findDemoStore(c.var.deps)
    const contactId = await optionalContact(c.var.deps, store, c.req.header('authorization'))
    return c.json(await clockState(c.var.deps, store.merchantId, contactId))
  })

  /** "Abandon this cart": cart.updated for this visitor, then the clock past the abandonment threshold. */
  app.post('/demo/api/abandon', async (c) => {
    const deps = c.var.deps
    const store = await findDemoStore(deps)
    const visitor = await visitorOf(deps, store, c.req.header('authorization'))
    const body = cartBody.parse(await readJsonBody(c.req.raw))
    const cart = await pricedCart(deps, store.merchantId, body.items)
    const event = storeEventSchema.parse({
      id: `demo-${randomUUID()}`,
      type: 'cart.updated',
      contact: {
        channelId: store.channelId,
        externalId: visitor.visitorId,
        name: 'Alex Shopper',
        consent: true,
      },
      cart: {
        token: body.cartToken,
        value: cart.value,
        currency: cart.currency,
        // {{cart.url}} in the recovery messages: back to the store, where the cart is kept in localStorage.
        checkoutUrl: new URL('/demo#cart', c.req.url).toString(),
        items: cart.lines.map(({ product, quantity }) => ({
          title: product.title,
          price: product.price,
          quantity,
          image: product.image_url,
          url: product.url ? new URL(product.url, c.req.url).toString() : null,
          productId: product.external_id,
        })),
      },
    })
    await processStoreEvent(deps, store.merchantId, event)
    const due = await advanceDevClock(deps, (store.abandonAfterMinutes + 1) * 60_000)
    const contactId = await contactOf(deps, store, visitor.visitorId)
    return c.json({ ...(await clockState(deps, store.merchantId, contactId)), due })
  })

  /** "Place order": order.created for this cart, which ends its recovery sequence as recovered. */
  app.post('/demo/api/order', async (c) => {
    const deps = c.var.deps
    const store = await findDemoStore(deps)
    const visitor = await visitorOf(deps, store, c.req.header('authorization'))
    const body = cartBody.parse(await readJsonBody(c.req.raw))
    const cart = await pricedCart(deps, store.merchantId, body.items)
    const number = `NT-${Math.floor(1000 + Math.random() * 9000)}`
    const event = storeEventSchema.parse({
      id: `demo-${randomUUID()}`,
      type: 'order.created',
      contact: {
        channelId: store.channelId,
        externalId: visitor.visitorId,
        name: 'Alex Shopper',
        consent: true,
      },
      order: {
        id: `demo-order-${randomUUID()}`,
        number,
        cartToken: body.cartToken,
        total: cart.value,
        currency: cart.currency,
        items: cart.lines.map(({ product, quantity }) => ({
          title: product.title,
          price: product.price,
          quantity,
          image: product.image_url,
          productId: product.external_id,
        })),
      },
    })
    await processStoreEvent(deps, store.merchantId, event)
    const due = await runDueWork(deps)
    const contactId = await contactOf(deps, store, visitor.visitorId)
    return c.json({ ...(await clockState(deps, store.merchantId, contactId)), orderNumber: number, due })
  })

  /** "+1 h", "+24 h" and "Skip to next message" (to this visitor's next timer when their token is sent). */
  app.post('/demo/api/advance', async (c) => {
    const deps = c.var.deps
    const store = await findDemoStore(deps)
    const contactId = await optionalContact(deps, store, c.req.header('authorization'))
    const body = advanceBody.parse(await readJsonBody(c.req.raw))
    let ms: number
    if ('hours' in body) ms = Math.round(body.hours * HOUR_MS)
    else {
      const next = await nextDueAt(deps, store.merchantId, contactId)
      if (next === null)
        return c.json({ ...(await clockState(deps, store.merchantId, contactId)), due: null })
      ms = Math.max(1000, next - deps.clock.now() + 1000)
    }
    const due = await advanceDevClock(deps, ms)
    return c.json({ ...(await clockState(deps, store.merchantId, contactId)), due })
  })

  return app
}
