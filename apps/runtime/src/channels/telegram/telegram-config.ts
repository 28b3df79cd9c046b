// What a Telegram channel's config (channels.config, never sent to the browser) must hold.
import { z } from 'zod'

export const telegramChannelConfig = z.object({
  /** From @BotFather: `123456:ABC-DEF...`. */
  botToken: z.string().min(1),
  /** Given to setWebhook as secret_token; Telegram echoes it in X-Telegram-Bot-Api-Secret-Token. */
  webhookSecret: z.string().min(1),
})

export type TelegramChannelConfig = z.infer<typeof telegramChannelConfig>
