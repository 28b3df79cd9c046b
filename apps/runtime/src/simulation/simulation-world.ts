// Builds the simulator's world from the merchant's own data, with the variable shapes a live run starts with
// (`engine/vars.ts`) and the answers its look-ups give (`effects/order-lookup.ts`), so the editor's simulator
// plays a flow the way production would. Without a chosen contact the shopper is anonymised: a sample modelled
// on a real contact (time zone, consent, window) with no name, email, phone or custom attributes, and carts
// whose tokens and links are replaced; a store with no carts yet gets one made of its own first product.
import type { SimulationWorldResponse } from '@parley/api'
import type { Cart, Contact, Database, JsonObject, Order } from '@parley/db'
import { listSummary, orderDisplayName, orderStatusText, pickTimeZone } from '@parley/flow'
import type { Kysely } from 'kysely'
import type { RetrievedProduct } from '../catalogue/product-retrieval.ts'
import { recommendProducts } from '../catalogue/recommendations.ts'
import { cartVarsWithFacts } from '../commerce/cart-facts.ts'
import { orderView } from '../effects/order-lookup.ts'
import { contactVars, orderVars } from '../engine/vars.ts'
import { notFound } from '../http/errors.ts'
import { llmAnswersEnabled } from '../llm/llm-settings.ts'
import { marketingSendTimesSince } from '../policy/frequency-cap.ts'
import {
  readCatalogue,
  readChannelKinds,
  readContact,
  readLastInboundAt,
  readMerchantSettings,
  readRecentCarts,
  readRecentOrders,
  readSampleContact,
} from './simulation-world-repository.ts'

type World = SimulationWorldResponse

const SAMPLE_NAME = 'Sam'

/**
 * @example await buildSimulationWorld(db, merchantId, { now: clock.now() }) // anonymised sample shopper
 * @example await buildSimulationWorld(db, merchantId, { now, contactId }) // play it as that contact
 */
export async function buildSimulationWorld(
  db: Kysely<Database>,
  merchantId: string,
  options: { now: number; contactId?: string },
): Promise<World> {
  const merchant = await readMerchantSettings(db, merchantId)
  const chosen = options.contactId ? await readContact(db, merchantId, options.contactId) : undefined
  if (options.contactId && !chosen) throw notFound('Contact')
  const base = chosen ?? (await readSampleContact(db, merchantId))
  const anonymise = chosen === undefined
  const [channels, products, carts, orders] = await Promise.all([
    readChannelKinds(db, merchantId),
    readCatalogue(db, merchantId),
    readRecentCarts(db, merchantId, chosen?.id),
    readRecentOrders(db, merchantId, chosen?.id),
  ])
  const windowStart = options.now - merchant.frequency_cap_window_minutes * 60_000
  const timeZone = pickTimeZone(base?.timezone, merchant.timezone)
  return {
    store: {
      name: merchant.name,
      timeZone: pickTimeZone(merchant.timezone),
      returnWindowDays: merchant.return_window_days,
      aiAnswers: await llmAnswersEnabled(db, merchantId),
    },
    policy: {
      quietHours:
        merchant.quiet_hours_start_minute !== null && merchant.quiet_hours_end_minute !== null
          ? { startMinute: merchant.quiet_hours_start_minute, endMinute: merchant.quiet_hours_end_minute }
          : null,
      frequencyCap: {
        limit: merchant.frequency_cap_count,
        windowMinutes: merchant.frequency_cap_window_minutes,
      },
    },
    channels,
    // As product answers read them live (catalogue/product-retrieval.ts), variants included.
    products,
    carts:
      carts.length > 0
        ? await Promise.all(
            carts.map(async (cart, i) =>
              worldCart(
                cart,
                await cartVarsWithFacts(db, cart, new Date(options.now)),
                anonymise ? `sample-cart-${i + 1}` : null,
              ),
            ),
          )
        : catalogueCart(products),
    orders: await Promise.all(
      orders.map(async (order) =>
        worldOrder(
          order,
          base?.id ?? null,
          { windowDays: merchant.return_window_days, now: options.now },
          // What a post-purchase flow would suggest for it, by the same rule as live.
          await recommendProducts(db, merchantId, order.items, { now: new Date(options.now) }),
        ),
      ),
    ),
    contact: {
      label: anonymise ? 'Sample shopper' : (base?.name ?? base?.email ?? 'Chosen shopper'),
      anonymised: anonymise,
      vars: base ? worldContactVars(base, anonymise) : sampleContactVars(timeZone),
      timeZone,
      marketingConsent: base?.marketing_consent ?? true,
      optedOut: base ? base.opted_out_at !== null : false,
      lastInboundAt: base ? iso(await readLastInboundAt(db, merchantId, base.id)) : null,
      marketingSentAt: base
        ? (await marketingSendTimesSince(db, merchantId, base.id, windowStart)).map((d) => d.toISOString())
        : [],
    },
  }
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null
}

function money(amount: number, currency: string): string {
  return `${amount.toFixed(2)} ${currency}`
}

/** `sampleToken`: the token (and the link that carries it) replaced, so a sample cart opens nobody's checkout. */
function worldCart(cart: Cart, vars: JsonObject, sampleToken: string | null): World['carts'][number] {
  if (sampleToken) {
    const link = cart.checkout_url ? cart.checkout_url.replaceAll(cart.token, sampleToken) : null
    Object.assign(vars, { token: sampleToken, url: link, checkoutUrl: link })
  }
  const what = listSummary(cart.items) || 'Empty cart'
  return { label: `${what} · ${money(Number(cart.value), cart.currency)}`, vars }
}

/** A store with no carts yet still simulates with its own goods: a cart holding its first product in stock. */
function catalogueCart(products: RetrievedProduct[]): World['carts'] {
  const product = products.find((p) => p.inStock) ?? products[0]
  if (!product) return []
  const price = Number(product.price)
  const vars = {
    token: 'sample-cart-1',
    summary: product.title,
    // No sales behind a sample cart: the message says nothing it cannot back.
    proof: '',
    url: product.url,
    checkoutUrl: product.url,
    total: price,
    value: price,
    currency: product.currency,
    items: [
      {
        title: product.title,
        quantity: 1,
        price,
        imageUrl: product.imageUrl,
        image: product.imageUrl,
        url: product.url,
        productId: product.externalId ?? product.id,
      },
    ],
  }
  return [{ label: `${product.title} · ${money(price, product.currency)} (from your catalogue)`, vars }]
}

/**
 * A sampled order as the simulation sees it, owned as it is live: by the contact the simulation plays (the
 * chosen one, or the sampled one behind the anonymised shopper), by another shopper, or by nobody (a guest
 * order, which a look-up never reveals).
 */
function worldOrder(
  order: Order,
  contactId: string | null,
  returns: { windowDays: number; now: number },
  recommendations: JsonObject[],
): World['orders'][number] {
  return {
    label: `Order ${orderDisplayName(order.number)} · ${orderStatusText(order.status)}`,
    number: order.number,
    owner: order.contact_id === null ? 'nobody' : order.contact_id === contactId ? 'contact' : 'other',
    createdAt: order.created_at.toISOString(),
    view: { ...orderView(order, returns) },
    vars: { ...orderVars(order), recommendations },
  }
}

function worldContactVars(contact: Contact, anonymise: boolean): Record<string, unknown> {
  const vars = contactVars(contact)
  if (!anonymise) return vars
  return sampleContactVars(contact.timezone, contact.locale)
}

function sampleContactVars(timezone: string | null, locale: string | null = null): Record<string, unknown> {
  return {
    id: 'sample-contact',
    name: SAMPLE_NAME,
    first_name: SAMPLE_NAME,
    email: null,
    phone: null,
    timezone,
    locale,
  }
}
