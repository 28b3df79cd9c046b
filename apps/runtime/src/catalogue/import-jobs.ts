// The catalogue_imports rows and their uploaded file: create (the file stored in chunks as it arrives), claim the
// next job with a lease (any replica, FOR UPDATE SKIP LOCKED), record a batch's progress, finish or fail, read
// history. SQL only; the worker decides.
import { Readable } from 'node:stream'
import {
  type CatalogueImport,
  type CatalogueImportError,
  type CatalogueImportOptions,
  type Database,
  jsonb,
} from '@parley/db'
import { type Kysely, sql, type Transaction } from 'kysely'

type Db = Kysely<Database> | Transaction<Database>

/** The first errors kept for the screen; error_count counts them all. */
export const KEPT_ERRORS = 500
/** 256 KiB a chunk: a 50 MB file is 200 rows, and reading it back holds one chunk at a time. */
export const CHUNK_BYTES = 256 * 1024

export class UploadTooLarge extends Error {}
export class EmptyUpload extends Error {}

/** Stores the upload in chunks inside one transaction with its job row, so a job is never missing part of its file. */
export async function createCsvImport(
  db: Kysely<Database>,
  input: {
    merchantId: string
    createdBy: string | null
    fileName: string
    options: CatalogueImportOptions
    body: AsyncIterable<Uint8Array>
    maxBytes: number
    now: Date
  },
): Promise<CatalogueImport> {
  return db.transaction().execute(async (trx) => {
    const job = await trx
      .insertInto('catalogue_imports')
      .values({
        merchant_id: input.merchantId,
        source: 'csv',
        file_name: input.fileName,
        options: input.options,
        created_by: input.createdBy,
        created_at: input.now,
        updated_at: input.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    let total = 0
    let seq = 0
    let pending: Uint8Array[] = []
    let pendingBytes = 0
    const flush = async () => {
      if (pendingBytes === 0) return
      await trx
        .insertInto('catalogue_import_chunks')
        .values({
          merchant_id: input.merchantId,
          import_id: job.id,
          seq: seq++,
          data: Buffer.concat(pending),
        })
        .execute()
      pending = []
      pendingBytes = 0
    }
    for await (const part of input.body) {
      total += part.byteLength
      if (total > input.maxBytes) throw new UploadTooLarge()
      pending.push(part)
      pendingBytes += part.byteLength
      if (pendingBytes >= CHUNK_BYTES) await flush()
    }
    await flush()
    // Thrown inside the transaction: a refused upload leaves no job behind.
    if (total === 0) throw new EmptyUpload()
    return trx
      .updateTable('catalogue_imports')
      .set({ bytes_total: total })
      .where('merchant_id', '=', input.merchantId)
      .where('id', '=', job.id)
      .returningAll()
      .executeTakeFirstOrThrow()
  })
}

/**
 * Queues a sync from a connected Shopify store; while one for this store is queued or running, that one is
 * returned instead (pressing the button twice starts one sync).
 */
export async function createShopifyImport(
  db: Kysely<Database>,
  input: { merchantId: string; createdBy: string | null; channelId: string; shopName: string; now: Date },
): Promise<CatalogueImport> {
  return db.transaction().execute(async (trx) => {
    // Serialises concurrent presses for one merchant (the lock is the merchant row, held to the commit).
    await trx.selectFrom('merchants').select('id').where('id', '=', input.merchantId).forUpdate().execute()
    const open = await trx
      .selectFrom('catalogue_imports')
      .selectAll()
      .where('merchant_id', '=', input.merchantId)
      .where('source', '=', 'shopify')
      .where('status', 'in', ['queued', 'running'])
      .where(sql<boolean>`options->>'channelId' = ${input.channelId}`)
      .executeTakeFirst()
    if (open) return open
    return trx
      .insertInto('catalogue_imports')
      .values({
        merchant_id: input.merchantId,
        source: 'shopify',
        file_name: input.shopName,
        options: jsonb({ currency: null, storeUrl: null, channelId: input.channelId }),
        created_by: input.createdBy,
        created_at: input.now,
        updated_at: input.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
  })
}

/** A sync learns its size (the store's product count) and currency from its first page. */
export async function recordSyncTotal(
  db: Db,
  job: Pick<CatalogueImport, 'merchant_id' | 'id'>,
  workerId: string,
  total: number,
  currency: string,
): Promise<void> {
  await db
    .updateTable('catalogue_imports')
    .set({
      bytes_total: total,
      options: sql<CatalogueImportOptions>`options || ${jsonb({ currency })}`,
    })
    .where('merchant_id', '=', job.merchant_id)
    .where('id', '=', job.id)
    .where('locked_by', '=', workerId)
    .execute()
}

/** The store's currency as its last sync read it, for products a webhook brings (their payload has none). */
export async function lastSyncedCurrency(
  db: Db,
  merchantId: string,
  channelId: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('catalogue_imports')
    .select(sql<string | null>`options->>'currency'`.as('currency'))
    .where('merchant_id', '=', merchantId)
    .where('source', '=', 'shopify')
    .where(sql<boolean>`options->>'channelId' = ${channelId}`)
    .where(sql<boolean>`options->>'currency' is not null`)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row?.currency ?? null
}

/**
 * Claims the oldest queued job, or a running one whose worker stopped renewing its lease (it starts over: the
 * writes are idempotent, and the counters are reset so they describe this run).
 */
export async function claimNextImport(
  db: Kysely<Database>,
  workerId: string,
  now: Date,
  leaseMs: number,
): Promise<CatalogueImport | null> {
  return db.transaction().execute(async (trx) => {
    const next = await trx
      .selectFrom('catalogue_imports')
      .select(['merchant_id', 'id'])
      .where((eb) =>
        eb.or([
          eb('status', '=', 'queued'),
          eb.and([eb('status', '=', 'running'), eb('lease_until', '<', now)]),
        ]),
      )
      .orderBy('created_at')
      .limit(1)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst()
    if (!next) return null
    const claimed = await trx
      .updateTable('catalogue_imports')
      .set({
        status: 'running',
        locked_by: workerId,
        lease_until: new Date(now.getTime() + leaseMs),
        started_at: now,
        bytes_done: 0,
        rows_done: 0,
        products_created: 0,
        products_updated: 0,
        products_unchanged: 0,
        error_count: 0,
        errors: jsonb([]),
        updated_at: now,
      })
      .where('merchant_id', '=', next.merchant_id)
      .where('id', '=', next.id)
      .returningAll()
      .executeTakeFirstOrThrow()
    return claimed
  })
}

export interface ImportProgress {
  bytes: number
  rows: number
  created: number
  updated: number
  unchanged: number
  errors: CatalogueImportError[]
}

/** Adds a batch's counts and renews the lease; false when the job is no longer this worker's. */
export async function recordImportProgress(
  db: Db,
  job: Pick<CatalogueImport, 'merchant_id' | 'id'>,
  workerId: string,
  progress: ImportProgress,
  now: Date,
  leaseMs: number,
): Promise<boolean> {
  const kept = progress.errors.slice(0, KEPT_ERRORS)
  const row = await db
    .updateTable('catalogue_imports')
    .set({
      bytes_done: progress.bytes,
      rows_done: progress.rows,
      products_created: sql`products_created + ${progress.created}`,
      products_updated: sql`products_updated + ${progress.updated}`,
      products_unchanged: sql`products_unchanged + ${progress.unchanged}`,
      error_count: sql`error_count + ${progress.errors.length}`,
      // Roughly the first KEPT_ERRORS (a batch may run past it): enough to fix a file, bounded in size.
      errors:
        kept.length === 0
          ? sql<CatalogueImportError[]>`errors`
          : sql<
              CatalogueImportError[]
            >`case when jsonb_array_length(errors) < ${KEPT_ERRORS} then errors || ${jsonb(kept)} else errors end`,
      lease_until: new Date(now.getTime() + leaseMs),
      updated_at: now,
    })
    .where('merchant_id', '=', job.merchant_id)
    .where('id', '=', job.id)
    .where('locked_by', '=', workerId)
    .where('status', '=', 'running')
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

/** Done or failed; the uploaded file is dropped either way (the history keeps the counts and errors). */
export async function finishImport(
  db: Kysely<Database>,
  job: Pick<CatalogueImport, 'merchant_id' | 'id'>,
  workerId: string,
  outcome: { failure: string | null },
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('catalogue_imports')
      .set({
        status: outcome.failure === null ? 'done' : 'failed',
        failure: outcome.failure,
        bytes_done: outcome.failure === null ? sql`bytes_total` : sql`bytes_done`,
        finished_at: now,
        locked_by: null,
        lease_until: null,
        updated_at: now,
      })
      .where('merchant_id', '=', job.merchant_id)
      .where('id', '=', job.id)
      .where('locked_by', '=', workerId)
      .returning('id')
      .executeTakeFirst()
    if (!row) return
    await trx
      .deleteFrom('catalogue_import_chunks')
      .where('merchant_id', '=', job.merchant_id)
      .where('import_id', '=', job.id)
      .execute()
  })
}

/** The uploaded file as a stream, read back a few chunks at a time. */
export function readImportFile(db: Db, job: Pick<CatalogueImport, 'merchant_id' | 'id'>): Readable {
  async function* chunks() {
    let next = 0
    for (;;) {
      const page = await db
        .selectFrom('catalogue_import_chunks')
        .select(['seq', 'data'])
        .where('merchant_id', '=', job.merchant_id)
        .where('import_id', '=', job.id)
        .where('seq', '>=', next)
        .orderBy('seq')
        .limit(4)
        .execute()
      if (page.length === 0) return
      for (const chunk of page) yield Buffer.from(chunk.data)
      next = (page[page.length - 1]?.seq ?? next) + 1
    }
  }
  return Readable.from(chunks())
}

export async function listImports(db: Db, merchantId: string, limit: number): Promise<CatalogueImport[]> {
  return db
    .selectFrom('catalogue_imports')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute()
}

export async function findImport(
  db: Db,
  merchantId: string,
  id: string,
): Promise<CatalogueImport | undefined> {
  return db
    .selectFrom('catalogue_imports')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .executeTakeFirst()
}
