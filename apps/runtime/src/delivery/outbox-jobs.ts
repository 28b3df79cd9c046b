// What an outbox row asks the relay to do, parsed when the row is claimed: a row written by an older or newer
// version of the runtime (or by hand) is checked against the shape the relay relies on, not cast to it.
import type { OutboxEntry } from '@parley/db'
import { z } from 'zod'
import type { HttpJob } from '../effects/http-request.ts'
import type { MessageJob } from '../effects/send.ts'
import type { Db } from '../engine/step-transaction.ts'
import type { LlmAnswerJob } from '../llm/llm-answer-job.ts'

const productCardSchema = z.object({
  title: z.string(),
  imageUrl: z.string().optional(),
  price: z.number().optional(),
  currency: z.string().optional(),
  url: z.string().optional(),
  productId: z.string().optional(),
})

const messageSchema = z.object({
  text: z.string(),
  imageUrl: z.string().optional(),
  product: productCardSchema.optional(),
  products: z.array(productCardSchema).optional(),
  buttons: z.array(z.object({ id: z.string(), title: z.string() })).optional(),
  link: z.object({ title: z.string(), url: z.string() }).optional(),
})

const templateSchema = z.object({
  name: z.string(),
  language: z.string(),
  category: z.enum(['marketing', 'utility', 'authentication']),
  params: z.array(z.string()),
})

const messageJobSchema = z.object({
  kind: z.literal('message'),
  to: z.string(),
  message: messageSchema,
  template: templateSchema.optional(),
  fallbackTemplate: templateSchema.optional(),
  messageId: z.string(),
  purpose: z.enum(['marketing', 'transactional', 'service']),
  exemption: z.enum(['none', 'handoff', 'compliance']),
  mode: z.enum(['free_form', 'template']),
}) satisfies z.ZodType<MessageJob>

const httpJobSchema = z.object({
  kind: z.literal('http.request'),
  runId: z.string(),
  effect: z.object({
    type: z.literal('http.request'),
    nodeId: z.string(),
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
    url: z.string(),
    headers: z.record(z.string(), z.string()),
    body: z.string().optional(),
    timeoutMs: z.number(),
  }),
}) satisfies z.ZodType<HttpJob>

const catalogueAnswerSchema = z.object({ text: z.string(), productIds: z.array(z.string()) })

// The facts are carried as the step built them and only ever sent back out as JSON: checked for shape, not remade.
const llmAnswerJobSchema = z.object({
  kind: z.literal('llm.answer'),
  runId: z.string(),
  nodeId: z.string(),
  question: z.string(),
  fallback: catalogueAnswerSchema.nullable(),
  facts: z.object({
    products: z.array(
      z.object({
        title: z.string(),
        price: z.string(),
        compareAtPrice: z.string().optional(),
        currency: z.string(),
        inStock: z.boolean(),
        description: z.string(),
        attributes: z.record(z.string(), z.unknown()),
        variants: z.array(z.object({ title: z.string(), price: z.string(), inStock: z.boolean() })),
      }),
    ),
    store: z.object({ storeName: z.string(), returnWindowDays: z.number() }),
  }),
}) satisfies z.ZodType<LlmAnswerJob>

export const outboxJobSchema = z.discriminatedUnion('kind', [
  messageJobSchema,
  httpJobSchema,
  llmAnswerJobSchema,
])

export type OutboxJob = MessageJob | HttpJob | LlmAnswerJob

/** The job of a claimed outbox row; throws (a ZodError naming the field) when the payload is not one. */
export function parseOutboxJob(payload: unknown): OutboxJob {
  return outboxJobSchema.parse(payload)
}

/** The job, or null when the payload is not one (the relay fails such a row instead of sending it). */
export function readOutboxJob(payload: unknown): OutboxJob | null {
  const parsed = outboxJobSchema.safeParse(payload)
  return parsed.success ? parsed.data : null
}

/** A claimed row whose payload is not a job: failed, with its transcript row, never sent. */
export async function failMalformedJob(trx: Db, row: OutboxEntry, now: number): Promise<void> {
  const error = 'Malformed outbox job'
  await trx
    .updateTable('outbox')
    .set({ status: 'failed', last_error: error, locked_until: null, updated_at: new Date(now) })
    .where('merchant_id', '=', row.merchant_id)
    .where('id', '=', row.id)
    .execute()
  if (!row.message_id) return
  await trx
    .updateTable('messages')
    .set({ status: 'failed', error, updated_at: new Date(now) })
    .where('merchant_id', '=', row.merchant_id)
    .where('id', '=', row.message_id)
    .execute()
}
