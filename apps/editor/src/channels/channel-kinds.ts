// What the Channels screen says about each kind of channel, and the fields its form asks for, in plain words.
import type { ChannelKindName } from '@parley/api'

export interface FieldSpec {
  /** The request field it fills. */
  name: string
  label: string
  hint?: string
  /** Written once, never shown again: left empty on a change, the saved one stays. */
  secret?: boolean
  placeholder?: string
}

export interface KindSpec {
  title: string
  description: string
  fields: FieldSpec[]
}

export const KINDS: Record<ChannelKindName, KindSpec> = {
  whatsapp: {
    title: 'WhatsApp',
    description: "Reach shoppers on WhatsApp through Meta's WhatsApp Business Platform.",
    fields: [
      {
        name: 'wabaId',
        label: 'WhatsApp Business Account ID',
        hint: 'WhatsApp Manager → Account tools → Phone numbers.',
      },
      { name: 'phoneNumberId', label: 'Phone number ID', hint: 'In your Meta app: WhatsApp → API setup.' },
      {
        name: 'accessToken',
        label: 'Access token',
        secret: true,
        hint: 'A permanent token of a system user with whatsapp_business_messaging.',
      },
      { name: 'appSecret', label: 'App secret', secret: true, hint: 'Meta app → App settings → Basic.' },
    ],
  },
  telegram: {
    title: 'Telegram',
    description: 'Answer shoppers who write to your Telegram bot.',
    fields: [
      {
        name: 'botToken',
        label: 'Bot token',
        secret: true,
        placeholder: '123456789:AAE…',
        hint: 'Message @BotFather on Telegram, send /newbot (or /token for an existing bot) and paste the token here.',
      },
    ],
  },
  webchat: {
    title: 'Web chat',
    description: 'A chat button on your store: paste one line into your pages.',
    fields: [],
  },
  shopify: {
    title: 'Shopify',
    description: 'Carts, orders, shipping updates and products from your Shopify store.',
    fields: [
      { name: 'shopDomain', label: 'Shop domain', placeholder: 'your-store.myshopify.com' },
      {
        name: 'accessToken',
        label: 'Admin API access token',
        secret: true,
        hint: 'Shopify admin → Settings → Apps → Develop apps → your app → API credentials.',
      },
      {
        name: 'clientSecret',
        label: 'Client secret',
        secret: true,
        hint: "Same page, under the app's client credentials. Shopify signs its webhooks with it.",
      },
    ],
  },
}

export const KIND_ORDER: ChannelKindName[] = ['webchat', 'whatsapp', 'telegram', 'shopify']

export const STATE_WORDS = {
  connected: 'Connected',
  needs_attention: 'Needs attention',
  disconnected: 'Disconnected',
  none: 'Not connected',
} as const
