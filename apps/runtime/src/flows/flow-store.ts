// Flows and their published versions in the database. Every function takes db | trx first and a merchant id;
// a flow of another merchant is simply not found.
import type { FlowDetail, FlowDocumentJson, FlowSummary, FlowVersion } from '@parley/api'
import type { Database, JsonObject } from '@parley/db'
import { type Kysely, sql } from 'kysely'

function summaryQuery(db: Kysely<Database>, merchantId: string) {
  return db
    .selectFrom('flows')
    .leftJoin('flow_versions as live', (join) =>
      join
        .onRef('live.merchant_id', '=', 'flows.merchant_id')
        .onRef('live.id', '=', 'flows.published_version_id'),
    )
    .select([
      'flows.id',
      'flows.name',
      'flows.created_at',
      'flows.updated_at',
      'live.version as live_version',
      'live.trigger_kinds as live_trigger_kinds',
      sql<boolean>`live.id is null or flows.document is distinct from live.document`.as(
        'has_unpublished_changes',
      ),
    ])
    .where('flows.merchant_id', '=', merchantId)
    .where('flows.deleted_at', 'is', null)
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaryQuery>['executeTakeFirstOrThrow']>>

function toSummary(row: SummaryRow): FlowSummary {
  return {
    id: row.id,
    name: row.name,
    status: row.live_version === null ? 'draft' : 'published',
    publishedVersion: row.live_version,
    hasUnpublishedChanges: Boolean(row.has_unpublished_changes),
    triggerKinds: row.live_trigger_kinds ?? [],
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }
}

export async function listFlows(db: Kysely<Database>, merchantId: string): Promise<FlowSummary[]> {
  const rows = await summaryQuery(db, merchantId)
    .orderBy('flows.updated_at', 'desc')
    .orderBy('flows.id')
    .execute()
  return rows.map(toSummary)
}

export async function findFlowSummary(
  db: Kysely<Database>,
  merchantId: string,
  id: string,
): Promise<FlowSummary | null> {
  const row = await summaryQuery(db, merchantId).where('flows.id', '=', id).executeTakeFirst()
  return row ? toSummary(row) : null
}

export async function findFlow(
  db: Kysely<Database>,
  merchantId: string,
  id: string,
): Promise<FlowDetail | null> {
  const row = await summaryQuery(db, merchantId)
    .select('flows.document')
    .where('flows.id', '=', id)
    .executeTakeFirst()
  return row ? { ...toSummary(row), document: row.document as FlowDocumentJson } : null
}

export async function insertFlow(
  db: Kysely<Database>,
  input: { merchantId: string; name: string; document: FlowDocumentJson; now: Date },
): Promise<string> {
  const row = await db
    .insertInto('flows')
    .values({
      merchant_id: input.merchantId,
      name: input.name,
      document: input.document as JsonObject,
      created_at: input.now,
      updated_at: input.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Saves the draft; false when there is no such (undeleted) flow. */
export async function updateDraft(
  db: Kysely<Database>,
  merchantId: string,
  id: string,
  input: { name: string; document: FlowDocumentJson; now: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('flows')
    .set({ name: input.name, document: input.document as JsonObject, updated_at: input.now })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

/**
 * Soft delete. The live version is unpublished too, so no new run starts from a deleted flow;
 * running runs keep their pinned version.
 */
export async function softDeleteFlow(db: Kysely<Database>, merchantId: string, id: string, now: Date) {
  const result = await db
    .updateTable('flows')
    .set({ deleted_at: now, published_version_id: null, updated_at: now })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

/** The undeleted flow's draft, locked for the rest of the transaction (publishing numbers versions). */
export function lockFlow(trx: Kysely<Database>, merchantId: string, id: string) {
  return trx
    .selectFrom('flows')
    .select(['id', 'name', 'document', 'published_version_id'])
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .forUpdate()
    .executeTakeFirst()
}

/** Inserts version max+1 and makes it live. Call inside a transaction holding lockFlow. */
export async function insertLiveVersion(
  trx: Kysely<Database>,
  input: {
    merchantId: string
    flowId: string
    document: FlowDocumentJson
    triggerKinds: string[]
    publishedBy: string | null
    now: Date
  },
): Promise<FlowVersion> {
  const { max } = await trx
    .selectFrom('flow_versions')
    .select((eb) => eb.fn.max<number | null>('version').as('max'))
    .where('merchant_id', '=', input.merchantId)
    .where('flow_id', '=', input.flowId)
    .executeTakeFirstOrThrow()
  const row = await trx
    .insertInto('flow_versions')
    .values({
      merchant_id: input.merchantId,
      flow_id: input.flowId,
      version: Number(max ?? 0) + 1,
      document: input.document as JsonObject,
      trigger_kinds: input.triggerKinds,
      published_at: input.now,
      published_by: input.publishedBy,
    })
    .returning(['id', 'version', 'published_at', 'published_by', 'trigger_kinds'])
    .executeTakeFirstOrThrow()
  await trx
    .updateTable('flows')
    .set({ published_version_id: row.id })
    .where('merchant_id', '=', input.merchantId)
    .where('id', '=', input.flowId)
    .execute()
  return {
    id: row.id,
    version: row.version,
    publishedAt: row.published_at.toISOString(),
    publishedBy: row.published_by,
    triggerKinds: row.trigger_kinds,
    live: true,
  }
}

export async function listVersions(
  db: Kysely<Database>,
  merchantId: string,
  flowId: string,
  liveVersionId: string | null,
): Promise<FlowVersion[]> {
  const rows = await db
    .selectFrom('flow_versions')
    .select(['id', 'version', 'published_at', 'published_by', 'trigger_kinds'])
    .where('merchant_id', '=', merchantId)
    .where('flow_id', '=', flowId)
    .orderBy('version', 'desc')
    .execute()
  return rows.map((row) => ({
    id: row.id,
    version: row.version,
    publishedAt: row.published_at.toISOString(),
    publishedBy: row.published_by,
    triggerKinds: row.trigger_kinds,
    live: row.id === liveVersionId,
  }))
}

export async function findVersionDocument(
  db: Kysely<Database>,
  merchantId: string,
  flowId: string,
  version: number,
): Promise<FlowDocumentJson | null> {
  const row = await db
    .selectFrom('flow_versions')
    .select('document')
    .where('merchant_id', '=', merchantId)
    .where('flow_id', '=', flowId)
    .where('version', '=', version)
    .executeTakeFirst()
  return row ? (row.document as FlowDocumentJson) : null
}

export async function findLiveVersionId(db: Kysely<Database>, merchantId: string, flowId: string) {
  const row = await db
    .selectFrom('flows')
    .select('published_version_id')
    .where('merchant_id', '=', merchantId)
    .where('id', '=', flowId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()
  return row ? { liveVersionId: row.published_version_id } : null
}
