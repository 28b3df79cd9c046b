// The rows the simulator's world is built from, all of one merchant: its settings, connected channels,
// catalogue, recent carts and orders, and one contact with their conversations and recent marketing sends.
import type { Cart, ChannelKind, Contact, Database, Merchant, Order } from '@parley/db'
import type { Kysely } from 'kysely'
import { type RetrievedProduct, readRetrievedProducts } from '../catalogue/product-retrieval.ts'

/** Enough for a look-up to find recent orders and for questions about most catalogues. */
export const WORLD_LIMITS = { products: 500, carts: 10, orders: 200 } as const

export function readMerchantSettings(db: Kysely<Database>, merchantId: string): Promise<Merchant> {
  return db.selectFrom('merchants').selectAll().where('id', '=', merchantId).executeTakeFirstOrThrow()
}

export async function readChannelKinds(db: Kysely<Database>, merchantId: string): Promise<ChannelKind[]> {
  const rows = await db
    .selectFrom('channels')
    .select('kind')
    .distinct()
    .where('merchant_id', '=', merchantId)
    .where('enabled', '=', true)
    .orderBy('kind')
    .execute()
  return rows.map((r) => r.kind)
}

/** The first products in title order, each as product answers read it (with its variants). */
export async function readCatalogue(db: Kysely<Database>, merchantId: string): Promise<RetrievedProduct[]> {
  const ids = await db
    .selectFrom('products')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('status', '=', 'active')
    .orderBy('title')
    .orderBy('id')
    .limit(WORLD_LIMITS.products)
    .execute()
  return readRetrievedProducts(
    db,
    merchantId,
    ids.map((r) => r.id),
  )
}

/** The latest carts with items: the contact's when given, else anyone's. */
export function readRecentCarts(
  db: Kysely<Database>,
  merchantId: string,
  contactId?: string,
): Promise<Cart[]> {
  let query = db.selectFrom('carts').selectAll().where('merchant_id', '=', merchantId)
  if (contactId) query = query.where('contact_id', '=', contactId)
  return query.orderBy('last_activity_at', 'desc').orderBy('id').limit(WORLD_LIMITS.carts).execute()
}

/** The latest orders of the store, and every order of the contact when given (a look-up finds those first). */
export async function readRecentOrders(
  db: Kysely<Database>,
  merchantId: string,
  contactId?: string,
): Promise<Order[]> {
  const recent = await db
    .selectFrom('orders')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(WORLD_LIMITS.orders)
    .execute()
  if (!contactId) return recent
  const own = await db
    .selectFrom('orders')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('contact_id', '=', contactId)
    .orderBy('created_at', 'desc')
    .limit(WORLD_LIMITS.orders)
    .execute()
  const seen = new Set(own.map((o) => o.id))
  return [...own, ...recent.filter((o) => !seen.has(o.id))]
}

export function readContact(
  db: Kysely<Database>,
  merchantId: string,
  contactId: string,
): Promise<Contact | undefined> {
  return db
    .selectFrom('contacts')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('id', '=', contactId)
    .executeTakeFirst()
}

/** The contact a sample is modelled on: the latest one who ordered, else the latest one. */
export async function readSampleContact(
  db: Kysely<Database>,
  merchantId: string,
): Promise<Contact | undefined> {
  const ordered = await db
    .selectFrom('orders')
    .select('contact_id')
    .where('merchant_id', '=', merchantId)
    .where('contact_id', 'is not', null)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (ordered?.contact_id) return readContact(db, merchantId, ordered.contact_id)
  return db
    .selectFrom('contacts')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst()
}

/** When the contact last wrote on any channel (WhatsApp's window is read from it). */
export async function readLastInboundAt(
  db: Kysely<Database>,
  merchantId: string,
  contactId: string,
): Promise<Date | null> {
  const row = await db
    .selectFrom('conversations')
    .select((eb) => eb.fn.max('last_inbound_at').as('at'))
    .where('merchant_id', '=', merchantId)
    .where('contact_id', '=', contactId)
    .executeTakeFirst()
  return row?.at ? new Date(row.at) : null
}
