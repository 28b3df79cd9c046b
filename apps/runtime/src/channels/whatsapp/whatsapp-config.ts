// What a WhatsApp channel's config (channels.config, never sent to the browser) must hold.
import { z } from 'zod'

export const whatsAppChannelConfig = z.object({
  /** The Cloud API phone number id messages are sent from. */
  phoneNumberId: z.string().min(1),
  /** A system-user access token with whatsapp_business_messaging. */
  accessToken: z.string().min(1),
  /** The Meta app secret: signs webhooks (X-Hub-Signature-256). */
  appSecret: z.string().min(1),
  /** Chosen by the merchant when subscribing the webhook; echoed in the GET handshake. */
  verifyToken: z.string().min(1),
})

export type WhatsAppChannelConfig = z.infer<typeof whatsAppChannelConfig>
