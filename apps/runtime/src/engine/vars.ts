// The variables a run starts with, shaped the way flow templates read them ({{contact.first_name}},
// {{cart.items[0].title}}, {{cart.url}}, {{order.number}}).
import type { Cart, Contact, JsonObject, Order } from '@parley/db'

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
    status: order.status,
    total: Number(order.total),
    currency: order.currency,
    cartToken: order.cart_token,
    items: order.items,
    trackingNumber: order.tracking_number,
    carrier: order.tracking_carrier,
    trackingUrl: order.tracking_url,
  }
}
