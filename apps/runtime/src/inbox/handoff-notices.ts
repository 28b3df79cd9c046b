// What the shopper is told when a person takes over their chat and when the chat goes back to the assistant:
// "Sam from North Thread joined the chat" / "You're back with the assistant". Each is a service send on the
// conversation's own channel through the one send path (policy included: an opted-out shopper or a closed
// WhatsApp window skips it like any other send), written as a `system` message marked with its notice, so the
// widget shows it as a line about the chat and WhatsApp/Telegram as plain text.
import type { ChatNotice } from '@parley/api'
import type { Conversation } from '@parley/db'
import { sql } from 'kysely'
import { queueSend, type SendOutcome } from '../effects/send.ts'
import type { Db, StepContext } from '../engine/step-transaction.ts'
import { loadStaffIdentity } from './staff-identity.ts'

export const BACK_TO_ASSISTANT_TEXT = "You're back with the assistant"

/** "Sam from North Thread joined the chat", queued to the shopper as the take-over commits. */
export async function announceStaffJoined(
  trx: Db,
  ctx: StepContext,
  conversation: Conversation,
  userId: string,
): Promise<SendOutcome> {
  const [identity, merchant] = await Promise.all([
    loadStaffIdentity(trx, conversation.merchant_id, userId),
    trx
      .selectFrom('merchants')
      .select('name')
      .where('id', '=', conversation.merchant_id)
      .executeTakeFirstOrThrow(),
  ])
  const text = merchant.name.trim()
    ? `${identity.name} from ${merchant.name.trim()} joined the chat`
    : `${identity.name} joined the chat`
  return sendNotice(trx, ctx, conversation, 'staff_joined', text, userId)
}

/** "You're back with the assistant", queued before the resumed run speaks again. */
export async function announceBackToAssistant(
  trx: Db,
  ctx: StepContext,
  conversation: Conversation,
  userId: string,
): Promise<SendOutcome> {
  return sendNotice(trx, ctx, conversation, 'staff_left', BACK_TO_ASSISTANT_TEXT, userId)
}

async function sendNotice(
  trx: Db,
  ctx: StepContext,
  conversation: Conversation,
  notice: ChatNotice,
  text: string,
  userId: string,
): Promise<SendOutcome> {
  const outcome = await queueSend(trx, ctx, {
    merchantId: conversation.merchant_id,
    conversationId: conversation.id,
    runId: null,
    nodeId: null,
    message: { text },
    purpose: 'service',
    // Said by the handoff itself, so the takeover pause (which holds the bot) does not hold it.
    exemption: 'handoff',
    author: 'system',
  })
  // The channels send the text alone; the mark (and who) is for the transcript the widget and inbox read.
  if (outcome.messageId) {
    await trx
      .updateTable('messages')
      .set({ body: sql`body || ${JSON.stringify({ notice })}::jsonb`, author_user_id: userId })
      .where('merchant_id', '=', conversation.merchant_id)
      .where('id', '=', outcome.messageId)
      .execute()
  }
  return outcome
}
