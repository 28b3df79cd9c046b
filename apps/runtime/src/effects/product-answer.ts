// The `product.answer` effect, answered from the merchant's catalogue inside the step with the rule in
// packages/flow (`answerFromCatalogue`), which the editor's simulator uses too.
import type { Database, Product } from '@parley/db'
import { answerFromCatalogue, type CatalogueProduct, type ProductAnswer } from '@parley/flow'
import type { Kysely } from 'kysely'

/** A products row as the catalogue answer (and the simulation world) reads it. */
export function catalogueProduct(product: Product): CatalogueProduct {
  return {
    id: product.id,
    externalId: product.external_id,
    title: product.title,
    description: product.description,
    price: product.price,
    currency: product.currency,
    inStock: product.in_stock,
    attributes: product.attributes,
  }
}

export async function answerProductQuestion(
  db: Kysely<Database>,
  merchantId: string,
  question: string,
  context: string[],
): Promise<ProductAnswer | null> {
  const products = await db
    .selectFrom('products')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .orderBy('title')
    .limit(2000)
    .execute()
  return answerFromCatalogue(question, products.map(catalogueProduct), context)
}
