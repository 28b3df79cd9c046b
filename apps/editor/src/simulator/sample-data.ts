// Sample data for previews and the simulator: a shopper, a cart with two items, an order and the store.
import type { FlowVars } from '@parley/flow'

export const SAMPLE_CART_TOKEN = 'cart-sample-1'

export const sampleVars: FlowVars = {
  contact: {
    first_name: 'Maya',
    name: 'Maya Jensen',
    email: 'maya@example.com',
    phone: '+45 20 12 34 56',
    timezone: 'Europe/Copenhagen',
  },
  cart: {
    token: SAMPLE_CART_TOKEN,
    url: 'https://north-thread.example/cart/cart-sample-1',
    currency: 'EUR',
    total: 128,
    item_count: 2,
    items: [
      {
        title: 'Linen Overshirt',
        price: 89,
        quantity: 1,
        imageUrl: 'https://picsum.photos/seed/overshirt/600/400',
        productId: 'p-linen-overshirt',
      },
      {
        title: 'Merino Beanie',
        price: 39,
        quantity: 1,
        imageUrl: 'https://picsum.photos/seed/beanie/600/400',
        productId: 'p-merino-beanie',
      },
    ],
  },
  order: {
    id: 'o-1042',
    number: '1042',
    total: 128,
    currency: 'EUR',
    status: 'shipped',
    carrier: 'DHL',
    trackingNumber: 'JD014600003SE',
    trackingUrl: 'https://track.example/JD014600003SE',
  },
  store: { name: 'North Thread', url: 'https://north-thread.example' },
}

/** The variables a run starts with: sample data, plus what upstream steps would have written. */
export function previewVars(extra: FlowVars = {}): FlowVars {
  return {
    ...structuredClone(sampleVars),
    reply: 'Is it available in blue?',
    answer: 'Yes, the Linen Overshirt also comes in navy blue.',
    incentive: { code: 'COMEBACK10', percentOff: 10 },
    ...extra,
  }
}

/** Every leaf path of a value, for the variable picker ("cart.items[0].title"). */
export function leafPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.slice(0, 2).flatMap((item, i) => leafPaths(item, `${prefix}[${i}]`))
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, v]) => leafPaths(v, prefix ? `${prefix}.${key}` : key))
  }
  return prefix ? [prefix] : []
}
