// The common case of a timer poll, many runs at a time: a run with one due timer whose step only sends (a
// reminder, a follow-up). The runs are stepped in memory with the timer's due time, their sends decided from
// facts read once for the batch (`loadSendTargets`, marketing counts), and every write made with one statement
// (`StepWrites`). Runs whose step does anything else, throws, or needs the template
// budget are left to the poller's one-run-at-a-time path in the same transaction.
import type { Run } from '@parley/db'
import { type FlowEventInput, type PersistedFlowSnapshot, type StepResult, step } from '@parley/flow'
import { countMarketingSendsByContact } from '../policy/frequency-cap.ts'
import { loadSendTargets, readMerchant } from '../policy/send-facts.ts'
import { commitSends, type PlannedSend, planSends } from './batch-sends.ts'
import { type LoadedFlowVersion, loadFlowVersion } from './flow-versions.ts'
import { countStep, type Db, type StepContext } from './step-transaction.ts'
import { StepWrites } from './step-writes.ts'
import type { DueTimer } from './timer-poller.ts'

export interface SingleDueTimer {
  /** `merchant:run`, as the poller keys runs. */
  key: string
  /** The run, locked and read in this transaction. */
  run: Run
  timer: DueTimer
}

export interface TimerBatchOutcome {
  fired: number
  dropped: number
  /** Keys of the runs left for the one-at-a-time path. */
  left: Set<string>
}

interface Stepped {
  item: SingleDueTimer
  version: LoadedFlowVersion
  result: StepResult
}

export async function fireTimersInBatch(
  trx: Db,
  ctx: StepContext,
  items: SingleDueTimer[],
): Promise<TimerBatchOutcome> {
  const outcome: TimerBatchOutcome = { fired: 0, dropped: 0, left: new Set() }
  const writes = new StepWrites()
  const stepped: Stepped[] = []
  const lateness: number[] = []
  for (const item of items) {
    const { run, timer } = item
    if (timer.due_at.getTime() > ctx.now) {
      outcome.left.add(item.key)
      continue
    }
    if (run.status !== 'active' || run.revision !== timer.revision) {
      // The run moved on (or ended) since the timer was set: the timer is stale.
      writes.deleteTimer(run.merchant_id, run.id, timer.timer_id)
      outcome.dropped += 1
      continue
    }
    try {
      const version = await loadFlowVersion(trx, run.merchant_id, run.flow_version_id)
      const result = step(
        version.machine,
        run.snapshot as PersistedFlowSnapshot,
        timer.event as FlowEventInput,
        { now: timer.due_at.getTime() },
      )
      if (result.effects.every((e) => e.type === 'send')) stepped.push({ item, version, result })
      else outcome.left.add(item.key)
    } catch {
      // Stepped again on the one-at-a-time path, which ends a run whose step keeps throwing.
      outcome.left.add(item.key)
    }
  }

  for (const [merchantId, group] of groupByMerchant(stepped)) {
    const sending = group.filter((s) => s.result.effects.length > 0 && s.item.run.conversation_id)
    const targets = await loadSendTargets(
      trx,
      merchantId,
      sending.map((s) => s.item.run.conversation_id as string),
    )
    const merchant = await readMerchant(trx, merchantId)
    const marketingContacts = sending.flatMap((s) =>
      s.result.effects.some((e) => e.type === 'send' && e.purpose === 'marketing')
        ? [s.item.run.contact_id]
        : [],
    )
    const marketingSent = await countMarketingSendsByContact(
      trx,
      merchantId,
      marketingContacts,
      ctx.now - merchant.frequency_cap_window_minutes * 60_000,
    )
    for (const { item, version, result } of group) {
      const { run, timer } = item
      const target = run.conversation_id ? targets.get(run.conversation_id) : undefined
      const sends: PlannedSend[] | null = planSends(run, result.effects, target, marketingSent, ctx.now)
      if (!sends) {
        outcome.left.add(item.key)
        continue
      }
      if (!run.conversation_id && result.effects.length > 0) {
        ctx.deps.logger.warn('send without a conversation', { runId: run.id })
      }
      writes.deleteTimer(run.merchant_id, run.id, timer.timer_id)
      lateness.push(Math.max(0, ctx.now - timer.due_at.getTime()) / 1000)
      writes.saveRunStep(run, version, result, ctx.now)
      countStep(ctx, 'timer')
      commitSends(ctx, writes, sends, marketingSent)
      outcome.fired += 1
    }
  }
  await writes.flush(trx)
  for (const seconds of lateness) ctx.deps.metrics.timerLateness.observe(seconds)
  return outcome
}

function groupByMerchant(stepped: Stepped[]): Map<string, Stepped[]> {
  const groups = new Map<string, Stepped[]>()
  for (const s of stepped) {
    const group = groups.get(s.item.run.merchant_id)
    if (group) group.push(s)
    else groups.set(s.item.run.merchant_id, [s])
  }
  return groups
}
