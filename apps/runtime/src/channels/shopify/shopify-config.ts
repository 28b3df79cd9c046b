// What a Shopify channel's config (channels.config, never sent to the browser) must hold.
import { z } from 'zod'

export const shopifyChannelConfig = z.object({
  /** The app's client secret: Shopify signs webhooks with it (X-Shopify-Hmac-Sha256). */
  webhookSecret: z.string().min(1),
})

export type ShopifyChannelConfig = z.infer<typeof shopifyChannelConfig>
