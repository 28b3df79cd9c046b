// A shopper's personal data, found and exported or erased (Shopify's customers/data_request and customers/redact;
// GDPR/CCPA requests the store receives). A shopper is every contact of the merchant with their email, their
// phone (compared by digits: WhatsApp's wa_id and a store's "+1 555…" are the same number), or an order named in
// the request. Erasure deletes those contacts with their identities, conversations, transcripts and runs (the
// database cascades), first detaching their carts and orders (kept, anonymous, for the merchant's books and
// recovery figures) and deleting their queued sends and any export made for them earlier.
import type { JsonObject } from '@parley/db'
import { type Compilable, sql } from 'kysely'
import type { Db } from '../engine/step-transaction.ts'
import { phoneDigits, phoneDigitsSql } from './contact-repository.ts'

export interface ShopperRef {
  email?: string | undefined
  phone?: string | undefined
  /** The store's order ids (orders.external_id) the request names. */
  orderIds?: readonly string[] | undefined
}

/**
 * The ids of the merchant's contacts that are this shopper. Every branch of the OR is an index condition on
 * contacts, so Postgres answers it with a BitmapOr of index scans, not by reading all of the merchant's contacts:
 * `lower(email)` by contacts_email_lower_idx, the phone's digits by contacts_phone_digits_idx (migration
 * 202612090000), and the contacts named by a WhatsApp identity or an order by the primary key, as an array
 * (`id = any(array(…))`: an `id in (subquery)` branch cannot be an index condition inside an OR).
 */
export async function findShopperContactIds(db: Db, merchantId: string, ref: ShopperRef): Promise<string[]> {
  const email = ref.email?.trim().toLowerCase()
  const digits = ref.phone ? phoneDigits(ref.phone) : ''
  const orderIds = (ref.orderIds ?? []).filter((id) => id !== '')
  if (!email && digits.length < 6 && orderIds.length === 0) return []
  const rows = await db
    .selectFrom('contacts')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where((eb) =>
      eb.or([
        ...(email ? [eb(eb.fn('lower', ['email']), '=', email)] : []),
        // Short numbers would match too much; a real phone number has more digits than this. A contact without a
        // phone has no digits to match (the expression is null, as an empty string would not match either).
        ...(digits.length >= 6 ? [eb(phoneDigitsSql('phone'), '=', digits)] : []),
        // The wa_id of a WhatsApp identity is the phone number in digits.
        ...(digits.length >= 6
          ? [
              eb(
                'id',
                '=',
                anyOf(
                  eb
                    .selectFrom('contact_identities')
                    .innerJoin('channels', (j) =>
                      j
                        .onRef('channels.merchant_id', '=', 'contact_identities.merchant_id')
                        .onRef('channels.id', '=', 'contact_identities.channel_id'),
                    )
                    .select('contact_identities.contact_id')
                    .where('contact_identities.merchant_id', '=', merchantId)
                    .where('channels.kind', '=', 'whatsapp')
                    .where('contact_identities.external_id', '=', digits),
                ),
              ),
            ]
          : []),
        ...(orderIds.length > 0
          ? [
              eb(
                'id',
                '=',
                anyOf(
                  eb
                    .selectFrom('orders')
                    .select('contact_id')
                    .where('merchant_id', '=', merchantId)
                    .where('external_id', 'in', orderIds)
                    .where('contact_id', 'is not', null),
                ),
              ),
            ]
          : []),
      ]),
    )
    .execute()
  return rows.map((r) => r.id)
}

/** `any(array(subquery))`: the subquery's ids, run once, as an array an index condition can take. */
const anyOf = (subquery: Compilable) => sql<string>`any(array(${subquery}))`

/**
 * Everything held about the shopper, as JSON: their contact records with channel identities, their conversations
 * with every message, their carts and orders.
 */
export async function exportShopperData(db: Db, merchantId: string, ref: ShopperRef): Promise<JsonObject> {
  const ids = await findShopperContactIds(db, merchantId, ref)
  if (ids.length === 0) return { contacts: [], conversations: [], carts: [], orders: [] }
  const contacts = await db
    .selectFrom('contacts')
    .select([
      'id',
      'name',
      'email',
      'phone',
      'locale',
      'timezone',
      'marketing_consent',
      'opted_out_at',
      'attributes',
      'created_at',
    ])
    .where('merchant_id', '=', merchantId)
    .where('id', 'in', ids)
    .orderBy('created_at')
    .execute()
  const identities = await db
    .selectFrom('contact_identities')
    .innerJoin('channels', (j) =>
      j
        .onRef('channels.merchant_id', '=', 'contact_identities.merchant_id')
        .onRef('channels.id', '=', 'contact_identities.channel_id'),
    )
    .select(['contact_identities.contact_id', 'channels.kind', 'contact_identities.external_id'])
    .where('contact_identities.merchant_id', '=', merchantId)
    .where('contact_identities.contact_id', 'in', ids)
    .execute()
  const conversations = await db
    .selectFrom('conversations')
    .innerJoin('channels', (j) =>
      j
        .onRef('channels.merchant_id', '=', 'conversations.merchant_id')
        .onRef('channels.id', '=', 'conversations.channel_id'),
    )
    .select(['conversations.id', 'conversations.contact_id', 'channels.kind', 'conversations.created_at'])
    .where('conversations.merchant_id', '=', merchantId)
    .where('conversations.contact_id', 'in', ids)
    .orderBy('conversations.created_at')
    .execute()
  const messages = await db
    .selectFrom('messages')
    .select(['conversation_id', 'direction', 'author', 'body', 'status', 'created_at'])
    .where('merchant_id', '=', merchantId)
    .where('contact_id', 'in', ids)
    .orderBy('created_at')
    .orderBy('seq')
    .execute()
  const carts = await db
    .selectFrom('carts')
    .select(['token', 'items', 'value', 'currency', 'status', 'created_at'])
    .where('merchant_id', '=', merchantId)
    .where('contact_id', 'in', ids)
    .execute()
  const orders = await db
    .selectFrom('orders')
    .select([
      'number',
      'external_id',
      'items',
      'total',
      'currency',
      'status',
      'tracking_number',
      'created_at',
    ])
    .where('merchant_id', '=', merchantId)
    .where('contact_id', 'in', ids)
    .execute()
  const exported = {
    contacts: contacts.map((c) => ({
      name: c.name,
      email: c.email,
      phone: c.phone,
      locale: c.locale,
      timezone: c.timezone,
      marketingConsent: c.marketing_consent,
      optedOutAt: c.opted_out_at,
      attributes: c.attributes,
      createdAt: c.created_at,
      channels: identities
        .filter((i) => i.contact_id === c.id)
        .map((i) => ({ channel: i.kind, id: i.external_id })),
    })),
    conversations: conversations.map((conversation) => ({
      channel: conversation.kind,
      startedAt: conversation.created_at,
      messages: messages
        .filter((m) => m.conversation_id === conversation.id)
        .map((m) => ({
          at: m.created_at,
          from: m.author,
          direction: m.direction,
          status: m.status,
          content: m.body,
        })),
    })),
    carts,
    orders,
  }
  return JSON.parse(JSON.stringify(exported)) as JsonObject
}

/** Erases the shopper (see the file comment). Returns how many contacts were erased. */
export async function redactShopper(db: Db, merchantId: string, ref: ShopperRef): Promise<number> {
  const ids = await findShopperContactIds(db, merchantId, ref)
  if (ids.length === 0) return 0
  // Queued sends carry the recipient's id and the text; they reference transcript rows without cascading.
  await db
    .deleteFrom('outbox')
    .where('merchant_id', '=', merchantId)
    .where('conversation_id', 'in', (eb) =>
      eb
        .selectFrom('conversations')
        .select('id')
        .where('merchant_id', '=', merchantId)
        .where('contact_id', 'in', ids),
    )
    .execute()
  await db
    .updateTable('carts')
    .set({ contact_id: null })
    .where('merchant_id', '=', merchantId)
    .where('contact_id', 'in', ids)
    .execute()
  await db
    .updateTable('orders')
    .set({ contact_id: null })
    .where('merchant_id', '=', merchantId)
    .where('contact_id', 'in', ids)
    .execute()
  // Photos a web-chat visitor sent are kept by their visitor id (channels/webchat/photo-store.ts), not the contact.
  await db
    .deleteFrom('webchat_photos')
    .where('merchant_id', '=', merchantId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('contact_identities as ci')
          .select('ci.id')
          .whereRef('ci.merchant_id', '=', 'webchat_photos.merchant_id')
          .whereRef('ci.channel_id', '=', 'webchat_photos.channel_id')
          .whereRef('ci.external_id', '=', 'webchat_photos.visitor_id')
          .where('ci.contact_id', 'in', ids),
      ),
    )
    .execute()
  // Identities, conversations, messages, runs (their timers and visits) go with the contacts.
  await db.deleteFrom('contacts').where('merchant_id', '=', merchantId).where('id', 'in', ids).execute()
  return ids.length
}
