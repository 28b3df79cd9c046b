// The web-chat widget's API (zod first; /openapi.json is generated from them): the visitor session, the
// visitor's messages and transcript, and the socket's events. The runtime validates with them; the widget
// imports their types (type-only, so no zod in its bundle).
import { z } from 'zod'
import { isoDateTime } from './common.ts'
import { conversationStatusSchema } from './inbox.ts'

export const webchatParamsSchema = z.object({ channelId: z.uuid() })

export const visitorSessionRequestSchema = z
  .object({ token: z.string().max(2000).optional() })
  .strict()
  .meta({ id: 'VisitorSessionRequest' })
export type VisitorSessionRequest = z.input<typeof visitorSessionRequestSchema>

export const visitorSessionSchema = z
  .object({
    token: z.string(),
    visitorId: z.string(),
    expiresAt: isoDateTime,
    /** True when the token given was valid and the visitor id was kept. */
    refreshed: z.boolean(),
    channel: z.object({ id: z.uuid(), name: z.string() }),
  })
  .meta({ id: 'VisitorSession' })
export type VisitorSession = z.infer<typeof visitorSessionSchema>

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
  .meta({ id: 'VisitorMessageRequest' })
export type VisitorMessageRequest = z.input<typeof visitorMessageRequestSchema>

export const visitorMessageAcceptedSchema = z
  .object({
    accepted: z.literal(true),
    clientMessageId: z.string(),
    /** The same clientMessageId was already processed. */
    duplicate: z.boolean(),
  })
  .meta({ id: 'VisitorMessageAccepted' })

export const productCardSchema = z.object({
  title: z.string(),
  imageUrl: z.string().optional(),
  price: z.union([z.number(), z.string()]).optional(),
  currency: z.string().optional(),
  url: z.string().optional(),
})
export type ProductCard = z.infer<typeof productCardSchema>

/** A button that opens a page ("Return to cart"), shown instead of a raw URL. */
export const linkButtonSchema = z.object({ title: z.string(), url: z.string() })
export type LinkButton = z.infer<typeof linkButtonSchema>

/** Who a person on the store's side is, as the shopper sees them: a first name and, if set, a picture. */
export const staffIdentitySchema = z.object({ name: z.string(), avatarUrl: z.string().nullable() })
export type StaffIdentity = z.infer<typeof staffIdentitySchema>

/**
 * A line about the chat itself rather than a message: a person joined (`staff_joined`, "Sam from North Thread
 * joined the chat") or handed the chat back to the assistant (`staff_left`). Sent on every channel as text.
 */
export const chatNoticeSchema = z.enum(['staff_joined', 'staff_left'])
export type ChatNotice = z.infer<typeof chatNoticeSchema>

export { WEBCHAT_PHOTO_MAX_BYTES, WEBCHAT_PHOTO_TYPES, type WebchatPhotoType } from './webchat-limits.ts'

export const quickReplyButtonSchema = z.object({ id: z.string(), title: z.string() })
export type QuickReplyButton = z.infer<typeof quickReplyButtonSchema>

/** The channel-neutral body as a visitor sees it: text, an image, a product card, up to three quick replies. */
export const visitorMessageBodySchema = z.looseObject({
  text: z.string().optional(),
  imageUrl: z.string().optional(),
  product: productCardSchema.optional(),
  /** Several products at once (every item in a cart), shown side by side. */
  products: z.array(productCardSchema).optional(),
  buttons: z.array(quickReplyButtonSchema).optional(),
  /** On the shopper's own message: the quick reply they tapped. */
  buttonId: z.string().optional(),
  link: linkButtonSchema.optional(),
  notice: chatNoticeSchema.optional(),
  /** Photos the shopper sent; a web-chat one is `webchat-photo:<id>`, read back from the photos route. */
  media: z.array(z.object({ url: z.string(), mimeType: z.string() })).optional(),
})
export type VisitorMessageBody = z.infer<typeof visitorMessageBodySchema>

export const visitorMessageSchema = z
  .object({
    id: z.uuid(),
    conversationId: z.uuid(),
    direction: z.enum(['in', 'out']),
    author: z.enum(['shopper', 'bot', 'staff', 'system']),
    body: visitorMessageBodySchema,
    status: z.enum(['queued', 'sent', 'delivered', 'read', 'failed', 'skipped', 'unknown']),
    createdAt: isoDateTime,
    /** Transcript order: messages written in one step share createdAt, and seq tells their order apart. */
    seq: z.number().int(),
    /** On a staff message or a `staff_joined` notice: who it is from. */
    staff: staffIdentitySchema.optional(),
  })
  .meta({ id: 'VisitorMessage' })
export type VisitorMessage = z.infer<typeof visitorMessageSchema>

export const visitorTranscriptSchema = z
  .object({
    messages: z.array(visitorMessageSchema),
    /** bot | waiting | assigned | resolved; null before the first message. */
    conversationStatus: conversationStatusSchema.nullable(),
    /**
     * The server's time when it answered: the widget says "Today" / "Yesterday" against it rather than the
     * device's clock, which may be wrong (and in demos and tests the server runs a clock of its own).
     */
    now: isoDateTime,
  })
  .meta({ id: 'VisitorTranscript' })
export type VisitorTranscript = z.infer<typeof visitorTranscriptSchema>

/** POST /photos?clientMessageId=: the raw image is the body, its type the Content-Type. */
export const visitorPhotoQuerySchema = z.object({
  clientMessageId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'use 1-64 letters, digits, - or _'),
})
export const visitorPhotoParamsSchema = webchatParamsSchema.extend({ photoId: z.uuid() })

/** What the visitor's socket sends: `ready` once, then new or updated messages and status changes. */
export const visitorSocketEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), visitorId: z.string() }),
  z.object({ type: z.literal('message'), message: visitorMessageSchema }),
  z.object({ type: z.literal('conversation'), conversationId: z.uuid(), status: conversationStatusSchema }),
  /** A person on the store's side is typing (packages/api/src/typing.ts: show it until it expires). */
  z.object({ type: z.literal('typing'), staff: staffIdentitySchema }),
])
export type VisitorSocketEvent = z.infer<typeof visitorSocketEventSchema>
