// The variables a run starts with, shaped the way flow templates read them ({{contact.first_name}},
// {{cart.items[0].title}}, {{cart.url}}, {{order.number}}).
import type { Cart, Contact, JsonObject, Merchant, Order } from '@parley/db'
import { listSummary, type OrderEventPayload, orderDisplayName, orderStatusText } from '@parley/flow'

export function contactVars(contact: Contact): JsonObject {
  const name = contact.name ?? ''
  return {
    ...contact.attributes,
    id: contact.id,
    name,
    first_name: name.trim().split(/\s+/)[0] ?? '',
    email: contact.email,
    phone: contact.phone,
    timezone: contact.timezone,
    locale: contact.locale,
  }
}

export function cartVars(cart: Cart): JsonObject {
  return {
    // "Linen Shirt and 2 more"
    summary: listSummary(cart.items),
    token: cart.token,
    url: cart.checkout_url,
    checkoutUrl: cart.checkout_url,
    total: Number(cart.value),
    value: Number(cart.value),
    currency: cart.currency,
    items: cart.items.map((item) => ({
      title: item.title,
      quantity: item.quantity,
      price: Number(item.price),
      imageUrl: item.image,
      image: item.image,
      url: item.url,
      productId: item.product_id,
    })),
  }
}

export function orderVars(order: Order): JsonObject {
  return {
    id: order.id,
    number: order.number,
    name: orderDisplayName(order.number),
    status: orderStatusText(order.status),
    total: Number(order.total),
    currency: order.currency,
    cartToken: order.cart_token,
    items: order.items,
    trackingNumber: order.tracking_number,
    carrier: order.tracking_carrier,
    trackingUrl: order.tracking_url,
  }
}

/** The order as a flow event carries it (`order.created`, `order.shipped`). */
export function orderEventPayload(order: Order): OrderEventPayload {
  return {
    id: order.id,
    number: order.number,
    name: orderDisplayName(order.number),
    status: orderStatusText(order.status),
    total: Number(order.total),
    currency: order.currency,
    ...(order.cart_token ? { cartToken: order.cart_token } : {}),
    ...(order.tracking_number ? { trackingNumber: order.tracking_number } : {}),
    ...(order.tracking_carrier ? { carrier: order.tracking_carrier } : {}),
    ...(order.tracking_url ? { trackingUrl: order.tracking_url } : {}),
    items: order.items.map((item) => ({
      ...item,
      title: String(item.title ?? ''),
      quantity: Number(item.quantity ?? 1),
      price: Number(item.price ?? 0),
      ...(typeof item.imageUrl === 'string' ? { imageUrl: item.imageUrl } : {}),
      ...(typeof item.productId === 'string' ? { productId: item.productId } : {}),
    })),
  }
}

/** `store.*` as templates read it: the store's name and its return window. */
export function storeVarsOf(merchant: Pick<Merchant, 'name' | 'return_window_days'>): JsonObject {
  return { name: merchant.name, returnWindowDays: merchant.return_window_days }
}
