// Flows and their published versions in the database. Every function takes db | trx first and a merchant id;
// a flow of another merchant is simply not found.
import type { FlowDetail, FlowDocumentJson, FlowSummary, FlowVersion, FlowVersionDetail } from '@parley/api'
import type { Database, JsonObject } from '@parley/db'
import type { RawFlowDocument } from '@parley/flow'
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
      'flows.paused_at',
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
    paused: row.paused_at !== null,
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
  const author = input.publishedBy
    ? await trx
        .selectFrom('users')
        .select(['name', 'email'])
        .where('merchant_id', '=', input.merchantId)
        .where('id', '=', input.publishedBy)
        .executeTakeFirst()
    : undefined
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
    publishedByName: author?.name.trim() || author?.email || null,
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
  const rows = await versionQuery(db, merchantId, flowId).orderBy('flow_versions.version', 'desc').execute()
  return rows.map((row) => toVersion(row, liveVersionId))
}

/** A version with who published it: the user's name, or their email while they have not set one. */
function versionQuery(db: Kysely<Database>, merchantId: string, flowId: string) {
  return db
    .selectFrom('flow_versions')
    .leftJoin('users', (join) =>
      join
        .onRef('users.merchant_id', '=', 'flow_versions.merchant_id')
        .onRef('users.id', '=', 'flow_versions.published_by'),
    )
    .select([
      'flow_versions.id',
      'flow_versions.version',
      'flow_versions.published_at',
      'flow_versions.published_by',
      'flow_versions.trigger_kinds',
      'users.name as author_name',
      'users.email as author_email',
    ])
    .where('flow_versions.merchant_id', '=', merchantId)
    .where('flow_versions.flow_id', '=', flowId)
}

type VersionRow = Awaited<ReturnType<ReturnType<typeof versionQuery>['executeTakeFirstOrThrow']>>

function toVersion(row: VersionRow, liveVersionId: string | null): FlowVersion {
  return {
    id: row.id,
    version: row.version,
    publishedAt: row.published_at.toISOString(),
    publishedBy: row.published_by,
    publishedByName: row.author_name?.trim() || row.author_email || null,
    triggerKinds: row.trigger_kinds,
    live: row.id === liveVersionId,
  }
}

/** One version with its document (the history's read-only preview and diff). */
export async function findVersion(
  db: Kysely<Database>,
  merchantId: string,
  flowId: string,
  version: number,
  liveVersionId: string | null,
): Promise<FlowVersionDetail | null> {
  const row = await versionQuery(db, merchantId, flowId)
    .select('flow_versions.document')
    .where('flow_versions.version', '=', version)
    .executeTakeFirst()
  return row ? { ...toVersion(row, liveVersionId), document: row.document as FlowDocumentJson } : null
}

/** Pauses (a time) or resumes (null) the undeleted flow; false when there is no such flow. */
export async function setFlowPaused(
  db: Kysely<Database>,
  merchantId: string,
  id: string,
  pausedAt: Date | null,
): Promise<boolean> {
  const result = await db
    .updateTable('flows')
    .set({ paused_at: pausedAt })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

/**
 * The other flows that start conversations now (published, not paused, not deleted) with their live
 * documents, for the trigger-overlap warning.
 */
export async function listOtherLiveFlows(db: Kysely<Database>, merchantId: string, exceptFlowId: string) {
  const rows = await db
    .selectFrom('flows')
    .innerJoin('flow_versions as live', (join) =>
      join
        .onRef('live.merchant_id', '=', 'flows.merchant_id')
        .onRef('live.id', '=', 'flows.published_version_id'),
    )
    .select(['flows.id', 'flows.name', 'live.document'])
    .where('flows.merchant_id', '=', merchantId)
    .where('flows.id', '!=', exceptFlowId)
    .where('flows.deleted_at', 'is', null)
    .where('flows.paused_at', 'is', null)
    .orderBy('flows.name')
    .execute()
  return rows.map((row) => ({
    flowId: row.id,
    name: row.name,
    document: row.document as unknown as { nodes: RawFlowDocument['nodes'] },
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
