// `column = any($1::uuid[])`: one array parameter instead of an IN list with a parameter per value. A batch names
// hundreds of rows; Postgres parses, binds and plans the array form in a fraction of the time.
import type { Database } from '@parley/db'
import { type Kysely, type RawBuilder, sql } from 'kysely'
import { fixedStatement } from './fixed-statement.ts'

/**
 * The ids, or a fixed statement's placeholder for them (sql/fixed-statement.ts).
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
  if (merchants.length === 1) return probedKeys(alias, merchants, ids)
  return probedKeys(alias, merchants, ids, {
    merchantIds: keys.map((k) => k.merchant_id),
    ids,
  })
}

/**
 * `keysProbed` in a fixed statement (sql/fixed-statement.ts), whose text cannot depend on how many merchants the
 * keys name: always the probes and the exact pairs. Four placeholders, each used once, in this order: the merchant
 * ids and the ids to probe, then each key's merchant id and id (the same arrays again).
 * @example fixedStatement(4, (_db, m, i, km, ki) => sql`select * from channels ch
 *   where ${keysProbedFixed('ch', m, i, km, ki)}`)
 */
export function keysProbedFixed(
  alias: string,
  merchantIds: RawBuilder<string[]>,
  ids: RawBuilder<string[]>,
  keyMerchantIds: RawBuilder<string[]>,
  keyIds: RawBuilder<string[]>,
): RawBuilder<boolean> {
  return probedKeys(alias, merchantIds, ids, { merchantIds: keyMerchantIds, ids: keyIds })
}

type Uuids = readonly string[] | RawBuilder<string[]>

function probedKeys(
  alias: string,
  merchantIds: Uuids,
  ids: Uuids,
  exact?: { merchantIds: Uuids; ids: Uuids },
): RawBuilder<boolean> {
  const merchantId = sql.ref(`${alias}.merchant_id`)
  const id = sql.ref(`${alias}.id`)
  const probed = sql<boolean>`${merchantId} = ${anyUuidProbed(merchantIds)} and ${id} = ${anyUuidProbed(ids)}`
  if (!exact) return probed
  const value = (v: Uuids) => (Array.isArray(v) ? [...v] : v)
  return sql<boolean>`${probed} and (${merchantId}, ${id}) in (select * from unnest(${value(exact.merchantIds)}::uuid[], ${value(exact.ids)}::uuid[]))`
}

/**
 * A statement on a batch's keys (`keysProbed` on `alias`, given to `build` as its condition) that is a fixed
 * statement (sql/fixed-statement.ts) for the usual batch, one merchant's keys: the same text, compiled once
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
    build(probedKeys(alias, merchants, ids)),
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
