// Runs catalogue imports in the background, one at a time per process: uploads only queue a job, so a large
// file never holds a request open, and the screen follows the job's row (it survives a reload, and a restart:
// a job whose worker stopped renewing its lease is claimed again and re-run, which the idempotent writes allow).
import type { CatalogueImport, CatalogueImportError, Database } from '@parley/db'
import type { Kysely } from 'kysely'
import type { RuntimeDeps } from '../deps.ts'
import type { Logger } from '../observability/logger.ts'
import type { Clock } from '../time/clock.ts'
import { writeProducts } from './catalogue-writer.ts'
import { CsvImportFailure, readProductCsv } from './csv-import.ts'
import {
  claimNextImport,
  finishImport,
  readImportFile,
  recordImportProgress,
  recordSyncTotal,
} from './import-jobs.ts'
import type { ProductDraft } from './product-draft.ts'
import { ShopifySyncFailure, syncShopifyProducts } from './shopify-sync.ts'

const LEASE_MS = 2 * 60_000

export interface CatalogueImportWorkerDeps extends Pick<RuntimeDeps, 'egress' | 'config'> {
  db: Kysely<Database>
  clock: Clock
  logger: Logger
  instanceId: string
  /** Products a page of a Shopify sync asks for (tests make pages small). */
  shopifyPageSize?: number
}

interface Batch {
  products: ProductDraft[]
  errors: CatalogueImportError[]
  rows: number
  bytes: number
}

export class ImportLostError extends Error {}

export class CatalogueImportWorker {
  private running: Promise<void> | null = null
  private again = false
  private stopped = false

  constructor(private readonly deps: CatalogueImportWorkerDeps) {}

  /** Processes queued jobs until none is left; a call while running makes it look once more at the end. */
  kick(): void {
    if (this.stopped) return
    if (this.running) {
      this.again = true
      return
    }
    this.running = this.drain()
      .catch((error: unknown) => this.deps.logger.error('catalogue import worker failed', { error }))
      .finally(() => {
        this.running = null
        if (this.again) {
          this.again = false
          this.kick()
        }
      })
  }

  /** Resolves when no job is being processed (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running
  }

  async stop(): Promise<void> {
    this.stopped = true
    await this.idle()
  }

  private now(): Date {
    return new Date(this.deps.clock.now())
  }

  private async drain(): Promise<void> {
    const { db, instanceId } = this.deps
    for (;;) {
      if (this.stopped) return
      const job = await claimNextImport(db, instanceId, this.now(), LEASE_MS)
      if (!job) return
      let failure: string | null = null
      try {
        if (job.source === 'csv') await this.runCsv(job)
        else await this.runShopify(job)
      } catch (error) {
        if (error instanceof ImportLostError) continue
        if (error instanceof CsvImportFailure || error instanceof ShopifySyncFailure) failure = error.message
        else {
          this.deps.logger.error('catalogue import failed', { importId: job.id, error })
          failure = 'The import stopped because of an error on our side; try again'
        }
      }
      await finishImport(db, job, instanceId, { failure }, this.now())
    }
  }

  private async runCsv(job: {
    merchant_id: string
    id: string
    options: { currency: string | null; storeUrl: string | null }
  }) {
    const merchant = await this.deps.db
      .selectFrom('merchants')
      .select('budget_currency')
      .where('id', '=', job.merchant_id)
      .executeTakeFirstOrThrow()
    await readProductCsv(
      readImportFile(this.deps.db, job),
      { currency: job.options.currency ?? merchant.budget_currency, storeUrl: job.options.storeUrl },
      (batch) =>
        this.write(job, {
          products: batch.products,
          errors: batch.errors,
          bytes: batch.bytes,
          rows: batch.rows,
        }),
    )
  }

  private async runShopify(job: CatalogueImport) {
    await syncShopifyProducts(
      this.deps,
      job,
      async (page) => {
        if (page.first) {
          await recordSyncTotal(this.deps.db, job, this.deps.instanceId, page.total, page.currency)
        }
        await this.write(job, {
          products: page.products,
          errors: page.errors,
          bytes: page.read,
          rows: page.read,
        })
      },
      { pageSize: this.deps.shopifyPageSize },
    )
  }

  /** One batch and its progress in one transaction: the counts never disagree with the rows. */
  private async write(job: { merchant_id: string; id: string }, batch: Batch): Promise<void> {
    const now = this.now()
    await this.deps.db.transaction().execute(async (trx) => {
      const counts = await writeProducts(trx, job.merchant_id, batch.products, now)
      const ours = await recordImportProgress(
        trx,
        job,
        this.deps.instanceId,
        { ...counts, errors: batch.errors, bytes: batch.bytes, rows: batch.rows },
        now,
        LEASE_MS,
      )
      if (!ours) throw new ImportLostError()
    })
  }
}
