// The catalogue API for owners and editors: search, a product with its variants, CSV upload (queued as a
// background import; the body streams into the job's chunks, never whole into memory), import progress and
// history.
import { createRoute } from '@hono/zod-openapi'
import {
  type CatalogueImport as CatalogueImportView,
  catalogueImportDetailSchema,
  catalogueImportListSchema,
  catalogueUploadQuerySchema,
  idParamsSchema,
  MAX_CATALOGUE_UPLOAD_BYTES,
  type ProductSummary,
  productDetailSchema,
  productSearchQuerySchema,
  productSearchResultSchema,
} from '@parley/api'
import type { CatalogueImport, ProductImage, ProductVariant } from '@parley/db'
import { findProduct, type ProductRow, productTypes, searchProducts } from '../catalogue/catalogue-search.ts'
import {
  createCsvImport,
  createShopifyImport,
  EmptyUpload,
  findImport,
  listImports,
  UploadTooLarge,
} from '../catalogue/import-jobs.ts'
import { findShopifyStore } from '../catalogue/shopify-sync.ts'
import type { RuntimeDeps } from '../deps.ts'
import { AppError, notFound } from '../http/errors.ts'
import { errorResponses } from '../http/openapi-responses.ts'
import { requireRole } from '../http/require-role.ts'
import { createRouter } from '../http/router.ts'
import { requireSession } from '../http/session-auth.ts'
import { getSessionCaller } from '../http/tenant.ts'

const guard = [requireSession, requireRole('owner', 'editor')]
const tags = ['catalogue']
const CSV_TYPES = [
  'text/csv',
  'text/plain',
  'application/csv',
  'application/vnd.ms-excel',
  'application/octet-stream',
]

const search = createRoute({
  method: 'get',
  path: '/products',
  tags,
  summary: 'Search the catalogue',
  security: [{ session: [] }],
  middleware: guard,
  request: { query: productSearchQuerySchema },
  responses: {
    200: {
      description: 'A page of products',
      content: { 'application/json': { schema: productSearchResultSchema } },
    },
    ...errorResponses,
  },
})

const detail = createRoute({
  method: 'get',
  path: '/products/{id}',
  tags,
  summary: 'A product with its variants',
  security: [{ session: [] }],
  middleware: guard,
  request: { params: idParamsSchema },
  responses: {
    200: { description: 'The product', content: { 'application/json': { schema: productDetailSchema } } },
    ...errorResponses,
  },
})

const upload = createRoute({
  method: 'post',
  path: '/imports',
  tags,
  summary: `Upload a product CSV (the body, text/csv, up to ${MAX_CATALOGUE_UPLOAD_BYTES / 1024 / 1024} MB); it imports in the background`,
  security: [{ session: [] }],
  middleware: guard,
  request: { query: catalogueUploadQuerySchema },
  responses: {
    202: { description: 'Queued', content: { 'application/json': { schema: catalogueImportDetailSchema } } },
    ...errorResponses,
  },
})

const history = createRoute({
  method: 'get',
  path: '/imports',
  tags,
  summary: 'Recent imports, newest first',
  security: [{ session: [] }],
  middleware: guard,
  responses: {
    200: { description: 'Imports', content: { 'application/json': { schema: catalogueImportListSchema } } },
    ...errorResponses,
  },
})

const progress = createRoute({
  method: 'get',
  path: '/imports/{id}',
  tags,
  summary: "An import's progress and its row errors",
  security: [{ session: [] }],
  middleware: guard,
  request: { params: idParamsSchema },
  responses: {
    200: {
      description: 'The import',
      content: { 'application/json': { schema: catalogueImportDetailSchema } },
    },
    ...errorResponses,
  },
})

const shopifySync = createRoute({
  method: 'post',
  path: '/shopify-sync',
  tags,
  summary: 'Import every product of the connected Shopify store (in the background, like an upload)',
  security: [{ session: [] }],
  middleware: guard,
  responses: {
    202: { description: 'Queued', content: { 'application/json': { schema: catalogueImportDetailSchema } } },
    ...errorResponses,
  },
})

export function toProductSummary(p: ProductRow): ProductSummary {
  return {
    id: p.id,
    handle: p.handle,
    title: p.title,
    vendor: p.vendor,
    productType: p.product_type,
    status: p.status,
    price: Number(p.price).toFixed(2),
    compareAtPrice: p.compare_at_price === null ? null : Number(p.compare_at_price).toFixed(2),
    currency: p.currency,
    imageUrl: p.image_url,
    url: p.url,
    inStock: p.in_stock,
    variantCount: p.variant_count,
    updatedAt: p.updated_at.toISOString(),
  }
}

function toVariant(v: ProductVariant, optionNames: string[]) {
  const values = [v.option1, v.option2, v.option3]
  return {
    id: v.id,
    title: v.title,
    sku: v.sku,
    options: optionNames.flatMap((name, i) => (values[i] ? [{ name, value: values[i] as string }] : [])),
    price: Number(v.price).toFixed(2),
    compareAtPrice: v.compare_at_price === null ? null : Number(v.compare_at_price).toFixed(2),
    inventory: v.inventory_quantity,
    imageUrl: v.image_url,
  }
}

export function toImportView(job: CatalogueImport): CatalogueImportView {
  const total = Number(job.bytes_total)
  return {
    id: job.id,
    source: job.source,
    fileName: job.file_name,
    status: job.status,
    progress: job.status === 'done' ? 1 : total > 0 ? Math.min(1, Number(job.bytes_done) / total) : 0,
    rows: job.rows_done,
    created: job.products_created,
    updated: job.products_updated,
    unchanged: job.products_unchanged,
    errorCount: job.error_count,
    failure: job.failure,
    createdAt: job.created_at.toISOString(),
    finishedAt: job.finished_at?.toISOString() ?? null,
  }
}

function importDetail(job: CatalogueImport) {
  return { import: toImportView(job), errors: job.errors }
}

export function catalogueRoutes(deps: RuntimeDeps) {
  const { db, clock } = deps
  return createRouter()
    .openapi(search, async (c) => {
      const caller = getSessionCaller(c)
      const query = c.req.valid('query')
      const [found, types] = await Promise.all([
        searchProducts(db, caller.merchantId, query),
        productTypes(db, caller.merchantId),
      ])
      return c.json({ products: found.products.map(toProductSummary), total: found.total, types }, 200)
    })
    .openapi(detail, async (c) => {
      const caller = getSessionCaller(c)
      const found = await findProduct(db, caller.merchantId, c.req.valid('param').id)
      if (!found) throw notFound('Product')
      const { product, variants } = found
      return c.json(
        {
          product: {
            ...toProductSummary(product),
            description: product.description,
            tags: product.tags,
            images: product.images as ProductImage[],
            optionNames: product.option_names,
            variants: variants.map((v) => toVariant(v, product.option_names)),
          },
        },
        200,
      )
    })
    .openapi(upload, async (c) => {
      const caller = getSessionCaller(c)
      const query = c.req.valid('query')
      const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
      if (!CSV_TYPES.includes(type)) {
        throw new AppError(415, 'unsupported_media_type', 'Send the file as text/csv')
      }
      const declared = Number(c.req.header('content-length') ?? Number.NaN)
      if (declared > MAX_CATALOGUE_UPLOAD_BYTES) throw tooLarge()
      const body = c.req.raw.body
      if (!body || declared === 0) throw new AppError(400, 'bad_request', 'The file is empty')
      let job: CatalogueImport
      try {
        job = await createCsvImport(db, {
          merchantId: caller.merchantId,
          createdBy: caller.userId,
          fileName: query.fileName,
          options: { currency: query.currency ?? null, storeUrl: query.storeUrl ?? null, channelId: null },
          body: body as unknown as AsyncIterable<Uint8Array>,
          maxBytes: MAX_CATALOGUE_UPLOAD_BYTES,
          now: new Date(clock.now()),
        })
      } catch (error) {
        if (error instanceof UploadTooLarge) throw tooLarge()
        if (error instanceof EmptyUpload) throw new AppError(400, 'bad_request', 'The file is empty')
        throw error
      }
      deps.catalogueImports?.kick()
      return c.json(importDetail(job), 202)
    })
    .openapi(shopifySync, async (c) => {
      const caller = getSessionCaller(c)
      const store = await findShopifyStore(db, caller.merchantId)
      if (!store) {
        throw new AppError(409, 'conflict', 'Connect a Shopify store on the Channels screen first')
      }
      const job = await createShopifyImport(db, {
        merchantId: caller.merchantId,
        createdBy: caller.userId,
        channelId: store.id,
        shopName: store.name,
        now: new Date(clock.now()),
      })
      deps.catalogueImports?.kick()
      return c.json(importDetail(job), 202)
    })
    .openapi(history, async (c) => {
      const caller = getSessionCaller(c)
      const jobs = await listImports(db, caller.merchantId, 20)
      return c.json({ imports: jobs.map(toImportView) }, 200)
    })
    .openapi(progress, async (c) => {
      const caller = getSessionCaller(c)
      const job = await findImport(db, caller.merchantId, c.req.valid('param').id)
      if (!job) throw notFound('Import')
      return c.json(importDetail(job), 200)
    })
}

function tooLarge() {
  return new AppError(
    413,
    'payload_too_large',
    `The file is larger than ${MAX_CATALOGUE_UPLOAD_BYTES / 1024 / 1024} MB: split it into smaller files`,
  )
}

/** The upload path, which has its own size limit instead of the app-wide JSON one. */
export const CATALOGUE_UPLOAD_PATH = '/api/catalogue/imports'
