// `column = any($1::uuid[])`: one array parameter instead of an IN list with a parameter per value. A batch names
// hundreds of rows; Postgres parses, binds and plans the array form in a fraction of the time.
import type { Database } from '@parley/db'
import { type Kysely, type RawBuilder, sql } from 'kysely'
import { fixedStatement } from './fixed-statement.ts'

/**
 * The ids, or a fixed statement's placeholder for them (engine/fixed-statement.ts).
 * @example query.where('id', '=', anyUuid(runIds))
 */
export function anyUuid(values: readonly string[] | RawBuilder<string[]>): RawBuilder<string> {
  return sql<string>`any(${Array.isArray(values) ? [...values] : values}::uuid[])`
}

/**
 * As `anyUuid`, for a batch's keys looked up by index in a table that may be large: the array goes through an
 * InitPlan (`any(array(select unnest($1)))`), so the planner prices the lookup as index probes for a few keys.
 * Given the literal array of a timer batch (200 ids), it priced a sequential scan of the whole table as cheaper
 * (random_page_cost 4 on pages that are in fact cached): 13–20 ms per read at 20,000 conversations and contacts,
 * against 1–3 ms for the 200 probes, and its `exists` sub-select over conversations became a hashed scan of the
 * whole table too. The cost then grew with the table, not with the batch.
 * @example query.where('id', '=', anyUuidProbed(conversationIds))
 */
export function anyUuidProbed(values: readonly string[] | RawBuilder<string[]>): RawBuilder<string> {
  return sql<string>`any(array(select unnest(${Array.isArray(values) ? [...values] : values}::uuid[])))`
}

/**
 * `(merchant_id, id) in keys` on a table keyed (merchant_id, id) (`alias` names it), probed by index as
 * `anyUuidProbed`. The row-value `in (select * from unnest(…))` alone became a hash semi join over a sequential
 * scan of the whole table (a timer batch's 200 conversations: all 20,000 rows, three times per batch; at a
 * million idle conversations, a million). A batch's keys are nearly always one merchant's; with several, the
 * probes' cross product is narrowed to the exact pairs.
 * @example sql`select c.id from conversations c where ${keysProbed('c', keys)} order by c.id for update`
 */
export function keysProbed(
  alias: string,
  keys: readonly { merchant_id: string; id: string }[],
): RawBuilder<boolean> {
  const merchants = [...new Set(keys.map((k) => k.merchant_id))]
  const ids = keys.map((k) => k.id)
  const probed = probes(alias, merchants, ids)
  if (merchants.length === 1) return probed
  return sql<boolean>`${probed} and (${sql.ref(`${alias}.merchant_id`)}, ${sql.ref(`${alias}.id`)}) in (select * from unnest(${keys.map((k) => k.merchant_id)}::uuid[], ${ids}::uuid[]))`
}

/** The merchants' and the ids' index probes of `keysProbed`: its whole condition for one merchant's keys. */
function probes(
  alias: string,
  merchants: readonly string[] | RawBuilder<string[]>,
  ids: readonly string[] | RawBuilder<string[]>,
): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(`${alias}.merchant_id`)} = ${anyUuidProbed(merchants)} and ${sql.ref(`${alias}.id`)} = ${anyUuidProbed(ids)}`
}

/**
 * A statement on a batch's keys (`keysProbed` on `alias`, given to `build` as its condition) that is a fixed
 * statement (engine/fixed-statement.ts) for the usual batch, one merchant's keys: the same text, compiled once
 * per process instead of built and compiled by Kysely on every batch (the in-step delivery's lock and re-read and
 * the batch's channel read: ~2 % of the runtime's CPU per inbound message, BENCHMARKS.md session 14). Keys of
 * several merchants are built as before.
 * @example const lock = keyedStatement('c', (where) => sql`select c.id from conversations c where ${where} for update`)
 * await lock(trx, keys)
 */
export function keyedStatement<R>(
  alias: string,
  build: (where: RawBuilder<boolean>) => RawBuilder<R>,
): (db: Kysely<Database>, keys: readonly { merchant_id: string; id: string }[]) => Promise<R[]> {
  const oneMerchant = fixedStatement<[string[], string[]], R>(2, (_db, merchants, ids) =>
    build(probes(alias, merchants, ids)),
  )
  return async (db, keys) => {
    const merchant = keys[0]?.merchant_id
    if (merchant !== undefined && keys.every((k) => k.merchant_id === merchant))
      return oneMerchant.execute(
        db,
        [merchant],
        keys.map((k) => k.id),
      )
    return (await build(keysProbed(alias, keys)).execute(db)).rows
  }
}
