// SQL of the Settings API: the merchant row it reads and writes, and the month's template spend.
import type { Database, Merchant, MerchantUpdate } from '@parley/db'
import type { Kysely } from 'kysely'

export function readMerchantRow(db: Kysely<Database>, merchantId: string): Promise<Merchant | undefined> {
  return db.selectFrom('merchants').selectAll().where('id', '=', merchantId).executeTakeFirst()
}

export async function updateMerchantSettings(
  db: Kysely<Database>,
  merchantId: string,
  update: MerchantUpdate,
  now: Date,
): Promise<Merchant> {
  return db
    .updateTable('merchants')
    .set({ ...update, updated_at: now })
    .where('id', '=', merchantId)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Template spend recorded for `month` ('YYYY-MM-01'), all categories. */
export async function monthTemplateSpend(
  db: Kysely<Database>,
  merchantId: string,
  month: string,
): Promise<number> {
  const rows = await db
    .selectFrom('template_spend')
    .select('amount')
    .where('merchant_id', '=', merchantId)
    .where('month', '=', month)
    .execute()
  return rows.reduce((sum, row) => sum + Number(row.amount), 0)
}
