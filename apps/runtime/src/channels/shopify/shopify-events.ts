// Shopify webhook payloads → the store events POST /api/events takes. Pure; the result is validated with
// the engine's schema, so both doors into the engine accept exactly the same events.
//   checkouts/create|update     → cart.updated (the checkout token is the cart token orders refer to)
//   orders/create               → order.created (checkout_token links it to the cart: recovery)
//   fulfillments/create|update  → order.shipped (when it carries a tracking number); with the carrier's
//                                 shipment_status `delivered` → order.delivered, `failure` or
//                                 `attempted_delivery` → order.delivery_problem
import { type StoreEvent, storeEventSchema } from '../../commerce/store-event-schema.ts'

export const SHOPIFY_TOPICS = [
  'checkouts/create',
  'checkouts/update',
  'orders/create',
  'fulfillments/create',
  'fulfillments/update',
] as const

export type ShopifyTranslation = { event: StoreEvent } | { ignored: string }

type Obj = Record<string, unknown>
const isObj = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined
const list = (value: unknown): Obj[] => (Array.isArray(value) ? value.filter(isObj) : [])

/** The carrier's shipment_status on a fulfillment that ends or troubles a delivery, as our event. */
const DELIVERY_EVENTS: Record<string, 'order.delivered' | 'order.delivery_problem'> = {
  delivered: 'order.delivered',
  failure: 'order.delivery_problem',
  attempted_delivery: 'order.delivery_problem',
}

/**
 * @example translateShopifyWebhook('orders/create', 'b54557e4-...', order) → { event: { type: 'order.created', ... } }
 */
export function translateShopifyWebhook(
  topic: string,
  webhookId: string,
  payload: unknown,
): ShopifyTranslation {
  if (!isObj(payload)) return { ignored: 'payload is not an object' }
  let event: unknown
  switch (topic) {
    case 'checkouts/create':
    case 'checkouts/update': {
      if (payload.completed_at) return { ignored: 'checkout already completed' }
      const contact = contactOf(payload)
      if (!contact) return { ignored: 'checkout has no email or phone to reach the shopper' }
      event = {
        id: webhookId,
        type: 'cart.updated',
        contact,
        cart: {
          token: str(payload.token) ?? str(payload.cart_token),
          items: list(payload.line_items).map((item) => ({
            title: itemTitle(item),
            quantity: Number(item.quantity ?? 1),
            price: str(item.price) ?? '0',
            image: imageOf(item),
            productId: str(item.product_id) ?? null,
          })),
          value: str(payload.total_price) ?? str(payload.subtotal_price) ?? '0',
          currency: str(payload.presentment_currency) ?? str(payload.currency),
          checkoutUrl: str(payload.abandoned_checkout_url) ?? null,
        },
      }
      break
    }
    case 'orders/create': {
      const contact = contactOf(payload)
      event = {
        id: webhookId,
        type: 'order.created',
        ...(contact ? { contact } : {}),
        order: {
          id: str(payload.id),
          number:
            str(payload.name) ?? (str(payload.order_number) ? `#${str(payload.order_number)}` : undefined),
          cartToken: str(payload.checkout_token) ?? str(payload.cart_token) ?? null,
          total: str(payload.total_price) ?? '0',
          currency: str(payload.presentment_currency) ?? str(payload.currency),
          status: str(payload.financial_status) ?? 'created',
          items: list(payload.line_items).map((item) => ({
            title: itemTitle(item),
            quantity: Number(item.quantity ?? 1),
            price: str(item.price) ?? '0',
            image: imageOf(item),
            productId: str(item.product_id) ?? null,
          })),
        },
      }
      break
    }
    case 'fulfillments/create':
    case 'fulfillments/update': {
      const shipmentStatus = str(payload.shipment_status)
      const delivery =
        shipmentStatus && Object.hasOwn(DELIVERY_EVENTS, shipmentStatus)
          ? DELIVERY_EVENTS[shipmentStatus]
          : undefined
      if (delivery) {
        const number = str(payload.name)?.replace(/\.\d+$/, '')
        if (!number) return { ignored: 'fulfillment does not name its order' }
        const trackingNumber =
          str(payload.tracking_number) ??
          (Array.isArray(payload.tracking_numbers) ? str(payload.tracking_numbers[0]) : undefined)
        event = {
          id: webhookId,
          type: delivery,
          order: {
            number,
            ...(trackingNumber ? { trackingNumber } : {}),
            ...(str(payload.tracking_company) ? { carrier: str(payload.tracking_company) } : {}),
            ...(str(payload.tracking_url) ? { trackingUrl: str(payload.tracking_url) } : {}),
          },
        }
        break
      }
      const trackingNumber =
        str(payload.tracking_number) ??
        (Array.isArray(payload.tracking_numbers) ? str(payload.tracking_numbers[0]) : undefined)
      if (!trackingNumber) return { ignored: 'fulfillment has no tracking number yet' }
      if (payload.status === 'cancelled' || payload.status === 'failure' || payload.status === 'error') {
        return { ignored: `fulfillment is ${String(payload.status)}` }
      }
      // The fulfillment's name is "<order name>.<n>" (#1001.1); orders are known by their name.
      const number = str(payload.name)?.replace(/\.\d+$/, '')
      if (!number) return { ignored: 'fulfillment does not name its order' }
      const trackingUrl =
        str(payload.tracking_url) ??
        (Array.isArray(payload.tracking_urls) ? str(payload.tracking_urls[0]) : undefined) ??
        null
      event = {
        id: webhookId,
        type: 'order.shipped',
        order: { number, trackingNumber, carrier: str(payload.tracking_company) ?? 'Other', trackingUrl },
      }
      break
    }
    default:
      return { ignored: `topic ${topic} is not handled` }
  }
  const parsed = storeEventSchema.safeParse(event)
  if (!parsed.success) {
    return {
      ignored: `not a valid store event: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    }
  }
  return { event: parsed.data }
}

function contactOf(payload: Obj): Obj | undefined {
  const customer = isObj(payload.customer) ? payload.customer : {}
  const email = str(payload.email) ?? str(customer.email)
  const phone =
    str(payload.phone) ??
    str(customer.phone) ??
    (isObj(payload.billing_address) ? str(payload.billing_address.phone) : undefined)
  if (!email && !phone) return undefined
  const name = [str(customer.first_name), str(customer.last_name)].filter(Boolean).join(' ')
  const consent = consentOf(payload, customer)
  return {
    ...(email ? { email } : {}),
    ...(phone ? { phone } : {}),
    ...(name ? { name } : {}),
    ...(consent === undefined ? {} : { consent }),
  }
}

/** Marketing consent: the newer email_marketing_consent state, else the legacy accepts_marketing flag. */
function consentOf(payload: Obj, customer: Obj): boolean | undefined {
  const state = isObj(customer.email_marketing_consent)
    ? str(customer.email_marketing_consent.state)
    : undefined
  if (state) return state === 'subscribed'
  const legacy = payload.buyer_accepts_marketing ?? customer.accepts_marketing
  return typeof legacy === 'boolean' ? legacy : undefined
}

function itemTitle(item: Obj): string {
  const title = str(item.title) ?? str(item.name) ?? 'Item'
  const variant = str(item.variant_title)
  return variant && !title.includes(variant) ? `${title} — ${variant}` : title
}

function imageOf(item: Obj): string | null {
  if (str(item.image_url)) return str(item.image_url) ?? null
  if (isObj(item.image) && str(item.image.src)) return str(item.image.src) ?? null
  return null
}
