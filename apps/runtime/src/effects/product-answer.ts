// The `product.answer` effect: the few products the question can be about are retrieved from the merchant's
// catalogue (catalogue/product-retrieval.ts, never the whole catalogue), then answered inside the step with the
// rule in packages/flow (`answerFromCatalogue`), which the editor's simulator uses too.
import type { Database } from '@parley/db'
import { answerFromCatalogue, type ProductAnswer } from '@parley/flow'
import type { Kysely, Transaction } from 'kysely'
import { retrieveProducts } from '../catalogue/product-retrieval.ts'

export async function answerProductQuestion(
  db: Kysely<Database> | Transaction<Database>,
  merchantId: string,
  question: string,
  context: string[],
): Promise<ProductAnswer | null> {
  const products = await retrieveProducts(db, merchantId, question, { context })
  return answerFromCatalogue(question, products, context)
}
