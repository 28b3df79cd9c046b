// The store's side: carts (abandonment and recovery), orders (tracking), the product catalogue.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'
import type {
  DefaultTimestamp,
  Id,
  JsonObject,
  JsonWithDefault,
  NullableNumeric,
  NullableTimestamp,
  Numeric,
  Timestamp,
} from './columns.ts'

export interface CartItem {
  [key: string]: JsonObject[string]
  title: string
  quantity: number
  price: number | string
  image: string | null
  product_id: string | null
  url: string | null
}

export type CartStatus = 'active' | 'abandoned' | 'recovered'

export interface CartsTable {
  merchant_id: string
  id: Id
  /** The store's cart / checkout token; orders refer to it. */
  token: string
  contact_id: string | null
  items: JsonWithDefault<CartItem[]>
  value: Numeric
  currency: string
  checkout_url: string | null
  last_activity_at: Timestamp
  /** last_activity_at + the merchant's threshold while active; the abandonment sweep claims by it. */
  abandon_at: NullableTimestamp
  status: ColumnType<CartStatus, CartStatus | undefined, CartStatus>
  abandoned_at: NullableTimestamp
  recovered_at: NullableTimestamp
  recovered_order_id: string | null
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
}

export interface OrdersTable {
  merchant_id: string
  id: Id
  /** The number the shopper sees (#1001). */
  number: string
  external_id: string | null
  contact_id: string | null
  cart_token: string | null
  items: JsonWithDefault<JsonObject[]>
  total: Numeric
  currency: string
  /** Store-defined (created, paid, fulfilled, shipped, delivered, cancelled, refunded, ...). */
  status: string
  tracking_number: string | null
  tracking_carrier: string | null
  tracking_url: string | null
  shipped_at: NullableTimestamp
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
}

export interface ProductsTable {
  merchant_id: string
  id: Id
  external_id: string | null
  title: string
  description: Generated<string>
  price: Numeric
  currency: string
  image_url: string | null
  url: string | null
  tags: ColumnType<string[], string[] | undefined, string[]>
  /** Colours, sizes, fit ("runs small"), material...: what product questions are answered from. */
  attributes: JsonWithDefault<JsonObject>
  in_stock: Generated<boolean>
  /** The store's key for the product (Shopify handle); imports and sync upsert by it. Null for seeded rows. */
  handle: string | null
  vendor: Generated<string>
  product_type: Generated<string>
  status: ColumnType<ProductStatus, ProductStatus | undefined, ProductStatus>
  compare_at_price: NullableNumeric
  images: JsonWithDefault<ProductImage[]>
  /** Option names in order (Size, Colour, ...): variants' option1..3 are their values. */
  option_names: ColumnType<string[], string[] | undefined, string[]>
  /** What full-text search indexes (title, vendor, type, tags, option values, SKUs), kept by the writers. */
  search_text: Generated<string>
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
}

export type ProductStatus = 'active' | 'draft' | 'archived'

export interface ProductImage {
  [key: string]: JsonObject[string]
  src: string
  position: number
  alt: string | null
}

export type Cart = Selectable<CartsTable>
export type NewCart = Insertable<CartsTable>
export type CartUpdate = Updateable<CartsTable>
export type Order = Selectable<OrdersTable>
export type NewOrder = Insertable<OrdersTable>
export type OrderUpdate = Updateable<OrdersTable>
export type Product = Selectable<ProductsTable>
export type NewProduct = Insertable<ProductsTable>
export type ProductUpdate = Updateable<ProductsTable>
