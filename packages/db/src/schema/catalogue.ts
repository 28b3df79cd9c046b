// The catalogue beyond the products row: variants, and import jobs with their uploaded file in chunks.
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'
import type {
  DefaultTimestamp,
  Id,
  JsonWithDefault,
  NullableNumeric,
  NullableTimestamp,
  Numeric,
} from './columns.ts'

export interface ProductVariantsTable {
  merchant_id: string
  id: Id
  product_id: string
  /** The SKU when there is one, else `options:` and the option values: what a re-import matches on. */
  variant_key: string
  external_id: string | null
  sku: string | null
  title: string
  option1: string | null
  option2: string | null
  option3: string | null
  price: Numeric
  compare_at_price: NullableNumeric
  /** Null when the store does not track inventory (always available). */
  inventory_quantity: number | null
  image_url: string | null
  position: Generated<number>
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
}

export type CatalogueImportSource = 'csv' | 'shopify'
export type CatalogueImportStatus = 'queued' | 'running' | 'done' | 'failed'

export interface CatalogueImportError {
  [key: string]: string | number | null
  /** The line in the file (1 = the header), or null for errors not tied to a row (Shopify sync). */
  line: number | null
  handle: string | null
  message: string
}

export interface CatalogueImportOptions {
  [key: string]: string | null
  currency: string | null
  storeUrl: string | null
  channelId: string | null
}

/** bigint columns read as strings on pg and numbers on PGlite: read through Number(). */
type BigCount = ColumnType<string | number, number | undefined, number>

export interface CatalogueImportsTable {
  merchant_id: string
  id: Id
  source: CatalogueImportSource
  file_name: Generated<string>
  status: ColumnType<CatalogueImportStatus, CatalogueImportStatus | undefined, CatalogueImportStatus>
  bytes_total: BigCount
  bytes_done: BigCount
  rows_done: Generated<number>
  products_created: Generated<number>
  products_updated: Generated<number>
  products_unchanged: Generated<number>
  error_count: Generated<number>
  errors: JsonWithDefault<CatalogueImportError[]>
  options: JsonWithDefault<CatalogueImportOptions>
  failure: string | null
  created_by: string | null
  locked_by: string | null
  lease_until: NullableTimestamp
  started_at: NullableTimestamp
  finished_at: NullableTimestamp
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
}

export interface CatalogueImportChunksTable {
  merchant_id: string
  import_id: string
  seq: number
  data: Uint8Array
}

export type ProductVariant = Selectable<ProductVariantsTable>
export type NewProductVariant = Insertable<ProductVariantsTable>
export type CatalogueImport = Selectable<CatalogueImportsTable>
