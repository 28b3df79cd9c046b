// The web-chat ChannelAdapter. The message is already in the transcript (the engine wrote it with the send);
// "sending" marks it delivered and tells the visitor's socket, wherever that socket is held. Doing that twice
// for one message id is harmless (one transcript row; the widget keys messages by id), so delivery is
// idempotent: the relay may send again after a crash, and an error here is always safe to retry. A send that may
// leave at once does not come here at all: the step writes it delivered (delivery/in-step-delivery.ts); the
// relay only has the ones queued behind an earlier send, deferred by quiet hours or held for staff.
import { sql } from 'kysely'
import type { RuntimeDeps } from '../../deps.ts'
import type { ChannelAdapter, ChannelSend, SendResult } from '../types.ts'

type WebchatDeps = Pick<RuntimeDeps, 'db' | 'clock' | 'realtime'>

export function createWebchatAdapter(deps: WebchatDeps): ChannelAdapter {
  const sendMany = async (sends: readonly ChannelSend[]): Promise<SendResult[]> => {
    try {
      return await deliver(deps, sends)
    } catch (error) {
      const retry: SendResult = {
        status: 'retry',
        error: error instanceof Error ? error.message : String(error),
      }
      return sends.map(() => retry)
    }
  }
  return {
    kind: 'webchat',
    idempotentDelivery: true,
    inStepDelivery: { providerMessageId: webchatMessageId },
    sendMany,
    async send(channel, payload) {
      const [result] = await sendMany([{ channel, payload }])
      return result!
    },
  }
}

/** The provider message id of a web-chat message: our own transcript row's id. */
function webchatMessageId(messageId: string): string {
  return `webchat:${messageId}`
}

/** Marks a batch's transcript rows delivered in one statement, then tells their sockets in one notice. */
async function deliver(deps: WebchatDeps, sends: readonly ChannelSend[]): Promise<SendResult[]> {
  if (sends.length === 0) return []
  const now = new Date(deps.clock.now())
  const delivered = await deps.db
    .updateTable('messages')
    .set((eb) => ({
      status: 'delivered',
      provider_message_id: sql<string>`${webchatMessageId('')} || id::text`,
      sent_at: eb.fn.coalesce('sent_at', eb.val(now)),
      // A second delivery of the same message (after a crash) keeps the first times.
      delivered_at: eb.fn.coalesce('delivered_at', eb.val(now)),
      updated_at: now,
    }))
    .where(({ eb, refTuple, tuple }) =>
      eb(
        refTuple('merchant_id', 'id'),
        'in',
        sends.map(({ channel, payload }) => tuple(channel.merchant_id, payload.messageId)),
      ),
    )
    .returning(['merchant_id', 'id', 'conversation_id'])
    .execute()
  const conversationOf = new Map(
    delivered.map((row) => [`${row.merchant_id}:${row.id}`, row.conversation_id]),
  )
  const events = sends.flatMap(({ channel, payload }) => {
    const conversationId = conversationOf.get(`${channel.merchant_id}:${payload.messageId}`)
    return conversationId === undefined
      ? []
      : [{ merchantId: channel.merchant_id, conversationId, kind: 'message' as const, id: payload.messageId }]
  })
  // A lost realtime notice only delays the message until the widget re-reads the transcript.
  if (events.length > 0) await deps.realtime.publishMany(events).catch(() => {})
  return sends.map(({ channel, payload }) =>
    conversationOf.has(`${channel.merchant_id}:${payload.messageId}`)
      ? { status: 'sent', providerMessageId: webchatMessageId(payload.messageId) }
      : { status: 'failed', error: `transcript message ${payload.messageId} not found` },
  )
}
