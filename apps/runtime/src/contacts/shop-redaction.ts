// Shopify's shop/redact (48 hours after the store uninstalled the app): the store's shopper and commerce data is
// deleted — contacts with their conversations, transcripts and runs, carts, orders, products, dedupe receipts,
// privacy exports and the Shopify connection itself. The merchant's account, staff and flows stay: they are the
// merchant's own work, not the store's customer data, and the merchant may connect another store.
import type { Db } from '../engine/step-transaction.ts'

export async function deleteShopData(db: Db, merchantId: string, shopifyChannelId: string): Promise<void> {
  await db.deleteFrom('outbox').where('merchant_id', '=', merchantId).execute()
  // Carts and orders point at each other (recovered_order_id) and at contacts.
  await db
    .updateTable('carts')
    .set({ recovered_order_id: null })
    .where('merchant_id', '=', merchantId)
    .execute()
  await db.deleteFrom('carts').where('merchant_id', '=', merchantId).execute()
  await db.deleteFrom('orders').where('merchant_id', '=', merchantId).execute()
  await db.deleteFrom('contacts').where('merchant_id', '=', merchantId).execute()
  await db.deleteFrom('products').where('merchant_id', '=', merchantId).execute()
  await db.deleteFrom('receipts').where('merchant_id', '=', merchantId).execute()
  await db.deleteFrom('privacy_requests').where('merchant_id', '=', merchantId).execute()
  await db
    .deleteFrom('channels')
    .where('merchant_id', '=', merchantId)
    .where('id', '=', shopifyChannelId)
    .execute()
}
