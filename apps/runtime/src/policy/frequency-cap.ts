// Frequency cap data: how many bot-initiated marketing messages a contact got in the merchant's window
// ("three messages over 72 hours, not five in one day"). Queued and deferred ones count; skipped do not.
import type { Database } from '@parley/db'
import { type Kysely, sql } from 'kysely'
import { anyUuid } from '../sql/sql-any.ts'

/** The messages the cap counts: the bot's marketing sends since `since`, unless skipped or failed. */
function cappedSends(db: Kysely<Database>, merchantId: string, since: number) {
  return (
    db
      .selectFrom('messages')
      .where('merchant_id', '=', merchantId)
      // Literals: messages_marketing_sends_idx is partial on exactly these, which a prepared statement's generic plan
      // can only use when it reads the values in the text.
      .where('direction', '=', sql.lit('out'))
      .where('author', '=', sql.lit('bot'))
      .where('is_marketing', '=', sql.lit(true))
      .where('status', 'not in', ['skipped', 'failed'])
      .where('created_at', '>=', new Date(since))
  )
}

export async function countMarketingSendsSince(
  db: Kysely<Database>,
  merchantId: string,
  contactId: string,
  since: number,
): Promise<number> {
  const row = await cappedSends(db, merchantId, since)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('contact_id', '=', contactId)
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

/** When each send `countMarketingSendsSince` counts went out (the simulator replays the cap from them). */
export async function marketingSendTimesSince(
  db: Kysely<Database>,
  merchantId: string,
  contactId: string,
  since: number,
): Promise<Date[]> {
  const rows = await cappedSends(db, merchantId, since)
    .select('created_at')
    .where('contact_id', '=', contactId)
    .orderBy('created_at')
    .execute()
  return rows.map((r) => r.created_at)
}

/** `countMarketingSendsSince` for many contacts of one merchant in one read; contacts with none are missing. */
export async function countMarketingSendsByContact(
  db: Kysely<Database>,
  merchantId: string,
  contactIds: readonly string[],
  since: number,
): Promise<Map<string, number>> {
  if (contactIds.length === 0) return new Map()
  const rows = await cappedSends(db, merchantId, since)
    .select(['contact_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('contact_id', '=', anyUuid([...new Set(contactIds)]))
    .groupBy('contact_id')
    .execute()
  return new Map(rows.map((row) => [row.contact_id, Number(row.n)]))
}
