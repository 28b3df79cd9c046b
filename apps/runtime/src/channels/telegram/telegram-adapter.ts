// The Telegram Bot API ChannelAdapter: POST {base}/bot<token>/sendMessage | sendPhoto, the answer mapped to a
// SendResult like every provider's. Also answerCallbackQuery, which the webhook calls after a button tap.
import type { Channel } from '@parley/db'
import type { RuntimeDeps } from '../../deps.ts'
import { readChannelConfig } from '../channel-secrets.ts'
import { callProvider } from '../provider-http.ts'
import type { ProviderAnswerReader } from '../send-result.ts'
import type { ChannelAdapter, OutboundPayload, SendResult } from '../types.ts'
import { type TelegramChannelConfig, telegramChannelConfig } from './telegram-config.ts'
import { telegramSendResult } from './telegram-errors.ts'
import { toTelegramCall } from './telegram-payload.ts'

/** Reads Bot API answers: { ok: true, result: { message_id, chat } } or { ok: false, error_code, description }. */
export const telegramAnswers: ProviderAnswerReader = {
  messageId(json) {
    const answer = json as
      | { ok?: unknown; result?: { message_id?: unknown; chat?: { id?: unknown } } }
      | undefined
    const messageId = answer?.result?.message_id
    if (answer?.ok !== true || (typeof messageId !== 'number' && typeof messageId !== 'string'))
      return undefined
    // message_id is only unique per chat.
    const chatId = answer.result?.chat?.id
    return chatId === undefined ? String(messageId) : `${String(chatId)}:${String(messageId)}`
  },
  errorText(json) {
    const answer = json as { ok?: unknown; description?: unknown; error_code?: unknown } | undefined
    if (answer?.ok !== false) return undefined
    return `${typeof answer.description === 'string' ? answer.description : 'error'} [${String(answer.error_code)}]`
  },
  retryAfterMs(json) {
    const seconds = (json as { parameters?: { retry_after?: unknown } } | undefined)?.parameters?.retry_after
    return typeof seconds === 'number' ? seconds * 1000 : undefined
  },
}

export function telegramMethodUrl(
  channel: Channel,
  deps: Pick<RuntimeDeps, 'config'>,
  config: TelegramChannelConfig,
  method: string,
): string {
  const base = (channel.base_url ?? deps.config.TELEGRAM_API_URL).replace(/\/+$/, '')
  return `${base}/bot${config.botToken}/${method}`
}

export interface TelegramAdapter extends ChannelAdapter {
  /** Stops the tapped button's spinner. Best effort: false when Telegram did not confirm. */
  answerCallbackQuery(channel: Channel, callbackQueryId: string): Promise<boolean>
}

export function createTelegramAdapter(
  deps: Pick<RuntimeDeps, 'config' | 'clock'>,
  options: { timeoutMs?: number } = {},
): TelegramAdapter {
  const timeoutMs = options.timeoutMs ?? 15_000
  return {
    kind: 'telegram',
    async send(channel: Channel, payload: OutboundPayload): Promise<SendResult> {
      const config = readChannelConfig(deps, channel, telegramChannelConfig)
      if (!config.success) {
        const error = config.reason === 'undecryptable' ? config.error : 'Telegram channel is not configured'
        return { status: 'failed', error }
      }
      const call = toTelegramCall(payload.to, payload.message)
      const outcome = await callProvider(
        telegramMethodUrl(channel, deps, config.data, call.method),
        call.body,
        {
          timeoutMs,
        },
      )
      return telegramSendResult(outcome, deps.clock.now())
    },
    async answerCallbackQuery(channel: Channel, callbackQueryId: string): Promise<boolean> {
      const config = readChannelConfig(deps, channel, telegramChannelConfig)
      if (!config.success) return false
      const outcome = await callProvider(
        telegramMethodUrl(channel, deps, config.data, 'answerCallbackQuery'),
        { callback_query_id: callbackQueryId },
        { timeoutMs },
      )
      return (
        outcome.kind === 'response' && (outcome.response.json as { ok?: unknown } | undefined)?.ok === true
      )
    },
  }
}
