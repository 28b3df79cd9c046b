// The catalogue: search products, a product with its variants, CSV imports (upload, progress, per-row errors,
// history).
import { z } from 'zod'
import { isoDateTime } from './common.ts'

const money = z.string().regex(/^\d+\.\d{2}$/)

export const productStatusSchema = z.enum(['active', 'draft', 'archived'])
export type ProductStatus = z.infer<typeof productStatusSchema>

export const productSummarySchema = z
  .object({
    id: z.uuid(),
    handle: z.string().nullable(),
    title: z.string(),
    vendor: z.string(),
    productType: z.string(),
    status: productStatusSchema,
    /** The lowest variant price, with that variant's compare-at price. */
    price: money,
    compareAtPrice: money.nullable(),
    currency: z.string(),
    imageUrl: z.string().nullable(),
    url: z.string().nullable(),
    inStock: z.boolean(),
    variantCount: z.number().int(),
    updatedAt: isoDateTime,
  })
  .meta({ id: 'ProductSummary' })
export type ProductSummary = z.infer<typeof productSummarySchema>

export const productVariantSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    sku: z.string().nullable(),
    options: z.array(z.object({ name: z.string(), value: z.string() })),
    price: money,
    compareAtPrice: money.nullable(),
    /** Null: stock is not tracked (always available). */
    inventory: z.number().int().nullable(),
    imageUrl: z.string().nullable(),
  })
  .meta({ id: 'ProductVariant' })
export type ProductVariant = z.infer<typeof productVariantSchema>

export const productDetailSchema = z
  .object({
    product: productSummarySchema.extend({
      description: z.string(),
      tags: z.array(z.string()),
      images: z.array(z.object({ src: z.string(), position: z.number().int(), alt: z.string().nullable() })),
      optionNames: z.array(z.string()),
      variants: z.array(productVariantSchema),
    }),
  })
  .meta({ id: 'ProductDetail' })
export type ProductDetail = z.infer<typeof productDetailSchema>

const queryBoolean = z.enum(['true', 'false']).transform((v) => v === 'true')

export const productSearchQuerySchema = z
  .object({
    /** Words to find in titles, vendors, types, tags, option values and SKUs; the last may be a prefix. */
    q: z.string().trim().max(200).optional(),
    inStock: queryBoolean.optional(),
    /** A product type (what Shopify calls Type, or the last step of its category). */
    type: z.string().trim().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    offset: z.coerce.number().int().min(0).max(100_000).default(0),
  })
  .meta({ id: 'ProductSearchQuery' })
/** What the client sends (the schema parses the query string's text into these). */
export type ProductSearchQuery = {
  q?: string
  inStock?: boolean
  type?: string
  limit?: number
  offset?: number
}

export const productSearchResultSchema = z
  .object({
    products: z.array(productSummarySchema),
    total: z.number().int(),
    /** Every product type in the catalogue, for the filter. */
    types: z.array(z.string()),
  })
  .meta({ id: 'ProductSearchResult' })
export type ProductSearchResult = z.infer<typeof productSearchResultSchema>

export const catalogueImportSchema = z
  .object({
    id: z.uuid(),
    source: z.enum(['csv', 'shopify']),
    fileName: z.string(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    /** 0..1, by bytes of the file read (CSV) or pages fetched (sync). */
    progress: z.number().min(0).max(1),
    rows: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    errorCount: z.number().int(),
    /** Why the whole import stopped, in words; null unless failed. */
    failure: z.string().nullable(),
    createdAt: isoDateTime,
    finishedAt: isoDateTime.nullable(),
  })
  .meta({ id: 'CatalogueImport' })
export type CatalogueImport = z.infer<typeof catalogueImportSchema>

export const catalogueImportErrorSchema = z
  .object({ line: z.number().int().nullable(), handle: z.string().nullable(), message: z.string() })
  .meta({ id: 'CatalogueImportError' })
export type CatalogueImportError = z.infer<typeof catalogueImportErrorSchema>

export const catalogueImportDetailSchema = z
  .object({ import: catalogueImportSchema, errors: z.array(catalogueImportErrorSchema) })
  .meta({ id: 'CatalogueImportDetail' })
export type CatalogueImportDetail = z.infer<typeof catalogueImportDetailSchema>

export const catalogueImportListSchema = z
  .object({ imports: z.array(catalogueImportSchema) })
  .meta({ id: 'CatalogueImportList' })
export type CatalogueImportList = z.infer<typeof catalogueImportListSchema>

export const catalogueUploadQuerySchema = z
  .object({
    fileName: z.string().trim().min(1).max(200).default('products.csv'),
    /** For exports without a currency column (Shopify's); default: the store's. */
    currency: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{3}$/, 'A three-letter currency code like USD')
      .transform((c) => c.toUpperCase())
      .optional(),
    /** The shop's address, to give products their page: `${storeUrl}/products/${handle}`. */
    storeUrl: z
      .url({ protocol: /^https?$/ })
      .max(300)
      .optional(),
  })
  .meta({ id: 'CatalogueUploadQuery' })
export type CatalogueUploadQuery = z.input<typeof catalogueUploadQuerySchema>

/** The largest CSV upload accepted (413 above it). */
export const MAX_CATALOGUE_UPLOAD_BYTES = 50 * 1024 * 1024
