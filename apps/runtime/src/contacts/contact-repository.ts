// Who a shopper is: contacts found or created by their channel identity (visitor id, wa_id, chat id) or by
// email/phone, and their conversation on a channel.
import type { Contact, ContactUpdate, Conversation } from '@parley/db'
import { sql } from 'kysely'
import type { Db } from '../engine/step-transaction.ts'

export interface ContactProfile {
  name?: string | undefined
  email?: string | undefined
  phone?: string | undefined
  locale?: string | undefined
  timezone?: string | undefined
  /** Marketing consent as the store reports it; undefined leaves it as it is. */
  marketingConsent?: boolean | undefined
}

/** The contact columns a profile would change (empty when it changes nothing). */
export function profileUpdate(contact: Contact, profile: ContactProfile, now: number): ContactUpdate {
  const update: ContactUpdate = {}
  if (profile.name && profile.name !== contact.name) update.name = profile.name
  if (profile.email && profile.email.toLowerCase() !== contact.email)
    update.email = profile.email.toLowerCase()
  if (profile.phone && profile.phone !== contact.phone) update.phone = profile.phone
  if (profile.locale && profile.locale !== contact.locale) update.locale = profile.locale
  if (profile.timezone && profile.timezone !== contact.timezone) update.timezone = profile.timezone
  if (profile.marketingConsent !== undefined && profile.marketingConsent !== contact.marketing_consent) {
    update.marketing_consent = profile.marketingConsent
    update.marketing_consent_at = profile.marketingConsent ? new Date(now) : null
  }
  return update
}

/** Writes the profile fields that changed to a locked contact; returns it as stored. */
export async function applyProfile(
  trx: Db,
  contact: Contact,
  profile: ContactProfile,
  now: number,
): Promise<Contact> {
  const update = profileUpdate(contact, profile, now)
  if (Object.keys(update).length === 0) return contact
  return trx
    .updateTable('contacts')
    .set({ ...update, updated_at: new Date(now) })
    .where('merchant_id', '=', contact.merchant_id)
    .where('id', '=', contact.id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Locks the contact row: steps for one shopper are serialised from here on. */
export async function lockContact(trx: Db, merchantId: string, contactId: string): Promise<Contact> {
  return trx
    .selectFrom('contacts')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('id', '=', contactId)
    .forUpdate()
    .executeTakeFirstOrThrow()
}

/**
 * The contact known on `channelId` as `externalId`, created on first sight; returned locked.
 * Two first messages racing: one identity insert wins, the other adopts its contact.
 */
export async function upsertContactByIdentity(
  trx: Db,
  merchantId: string,
  channelId: string,
  externalId: string,
  profile: ContactProfile,
  now: number,
): Promise<Contact> {
  const known = await trx
    .selectFrom('contact_identities')
    .select('contact_id')
    .where('merchant_id', '=', merchantId)
    .where('channel_id', '=', channelId)
    .where('external_id', '=', externalId)
    .executeTakeFirst()
  if (known) return applyProfile(trx, await lockContact(trx, merchantId, known.contact_id), profile, now)

  const created = await insertContact(trx, merchantId, profile, now)
  const identity = await trx
    .insertInto('contact_identities')
    .values({
      merchant_id: merchantId,
      contact_id: created.id,
      channel_id: channelId,
      external_id: externalId,
      created_at: new Date(now),
    })
    .onConflict((oc) => oc.columns(['merchant_id', 'channel_id', 'external_id']).doNothing())
    .returning('contact_id')
    .executeTakeFirst()
  if (identity) return created
  await trx
    .deleteFrom('contacts')
    .where('merchant_id', '=', merchantId)
    .where('id', '=', created.id)
    .execute()
  return upsertContactByIdentity(trx, merchantId, channelId, externalId, profile, now)
}

async function insertContact(trx: Db, merchantId: string, profile: ContactProfile, now: number) {
  return trx
    .insertInto('contacts')
    .values({
      merchant_id: merchantId,
      name: profile.name ?? null,
      email: profile.email?.toLowerCase() ?? null,
      phone: profile.phone ?? null,
      locale: profile.locale ?? null,
      timezone: profile.timezone ?? null,
      marketing_consent: profile.marketingConsent ?? false,
      marketing_consent_at: profile.marketingConsent ? new Date(now) : null,
      created_at: new Date(now),
      updated_at: new Date(now),
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/**
 * A phone number's digits, as the expression of contacts_phone_digits_idx computes them
 * (`regexp_replace(phone, '[^0-9]', '', 'g')`): WhatsApp's wa_id and a store's "+1 555…" are the same number.
 */
export const phoneDigits = (phone: string) => phone.replace(/[^0-9]/g, '')

/**
 * The same digits of a phone column in SQL, the expression contacts_phone_digits_idx is built on: a lookup must
 * ask for it as written here to be answered from the index.
 */
export const phoneDigitsSql = (column: string) =>
  sql<string>`regexp_replace(${sql.ref(column)}, '[^0-9]', '', 'g')`

/** A contact found by email, then phone, or created; returned locked. */
export async function upsertContactByAddress(
  trx: Db,
  merchantId: string,
  profile: ContactProfile,
  now: number,
): Promise<Contact> {
  const email = profile.email?.toLowerCase()
  let found: { id: string } | undefined
  if (email) {
    found = await trx
      .selectFrom('contacts')
      .select('id')
      .where('merchant_id', '=', merchantId)
      // By contacts_email_lower_idx (merchant_id, lower(email)); the exact match is kept as its filter.
      .where(sql`lower(email)`, '=', sql<string>`lower(${email})`)
      .where('email', '=', email)
      .orderBy('created_at')
      .executeTakeFirst()
  }
  if (!found && profile.phone) {
    found = await trx
      .selectFrom('contacts')
      .select('id')
      .where('merchant_id', '=', merchantId)
      // By contacts_phone_digits_idx (merchant_id, the phone's digits); the exact match is kept as its filter.
      .where(phoneDigitsSql('phone'), '=', phoneDigits(profile.phone))
      .where('phone', '=', profile.phone)
      .orderBy('created_at')
      .executeTakeFirst()
  }
  if (found) return applyProfile(trx, await lockContact(trx, merchantId, found.id), profile, now)
  return insertContact(trx, merchantId, profile, now)
}

/** The contact's latest conversation on the channel, reopened for the bot if it was resolved; created if none. */
export async function openConversation(
  trx: Db,
  merchantId: string,
  contactId: string,
  channelId: string,
  now: number,
): Promise<Conversation> {
  const existing = await trx
    .selectFrom('conversations')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('contact_id', '=', contactId)
    .where('channel_id', '=', channelId)
    .orderBy('created_at', 'desc')
    .executeTakeFirst()
  if (existing) return existing
  return trx
    .insertInto('conversations')
    .values({
      merchant_id: merchantId,
      contact_id: contactId,
      channel_id: channelId,
      created_at: new Date(now),
      updated_at: new Date(now),
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Where the bot talks to a contact when an event names no channel: their most recent conversation. */
export async function latestConversationId(
  trx: Db,
  merchantId: string,
  contactId: string,
): Promise<string | null> {
  const row = await trx
    .selectFrom('conversations')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('contact_id', '=', contactId)
    .orderBy('last_inbound_at', (ob) => ob.desc().nullsLast())
    .orderBy('created_at', 'desc')
    .executeTakeFirst()
  return row?.id ?? null
}
