// Which order a shopper's "order.lookup" finds: by the number they gave, or their latest order; another
// shopper's order is never revealed. The runtime applies this rule in SQL over its orders table
// (`apps/runtime/src/effects/order-lookup.ts`, with `normaliseOrderNumber` from here); the simulator applies it
// to the orders of its simulation world with `findOrder`.

/** "#1001", " 1001 " and "order 1001" all mean 1001. */
export function normaliseOrderNumber(input: string): string {
  const digits = input.match(/[A-Za-z0-9-]*\d[A-Za-z0-9-]*/)
  return (digits?.[0] ?? input).replace(/^#/, '').trim()
}

/** An order as the lookup sees it: whose it is (`contact`: the shopper asking) and when it was placed. */
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
  if (!order || order.owner === 'other') return null
  return order.view
}
