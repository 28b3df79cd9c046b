// The sends of a step stepped in memory (inbound and timer batches): the same policy decision and rows as
// `queueSend`, from facts read once for the whole batch. Marketing sends planned earlier in the batch count
// towards the frequency cap of the same contact, as rows inserted earlier in a transaction would.
import type { Run } from '@parley/db'
import type { Effect } from '@parley/flow'
import {
  decideTargetSend,
  needsTemplateSpend,
  recordSendRows,
  runSendRequest,
  type SendRequest,
  type SendRows,
  sendRows,
} from '../effects/send.ts'
import { buildSendFacts, type SendTarget } from '../policy/send-facts.ts'
import type { StepContext } from './step-transaction.ts'
import type { StepWrites } from './step-writes.ts'

export interface PlannedSend {
  request: SendRequest
  /** Null when the conversation no longer exists (what `queueSend` skips without a row). */
  rows: SendRows | null
}

/**
 * Decides every send effect of a step for `target`. Returns null when one needs the template budget (a row
 * lock the batch does not take): the run then takes the one-at-a-time path. `marketingSent` is per contact
 * and is advanced only when the caller keeps the plan (`commitSends`).
 */
export function planSends(
  run: Run,
  effects: Effect[],
  target: SendTarget | undefined,
  marketingSent: ReadonlyMap<string, number>,
  now: number,
): PlannedSend[] | null {
  const planned: PlannedSend[] = []
  let sentInWindow = target ? (marketingSent.get(target.contact.id) ?? 0) : 0
  for (const effect of effects) {
    if (effect.type !== 'send' || !run.conversation_id) continue
    const request = runSendRequest(run, run.conversation_id, effect, 'none')
    if (!target) {
      planned.push({ request, rows: null })
      continue
    }
    const facts = buildSendFacts(
      target,
      { purpose: request.purpose, exemption: 'none', hasTemplate: request.template !== undefined, now },
      sentInWindow,
    )
    const decision = decideTargetSend(target, facts)
    if (needsTemplateSpend(target, request, decision)) return null
    const rows = sendRows(target, request, decision, null, now)
    if (countsTowardsCap(rows)) sentInWindow += 1
    planned.push({ request, rows })
  }
  return planned
}

/** Adds planned sends to the batch's writes, records them on the step context and advances the cap counts. */
export function commitSends(
  ctx: StepContext,
  writes: StepWrites,
  planned: PlannedSend[],
  marketingSent: Map<string, number>,
): void {
  for (const { request, rows } of planned) {
    if (!rows) continue
    writes.addMessage(rows.message)
    if (rows.outbox) writes.addOutbox(rows.outbox)
    recordSendRows(ctx, request, rows)
    if (countsTowardsCap(rows)) {
      const contactId = rows.message.contact_id
      marketingSent.set(contactId, (marketingSent.get(contactId) ?? 0) + 1)
    }
  }
}

/** A queued marketing send: what `countMarketingSendsSince` would count once its row is written. */
function countsTowardsCap(rows: SendRows): boolean {
  return rows.message.is_marketing === true && rows.outbox !== null
}
