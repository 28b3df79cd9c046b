// The WhatsApp Cloud API ChannelAdapter: POST {graph}/{phone-number-id}/messages with the channel's token,
// the answer mapped to a SendResult (see send-result.ts for which failures are retried).
import type { Channel } from '@parley/db'
import type { RuntimeDeps } from '../../deps.ts'
import { readChannelConfig } from '../channel-secrets.ts'
import { callProvider } from '../provider-http.ts'
import type { ProviderAnswerReader } from '../send-result.ts'
import type { ChannelAdapter, OutboundPayload, SendResult } from '../types.ts'
import { whatsAppChannelConfig } from './whatsapp-config.ts'
import { whatsAppSendResult } from './whatsapp-errors.ts'
import { toWhatsAppMessage } from './whatsapp-payload.ts'

export interface WhatsAppAdapterOptions {
  /** Whole-call budget per send (default 15 s). */
  timeoutMs?: number
}

/** Reads Graph API answers: { messages: [{ id }] } on success, { error: { message, code } } on failure. */
export const whatsAppAnswers: ProviderAnswerReader = {
  messageId(json) {
    const id = (json as { messages?: { id?: unknown }[] } | undefined)?.messages?.[0]?.id
    return typeof id === 'string' && id !== '' ? id : undefined
  },
  errorText(json) {
    const error = (json as { error?: { message?: unknown; code?: unknown } } | undefined)?.error
    if (!error || typeof error !== 'object') return undefined
    const message = typeof error.message === 'string' ? error.message : 'error'
    return error.code === undefined ? message : `${message} [${String(error.code)}]`
  },
}

export function whatsAppBaseUrl(channel: Channel, deps: Pick<RuntimeDeps, 'config'>): string {
  return (channel.base_url ?? deps.config.WHATSAPP_GRAPH_URL).replace(/\/+$/, '')
}

export function createWhatsAppAdapter(
  deps: Pick<RuntimeDeps, 'config' | 'clock'>,
  options: WhatsAppAdapterOptions = {},
): ChannelAdapter {
  const timeoutMs = options.timeoutMs ?? 15_000
  return {
    kind: 'whatsapp',
    async send(channel: Channel, payload: OutboundPayload): Promise<SendResult> {
      // Opened here, for this call only.
      const config = readChannelConfig(deps, channel, whatsAppChannelConfig)
      if (!config.success) {
        const error = config.reason === 'undecryptable' ? config.error : 'WhatsApp channel is not configured'
        return { status: 'failed', error }
      }
      const url = `${whatsAppBaseUrl(channel, deps)}/${encodeURIComponent(config.data.phoneNumberId)}/messages`
      const outcome = await callProvider(
        url,
        toWhatsAppMessage(payload.to, payload.message, payload.template),
        {
          headers: { authorization: `Bearer ${config.data.accessToken}` },
          timeoutMs,
        },
      )
      // Decided by Meta's error code, not the HTTP status.
      return whatsAppSendResult(outcome, deps.clock.now())
    },
  }
}
