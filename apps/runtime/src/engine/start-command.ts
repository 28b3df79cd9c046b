// A shopper opening the chat (Telegram's /start, InboundMessage.command) starts the merchant's welcome flow: a
// published flow whose message trigger has the keyword "/start" (the Welcome starter). It never falls through to
// an "any message" flow (which would take "/start" for a question and hand it to staff) nor to a run waiting for
// a reply. The deep-link payload is the run's {{trigger.startPayload}}.
import type { Contact, Conversation, Merchant } from '@parley/db'
import { messageTriggerVars } from '@parley/flow'
import type { InboundMessage } from '../channels/types.ts'
import { startTriggeredRuns } from './start-runs.ts'
import type { StepBatch } from './step-batch.ts'
import { contactVars, storeVarsOf } from './vars.ts'

export const START_KEYWORD = '/start'

export async function startWelcomeFlow(
  batch: StepBatch,
  merchant: Merchant,
  contact: Contact,
  conversation: Conversation,
  msg: InboundMessage & { command: { name: 'start' } },
): Promise<{ route: 'flow' | 'none'; runIds: string[] }> {
  const started = await startTriggeredRuns(batch, {
    merchantId: contact.merchant_id,
    trigger: 'message.received',
    contactId: contact.id,
    conversationId: conversation.id,
    // One welcome at a time per conversation: a second /start while the menu waits for a tap starts nothing.
    correlationKey: `conversation:${conversation.id}`,
    vars: {
      contact: contactVars(contact),
      store: storeVarsOf(merchant),
      trigger: messageTriggerVars(msg.text, null, { startPayload: msg.command.payload ?? null }),
    },
    text: START_KEYWORD,
    mode: 'first',
    keywordOnly: true,
  })
  if (started.length === 0) {
    batch.ctx.deps.logger.info('start command: no welcome flow started', {
      merchantId: contact.merchant_id,
      conversationId: conversation.id,
    })
    return { route: 'none', runIds: [] }
  }
  return { route: 'flow', runIds: started.map((r) => r.id) }
}
