// What a batch of inbound messages needs to know about shoppers already known, read with one statement per
// kind of row for the whole batch instead of per message (issue 9, "Performance"): their contacts (locked, id
// order), their latest conversation on the channel, and their active runs waiting for a reply (locked, id
// order). A message from a shopper seen for the first time finds nothing here and goes the one-at-a-time way
// (`upsertContactByIdentity`, `openConversation`), which also handles two first messages racing.
import type { Contact, Conversation, Run } from '@parley/db'
import { sql } from 'kysely'
import { sendsWaitingIn } from '../policy/send-facts.ts'
import { fixedStatement } from '../sql/fixed-statement.ts'
import { anyUuid } from '../sql/sql-any.ts'
import { waitsForReply, waitsForReplySql } from './run-store.ts'
import type { Db } from './step-transaction.ts'

export interface Sender {
  merchantId: string
  channelId: string
  externalId: string
}

export interface KnownShopper {
  contact: Contact
  /** The contact's latest conversation on the channel; undefined when they have none there yet. */
  conversation: Conversation | undefined
  /** A send of that conversation waits in the outbox: replies queue behind it (policy/send-facts.ts). */
  sendsWaiting: boolean
  /** They had blocked the bot on this channel (contacts/contact-reachability.ts): writing clears it. */
  unreachable: boolean
  /** Where replies on this channel go: the contact's oldest identity there (usually the sender's own). */
  recipient: { externalId: string; unreachable: boolean }
  /** A person waits for or has one of this contact's chats (any channel): marketing is held (handoff/). */
  withStaff: boolean
}

export interface InboundFacts {
  /** Keyed by `senderKey`. */
  shoppers: Map<string, KnownShopper>
  /** Locked active runs waiting for a reply, of the known contacts, by id. */
  waitingRuns: Map<string, Run>
  /** The waiting runs' ids, most recently stepped first (the order `findActiveRunIds` gives). */
  waitingOrder: string[]
}

export function senderKey(sender: Sender): string {
  return JSON.stringify([sender.merchantId, sender.channelId, sender.externalId])
}

/** The contacts' active runs waiting for a reply, found and locked in id order. */
const waitingRunsOf = fixedStatement<[string, string[]], Run>(2, (db, merchantId, contactIds) =>
  db
    .selectFrom('runs')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('contact_id', '=', anyUuid(contactIds))
    .where(waitsForReplySql())
    .orderBy('id')
    .forUpdate(),
)

/**
 * Reads (and locks) what the batch's senders already have, per merchant in id order.
 * @example const facts = await readInboundFacts(trx, msgs.map((m) => ({ ...m, externalId: m.sender.externalId })))
 */
export async function readInboundFacts(trx: Db, senders: readonly Sender[]): Promise<InboundFacts> {
  const facts: InboundFacts = { shoppers: new Map(), waitingRuns: new Map(), waitingOrder: [] }
  const byMerchant = new Map<string, Sender[]>()
  for (const sender of senders)
    byMerchant.set(sender.merchantId, [...(byMerchant.get(sender.merchantId) ?? []), sender])
  for (const merchantId of [...byMerchant.keys()].sort()) {
    const merchantSenders = byMerchant.get(merchantId) as Sender[]
    const contacts = await lockKnownContacts(trx, merchantId, merchantSenders)
    if (contacts.length === 0) continue
    const contactIds = [...new Set(contacts.map((c) => c.contact.id))]
    const conversations = await latestConversations(trx, merchantId, contactIds)
    for (const { contact, channelId, externalId, unreachable, recipient, withStaff } of contacts) {
      const latest = conversations.get(`${contact.id}:${channelId}`)
      facts.shoppers.set(senderKey({ merchantId, channelId, externalId }), {
        contact,
        conversation: latest?.conversation,
        sendsWaiting: latest?.sendsWaiting ?? false,
        unreachable,
        recipient,
        withStaff,
      })
    }
    // One statement: found and locked in id order (Postgres re-checks the filter on the row it locks).
    const waiting = await waitingRunsOf.execute(trx, merchantId, contactIds)
    for (const run of waiting) facts.waitingRuns.set(run.id, run)
  }
  facts.waitingOrder = [...facts.waitingRuns.values()]
    .sort(
      (a, b) => b.updated_at.getTime() - a.updated_at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    )
    .map((r) => r.id)
  return facts
}

/**
 * The run waiting for this shopper's reply in this conversation, else anywhere: the most recently stepped one
 * that is still active and waiting (an earlier message of the batch may have moved it on).
 */
export function waitingRunFor(
  facts: InboundFacts,
  contactId: string,
  conversationId: string,
  current: (run: Run) => Run,
): Run | undefined {
  const candidates = facts.waitingOrder
    .map((id) => current(facts.waitingRuns.get(id) as Run))
    .filter((r) => r.contact_id === contactId && waitsForReply(r))
  return candidates.find((r) => r.conversation_id === conversationId) ?? candidates[0]
}

const knownContactsLocked = fixedStatement<
  [string, string[], string[]],
  Contact & {
    identity_channel_id: string
    identity_external_id: string
    identity_unreachable: boolean
    recipient_external_id: string
    recipient_unreachable: boolean
    with_staff: boolean
  }
>(
  3,
  (_db, merchantId, channelIds, externalIds) => sql`
    select c.*, i.channel_id as identity_channel_id, i.external_id as identity_external_id,
      i.unreachable_at is not null as identity_unreachable, o.external_id as recipient_external_id,
      o.unreachable_at is not null as recipient_unreachable,
      exists (select 1 from conversations s where s.merchant_id = c.merchant_id and s.contact_id = c.id
        and s.status in ('waiting', 'assigned')) as with_staff
    from contacts c
    join contact_identities i on i.merchant_id = c.merchant_id and i.contact_id = c.id
    cross join lateral (select o.external_id, o.unreachable_at from contact_identities o
      where o.merchant_id = c.merchant_id and o.contact_id = c.id and o.channel_id = i.channel_id
      order by o.created_at limit 1) o
    where i.merchant_id = ${merchantId}
      and (i.channel_id, i.external_id) in (
        select * from unnest(${channelIds}::uuid[], ${externalIds}::text[]))
    order by c.id
    for update of c`,
)

/** The contacts known by these identities, locked in id order (one statement). */
async function lockKnownContacts(
  trx: Db,
  merchantId: string,
  senders: readonly Sender[],
): Promise<
  {
    contact: Contact
    channelId: string
    externalId: string
    unreachable: boolean
    recipient: KnownShopper['recipient']
    withStaff: boolean
  }[]
> {
  const rows = await knownContactsLocked.execute(
    trx,
    merchantId,
    senders.map((s) => s.channelId),
    senders.map((s) => s.externalId),
  )
  return rows.map(
    ({
      identity_channel_id,
      identity_external_id,
      identity_unreachable,
      recipient_external_id,
      recipient_unreachable,
      with_staff,
      ...contact
    }) => ({
      contact: contact as Contact,
      channelId: identity_channel_id,
      externalId: identity_external_id,
      unreachable: identity_unreachable,
      recipient: { externalId: recipient_external_id, unreachable: recipient_unreachable },
      withStaff: Boolean(with_staff),
    }),
  )
}

const latestConversationsOf = fixedStatement<[string, string[]], Conversation & { sends_waiting: boolean }>(
  2,
  (_db, merchantId, contactIds) => sql`
    select c.*, ${sendsWaitingIn(sql.ref('c.merchant_id'), sql.ref('c.id'))}
    from (select distinct on (contact_id, channel_id) *
      from conversations
      where merchant_id = ${merchantId} and contact_id = ${anyUuid(contactIds)}
      order by contact_id, channel_id, created_at desc) c`,
)

/** Each contact's latest conversation per channel, keyed `contact:channel` (what `openConversation` finds). */
async function latestConversations(
  trx: Db,
  merchantId: string,
  contactIds: readonly string[],
): Promise<Map<string, { conversation: Conversation; sendsWaiting: boolean }>> {
  // With, in the same read, whether a send waits in its outbox (policy/send-facts.ts `sendsWaitingIn`).
  const rows = await latestConversationsOf.execute(trx, merchantId, [...contactIds])
  return new Map(
    rows.map(({ sends_waiting: sendsWaiting, ...c }) => [
      `${c.contact_id}:${c.channel_id}`,
      { conversation: c, sendsWaiting },
    ]),
  )
}
