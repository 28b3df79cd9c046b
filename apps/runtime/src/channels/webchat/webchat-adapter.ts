// The web-chat ChannelAdapter. The message is already in the transcript (the engine wrote it with the send);
// "sending" marks it delivered and tells the visitor's socket, wherever that socket is held. Doing that twice
// for one message id is harmless (one transcript row; the widget keys messages by id), so delivery is
// idempotent: the relay may send again after a crash, and an error here is always safe to retry.
import type { Channel } from '@parley/db'
import type { RuntimeDeps } from '../../deps.ts'
import type { ChannelAdapter, OutboundPayload, SendResult } from '../types.ts'

export function createWebchatAdapter(deps: Pick<RuntimeDeps, 'db' | 'clock' | 'realtime'>): ChannelAdapter {
  return {
    kind: 'webchat',
    idempotentDelivery: true,
    async send(channel: Channel, payload: OutboundPayload): Promise<SendResult> {
      try {
        return await deliver(deps, channel, payload)
      } catch (error) {
        return { status: 'retry', error: error instanceof Error ? error.message : String(error) }
      }
    },
  }
}

async function deliver(
  deps: Pick<RuntimeDeps, 'db' | 'clock' | 'realtime'>,
  channel: Channel,
  payload: OutboundPayload,
): Promise<SendResult> {
  const now = new Date(deps.clock.now())
  const row = await deps.db
    .updateTable('messages')
    .set((eb) => ({
      status: 'delivered',
      provider_message_id: `webchat:${payload.messageId}`,
      sent_at: eb.fn.coalesce('sent_at', eb.val(now)),
      // A second delivery of the same message (after a crash) keeps the first times.
      delivered_at: eb.fn.coalesce('delivered_at', eb.val(now)),
      updated_at: now,
    }))
    .where('merchant_id', '=', channel.merchant_id)
    .where('id', '=', payload.messageId)
    .returning(['conversation_id'])
    .executeTakeFirst()
  if (!row) return { status: 'failed', error: `transcript message ${payload.messageId} not found` }
  // A lost realtime notice only delays the message until the widget re-reads the transcript.
  await deps.realtime
    .publish({
      merchantId: channel.merchant_id,
      conversationId: row.conversation_id,
      kind: 'message',
      id: payload.messageId,
    })
    .catch(() => {})
  return { status: 'sent', providerMessageId: `webchat:${payload.messageId}` }
}
