// The simulator's world (GET /api/simulation-world): the merchant's catalogue, a sample of their carts and
// orders (anonymised unless a contact is chosen), the shopper, and the send-policy settings. Variables come in
// the shapes a live run starts with, so the editor's simulator reads what production would. The editor hands
// it to packages/flow's `WorldSimulation`, whose `SimulationWorld` type this schema satisfies.
import { z } from 'zod'
import { isoDateTime } from './common.ts'

const vars = z.record(z.string(), z.unknown())

export const simulationWorldQuerySchema = z
  .object({
    /** Play the flow as this contact (their carts, orders, time zone, window); default an anonymised sample. */
    contactId: z.uuid().optional(),
  })
  .meta({ id: 'SimulationWorldQuery' })
export type SimulationWorldQuery = z.infer<typeof simulationWorldQuerySchema>

export const simulationProductSchema = z
  .object({
    id: z.string(),
    externalId: z.string().nullable(),
    title: z.string(),
    description: z.string(),
    /** Decimal string, as the store sent it. */
    price: z.string(),
    currency: z.string(),
    inStock: z.boolean(),
    attributes: vars,
    imageUrl: z.string().nullable(),
    url: z.string().nullable(),
    /** Option names in order (Colour, Size); variants' `options` are their values. */
    optionNames: z.array(z.string()),
    variants: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        options: z.array(z.string().nullable()),
        price: z.string(),
        /** Null: stock not tracked (always available). */
        inventory: z.number().int().nullable(),
      }),
    ),
  })
  .meta({ id: 'SimulationProduct' })

export const simulationCartSchema = z.object({ label: z.string(), vars }).meta({ id: 'SimulationCart' })

export const simulationOrderSchema = z
  .object({
    label: z.string(),
    number: z.string(),
    /** Whose it is: the simulated shopper's, another shopper's (a look-up never reveals it), or nobody's. */
    owner: z.enum(['contact', 'other', 'nobody']),
    createdAt: isoDateTime,
    /** What an order look-up answers with. */
    view: vars,
    /** `order.*` as an order-triggered run gets it. */
    vars,
  })
  .meta({ id: 'SimulationOrder' })

export const simulationContactSchema = z
  .object({
    label: z.string(),
    anonymised: z.boolean(),
    vars,
    timeZone: z.string(),
    marketingConsent: z.boolean(),
    optedOut: z.boolean(),
    lastInboundAt: isoDateTime.nullable(),
    marketingSentAt: z.array(isoDateTime),
  })
  .meta({ id: 'SimulationContact' })

export const simulationWorldSchema = z
  .object({
    store: z.object({
      name: z.string(),
      timeZone: z.string(),
      /** Days after delivery within which returns are accepted (`store.returnWindowDays`). */
      returnWindowDays: z.number().int().optional(),
      /** The merchant has AI answers on: the simulator still answers from the catalogue, and says so. */
      aiAnswers: z.boolean().optional(),
    }),
    policy: z.object({
      quietHours: z.object({ startMinute: z.number().int(), endMinute: z.number().int() }).nullable(),
      frequencyCap: z.object({ limit: z.number().int(), windowMinutes: z.number().int() }),
    }),
    channels: z.array(z.enum(['webchat', 'whatsapp', 'telegram', 'shopify'])),
    products: z.array(simulationProductSchema),
    carts: z.array(simulationCartSchema),
    orders: z.array(simulationOrderSchema),
    contact: simulationContactSchema,
  })
  .meta({ id: 'SimulationWorld' })
export type SimulationWorldResponse = z.infer<typeof simulationWorldSchema>
