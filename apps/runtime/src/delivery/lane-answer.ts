// How an HTTP-lane job ends, whatever it called (a merchant's endpoint, an AI answer): its answer goes to the run
// as the effect's result, under the row's receipt so a retried job steps the run once, and the row is settled.
import type { OutboxEntry } from '@parley/db'
import type { EffectAnswer } from '@parley/flow'
import type { RuntimeDeps } from '../deps.ts'
import { deliverEvent } from '../engine/event-step.ts'

export async function answerLaneJob(
  deps: RuntimeDeps,
  row: OutboxEntry,
  target: { runId: string; nodeId: string },
  answer: EffectAnswer,
): Promise<'sent' | 'failed'> {
  await deliverEvent(deps, {
    merchantId: row.merchant_id,
    receipt: { source: 'outbox', externalId: row.id },
    event: { type: 'effect.result', nodeId: target.nodeId, ok: answer.ok, data: answer.data },
    selectRuns: async () => [target.runId],
  })
  const now = new Date(deps.clock.now())
  await deps.db
    .updateTable('outbox')
    .set({ status: answer.ok ? 'sent' : 'failed', sent_at: now, locked_until: null, updated_at: now })
    .where('merchant_id', '=', row.merchant_id)
    .where('id', '=', row.id)
    .execute()
  return answer.ok ? 'sent' : 'failed'
}
