// Where a sync job's products come from (a connected store's API), page by page; the worker writes each page.
import type { CatalogueImport, CatalogueImportError } from '@parley/db'
import type { ProductDraft } from './product-draft.ts'

export interface SourcePage {
  products: ProductDraft[]
  errors: CatalogueImportError[]
  /** Running totals for the progress bar: bytes stand in for "products read so far" on sync jobs. */
  rows: number
  bytes: number
}

export interface ProductSource {
  run(job: CatalogueImport, writePage: (page: SourcePage) => Promise<void>): Promise<void>
}

/** A sync failure the merchant can act on (credentials revoked, store unreachable): shown as the job's reason. */
export class StoreSyncError extends Error {
  override name = 'StoreSyncError'
}
