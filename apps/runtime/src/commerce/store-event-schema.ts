// POST /api/events: the commerce events a store sends (cart.updated, order.created, order.shipped,
// order.delivered, order.delivery_problem), as zod
// schemas first, types inferred. `id` is the store's event id: a repeated delivery is processed once.
import { z } from 'zod'

/** A non-negative amount, as a number or a decimal string ("19.90"); read with Number(). */
const money = z.union([
  z.number().finite().nonnegative().max(1e11),
  z.string().regex(/^\d{1,12}(\.\d{1,4})?$/),
])
const currency = z.string().regex(/^[A-Z]{3}$/, 'Use an upper-case ISO 4217 code like EUR')
const url = z.url().max(2000)
const timeZone = z
  .string()
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone })
      return true
    } catch {
      return false
    }
  }, 'Unknown time zone')

export const storeContactSchema = z
  .object({
    /** With externalId: the shopper's id on one of the merchant's channels (web-chat visitor id, wa_id...). */
    channelId: z.uuid().optional(),
    externalId: z.string().min(1).max(200).optional(),
    email: z.email().max(320).optional(),
    phone: z.string().min(3).max(32).optional(),
    name: z.string().max(200).optional(),
    timezone: timeZone.optional(),
    /** Marketing consent as collected by the store. */
    consent: z.boolean().optional(),
  })
  .refine((c) => (c.channelId === undefined) === (c.externalId === undefined), {
    message: 'channelId and externalId go together',
  })
  .refine((c) => c.externalId !== undefined || c.email !== undefined || c.phone !== undefined, {
    message: 'Identify the shopper by channelId + externalId, email or phone',
  })
export type StoreContact = z.infer<typeof storeContactSchema>

export const cartItemSchema = z.object({
  title: z.string().min(1).max(500),
  image: url.nullish(),
  price: money,
  quantity: z.number().int().positive().max(10_000),
  url: url.nullish(),
  productId: z.string().max(200).nullish(),
})

const eventId = z.string().min(1).max(200)

export const cartUpdatedSchema = z.object({
  id: eventId,
  type: z.literal('cart.updated'),
  contact: storeContactSchema,
  cart: z.object({
    token: z.string().min(1).max(200),
    items: z.array(cartItemSchema).max(200),
    value: money,
    currency,
    checkoutUrl: url.nullish(),
  }),
})

const orderSchema = z.object({
  /** The store's order id. */
  id: z.string().min(1).max(200),
  number: z.string().min(1).max(64),
  cartToken: z.string().min(1).max(200).nullish(),
  total: money,
  currency,
  status: z.string().min(1).max(40).default('created'),
  items: z
    .array(
      z.object({
        title: z.string().min(1).max(500),
        quantity: z.number().int().positive(),
        price: money,
        image: url.nullish(),
        productId: z.string().max(200).nullish(),
      }),
    )
    .max(200)
    .default([]),
})

export const orderCreatedSchema = z.object({
  id: eventId,
  type: z.literal('order.created'),
  contact: storeContactSchema.optional(),
  order: orderSchema,
})

export const orderShippedSchema = z.object({
  id: eventId,
  type: z.literal('order.shipped'),
  contact: storeContactSchema.optional(),
  order: z.object({
    number: z.string().min(1).max(64),
    trackingNumber: z.string().min(1).max(200),
    carrier: z.string().min(1).max(100),
    trackingUrl: url.nullish(),
  }),
})

/** What the carrier reports after shipping: the order, and its tracking when the store has it. */
const deliveryOrder = z.object({
  number: z.string().min(1).max(64),
  trackingNumber: z.string().min(1).max(200).optional(),
  carrier: z.string().min(1).max(100).optional(),
  trackingUrl: url.nullish(),
})

export const orderDeliveredSchema = z.object({
  id: eventId,
  type: z.literal('order.delivered'),
  contact: storeContactSchema.optional(),
  order: deliveryOrder,
})

export const orderDeliveryProblemSchema = z.object({
  id: eventId,
  type: z.literal('order.delivery_problem'),
  contact: storeContactSchema.optional(),
  order: deliveryOrder,
})

export const storeEventSchema = z.discriminatedUnion('type', [
  cartUpdatedSchema,
  orderCreatedSchema,
  orderShippedSchema,
  orderDeliveredSchema,
  orderDeliveryProblemSchema,
])
export type StoreEvent = z.infer<typeof storeEventSchema>
export type CartUpdatedEvent = z.infer<typeof cartUpdatedSchema>
export type OrderCreatedStoreEvent = z.infer<typeof orderCreatedSchema>
export type OrderShippedStoreEvent = z.infer<typeof orderShippedSchema>
/** After shipping: shipped (with tracking), delivered, or a delivery problem. */
export type ShipmentStoreEvent =
  | OrderShippedStoreEvent
  | z.infer<typeof orderDeliveredSchema>
  | z.infer<typeof orderDeliveryProblemSchema>
