// What a Shopify channel's config (channels.config, never sent to the browser) must hold.
import { z } from 'zod'

export const shopifyChannelConfig = z.object({
  /** The app's client secret: Shopify signs webhooks with it (X-Shopify-Hmac-Sha256). */
  webhookSecret: z.string().min(1),
})

export type ShopifyChannelConfig = z.infer<typeof shopifyChannelConfig>

/** What calling the store's Admin API needs (the catalogue sync): given when the store was connected. */
export const shopifyAdminConfig = z.object({
  shopDomain: z.string().min(1),
  accessToken: z.string().min(1),
})
