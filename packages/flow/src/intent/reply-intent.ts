// The intents a shopper's free-text reply can have, and how the editor names the ones a `Wait for reply` can branch
// on. The rules (intent-rules.ts) and the optional LLM both answer with one of these.
import { z } from 'zod'

export const replyIntents = [
  'question',
  'order_status',
  'return',
  'wants_person',
  'not_interested',
  'stop',
  'greeting',
  'unknown',
] as const
export type ReplyIntent = (typeof replyIntents)[number]
export const replyIntentSchema = z.enum(replyIntents)

/**
 * The intents a `Wait for reply` can branch on. Not `stop`: an opt-out word unsubscribes the shopper and ends their
 * runs before any flow sees the message. Not `unknown`: that is what "Anything else" is for.
 */
export const branchIntents = [
  'wants_person',
  'order_status',
  'return',
  'question',
  'not_interested',
  'greeting',
] as const satisfies readonly ReplyIntent[]
export type BranchIntent = (typeof branchIntents)[number]
export const branchIntentSchema = z.enum(branchIntents)

/** The merchant's words for each branchable intent: the inspector's tick boxes and the card's output labels. */
export const branchIntentLabels: Record<BranchIntent, string> = {
  wants_person: 'Wants to talk to a person',
  order_status: 'Asks where their order is',
  return: 'Wants to return something',
  question: 'Asks about a product',
  not_interested: 'Says no or not interested',
  greeting: 'Just says hello',
}

/** A short example per intent, shown under the tick box so the merchant knows what counts. */
export const branchIntentExamples: Record<BranchIntent, string> = {
  wants_person: '“can I talk to someone?”, “echter Mensch bitte”',
  order_status: '“where is my parcel?”, “wo ist meine Bestellung”',
  return: '“I want to send it back”, “Rücksendung”',
  question: '“is this in blue?”, “gibt es das in M?”',
  not_interested: '“no thanks”, “not interested”, “kein Interesse”',
  greeting: '“hi”, “guten Morgen”',
}

const INTENT_HANDLE_PREFIX = 'intent-'

/** The output handle of an intent on a `Wait for reply` card. */
export function intentHandleId(intent: BranchIntent): string {
  return `${INTENT_HANDLE_PREFIX}${intent}`
}
