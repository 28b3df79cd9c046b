// How a shopper's message is matched against buttons and keywords: a tapped button by id, a typed
// button title exactly (ignoring case, spaces and punctuation around it), a keyword as a whole word
// or phrase anywhere in the message.
import type { MessageReceivedEvent } from '../events.ts'
import { classifyIntentByRules } from '../intent/intent-rules.ts'
import type { ReplyIntent } from '../intent/reply-intent.ts'
import type { ActionSpec } from './types.ts'

export function normalizeText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

export interface ReplyCriteria {
  buttonIds: string[]
  titles: string[]
  keywords: string[]
}

export function replyMatches(event: MessageReceivedEvent, criteria: ReplyCriteria): boolean {
  if (event.buttonId !== undefined && criteria.buttonIds.includes(event.buttonId)) return true
  const text = normalizeText(typeof event.text === 'string' ? event.text : '')
  if (text === '') return false
  if (criteria.titles.some((title) => normalizeText(title) === text)) return true
  const padded = ` ${text} `
  return criteria.keywords.some((keyword) => {
    const k = normalizeText(keyword)
    return k !== '' && padded.includes(` ${k} `)
  })
}

/**
 * The reply's intent: the host's when it classified the reply (the runtime, with the merchant's opt-out words and
 * perhaps the LLM), else the rules' (the simulator, and hosts that never classify).
 */
export function replyIntentOf(event: MessageReceivedEvent): ReplyIntent {
  return event.intent ?? classifyIntentByRules(typeof event.text === 'string' ? event.text : '')
}

/** Keeps the answer's text in the `reply` variable, wherever a reply is branched on. */
export const storeReply: ActionSpec = {
  type: 'setVar',
  params: ({ event }) => ({ name: 'reply', value: (event as MessageReceivedEvent).text ?? '' }),
}
