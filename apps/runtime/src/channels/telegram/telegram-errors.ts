// What a Bot API refusal means for the shopper. Telegram answers 403 with a description naming the cause
// ("Forbidden: bot was blocked by the user", "Forbidden: user is deactivated", "Forbidden: bot was kicked from
// the group chat"): each means no send to that chat can succeed until the shopper acts, so the contact is marked
// unreachable there instead of failing every later send the same way.
import type { ProviderCallOutcome } from '../provider-http.ts'
import { toSendResult } from '../send-result.ts'
import type { SendResult } from '../types.ts'
import { telegramAnswers } from './telegram-adapter.ts'

const UNREACHABLE = /^Forbidden: (bot was blocked by the user|user is deactivated|bot was kicked)/

export function telegramSendResult(outcome: ProviderCallOutcome, nowMs: number): SendResult {
  const result = toSendResult(outcome, telegramAnswers, nowMs)
  if (outcome.kind !== 'response' || outcome.response.status !== 403 || result.status !== 'failed')
    return result
  const description = (outcome.response.json as { description?: unknown } | undefined)?.description
  if (typeof description === 'string' && UNREACHABLE.test(description)) {
    return { ...result, consequence: 'unreachable' }
  }
  return result
}
