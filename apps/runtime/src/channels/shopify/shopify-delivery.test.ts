import { describe, expect, it } from 'vitest'
import {
  isStaleShopifyDelivery,
  SHOPIFY_MAX_DELIVERY_AGE_MS,
  shopifyDeliveryKey,
} from './shopify-delivery.ts'

describe('Shopify delivery replay checks', () => {
  it('keys a delivery by topic, resource and updated_at, preferring the exact GraphQL id', () => {
    expect(shopifyDeliveryKey('orders/create', { id: 42, updated_at: '2026-01-05T10:05:00-05:00' })).toBe(
      'orders/create 42 2026-01-05T10:05:00-05:00',
    )
    expect(
      shopifyDeliveryKey('orders/create', {
        id: 820982911946154500,
        admin_graphql_api_id: 'gid://shopify/Order/820982911946154508',
        updated_at: 'T',
      }),
    ).toBe('orders/create gid://shopify/Order/820982911946154508 T')
    // The topic is part of the key: create and update of the same state are two events.
    expect(shopifyDeliveryKey('checkouts/create', { id: 1, updated_at: 'T' })).not.toBe(
      shopifyDeliveryKey('checkouts/update', { id: 1, updated_at: 'T' }),
    )
  })

  it('has no key without an id or an updated_at', () => {
    expect(shopifyDeliveryKey('orders/create', { id: 42 })).toBeUndefined()
    expect(shopifyDeliveryKey('orders/create', { updated_at: 'T' })).toBeUndefined()
    expect(shopifyDeliveryKey('orders/create', { id: '', updated_at: 'T' })).toBeUndefined()
    expect(shopifyDeliveryKey('orders/create', [1])).toBeUndefined()
    expect(shopifyDeliveryKey('orders/create', null)).toBeUndefined()
  })

  it('is stale only past the limit, judged by the injected time; no header or a bad one is not stale', () => {
    const now = Date.parse('2026-11-30T12:00:00Z')
    const ago = (ms: number) => new Date(now - ms).toISOString()
    expect(SHOPIFY_MAX_DELIVERY_AGE_MS).toBeGreaterThan(4 * 60 * 60 * 1000)
    expect(isStaleShopifyDelivery(ago(SHOPIFY_MAX_DELIVERY_AGE_MS + 1), now)).toBe(true)
    expect(isStaleShopifyDelivery(ago(SHOPIFY_MAX_DELIVERY_AGE_MS), now)).toBe(false)
    expect(isStaleShopifyDelivery(ago(0), now)).toBe(false)
    expect(isStaleShopifyDelivery('2026-11-30T06:59:59.123456789Z', now)).toBe(true)
    expect(isStaleShopifyDelivery(undefined, now)).toBe(false)
    expect(isStaleShopifyDelivery('yesterday', now)).toBe(false)
  })
})
