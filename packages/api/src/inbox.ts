// The staff inbox's request and response shapes (zod first; /openapi.json is generated from them).
import { z } from 'zod'
import { isoDateTime } from './common.ts'

export const conversationStatusSchema = z.enum(['bot', 'waiting', 'assigned', 'resolved'])

export const inboxListQuerySchema = z.object({
  /** `open` = waiting, assigned and bot; `all` includes resolved. */
  status: z.enum(['open', 'all', 'bot', 'waiting', 'assigned', 'resolved']).default('open'),
  /** `me`: only conversations assigned to the caller. */
  assigned: z.enum(['me', 'anyone']).default('anyone'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /**
   * The inbox's views (they replace status/assigned when given): `waiting` for a person, oldest escalation
   * first; `mine` assigned to the caller; `open` everything not resolved; `resolved`. Newest activity first
   * except `waiting`.
   */
  view: z.enum(['waiting', 'mine', 'open', 'resolved']).optional(),
  /** Only conversations escalated to this queue. */
  queue: z.string().trim().min(1).max(100).optional(),
  channelId: z.uuid().optional(),
  /** Shopper name, phone, email, order number or words of a message. */
  q: z.string().trim().max(200).optional(),
  /** The `nextCursor` of the previous page. */
  cursor: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional(),
})

export const inboxMessageSchema = z
  .object({
    id: z.uuid(),
    direction: z.enum(['in', 'out']),
    author: z.enum(['shopper', 'bot', 'staff', 'system']),
    authorUserId: z.uuid().nullable(),
    /** The channel-neutral body: text, imageUrl, product, buttons, media, template, escalation. */
    body: z.record(z.string(), z.unknown()),
    status: z.enum(['queued', 'sent', 'delivered', 'read', 'failed', 'skipped', 'unknown']),
    skipReason: z.string().nullable(),
    error: z.string().nullable(),
    templateName: z.string().nullable(),
    cost: z.string().nullable(),
    costCurrency: z.string().nullable(),
    createdAt: isoDateTime,
    sentAt: isoDateTime.nullable(),
    deliveredAt: isoDateTime.nullable(),
    readAt: isoDateTime.nullable(),
  })
  .meta({ id: 'InboxMessage' })

export const inboxConversationSchema = z
  .object({
    id: z.uuid(),
    status: conversationStatusSchema,
    queue: z.string().nullable(),
    assignedUserId: z.uuid().nullable(),
    assignedUserName: z.string().nullable(),
    /** What the bot collected when it escalated: a summary and the fields. */
    escalation: z.object({ summary: z.string(), fields: z.record(z.string(), z.string()) }).nullable(),
    escalatedAt: isoDateTime.nullable(),
    lastMessageAt: isoDateTime.nullable(),
    lastInboundAt: isoDateTime.nullable(),
    createdAt: isoDateTime,
    channel: z.object({
      id: z.uuid(),
      kind: z.enum(['webchat', 'whatsapp', 'telegram', 'shopify']),
      name: z.string(),
    }),
    contact: z.object({
      id: z.uuid(),
      name: z.string().nullable(),
      email: z.string().nullable(),
      phone: z.string().nullable(),
    }),
    lastMessage: z
      .object({
        id: z.uuid(),
        direction: z.enum(['in', 'out']),
        author: z.enum(['shopper', 'bot', 'staff', 'system']),
        text: z.string(),
        createdAt: isoDateTime,
      })
      .nullable(),
  })
  .meta({ id: 'InboxConversation' })

export const inboxListItemSchema = inboxConversationSchema
  .extend({
    /** The shopper's messages the caller has not read yet. */
    unread: z.number().int().min(0),
  })
  .meta({ id: 'InboxListItem' })

export const inboxListSchema = z
  .object({
    conversations: z.array(inboxListItemSchema),
    /** Pass as `cursor` for the next page; null on the last page. */
    nextCursor: z.string().nullable(),
    /** Whole-inbox counts (ignoring filters and search): the tab title and the view tabs show them. */
    counts: z.object({ waiting: z.number().int(), mine: z.number().int() }),
  })
  .meta({ id: 'InboxList' })
export const inboxDetailSchema = z
  .object({
    conversation: inboxConversationSchema,
    messages: z.array(inboxMessageSchema),
  })
  .meta({ id: 'InboxDetail' })

export const takeOverRequestSchema = z
  .object({
    /** Take it from another staff member who has it. */
    force: z.boolean().default(false),
  })
  .meta({ id: 'TakeOverRequest' })

/** An approved WhatsApp template a staff reply goes out as (outside the 24-hour window it is the only way). */
export const staffReplyTemplateSchema = z
  .object({
    name: z.string().trim().min(1, 'Choose a template').max(512),
    language: z.string().trim().min(1, 'Choose the template’s language').max(16),
    /** The body's {{1}}, {{2}}, ... in order. */
    parameters: z.array(z.string().max(1024)).max(20).default([]),
  })
  .meta({ id: 'StaffReplyTemplate' })

export const staffReplyRequestSchema = z
  .object({
    text: z.string().trim().min(1).max(4096),
    /** WhatsApp only: send as this approved template (its cost is returned and recorded). */
    template: staffReplyTemplateSchema.optional(),
    /** Makes a retried submit (double click, flaky network) send once. */
    clientMessageId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .optional(),
  })
  .meta({ id: 'StaffReplyRequest' })

export const staffReplyResultSchema = z
  .object({
    duplicate: z.boolean(),
    /** queued: on its way; skipped: policy refused it (e.g. outside the WhatsApp 24-hour window). */
    status: z.enum(['queued', 'skipped']).nullable(),
    skipReason: z.string().nullable(),
    message: inboxMessageSchema.nullable(),
    /** What the provider charges for it (a template outside the window); null = free. */
    cost: z.object({ amount: z.string(), currency: z.string() }).nullable().optional(),
  })
  .meta({ id: 'StaffReplyResult' })

export const handBackRequestSchema = z
  .object({ note: z.string().max(1000).optional() })
  .meta({ id: 'HandBackRequest' })

export const conversationActionResultSchema = z
  .object({
    conversation: inboxConversationSchema,
    /** Runs the hand-back or resolve stepped. */
    runIds: z.array(z.uuid()),
  })
  .meta({ id: 'ConversationActionResult' })

export type InboxConversation = z.infer<typeof inboxConversationSchema>
export type InboxMessage = z.infer<typeof inboxMessageSchema>
export type InboxListQuery = z.infer<typeof inboxListQuerySchema>
export type StaffReplyRequest = z.input<typeof staffReplyRequestSchema>
export type InboxListItem = z.infer<typeof inboxListItemSchema>
export type InboxList = z.infer<typeof inboxListSchema>
export type InboxView = NonNullable<InboxListQuery['view']>
