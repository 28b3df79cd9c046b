// The merchant's channels (WhatsApp, Telegram, web chat, Shopify): connect, update, verify, disconnect.
// Secrets go in and never come out: an answer shows a secret as "set, ending in 1a2b".
import { z } from 'zod'
import { isoDateTime } from './common.ts'

export const channelKindSchema = z.enum(['whatsapp', 'telegram', 'webchat', 'shopify'])
export type ChannelKindName = z.infer<typeof channelKindSchema>

/** connected; needs attention (the provider refused our last check, its error in `problem`); disconnected. */
export const channelStateSchema = z.enum(['connected', 'needs_attention', 'disconnected'])
export type ChannelState = z.infer<typeof channelStateSchema>

export const secretHintSchema = z
  .object({ set: z.literal(true), last4: z.string() })
  .meta({ id: 'SecretHint' })
export type SecretHint = z.infer<typeof secretHintSchema>

export const whatsAppTemplateSchema = z
  .object({
    name: z.string(),
    language: z.string(),
    /** marketing | utility | authentication (lower case, as flows store it). */
    category: z.string(),
    /** APPROVED, PENDING, REJECTED, PAUSED, DISABLED as Meta reports it. */
    status: z.string(),
    /** The body text with its {{1}}, {{2}} placeholders, when the template has a body. */
    body: z.string().nullable(),
    /** How many body parameters the template takes. */
    parameters: z.number().int().min(0),
  })
  .meta({ id: 'WhatsAppTemplate' })
export type WhatsAppTemplate = z.infer<typeof whatsAppTemplateSchema>

/** What the owner needs to finish the set-up on the provider's side, and what the provider told us. */
export const channelSetupSchema = z
  .object({
    /** Where the provider posts webhooks (WhatsApp: Meta's callback URL; Shopify and Telegram: registered). */
    webhookUrl: z.string().optional(),
    /** WhatsApp: the verify token to paste into Meta's app dashboard next to the callback URL. */
    verifyToken: z.string().optional(),
    /** Web chat: the script tag to paste into the store's pages. */
    snippet: z.string().optional(),
    /** Telegram: the bot's @username. */
    botUsername: z.string().optional(),
    /** WhatsApp: the number shoppers see, its verified name, quality rating and throughput tier. */
    displayPhoneNumber: z.string().optional(),
    verifiedName: z.string().optional(),
    qualityRating: z.string().optional(),
    throughput: z.string().optional(),
    /** Shopify: the shop's name and myshopify domain. */
    shopName: z.string().optional(),
    /** Shopify: the webhook topics registered. */
    webhookTopics: z.array(z.string()).optional(),
    /** WhatsApp: the message templates from the last sync. */
    templates: z.array(whatsAppTemplateSchema).optional(),
    templatesSyncedAt: isoDateTime.optional(),
  })
  .meta({ id: 'ChannelSetup' })
export type ChannelSetup = z.infer<typeof channelSetupSchema>

export const channelSchema = z
  .object({
    id: z.uuid(),
    kind: channelKindSchema,
    name: z.string(),
    state: channelStateSchema,
    /** The provider's own words when the state is needs_attention. */
    problem: z.string().nullable(),
    checkedAt: isoDateTime.nullable(),
    lastInboundAt: isoDateTime.nullable(),
    lastOutboundAt: isoDateTime.nullable(),
    /** Settings as stored; secrets as { set, last4 }. */
    settings: z.record(z.string(), z.unknown()),
    setup: channelSetupSchema,
    createdAt: isoDateTime,
  })
  .meta({ id: 'Channel' })
export type ChannelSummary = z.infer<typeof channelSchema>

export const channelListSchema = z.object({ channels: z.array(channelSchema) }).meta({ id: 'ChannelList' })
export type ChannelList = z.infer<typeof channelListSchema>

const name = z.string().trim().min(1).max(80).optional()
const secret = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `Enter the ${what}`)
    .max(1024)
    .refine((value) => !/\s/.test(value), `The ${what} has no spaces`)
const digits = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{5,30}$/, `The ${what} is a number (digits only)`)

/** `https://shop.example`: a scheme and host, nothing after it. */
const origin = z
  .string()
  .trim()
  .max(300)
  .refine((value) => {
    try {
      const url = new URL(value)
      return (
        (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value.replace(/\/$/, '')
      )
    } catch {
      return false
    }
  }, 'A site is written like https://shop.example (no path)')

export const webchatSettingsSchema = z.object({
  /** Sites the widget may run on; empty: any site. */
  allowedOrigins: z.array(origin).max(50).optional(),
  brandColor: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'The brand colour is written like #2f4858')
    .optional(),
  greeting: z.string().trim().max(300).optional(),
  avatarUrl: z
    .union([
      z.literal(''),
      z.url({ protocol: /^https?$/, message: 'The avatar is a web address (https://...)' }).max(500),
    ])
    .optional(),
})

export const connectChannelRequestSchema = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('whatsapp'),
      name,
      wabaId: digits('WhatsApp Business Account id'),
      phoneNumberId: digits('phone number id'),
      accessToken: secret('access token'),
      appSecret: secret('app secret'),
    }),
    z.object({
      kind: z.literal('telegram'),
      name,
      botToken: z
        .string()
        .trim()
        .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'A bot token looks like 123456789:AAE... (from @BotFather)'),
    }),
    z.object({ kind: z.literal('webchat'), name, ...webchatSettingsSchema.shape }),
    z.object({
      kind: z.literal('shopify'),
      name,
      shopDomain: z
        .string()
        .trim()
        .toLowerCase()
        .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, 'The shop domain looks like your-store.myshopify.com'),
      accessToken: secret('Admin API access token'),
      clientSecret: secret('client secret'),
    }),
  ])
  .meta({ id: 'ConnectChannelRequest' })
export type ConnectChannelRequest = z.input<typeof connectChannelRequestSchema>

/**
 * A change to a channel: any of its kind's fields; a secret left out keeps the stored one. Provider channels are
 * checked with the provider again (and a disconnected one reconnected).
 */
export const updateChannelRequestSchema = z
  .object({
    name,
    wabaId: digits('WhatsApp Business Account id').optional(),
    phoneNumberId: digits('phone number id').optional(),
    accessToken: secret('access token').optional(),
    appSecret: secret('app secret').optional(),
    botToken: z
      .string()
      .trim()
      .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'A bot token looks like 123456789:AAE... (from @BotFather)')
      .optional(),
    clientSecret: secret('client secret').optional(),
    ...webchatSettingsSchema.shape,
  })
  .strict()
  .meta({ id: 'UpdateChannelRequest' })
export type UpdateChannelRequest = z.input<typeof updateChannelRequestSchema>

export const sendTestMessageRequestSchema = z
  .object({
    /** The number to send `hello_world` to, with its country code. */
    to: z
      .string()
      .trim()
      .transform((value) => value.replace(/[\s()-]/g, ''))
      .pipe(z.string().regex(/^\+?\d{8,15}$/, 'Type the number with its country code, e.g. +44 7700 900123')),
  })
  .meta({ id: 'SendTestMessageRequest' })
export type SendTestMessageRequest = z.input<typeof sendTestMessageRequestSchema>

export const sendTestMessageResultSchema = z
  .object({ messageId: z.string() })
  .meta({ id: 'SendTestMessageResult' })
