// The prompt of an AI product answer: the rules, the facts (only what retrieval found and the store's policies)
// and the shopper's question. Nothing else goes to the endpoint: no shopper name, phone, email, order or
// conversation history, and never another product or another merchant's data.

import type { AnswerFacts } from './answer-facts.ts'
import type { ChatMessage } from './chat-completion.ts'

/** Short answers for a chat bubble; also bounds the cost of one answer. */
export const ANSWER_MAX_TOKENS = 200

export function groundedPrompt(
  question: string,
  facts: AnswerFacts,
  catalogueAnswer: string | null,
): ChatMessage[] {
  const store = facts.store.storeName ? `the online store "${facts.store.storeName}"` : 'an online store'
  const rules = [
    `You answer a shopper's question for ${store}, in a chat.`,
    "Use only the facts below. They are the store's catalogue entries for this question and its policies.",
    'Never state a price, discount, stock level, availability, delivery time or product that is not in the facts.',
    'If the facts do not answer the question, say you are not sure and offer to pass it to the team.',
    "Answer in the shopper's language, in at most three short sentences of plain text (no markdown, no links).",
  ].join('\n')
  const factsText = JSON.stringify(
    {
      products: facts.products,
      policies: { returnWindowDays: facts.store.returnWindowDays },
      ...(catalogueAnswer ? { catalogueAnswer } : {}),
    },
    null,
    1,
  )
  return [
    { role: 'system', content: `${rules}\n\nFacts (JSON):\n${factsText}` },
    { role: 'user', content: question },
  ]
}
