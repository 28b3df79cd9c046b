// The merchant's canned replies (SQL only). Titles are unique per merchant, ignoring case: the composer's `/`
// menu finds a reply by its title, so two with one title would be a guess.
import type { CannedReply, Database } from '@parley/db'
import type { Kysely, Transaction } from 'kysely'
import { ConflictError } from '../domain-errors.ts'

type Db = Kysely<Database> | Transaction<Database>

export async function listCannedReplies(db: Db, merchantId: string): Promise<CannedReply[]> {
  return db
    .selectFrom('canned_replies')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .orderBy('title')
    .limit(500)
    .execute()
}

export async function createCannedReply(
  db: Db,
  merchantId: string,
  input: { title: string; body: string },
  now: Date,
): Promise<CannedReply> {
  return refuseDuplicateTitle(input.title, () =>
    db
      .insertInto('canned_replies')
      .values({ merchant_id: merchantId, ...input, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow(),
  )
}

/** Null when the merchant has no such reply. */
export async function updateCannedReply(
  db: Db,
  merchantId: string,
  id: string,
  input: { title: string; body: string },
  now: Date,
): Promise<CannedReply | null> {
  const row = await refuseDuplicateTitle(input.title, () =>
    db
      .updateTable('canned_replies')
      .set({ ...input, updated_at: now })
      .where('merchant_id', '=', merchantId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst(),
  )
  return row ?? null
}

/** False when the merchant has no such reply. */
export async function deleteCannedReply(db: Db, merchantId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('canned_replies')
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

async function refuseDuplicateTitle<T>(title: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (error) {
    // 23505: the (merchant, lower(title)) unique index; pg and PGlite both report the SQLSTATE as `code`.
    if ((error as { code?: unknown }).code === '23505') {
      throw new ConflictError(`A canned reply called “${title}” already exists`)
    }
    throw error
  }
}
