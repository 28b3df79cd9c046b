// The `escalate` effect: the conversation goes to a staff queue ('waiting') with the bot's summary, shown in
// the inbox as a system note in the transcript. The run waits for staff to hand back.
import type { JsonObject, NewMessage } from '@parley/db'
import type { EscalateEffect } from '@parley/flow'
import type { ConversationTouch } from '../engine/step-writes.ts'
import { timeOrderedId } from '../sql/time-ordered-id.ts'

/** The conversation's hand-over to the queue and the note for staff (never sent to the shopper). */
export function escalationRows(
  run: { merchant_id: string; id: string; contact_id: string },
  conversationId: string,
  effect: EscalateEffect,
  now: number,
): { touch: ConversationTouch; note: NewMessage & { id: string } } {
  const at = new Date(now)
  return {
    touch: {
      merchant_id: run.merchant_id,
      id: conversationId,
      last_inbound_at: null,
      last_message_at: at,
      updated_at: at,
      reopen: false,
      escalation: {
        queue: effect.queue,
        details: {
          summary: effect.summary,
          fields: effect.fields,
          runId: run.id,
          nodeId: effect.nodeId,
          // The case staff see in the inbox (a return's order and photos), when the run had them.
          ...(effect.order ? { order: { ...effect.order } as JsonObject } : {}),
          ...(effect.photos ? { photos: effect.photos } : {}),
        },
      },
    },
    note: {
      merchant_id: run.merchant_id,
      id: timeOrderedId(),
      conversation_id: conversationId,
      contact_id: run.contact_id,
      direction: 'out',
      // A note for staff, never sent to the shopper (no outbox row).
      author: 'system',
      body: {
        text: `Handed to ${effect.queue}${effect.summary ? `\n${effect.summary}` : ''}`,
        escalation: { queue: effect.queue, summary: effect.summary, fields: effect.fields },
      },
      status: 'sent',
      run_id: run.id,
      node_id: effect.nodeId,
      created_at: at,
      updated_at: at,
    },
  }
}
