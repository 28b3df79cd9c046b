// Frequency cap data: how many bot-initiated marketing messages a contact got in the merchant's window
// ("three messages over 72 hours, not five in one day"). Queued and deferred ones count; skipped do not.
import type { Database } from '@parley/db'
import type { Kysely } from 'kysely'
import { anyUuid } from '../engine/sql-any.ts'

export async function countMarketingSendsSince(
  db: Kysely<Database>,
  merchantId: string,
  contactId: string,
  since: number,
): Promise<number> {
  const row = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('merchant_id', '=', merchantId)
    .where('contact_id', '=', contactId)
    .where('direction', '=', 'out')
    .where('author', '=', 'bot')
    .where('is_marketing', '=', true)
    .where('status', 'not in', ['skipped', 'failed'])
    .where('created_at', '>=', new Date(since))
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

/** `countMarketingSendsSince` for many contacts of one merchant in one read; contacts with none are missing. */
export async function countMarketingSendsByContact(
  db: Kysely<Database>,
  merchantId: string,
  contactIds: readonly string[],
  since: number,
): Promise<Map<string, number>> {
  if (contactIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('messages')
    .select(['contact_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('merchant_id', '=', merchantId)
    .where('contact_id', '=', anyUuid([...new Set(contactIds)]))
    .where('direction', '=', 'out')
    .where('author', '=', 'bot')
    .where('is_marketing', '=', true)
    .where('status', 'not in', ['skipped', 'failed'])
    .where('created_at', '>=', new Date(since))
    .groupBy('contact_id')
    .execute()
  return new Map(rows.map((row) => [row.contact_id, Number(row.n)]))
}
