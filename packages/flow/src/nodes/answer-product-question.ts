// Answer product question: the runtime answers the shopper's last message from the catalogue ("is this
// in blue?"); the answer is saved in `answer` and, optionally, sent straight away with the card of the product
// it is about.
import { z } from 'zod'
import type { ProductCard } from '../effects.ts'
import { EFFECT_RESULT_TIMEOUT_MS, effectWaitState, resultData } from './effect-wait.ts'
import type { ActionSpec, NodeKind } from './types.ts'

export const answerProductQuestionConfigSchema = z.object({
  /** Send the answer as a message; off, later steps can use {{answer}} themselves. */
  sendAnswer: z.boolean(),
})
export type AnswerProductQuestionConfig = z.infer<typeof answerProductQuestionConfigSchema>

export const answerProductQuestionDefaults = {
  sendAnswer: true,
} as const satisfies AnswerProductQuestionConfig

/** The cards of the products the answer is about (`{ cards: [...] }`, 1–3), shown with the answer. */
export function answerCards(data: unknown): ProductCard[] {
  if (typeof data !== 'object' || data === null) return []
  const cards = (data as { cards?: unknown }).cards
  if (!Array.isArray(cards)) return []
  return cards
    .filter((c): c is ProductCard => typeof (c as Partial<ProductCard> | null)?.title === 'string')
    .slice(0, 3)
}

/** The answer text from an effect result: a string, or `{ text }`. */
export function answerText(data: unknown): string {
  if (typeof data === 'string') return data
  if (typeof data === 'object' && data !== null) {
    const text = (data as { text?: unknown }).text
    if (typeof text === 'string') return text
  }
  return ''
}

export const answerProductQuestion: NodeKind<'answer-product-question', AnswerProductQuestionConfig> = {
  kind: 'answer-product-question',
  title: 'Answer product question',
  description: 'Answers the shopper’s question from your catalogue.',
  group: 'actions',
  configSchema: answerProductQuestionConfigSchema,
  defaults: answerProductQuestionDefaults,
  handles: () => [
    { id: 'answered', label: 'Answered' },
    { id: 'unanswered', label: 'No answer' },
  ],
  facts: (config) => ({
    sends: config.sendAnswer ? 1 : 0,
    marketing: false,
    timing: {
      answered: { min: 0, max: EFFECT_RESULT_TIMEOUT_MS },
      unanswered: { min: 0, max: EFFECT_RESULT_TIMEOUT_MS },
    },
    opensWindow: [],
    waits: true,
    terminal: false,
    writes: ['answer'],
    hasTemplateFallback: false,
  }),
  check: () => [],
  templates: () => ['{{reply}}'],
  compile: (config, ctx) => {
    const onOk: ActionSpec[] = [
      { type: 'setVar', params: (args) => ({ name: 'answer', value: answerText(resultData(args)) }) },
    ]
    if (config.sendAnswer) {
      onOk.push({
        type: 'emit',
        params: (args) => {
          const cards = answerCards(resultData(args))
          // One card as the message's card; two or three side by side (a comparison).
          const shown =
            cards.length === 1 ? { product: cards[0] } : cards.length > 1 ? { products: cards } : {}
          return {
            type: 'send',
            nodeId: ctx.nodeId,
            message: { text: String(args.context.vars.answer ?? ''), ...shown },
            purpose: 'service',
          }
        },
      })
    }
    return effectWaitState(
      {
        entry: [
          {
            type: 'emit',
            params: ({ context }) => ({
              type: 'product.answer',
              nodeId: ctx.nodeId,
              question: typeof context.vars.reply === 'string' ? context.vars.reply : '',
            }),
          },
        ],
        okHandle: 'answered',
        failHandle: 'unanswered',
        onOk,
        timeoutMs: EFFECT_RESULT_TIMEOUT_MS,
      },
      ctx,
    )
  },
}
