// Writes product drafts in set-based statements: one upsert of products by (merchant, handle), one of their
// variants by (product, variant key), one delete of variants a complete product no longer lists. Rows are only
// rewritten when a value differs, so importing the same file again changes nothing (not even updated_at).
import { type Database, jsonb, type ProductImage } from '@parley/db'
import { type Kysely, sql, type Transaction } from 'kysely'
import type { ProductDraft } from './product-draft.ts'
import { summarise } from './product-summary.ts'

export interface WriteCounts {
  created: number
  updated: number
  unchanged: number
}

type Db = Kysely<Database> | Transaction<Database>

/** Upserts a batch; a handle repeated within it is written in a later statement (a row is upserted once each). */
export async function writeProducts(
  db: Db,
  merchantId: string,
  drafts: readonly ProductDraft[],
  now: Date,
): Promise<WriteCounts> {
  const counts: WriteCounts = { created: 0, updated: 0, unchanged: 0 }
  let batch: ProductDraft[] = []
  const seen = new Set<string>()
  const flush = async () => {
    if (batch.length === 0) return
    const c = await writeUniqueBatch(db, merchantId, batch, now)
    counts.created += c.created
    counts.updated += c.updated
    counts.unchanged += c.unchanged
    batch = []
    seen.clear()
  }
  for (const draft of drafts) {
    if (seen.has(draft.handle)) await flush()
    seen.add(draft.handle)
    batch.push(draft)
  }
  await flush()
  return counts
}

async function writeUniqueBatch(
  db: Db,
  merchantId: string,
  drafts: readonly ProductDraft[],
  now: Date,
): Promise<WriteCounts> {
  const renamed = await followRenamedHandles(db, merchantId, drafts)
  const rows = drafts.map((d) => {
    const s = summarise(d)
    return {
      merchant_id: merchantId,
      handle: d.handle,
      external_id: d.externalId,
      title: d.title,
      description: d.description,
      vendor: d.vendor,
      product_type: d.productType,
      tags: d.tags,
      status: d.status,
      price: s.price,
      compare_at_price: s.compareAtPrice,
      currency: d.currency,
      image_url: s.imageUrl,
      url: d.url,
      images: jsonb(d.images),
      option_names: d.optionNames,
      attributes: jsonb(s.attributes),
      in_stock: s.inStock,
      search_text: s.searchText,
      updated_at: now,
      created_at: now,
    }
  })
  const written = await db
    .insertInto('products')
    .values(rows)
    .onConflict((oc) =>
      oc
        .columns(['merchant_id', 'handle'])
        .doUpdateSet({
          external_id: sql`coalesce(excluded.external_id, products.external_id)`,
          title: sql`excluded.title`,
          description: sql`excluded.description`,
          vendor: sql`excluded.vendor`,
          product_type: sql`excluded.product_type`,
          tags: sql`excluded.tags`,
          status: sql`excluded.status`,
          price: sql`excluded.price`,
          compare_at_price: sql`excluded.compare_at_price`,
          currency: sql`excluded.currency`,
          image_url: sql`excluded.image_url`,
          url: sql`coalesce(excluded.url, products.url)`,
          images: sql<ProductImage[]>`excluded.images`,
          option_names: sql`excluded.option_names`,
          // Attributes the catalogue does not carry (fit, material) are kept; option values replace their keys.
          attributes: sql`products.attributes || excluded.attributes`,
          in_stock: sql`excluded.in_stock`,
          search_text: sql`excluded.search_text`,
          updated_at: sql`excluded.updated_at`,
        })
        .where(
          sql<boolean>`(products.external_id, products.title, products.description, products.vendor,
            products.product_type, products.tags, products.status, products.price, products.compare_at_price,
            products.currency, products.image_url, products.url, products.images, products.option_names,
            products.attributes, products.in_stock, products.search_text)
          is distinct from
            (coalesce(excluded.external_id, products.external_id), excluded.title, excluded.description,
            excluded.vendor, excluded.product_type, excluded.tags, excluded.status, excluded.price,
            excluded.compare_at_price, excluded.currency, excluded.image_url,
            coalesce(excluded.url, products.url), excluded.images, excluded.option_names,
            products.attributes || excluded.attributes, excluded.in_stock, excluded.search_text)`,
        ),
    )
    .returning(['id', 'handle', sql<boolean>`xmax = 0`.as('inserted')])
    .execute()

  const ids = new Map<string, string>()
  const created = new Set<string>()
  const updated = new Set<string>()
  for (const row of written) {
    ids.set(row.handle ?? '', row.id)
    if (row.inserted) created.add(row.id)
    else updated.add(row.id)
  }
  const unwritten = drafts.map((d) => d.handle).filter((h) => !ids.has(h))
  if (unwritten.length > 0) {
    const existing = await db
      .selectFrom('products')
      .select(['id', 'handle'])
      .where('merchant_id', '=', merchantId)
      .where('handle', '=', sql<string>`any(${unwritten}::text[])`)
      .execute()
    for (const row of existing) ids.set(row.handle ?? '', row.id)
  }

  const variantRows = drafts.flatMap((d) => {
    const productId = ids.get(d.handle) as string
    return d.variants.map((v) => ({
      merchant_id: merchantId,
      product_id: productId,
      variant_key: v.key,
      external_id: v.externalId,
      sku: v.sku,
      title: v.title,
      option1: v.options[0],
      option2: v.options[1],
      option3: v.options[2],
      price: v.price,
      compare_at_price: v.compareAtPrice,
      inventory_quantity: v.inventory,
      image_url: v.imageUrl,
      position: v.position,
      created_at: now,
      updated_at: now,
    }))
  })
  const changedVariantsOf = new Set<string>()
  // 16 parameters a row: stay well below Postgres's 65,535 bind parameters per statement.
  for (let i = 0; i < variantRows.length; i += 2000) {
    const changed = await db
      .insertInto('product_variants')
      .values(variantRows.slice(i, i + 2000))
      .onConflict((oc) =>
        oc
          .columns(['merchant_id', 'product_id', 'variant_key'])
          .doUpdateSet({
            external_id: sql`coalesce(excluded.external_id, product_variants.external_id)`,
            sku: sql`excluded.sku`,
            title: sql`excluded.title`,
            option1: sql`excluded.option1`,
            option2: sql`excluded.option2`,
            option3: sql`excluded.option3`,
            price: sql`excluded.price`,
            compare_at_price: sql`excluded.compare_at_price`,
            inventory_quantity: sql`excluded.inventory_quantity`,
            image_url: sql`excluded.image_url`,
            position: sql`excluded.position`,
            updated_at: sql`excluded.updated_at`,
          })
          .where(
            sql<boolean>`(product_variants.sku, product_variants.title, product_variants.option1,
              product_variants.option2, product_variants.option3, product_variants.price,
              product_variants.compare_at_price, product_variants.inventory_quantity, product_variants.image_url,
              product_variants.position)
            is distinct from
              (excluded.sku, excluded.title, excluded.option1, excluded.option2, excluded.option3, excluded.price,
              excluded.compare_at_price, excluded.inventory_quantity, excluded.image_url, excluded.position)`,
          ),
      )
      .returning('product_id')
      .execute()
    for (const row of changed) changedVariantsOf.add(row.product_id)
  }

  // A complete product lists all its variants: the ones it no longer lists go. A partial one keeps them.
  const complete = drafts.filter((d) => !d.partial)
  if (complete.length > 0) {
    const productIds = complete.map((d) => ids.get(d.handle) as string)
    const keepProduct = complete.flatMap((d) => d.variants.map(() => ids.get(d.handle) as string))
    const keepKey = complete.flatMap((d) => d.variants.map((v) => v.key))
    const removed = await sql<{ product_id: string }>`
      delete from product_variants v
      where v.merchant_id = ${merchantId} and v.product_id = any(${productIds}::uuid[])
        and not exists (
          select 1 from unnest(${keepProduct}::uuid[], ${keepKey}::text[]) as k(product_id, variant_key)
          where k.product_id = v.product_id and k.variant_key = v.variant_key)
      returning v.product_id`.execute(db)
    for (const row of removed.rows) changedVariantsOf.add(row.product_id)
  }

  let touched = 0
  for (const id of renamed) changedVariantsOf.add(id)
  for (const id of changedVariantsOf) if (!created.has(id) && !updated.has(id)) touched++
  return {
    created: created.size,
    updated: updated.size + touched,
    unchanged: drafts.length - created.size - updated.size - touched,
  }
}

/**
 * A store product whose handle changed (Shopify lets merchants edit it) keeps its row: the upsert matches by
 * handle, so the row known by the draft's external id takes the new handle first, unless another row already
 * has it. Returns the ids of the rows renamed.
 */
async function followRenamedHandles(
  db: Db,
  merchantId: string,
  drafts: readonly ProductDraft[],
): Promise<string[]> {
  const known = drafts.filter((d) => d.externalId !== null)
  if (known.length === 0) return []
  const result = await sql<{ id: string }>`
    update products p set handle = r.handle
    from unnest(${known.map((d) => d.externalId)}::text[], ${known.map((d) => d.handle)}::text[])
      as r(external_id, handle)
    where p.merchant_id = ${merchantId} and p.external_id = r.external_id and p.handle is distinct from r.handle
      and not exists (select 1 from products q where q.merchant_id = ${merchantId} and q.handle = r.handle)
    returning p.id`.execute(db)
  return result.rows.map((r) => r.id)
}
