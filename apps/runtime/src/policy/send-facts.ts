// Reads what the send policy decides on: the conversation (status, WhatsApp window), its channel, the contact
// (opt-out, consent, time zone), the merchant's rules and the contact's recent marketing sends.
import type { Channel, Contact, Conversation, ConversationStatus, Database, Merchant } from '@parley/db'
import type { SendPurpose } from '@parley/flow'
import { type Expression, type Kysely, sql } from 'kysely'
import { fixedStatement } from '../sql/fixed-statement.ts'
import { anyUuid, anyUuidProbed, keyedStatement } from '../sql/sql-any.ts'
import { countMarketingSendsSince } from './frequency-cap.ts'
import { pickTimeZone } from './local-time.ts'
import type { SendExemption, SendFacts } from './send-policy.ts'

export interface SendTarget {
  merchant: Merchant
  conversation: Conversation
  contact: Contact
  channel: Channel
  /** The shopper's id on the channel (visitor id, wa_id, chat id); null when they have none there. */
  recipient: string | null
  /** The shopper blocked the bot on this channel (contact_identities.unreachable_at). */
  unreachable: boolean
  /** One of the contact's conversations (any channel) waits for or is owned by staff: marketing is held. */
  contactWithStaff: boolean
  timeZone: string
  /**
   * An earlier send of this conversation waits in the outbox (pending, sending or held), as read with the
   * conversation: a send that could be delivered in the step queues behind it instead, so order is kept. Read
   * without the conversation's lock, so only a first look: the step re-checks under the lock (`sendsWaitingIn`).
   */
  sendsWaiting: boolean
}

/**
 * Merchant and channel rows per transaction: no step changes them, and a batch (timer poller, outbox relay) sends
 * for many conversations of few merchants. Only inside a transaction, so nothing outlives it.
 */
const rowsPerTransaction = new WeakMap<Kysely<Database>, Map<string, Promise<unknown>>>()

function transactionRows(db: Kysely<Database>): Map<string, Promise<unknown>> {
  let rows = rowsPerTransaction.get(db)
  if (!rows) {
    rows = new Map()
    rowsPerTransaction.set(db, rows)
  }
  return rows
}

function readOncePerTransaction<T>(db: Kysely<Database>, key: string, read: () => Promise<T>): Promise<T> {
  if (!db.isTransaction) return read()
  const rows = transactionRows(db)
  const cached = rows.get(key) as Promise<T> | undefined
  if (cached) return cached
  const row = read()
  rows.set(key, row)
  row.catch(() => rows.delete(key))
  return row
}

/**
 * A row another read of this transaction brought along: later reads of it in the transaction cost no statement.
 * Returns the row every reader of the transaction gets: the first one read, which may be an earlier one.
 */
function primeOncePerTransaction<T>(db: Kysely<Database>, key: string, row: T): Promise<T> {
  if (!db.isTransaction) return Promise.resolve(row)
  const rows = transactionRows(db)
  if (!rows.has(key)) rows.set(key, Promise.resolve(row))
  return rows.get(key) as Promise<T>
}

const merchantById = fixedStatement<[string], Merchant>(1, (db, id) =>
  db.selectFrom('merchants').selectAll().where('id', '=', id),
)

/** The merchant row, read once per transaction; throws when there is none. */
export function readMerchant(db: Kysely<Database>, merchantId: string): Promise<Merchant> {
  return readOncePerTransaction(db, `merchant:${merchantId}`, () =>
    merchantById.executeTakeFirstOrThrow(db, merchantId),
  )
}

const channelById = fixedStatement<[string, string], Channel>(2, (db, merchantId, id) =>
  db.selectFrom('channels').selectAll().where('merchant_id', '=', merchantId).where('id', '=', id),
)

/** The merchant's channel row, read once per transaction; throws when there is none. */
export function readChannel(db: Kysely<Database>, merchantId: string, channelId: string): Promise<Channel> {
  return readOncePerTransaction(db, `channel:${merchantId}:${channelId}`, () =>
    channelById.executeTakeFirstOrThrow(db, merchantId, channelId),
  )
}

/**
 * Every column of a channel row, named so that `readChannelsWithMerchants` can carry them beside the merchant's
 * (`m.*`) in one row without their names (id, name, timestamps) colliding. Typed complete: a column added to
 * the table's type fails typecheck until it is named here.
 */
const channelColumns = {
  merchant_id: true,
  id: true,
  kind: true,
  name: true,
  config: true,
  base_url: true,
  enabled: true,
  provider_error: true,
  checked_at: true,
  disconnected_at: true,
  disconnected_reason: true,
  created_at: true,
  updated_at: true,
} as const satisfies { [K in keyof Channel]: true }

/** The channel's columns as `readChannelsWithMerchants` selects them, each prefixed `channel.`. */
const channelSelection = sql.join(
  Object.keys(channelColumns).map(
    (column) => sql`${sql.ref(`ch.${column}`)} as ${sql.id(`channel.${column}`)}`,
  ),
)
const CHANNEL_PREFIX = 'channel.'

/**
 * The select list of a channel (`ch`) with its merchant's row (`m`), as `takeChannelsWithMerchants` reads it: for a
 * statement that reads them beside something else (the inbound batch's receipts claim, engine/inbound.ts).
 */
export const channelWithMerchantSelection = sql`m.*, ${channelSelection}`

const channelsWithMerchantsOf = keyedStatement<Record<string, unknown>>(
  'ch',
  (
    where,
  ) => sql`select ${channelWithMerchantSelection} from channels ch join merchants m on m.id = ch.merchant_id
    where ${where}`,
)

/** The key `readChannelsWithMerchants` answers by. */
export function channelKey(merchantId: string, channelId: string): string {
  return `${merchantId}:${channelId}`
}

/**
 * Each (merchant, channel) with its merchant's row in one statement, keyed `channelKey`; a merchant with no such
 * channel is missing. What `readChannel` and `readMerchant` would read, and it fills their per-transaction rows,
 * so neither reads again in the transaction (issue 9: a batch's channel check and its merchant are one read).
 * Pairs whose rows the transaction has already cost no statement.
 * @example const open = await readChannelsWithMerchants(trx, [{ merchantId, channelId }])
 */
export async function readChannelsWithMerchants(
  db: Kysely<Database>,
  pairs: readonly { merchantId: string; channelId: string }[],
): Promise<Map<string, { merchant: Merchant; channel: Channel }>> {
  const found = new Map<string, { merchant: Merchant; channel: Channel }>()
  const cached = db.isTransaction ? rowsPerTransaction.get(db) : undefined
  const toRead = new Map<string, { merchant_id: string; id: string }>()
  for (const { merchantId, channelId } of pairs) {
    const key = channelKey(merchantId, channelId)
    if (found.has(key) || toRead.has(key)) continue
    const merchant = cached?.get(`merchant:${merchantId}`) as Promise<Merchant> | undefined
    const channel = cached?.get(`channel:${merchantId}:${channelId}`) as Promise<Channel> | undefined
    if (merchant && channel) found.set(key, { merchant: await merchant, channel: await channel })
    else toRead.set(key, { merchant_id: merchantId, id: channelId })
  }
  if (toRead.size === 0) return found
  const rows = await channelsWithMerchantsOf(db, [...toRead.values()])
  for (const [key, read] of await takeChannelsWithMerchants(db, rows)) found.set(key, read)
  return found
}

/**
 * The channels and merchants of rows selected with `channelWithMerchantSelection` (and no other columns), keyed
 * `channelKey`; fills the per-transaction rows `readChannel` and `readMerchant` answer from. A row whose channel
 * columns are null (an outer join that found none) is left out.
 */
export async function takeChannelsWithMerchants(
  db: Kysely<Database>,
  rows: readonly Record<string, unknown>[],
): Promise<Map<string, { merchant: Merchant; channel: Channel }>> {
  const found = new Map<string, { merchant: Merchant; channel: Channel }>()
  for (const row of rows) {
    if (row[`${CHANNEL_PREFIX}id`] === null || row[`${CHANNEL_PREFIX}id`] === undefined) continue
    // Two new objects, keys added in the row's order (no `delete`, which would leave the merchant row a slow
    // dictionary-mode object for every read of it in the transaction).
    const merchant: Record<string, unknown> = {}
    const channel: Record<string, unknown> = {}
    for (const key in row) {
      if (key.startsWith(CHANNEL_PREFIX)) channel[key.slice(CHANNEL_PREFIX.length)] = row[key]
      else merchant[key] = row[key]
    }
    const read = { merchant: merchant as Merchant, channel: channel as Channel }
    // The first row read in the transaction stays the one every reader gets.
    found.set(channelKey(read.channel.merchant_id, read.channel.id), {
      merchant: await primeOncePerTransaction(db, `merchant:${read.merchant.id}`, read.merchant),
      channel: await primeOncePerTransaction(
        db,
        `channel:${read.channel.merchant_id}:${read.channel.id}`,
        read.channel,
      ),
    })
  }
  return found
}

/** Everything about where a message to this conversation goes. Null when the conversation does not exist. */
export async function loadSendTarget(
  db: Kysely<Database>,
  merchantId: string,
  conversationId: string,
): Promise<SendTarget | null> {
  return (await loadSendTargets(db, merchantId, [conversationId])).get(conversationId) ?? null
}

// loadSendTargets' reads, compiled once (sql/fixed-statement.ts): a timer batch makes them for its 100 runs, an
// inbound batch for its conversations, and building them with Kysely each time was most of their CPU.

/** One merchant's conversations, with whether a send of each waits in the outbox. */
const conversationsOf = fixedStatement<[string, string[]], Conversation & { sends_waiting: boolean }>(
  2,
  (db, merchantId, ids) =>
    db
      .selectFrom('conversations')
      .selectAll()
      // In the same read: may a send here skip the outbox (delivery/in-step-delivery.ts)?
      .select((eb) => sendsWaitingIn(eb.ref('conversations.merchant_id'), eb.ref('conversations.id')))
      .where('merchant_id', '=', merchantId)
      // Probed: a timer batch names 200 conversations (sql/sql-any.ts).
      .where('id', '=', anyUuidProbed(ids)),
)

/** One merchant's contacts, with whether a person has any of each one's chats. */
const contactsOf = fixedStatement<[string, string[]], Contact & { with_staff: boolean }>(
  2,
  (db, merchantId, ids) =>
    db
      .selectFrom('contacts')
      .selectAll('contacts')
      // In the same read (no extra statement per step): does a person have any of this contact's chats?
      .select((eb) =>
        eb
          .exists(
            eb
              .selectFrom('conversations as staffed')
              .select(eb.lit(1).as('one'))
              .whereRef('staffed.merchant_id', '=', 'contacts.merchant_id')
              .whereRef('staffed.contact_id', '=', 'contacts.id')
              .where('staffed.status', 'in', [
                sql.lit<ConversationStatus>('waiting'),
                sql.lit<ConversationStatus>('assigned'),
              ]),
          )
          .as('with_staff'),
      )
      .where('merchant_id', '=', merchantId)
      .where('id', '=', anyUuidProbed(ids)),
)

/** The contacts' ids on the channels, newest first. */
const identitiesOf = fixedStatement<
  [string, string[], string[]],
  { contact_id: string; channel_id: string; external_id: string; unreachable_at: Date | null }
>(3, (db, merchantId, contactIds, channelIds) =>
  db
    .selectFrom('contact_identities')
    .select(['contact_id', 'channel_id', 'external_id', 'unreachable_at'])
    .where('merchant_id', '=', merchantId)
    .where('contact_id', '=', anyUuidProbed(contactIds))
    .where('channel_id', '=', anyUuid(channelIds))
    .orderBy('created_at', 'desc'),
)

/**
 * The send targets of many conversations of one merchant in two reads (conversations, then their contacts with
 * their id on each channel), keyed by conversation id; conversations that do not exist are missing.
 * @example const targets = await loadSendTargets(trx, merchantId, runs.map((r) => r.conversation_id))
 */
export async function loadSendTargets(
  db: Kysely<Database>,
  merchantId: string,
  conversationIds: readonly string[],
): Promise<Map<string, SendTarget>> {
  const targets = new Map<string, SendTarget>()
  if (conversationIds.length === 0) return targets
  const rows = await conversationsOf.execute(db, merchantId, [...new Set(conversationIds)])
  if (rows.length === 0) return targets
  const waiting = new Set(rows.flatMap((r) => (r.sends_waiting ? [r.id] : [])))
  const conversations = rows.map(({ sends_waiting: _, ...conversation }) => conversation)
  // The merchant with its channels in one read (the per-transaction rows `readChannel` below finds).
  const channels = await readChannelsWithMerchants(
    db,
    [...new Set(conversations.map((c) => c.channel_id))].map((channelId) => ({ merchantId, channelId })),
  )
  const merchant = channels.values().next().value?.merchant ?? (await readMerchant(db, merchantId))
  // The contacts (they can change within a step: opt-out, consent) and their ids on the conversations' channels.
  const contactIds = [...new Set(conversations.map((c) => c.contact_id))]
  const contacts = await contactsOf.execute(db, merchantId, contactIds)
  const identities = await identitiesOf.execute(db, merchantId, contactIds, [
    ...new Set(conversations.map((c) => c.channel_id)),
  ])
  // Newest first, so the oldest identity on a channel is the one left in the map.
  const recipients = new Map(identities.map((i) => [`${i.contact_id}:${i.channel_id}`, i]))
  const contactsById = new Map(contacts.map((c) => [c.id, c]))
  for (const conversation of conversations) {
    const row = contactsById.get(conversation.contact_id)
    if (!row)
      throw new Error(`Contact ${conversation.contact_id} of conversation ${conversation.id} not found`)
    const { with_staff: withStaff, ...contact } = row
    const identity = recipients.get(`${contact.id}:${conversation.channel_id}`)
    targets.set(
      conversation.id,
      sendTargetOf(
        merchant,
        channels.get(channelKey(merchantId, conversation.channel_id))?.channel ??
          (await readChannel(db, merchantId, conversation.channel_id)),
        conversation,
        contact,
        {
          externalId: identity?.external_id ?? null,
          unreachable: identity?.unreachable_at != null,
        },
        Boolean(withStaff),
        waiting.has(conversation.id),
      ),
    )
  }
  return targets
}

/**
 * A send target from rows already read; `recipient` is the contact's oldest identity on the conversation's
 * channel (what loadSendTargets picks), null when they have none there.
 */
export function sendTargetOf(
  merchant: Merchant,
  channel: Channel,
  conversation: Conversation,
  contact: Contact,
  recipient: { externalId: string | null; unreachable: boolean },
  contactWithStaff: boolean,
  sendsWaiting: boolean,
): SendTarget {
  return {
    merchant,
    conversation,
    contact,
    channel,
    recipient: recipient.externalId,
    unreachable: recipient.externalId !== null && recipient.unreachable,
    contactWithStaff,
    timeZone: pickTimeZone(contact.timezone, merchant.timezone),
    sendsWaiting,
  }
}

/**
 * `sends_waiting`: does the conversation have a message send in the outbox that is pending, sending or held?
 * Two probes of the partial indexes `outbox_conversation_head_idx` and `outbox_held_idx`.
 *
 * Read with the send target, before the step holds the conversation's lock, it can be stale: two steps of
 * different runs of one conversation (timer batches, an inbound batch beside them) where A sees an older send
 * waiting and queues behind it, the relay sends that older one, then B sees nothing waiting (A is uncommitted).
 * Had B delivered on that, A's queued send (written first, lower `seq`) would be shown after B's. So a send it
 * finds waiting queues at once (queued needlessly only costs the relay a claim), and one it finds free is only
 * deliverable: engine/step-batch.ts `flush` locks the batch's conversations in a statement of its own (`for
 * update`, id order, the set its write locks: runs → conversations, as every step) and re-reads this
 * (`readSendsWaiting`), whose new snapshot sees what the lock waited for; only then is it delivered
 * (delivery/in-step-order.test.ts). A `for update` on this same read would not do: after a lock wait the
 * statement still sees its old snapshot.
 */
export function sendsWaitingIn(merchantId: Expression<string>, conversationId: Expression<string>) {
  return sql<boolean>`(exists (select 1 from outbox w where w.merchant_id = ${merchantId}
      and w.conversation_id = ${conversationId} and w.status in ('pending', 'sending') and w.lane = 'message')
    or exists (select 1 from outbox w where w.merchant_id = ${merchantId}
      and w.conversation_id = ${conversationId} and w.status = 'held'))`.as('sends_waiting')
}

const sendsWaitingOf = keyedStatement<{ id: string; sends_waiting: boolean }>(
  'c',
  (
    where,
  ) => sql`select c.id, ${sendsWaitingIn(sql.ref('c.merchant_id'), sql.ref('c.id'))} from conversations c
    where ${where}`,
)

/**
 * The conversations among `keys` where a send waits in the outbox (`sendsWaitingIn`), read now: the caller holds
 * their locks (in-step delivery's re-check, engine/step-batch.ts `flush`).
 */
export async function readSendsWaiting(
  db: Kysely<Database>,
  keys: readonly { merchant_id: string; id: string }[],
): Promise<Set<string>> {
  const rows = await sendsWaitingOf(db, keys)
  return new Set(rows.flatMap((r) => (r.sends_waiting ? [r.id] : [])))
}

export interface SendRequestFacts {
  purpose: SendPurpose
  exemption: SendExemption
  hasTemplate: boolean
  now: number
}

export async function sendFactsFor(
  db: Kysely<Database>,
  target: SendTarget,
  send: SendRequestFacts,
): Promise<SendFacts> {
  const windowMs = target.merchant.frequency_cap_window_minutes * 60_000
  const sentInWindow =
    send.purpose === 'marketing'
      ? await countMarketingSendsSince(db, target.merchant.id, target.contact.id, send.now - windowMs)
      : 0
  return buildSendFacts(target, send, sentInWindow)
}

/** The policy's facts from a loaded target and the contact's marketing sends in the cap window. */
export function buildSendFacts(target: SendTarget, send: SendRequestFacts, sentInWindow: number): SendFacts {
  const { merchant, contact, conversation, channel } = target
  const quiet =
    merchant.quiet_hours_start_minute !== null && merchant.quiet_hours_end_minute !== null
      ? {
          startMinute: merchant.quiet_hours_start_minute,
          endMinute: merchant.quiet_hours_end_minute,
          timeZone: target.timeZone,
        }
      : null
  return {
    purpose: send.purpose,
    exemption: send.exemption,
    channelKind: channel.kind,
    optedOut: contact.opted_out_at !== null,
    marketingConsent: contact.marketing_consent,
    conversationStatus: conversation.status,
    quietHours: quiet,
    lastInboundAt: conversation.last_inbound_at,
    hasTemplate: send.hasTemplate,
    unreachable: target.unreachable,
    contactWithStaff: target.contactWithStaff,
    frequencyCap: { limit: merchant.frequency_cap_count, sentInWindow },
    now: send.now,
  }
}
