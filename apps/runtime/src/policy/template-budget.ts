// The monthly WhatsApp template budget. Spending takes a row lock on the month's template_spend rows, so two
// concurrent steps can never both spend the last of the budget.
import type { Database } from '@parley/db'
import { type Kysely, sql } from 'kysely'

export interface TemplateSpendRequest {
  merchantId: string
  /** 'YYYY-MM-01' in the merchant's time zone. */
  month: string
  category: string
  amount: number
  currency: string
  /** Null: no budget, always allowed (still recorded). */
  budget: string | null
  at: number
}

/** Records the spend and returns true, or returns false (nothing written) when it would exceed the budget. */
export async function spendTemplateBudget(
  trx: Kysely<Database>,
  req: TemplateSpendRequest,
): Promise<boolean> {
  await trx
    .insertInto('template_spend')
    .values({
      merchant_id: req.merchantId,
      month: req.month,
      category: req.category,
      amount: 0,
      currency: req.currency,
    })
    .onConflict((oc) => oc.columns(['merchant_id', 'month', 'category']).doNothing())
    .execute()
  const rows = await trx
    .selectFrom('template_spend')
    .select(['category', 'amount'])
    .where('merchant_id', '=', req.merchantId)
    .where('month', '=', req.month)
    .orderBy('category')
    .forUpdate()
    .execute()
  const spent = rows.reduce((sum, row) => sum + Number(row.amount), 0)
  if (req.budget !== null && spent + req.amount > Number(req.budget) + 1e-9) return false
  await trx
    .updateTable('template_spend')
    .set({
      amount: sql`amount + ${req.amount}`,
      messages: sql`messages + 1`,
      updated_at: new Date(req.at),
    })
    .where('merchant_id', '=', req.merchantId)
    .where('month', '=', req.month)
    .where('category', '=', req.category)
    .execute()
  return true
}
