// The web-chat widget's API shapes (zod first; /openapi.json is generated from them). Candidates for
// packages/api, so the widget can share them without importing the runtime.
import { z } from 'zod'

export const webchatParamsSchema = z.object({ channelId: z.uuid() })

export const sessionRequestSchema = z.object({ token: z.string().max(2000).optional() }).strict()

export const sessionResponseSchema = z.object({
  token: z.string(),
  visitorId: z.string(),
  expiresAt: z.iso.datetime({ offset: true }),
  /** True when the token given was valid and the visitor id was kept. */
  refreshed: z.boolean(),
  channel: z.object({ id: z.uuid(), name: z.string() }),
})

export const visitorMessageRequestSchema = z
  .object({
    /** The widget's id for this message; a retried POST with the same id is processed once. */
    clientMessageId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'use 1-64 letters, digits, - or _'),
    text: z.string().max(4096).default(''),
    /** The id of the quick-reply button tapped (its title goes in `text`). */
    buttonId: z.string().min(1).max(64).optional(),
  })
  .strict()
  .refine((body) => body.text.trim() !== '' || body.buttonId !== undefined, {
    message: 'Send text or a button id',
    path: ['text'],
  })

export const visitorMessageAcceptedSchema = z.object({
  accepted: z.literal(true),
  clientMessageId: z.string(),
  /** The same clientMessageId was already processed. */
  duplicate: z.boolean(),
})

export const visitorMessageSchema = z.object({
  id: z.uuid(),
  conversationId: z.uuid(),
  direction: z.enum(['in', 'out']),
  author: z.enum(['shopper', 'bot', 'staff', 'system']),
  /** Channel-neutral: text, imageUrl, product { title, imageUrl, price, currency, url }, buttons [{ id, title }]. */
  body: z.record(z.string(), z.unknown()),
  status: z.enum(['queued', 'sent', 'delivered', 'read', 'failed', 'skipped', 'unknown']),
  createdAt: z.iso.datetime({ offset: true }),
})

export const visitorTranscriptSchema = z.object({
  messages: z.array(visitorMessageSchema),
  /** bot | waiting | assigned | resolved; null before the first message. */
  conversationStatus: z.enum(['bot', 'waiting', 'assigned', 'resolved']).nullable(),
})
