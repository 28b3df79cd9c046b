// Events for runs that already exist (store events, staff actions, answers from the outbox relay): lock the
// runs in id order and step each active one through a StepBatch. Dedupe on the event's receipt first.
import type { Run } from '@parley/db'
import type { FlowEventInput } from '@parley/flow'
import type { RuntimeDeps } from '../deps.ts'
import { claimReceipt } from './receipts.ts'
import { lockRuns } from './run-store.ts'
import { inStepBatch, type StepBatch } from './step-batch.ts'

export interface DeliverRequest {
  merchantId: string
  /** Dedupe key: a duplicate ends the step before anything else happens. */
  receipt?: { source: string; externalId: string }
  event: FlowEventInput
  /** The runs the event concerns, read inside the transaction. */
  selectRuns: (batch: StepBatch) => Promise<string[]>
}

export type SteppedRun = Pick<Run, 'id' | 'status' | 'outcome'>

export interface DeliverResult {
  duplicate: boolean
  /** Runs stepped, with where they ended. */
  runs: SteppedRun[]
}

/** Feeds one external event to the runs it concerns, in one transaction, in run-id lock order. */
export async function deliverEvent(deps: RuntimeDeps, req: DeliverRequest): Promise<DeliverResult> {
  return inStepBatch(deps, async (batch) => {
    const { trx, ctx } = batch
    if (
      req.receipt &&
      !(await claimReceipt(trx, req.merchantId, req.receipt.source, req.receipt.externalId, ctx.now))
    ) {
      return { duplicate: true, runs: [] }
    }
    return {
      duplicate: false,
      runs: await stepRuns(batch, req.merchantId, await req.selectRuns(batch), req.event),
    }
  })
}

/** Locks the runs (id order) and steps each active one with the event, into the batch. */
export async function stepRuns(
  batch: StepBatch,
  merchantId: string,
  runIds: string[],
  event: FlowEventInput,
): Promise<SteppedRun[]> {
  const stepped: SteppedRun[] = []
  for (const run of await lockRuns(batch.trx, merchantId, runIds)) {
    if (run.status !== 'active') continue
    const after = await batch.step(run, event, { trigger: 'event' })
    stepped.push({ id: after.id, status: after.status, outcome: after.outcome })
  }
  return stepped
}
