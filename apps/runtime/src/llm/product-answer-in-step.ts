// The `product.answer` effect inside the step, with AI answers: the catalogue answers first (always, and from
// the same rows as without AI). When the merchant has AI answers on and the catalogue found products, the
// step does not answer yet: it queues an `llm.answer` job carrying the question, those products' facts and the
// catalogue answer as the fallback. No network inside the step; the job runs after commit (llm-answer-job.ts).

import type { Run } from '@parley/db'
import type { ProductAnswer, ProductAnswerEffect } from '@parley/flow'
import { answerProductQuestion } from '../effects/product-answer.ts'
import type { StepBatch } from '../engine/step-batch.ts'
import { loadAnswerFacts } from './answer-facts.ts'
import { llmAnswerJobRow } from './llm-answer-job.ts'
import { llmAnswersEnabled } from './llm-settings.ts'

export async function answerProductQuestionInStep(
  batch: StepBatch,
  run: Run,
  effect: ProductAnswerEffect,
  cartProductIds: string[],
): Promise<ProductAnswer | null | 'queued'> {
  const { trx, ctx } = batch
  const answer = await answerProductQuestion(trx, run.merchant_id, effect.question, cartProductIds)
  // Nothing retrieved is nothing to ground an AI answer on: "no answer" (a clear handoff) stays the rule.
  if (!answer || answer.productIds.length === 0 || !run.conversation_id) return answer
  if (!(await llmAnswersEnabled(trx, run.merchant_id))) return answer
  const target = await batch.target(run.merchant_id, run.conversation_id)
  if (!target) return answer
  const facts = await loadAnswerFacts(trx, run.merchant_id, answer.productIds)
  batch.writes.addOutbox(
    llmAnswerJobRow(
      run,
      target.conversation,
      { nodeId: effect.nodeId, question: effect.question, fallback: answer, facts },
      ctx.now,
    ),
  )
  ctx.queued += 1
  ctx.queuedHttp += 1
  return 'queued'
}
