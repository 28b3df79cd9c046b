// The common case of inbound chat, many messages at a time: a known shopper answers the run waiting for their
// reply in this conversation, and that run's step only sends. For a batch of such messages the receipts,
// contacts, conversations and runs are read and locked with one statement each, the runs are stepped in memory
// and every write (runs, timers, node visits, transcript, outbox, conversations) is one multi-row statement
// (`StepWrites`). Everything else — new shoppers, keywords, staff takeover, triggers, a step with other effects,
// a template send that needs the budget lock — is left to the one-message path in the same transaction.
import { randomUUID } from 'node:crypto'
import type { Contact, Conversation, Run } from '@parley/db'
import { type FlowEventInput, type PersistedFlowSnapshot, type StepResult, step } from '@parley/flow'
import type { InboundMessage } from '../channels/types.ts'
import { countMarketingSendsByContact } from '../policy/frequency-cap.ts'
import { isOptInMessage, isOptOutMessage } from '../policy/keywords.ts'
import { pickTimeZone } from '../policy/local-time.ts'
import { readChannel, readMerchant, type SendTarget } from '../policy/send-facts.ts'
import { commitSends, type PlannedSend, planSends } from './batch-sends.ts'
import { profileUpdate } from './contacts.ts'
import { type LoadedFlowVersion, loadFlowVersion } from './flow-versions.ts'
import { anyUuid } from './sql-any.ts'
import { countStep, type Db, type StepContext } from './step-transaction.ts'
import { StepWrites } from './step-writes.ts'

/** What the fast path decided for a message it took. */
export interface FastInboundResult {
  contactId: string
  conversationId: string
  messageId: string
  runId: string
}

interface Candidate {
  index: number
  msg: InboundMessage
  contact: Contact
  conversation: Conversation
  run: Run
}

/**
 * Steps the waiting runs of the messages it can take and writes everything; returns results by message index.
 * The messages not in the map are for the one-message path. All messages are fresh (receipts claimed) and of
 * one merchant; no two share a sender.
 */
export async function stepWaitingRunsInBatch(
  trx: Db,
  ctx: StepContext,
  merchantId: string,
  msgs: { index: number; msg: InboundMessage }[],
): Promise<Map<number, FastInboundResult>> {
  const done = new Map<number, FastInboundResult>()
  if (msgs.length === 0) return done
  const merchant = await readMerchant(trx, merchantId)
  const keywordFree = msgs.filter(
    ({ msg }) =>
      !isOptOutMessage(msg.text, merchant.opt_out_keywords) &&
      !isOptInMessage(msg.text, merchant.opt_in_keywords),
  )
  if (keywordFree.length === 0) return done

  // The known shoppers, locked in id order (steps for one shopper are serialised from here on).
  const contacts = await trx
    .selectFrom('contact_identities as ci')
    .innerJoin('contacts as c', (join) =>
      join.onRef('c.merchant_id', '=', 'ci.merchant_id').onRef('c.id', '=', 'ci.contact_id'),
    )
    .selectAll('c')
    .select(['ci.channel_id as identity_channel_id', 'ci.external_id as identity_external_id'])
    .where('ci.merchant_id', '=', merchantId)
    .where((eb) =>
      eb(
        eb.refTuple('ci.channel_id', 'ci.external_id'),
        'in',
        keywordFree.map(({ msg }) => eb.tuple(msg.channelId, msg.sender.externalId)),
      ),
    )
    .orderBy('c.id')
    .forUpdate(['c'])
    .execute()
  const contactBySender = new Map<string, Contact>()
  const senders = new Map<string, number>()
  for (const { identity_channel_id, identity_external_id, ...contact } of contacts) {
    contactBySender.set(`${identity_channel_id}:${identity_external_id}`, contact)
    senders.set(contact.id, (senders.get(contact.id) ?? 0) + 1)
  }
  const known = keywordFree.flatMap(({ index, msg }) => {
    const contact = contactBySender.get(`${msg.channelId}:${msg.sender.externalId}`)
    // One message per contact (a shopper writing on two channels at once takes the one-message path).
    if (!contact || senders.get(contact.id) !== 1) return []
    if (Object.keys(profileUpdate(contact, profileOf(msg), ctx.now)).length > 0) return []
    return [{ index, msg, contact }]
  })
  if (known.length === 0) return done

  // Their latest conversation on each channel (what `openConversation` finds).
  const conversations = await trx
    .selectFrom('conversations')
    .selectAll()
    .distinctOn(['contact_id', 'channel_id'])
    .where('merchant_id', '=', merchantId)
    .where((eb) =>
      eb(
        eb.refTuple('contact_id', 'channel_id'),
        'in',
        known.map(({ msg, contact }) => eb.tuple(contact.id, msg.channelId)),
      ),
    )
    .orderBy('contact_id')
    .orderBy('channel_id')
    .orderBy('created_at', 'desc')
    .execute()
  const conversationOf = new Map(conversations.map((c) => [`${c.contact_id}:${c.channel_id}`, c]))
  const botConversations = known.flatMap((k) => {
    const conversation = conversationOf.get(`${k.contact.id}:${k.msg.channelId}`)
    if (!conversation || conversation.status === 'assigned' || conversation.status === 'waiting') return []
    return [{ ...k, conversation }]
  })
  if (botConversations.length === 0) return done

  // The run waiting for a reply in each conversation (the most recently active), locked in id order.
  const runs = await trx
    .selectFrom('runs')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('runs as w')
        .select('w.id')
        .distinctOn('w.conversation_id')
        .where('w.merchant_id', '=', merchantId)
        .where('w.conversation_id', '=', anyUuid(botConversations.map((b) => b.conversation.id)))
        .where('w.status', '=', 'active')
        .where('w.waiting_for', '=', 'reply')
        .orderBy('w.conversation_id')
        .orderBy('w.updated_at', 'desc')
        .orderBy('w.id'),
    )
    .orderBy('id')
    .forUpdate()
    .execute()
  // Re-checked after the lock: a step elsewhere may have moved the run on while we waited.
  const runOf = new Map(
    runs
      .filter((r) => r.status === 'active' && r.waiting_for === 'reply')
      .map((r) => [r.conversation_id as string, r]),
  )
  const candidates: Candidate[] = botConversations.flatMap((b) => {
    const run = runOf.get(b.conversation.id)
    return run ? [{ ...b, run }] : []
  })
  if (candidates.length === 0) return done

  const { plans: planned, sentInWindow } = await planSteps(trx, ctx, merchantId, candidates)
  const writes = new StepWrites()
  const now = new Date(ctx.now)
  for (const plan of planned) {
    const { candidate: c } = plan
    const messageId = randomUUID()
    writes.addMessage({
      merchant_id: merchantId,
      id: messageId,
      conversation_id: c.conversation.id,
      contact_id: c.contact.id,
      direction: 'in',
      author: 'shopper',
      body: JSON.parse(
        JSON.stringify({ text: c.msg.text, buttonId: c.msg.buttonId, media: c.msg.media }),
      ) as Record<string, never>,
      status: 'delivered',
      provider_message_id: c.msg.externalId,
      created_at: now,
      updated_at: now,
    })
    ctx.notifications.push({
      merchantId,
      conversationId: c.conversation.id,
      kind: 'message',
      id: messageId,
    })
    writes.saveRunStep(c.run, plan.version, plan.result, ctx.now)
    countStep(ctx, 'event')
    commitSends(ctx, writes, plan.sends, sentInWindow)
    writes.touchConversation({
      merchant_id: merchantId,
      id: c.conversation.id,
      last_inbound_at: now,
      last_message_at: now,
      updated_at: now,
      reopen: c.conversation.status === 'resolved',
    })
    done.set(c.index, {
      contactId: c.contact.id,
      conversationId: c.conversation.id,
      messageId,
      runId: c.run.id,
    })
  }
  await writes.flush(trx)
  return done
}

interface StepPlan {
  candidate: Candidate
  version: LoadedFlowVersion
  result: StepResult
  sends: PlannedSend[]
}

/**
 * Steps each candidate's run in memory and decides its sends; drops the candidates whose step does anything
 * but send (escalate, lookups, requests) or needs a template budget: those take the one-message path.
 */
async function planSteps(
  trx: Db,
  ctx: StepContext,
  merchantId: string,
  candidates: Candidate[],
): Promise<{ plans: StepPlan[]; sentInWindow: Map<string, number> }> {
  const stepped = []
  for (const candidate of candidates) {
    const version = await loadFlowVersion(trx, merchantId, candidate.run.flow_version_id)
    const event: FlowEventInput = {
      type: 'message.received',
      text: candidate.msg.text,
      ...(candidate.msg.buttonId ? { buttonId: candidate.msg.buttonId } : {}),
      ...(candidate.msg.media ? { media: candidate.msg.media } : {}),
    }
    const result = step(version.machine, candidate.run.snapshot as PersistedFlowSnapshot, event, {
      now: ctx.now,
    })
    if (result.effects.every((e) => e.type === 'send')) stepped.push({ candidate, version, result })
  }
  const merchant = await readMerchant(trx, merchantId)
  const marketingContacts = stepped
    .filter((s) => s.result.effects.some((e) => e.type === 'send' && e.purpose === 'marketing'))
    .map((s) => s.candidate.contact.id)
  const sentInWindow = await countMarketingSendsByContact(
    trx,
    merchantId,
    marketingContacts,
    ctx.now - merchant.frequency_cap_window_minutes * 60_000,
  )

  const plans: StepPlan[] = []
  for (const { candidate, version, result } of stepped) {
    const { msg, contact, conversation, run } = candidate
    // The conversation as the step's sends see it: the shopper just wrote, so the window is open.
    const target: SendTarget = {
      merchant,
      conversation: {
        ...conversation,
        last_inbound_at: new Date(ctx.now),
        status: conversation.status === 'resolved' ? 'bot' : conversation.status,
      },
      contact,
      channel: await readChannel(trx, merchantId, msg.channelId),
      recipient: msg.sender.externalId,
      timeZone: pickTimeZone(contact.timezone, merchant.timezone),
    }
    const sends = planSends(run, result.effects, target, sentInWindow, ctx.now)
    if (sends) plans.push({ candidate, version, result, sends })
  }
  return { plans, sentInWindow }
}

function profileOf(msg: InboundMessage) {
  return {
    name: msg.sender.name,
    phone: msg.sender.phone,
    locale: msg.sender.locale,
    timezone: msg.sender.timezone,
  }
}
