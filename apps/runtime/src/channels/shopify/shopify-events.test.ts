import { describe, expect, it } from 'vitest'
import { translateShopifyWebhook } from './shopify-events.ts'
import { checkoutPayload, fulfillmentPayload, orderPayload } from './shopify-fixtures.ts'

describe('translateShopifyWebhook', () => {
  it('turns a checkout into cart.updated keyed by the checkout token', () => {
    expect(translateShopifyWebhook('checkouts/update', 'wh-1', checkoutPayload)).toEqual({
      event: {
        id: 'wh-1',
        type: 'cart.updated',
        contact: { email: 'ana@example.com', name: 'Ana Lima', consent: true },
        cart: {
          token: '123123123',
          items: [
            {
              title: 'IPod Nano - 8GB — green',
              quantity: 1,
              price: '199.00',
              image: null,
              productId: '632910392',
            },
            { title: 'IPod Touch 8GB', quantity: 1, price: '199.00', image: null, productId: '921728736' },
          ],
          value: '398.00',
          currency: 'USD',
          checkoutUrl: checkoutPayload.abandoned_checkout_url,
        },
      },
    })
  })

  it('ignores completed checkouts and checkouts without a way to reach the shopper', () => {
    expect(
      translateShopifyWebhook('checkouts/update', 'w', {
        ...checkoutPayload,
        completed_at: '2026-01-05T11:00:00Z',
      }),
    ).toEqual({
      ignored: 'checkout already completed',
    })
    expect(
      translateShopifyWebhook('checkouts/create', 'w', { ...checkoutPayload, email: null, customer: null }),
    ).toMatchObject({ ignored: expect.stringContaining('no email or phone') })
  })

  it('turns an order into order.created linked to the cart by checkout_token', () => {
    const translated = translateShopifyWebhook('orders/create', 'wh-2', orderPayload)
    expect(translated).toMatchObject({
      event: {
        id: 'wh-2',
        type: 'order.created',
        contact: { email: 'ana@example.com', name: 'Ana Lima' },
        order: {
          id: '820982911946154500',
          number: '#9999',
          cartToken: '123123123',
          total: '398.00',
          currency: 'USD',
          status: 'paid',
        },
      },
    })
  })

  it('turns a fulfillment with tracking into order.shipped for the order it names', () => {
    expect(translateShopifyWebhook('fulfillments/create', 'wh-3', fulfillmentPayload)).toEqual({
      event: {
        id: 'wh-3',
        type: 'order.shipped',
        order: {
          number: '#9999',
          trackingNumber: '1Z2345',
          carrier: 'UPS',
          trackingUrl: fulfillmentPayload.tracking_url,
        },
      },
    })
    expect(
      translateShopifyWebhook('fulfillments/update', 'w', {
        ...fulfillmentPayload,
        tracking_number: null,
        tracking_numbers: [],
      }),
    ).toMatchObject({ ignored: expect.stringContaining('no tracking number') })
  })

  it("turns the carrier's delivered / failed shipment status into order.delivered / order.delivery_problem", () => {
    expect(
      translateShopifyWebhook('fulfillments/update', 'wh-4', {
        ...fulfillmentPayload,
        shipment_status: 'delivered',
      }),
    ).toEqual({
      event: {
        id: 'wh-4',
        type: 'order.delivered',
        order: {
          number: '#9999',
          trackingNumber: '1Z2345',
          carrier: 'UPS',
          trackingUrl: fulfillmentPayload.tracking_url,
        },
      },
    })
    for (const status of ['failure', 'attempted_delivery']) {
      expect(
        translateShopifyWebhook('fulfillments/update', 'wh-5', {
          ...fulfillmentPayload,
          shipment_status: status,
        }),
      ).toMatchObject({ event: { type: 'order.delivery_problem', order: { number: '#9999' } } })
    }
    // In transit is still "shipped"; a status named like an object's own property is nothing special.
    for (const status of ['in_transit', 'constructor']) {
      expect(
        translateShopifyWebhook('fulfillments/update', 'wh-6', {
          ...fulfillmentPayload,
          shipment_status: status,
        }),
      ).toMatchObject({ event: { type: 'order.shipped' } })
    }
  })

  it('ignores other topics and malformed payloads without throwing', () => {
    expect(translateShopifyWebhook('products/update', 'w', {})).toEqual({
      ignored: 'topic products/update is not handled',
    })
    expect(translateShopifyWebhook('orders/create', 'w', 'nope')).toEqual({
      ignored: 'payload is not an object',
    })
    expect(translateShopifyWebhook('orders/create', 'w', { id: 1 })).toMatchObject({
      ignored: expect.stringContaining('not a valid store event'),
    })
  })
})
