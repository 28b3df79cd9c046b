// Reads what the send policy decides on: the conversation (status, WhatsApp window), its channel, the contact
// (opt-out, consent, time zone), the merchant's rules and the contact's recent marketing sends.
import type { Channel, Contact, Conversation, Database, Merchant } from '@parley/db'
import type { SendPurpose } from '@parley/flow'
import type { Kysely } from 'kysely'
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
  timeZone: string
}

/**
 * Merchant and channel rows per transaction: no step changes them, and a batch (timer poller, outbox relay) sends
 * for many conversations of few merchants. Only inside a transaction, so nothing outlives it.
 */
const rowsPerTransaction = new WeakMap<Kysely<Database>, Map<string, Promise<unknown>>>()

function readOncePerTransaction<T>(db: Kysely<Database>, key: string, read: () => Promise<T>): Promise<T> {
  if (!db.isTransaction) return read()
  let rows = rowsPerTransaction.get(db)
  if (!rows) {
    rows = new Map()
    rowsPerTransaction.set(db, rows)
  }
  const cached = rows.get(key) as Promise<T> | undefined
  if (cached) return cached
  const row = read()
  rows.set(key, row)
  row.catch(() => rows.delete(key))
  return row
}

/** The merchant row, read once per transaction; throws when there is none. */
export function readMerchant(db: Kysely<Database>, merchantId: string): Promise<Merchant> {
  return readOncePerTransaction(db, `merchant:${merchantId}`, () =>
    db.selectFrom('merchants').selectAll().where('id', '=', merchantId).executeTakeFirstOrThrow(),
  )
}

/** The merchant's channel row, read once per transaction; throws when there is none. */
export function readChannel(db: Kysely<Database>, merchantId: string, channelId: string): Promise<Channel> {
  return readOncePerTransaction(db, `channel:${merchantId}:${channelId}`, () =>
    db
      .selectFrom('channels')
      .selectAll()
      .where('merchant_id', '=', merchantId)
      .where('id', '=', channelId)
      .executeTakeFirstOrThrow(),
  )
}

/** Everything about where a message to this conversation goes. Null when the conversation does not exist. */
export async function loadSendTarget(
  db: Kysely<Database>,
  merchantId: string,
  conversationId: string,
): Promise<SendTarget | null> {
  const conversation = await db
    .selectFrom('conversations')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('id', '=', conversationId)
    .executeTakeFirst()
  if (!conversation) return null
  const merchant = await readMerchant(db, merchantId)
  const channel = await readChannel(db, merchantId, conversation.channel_id)
  // The contact (it can change within a step: opt-out, consent) with their id on this channel, in one read.
  const { recipient, ...contact } = await db
    .selectFrom('contacts')
    .selectAll('contacts')
    .select((eb) =>
      eb
        .selectFrom('contact_identities')
        .select('external_id')
        .where('contact_identities.merchant_id', '=', merchantId)
        .whereRef('contact_identities.contact_id', '=', 'contacts.id')
        .where('contact_identities.channel_id', '=', conversation.channel_id)
        .orderBy('contact_identities.created_at')
        .limit(1)
        .as('recipient'),
    )
    .where('contacts.merchant_id', '=', merchantId)
    .where('contacts.id', '=', conversation.contact_id)
    .executeTakeFirstOrThrow()
  return {
    merchant,
    conversation,
    contact,
    channel,
    recipient: recipient ?? null,
    timeZone: pickTimeZone(contact.timezone, merchant.timezone),
  }
}

export async function sendFactsFor(
  db: Kysely<Database>,
  target: SendTarget,
  send: { purpose: SendPurpose; exemption: SendExemption; hasTemplate: boolean; now: number },
): Promise<SendFacts> {
  const { merchant, contact, conversation, channel } = target
  const windowMs = merchant.frequency_cap_window_minutes * 60_000
  const sentInWindow =
    send.purpose === 'marketing'
      ? await countMarketingSendsSince(db, merchant.id, contact.id, send.now - windowMs)
      : 0
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
    frequencyCap: { limit: merchant.frequency_cap_count, sentInWindow },
    now: send.now,
  }
}
