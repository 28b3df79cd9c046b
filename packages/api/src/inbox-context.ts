// The context panel beside a conversation: who the shopper is, their cart and orders, why the bot escalated,
// and what the bot did before a person joined.
import { z } from 'zod'
import { isoDateTime } from './common.ts'

export const inboxContextSchema = z
  .object({
    contact: z.object({
      name: z.string().nullable(),
      email: z.string().nullable(),
      phone: z.string().nullable(),
      /** IANA zone, e.g. Europe/London; null = the store's. */
      timezone: z.string().nullable(),
      optedOut: z.boolean(),
      marketingConsent: z.boolean(),
      channels: z.array(
        z.object({
          kind: z.enum(['webchat', 'whatsapp', 'telegram', 'shopify']),
          name: z.string(),
          /** The shopper blocked the bot there: sends are skipped. */
          unreachable: z.boolean(),
        }),
      ),
    }),
    cart: z
      .object({
        items: z.array(z.object({ title: z.string(), quantity: z.number(), price: z.string().nullable() })),
        total: z.string(),
        currency: z.string(),
        link: z.string().nullable(),
        status: z.string(),
        lastActivityAt: isoDateTime,
      })
      .nullable(),
    orders: z.array(
      z.object({
        number: z.string(),
        status: z.string(),
        total: z.string(),
        currency: z.string(),
        trackingNumber: z.string().nullable(),
        trackingCarrier: z.string().nullable(),
        trackingUrl: z.string().nullable(),
        createdAt: isoDateTime,
      }),
    ),
    escalation: z
      .object({
        queue: z.string().nullable(),
        summary: z.string(),
        fields: z.record(z.string(), z.string()),
        escalatedAt: isoDateTime.nullable(),
        /** The order the hand-over is about (a return case): its items and where it stands in the return window. */
        order: z
          .object({
            name: z.string(),
            items: z.array(z.object({ title: z.string(), quantity: z.number() })),
            /** Inside the store's return window when the bot checked; null when it did not check. */
            returnable: z.boolean().nullable(),
            returnBy: isoDateTime.nullable(),
            /** Whole days from delivery to the hand-over; null when no delivery was reported. */
            daysSinceDelivery: z.number().int().nullable(),
          })
          .nullable(),
        /** The shopper's photos the bot collected, as transcript media (GET /api/conversations/{id}/messages/{messageId}/media/{index}). */
        photos: z.array(z.object({ messageId: z.uuid(), index: z.number().int().min(0) })),
      })
      .nullable(),
    /** The newest flow run of this conversation. */
    bot: z
      .object({
        /** The flow, to open it read-only from the inbox (agents reach flows only this way). */
        flowId: z.uuid(),
        flowName: z.string(),
        version: z.number().int(),
        status: z.string(),
        outcome: z.string().nullable(),
        /** Steps visited, oldest first (the last 20). */
        steps: z.array(z.object({ title: z.string(), detail: z.string().nullable(), at: isoDateTime })),
        /** The bot's last messages, oldest first. */
        lastMessages: z.array(z.object({ text: z.string(), at: isoDateTime })),
      })
      .nullable(),
  })
  .meta({ id: 'InboxContext' })

export type InboxContext = z.infer<typeof inboxContextSchema>
