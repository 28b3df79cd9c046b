// How orders and carts name a product, as one key: the store's product id (Shopify's numeric id as its gid, the
// form the catalogue keeps), else the product's title ("title:linen shirt"). The sales counters are keyed by it,
// and a catalogue product is matched to a key by its id, store id, handle or title. The migration that counted
// existing orders (202611300920_product_sales) writes the same keys in SQL.
import { sql } from 'kysely'
import { productGid } from '../catalogue/shopify-products.ts'

export function productKey(item: { productId?: unknown; title?: unknown }): string | null {
  const id = typeof item.productId === 'string' ? item.productId.trim() : ''
  if (id !== '') return /^\d+$/.test(id) ? productGid(id) : id
  const title = typeof item.title === 'string' ? item.title.trim().toLowerCase() : ''
  return title === '' ? null : `title:${title}`
}

/** The keys an order or a cart may use for catalogue product `p` (an alias in a query): `key = any(...)`. */
export const catalogueProductKeys = (alias: string) =>
  sql`array[${sql.ref(`${alias}.external_id`)}, ${sql.ref(`${alias}.handle`)}, ${sql.ref(`${alias}.id`)}::text,
    'title:' || lower(${sql.ref(`${alias}.title`)})]`
