// The runtime's event step (DESIGN.md): in one transaction, dedupe, lock the runs an event concerns, step
// them, and write snapshot, revision, timers, transcript, outbox and node visits. Effects we can answer
// from our own data (order lookups, product questions) are answered in the same transaction by stepping
// again with `effect.result`; everything that needs the network goes to the outbox.
import type { Run } from '@parley/db'
import {
  type Effect,
  type FlowEventInput,
  type PersistedFlowSnapshot,
  type StepResult,
  step,
} from '@parley/flow'
import type { RuntimeDeps } from '../deps.ts'
import { escalateConversation } from '../effects/escalate.ts'
import { queueHttpRequest } from '../effects/http-request.ts'
import { lookupOrder } from '../effects/order-lookup.ts'
import { answerProductQuestion } from '../effects/product-answer.ts'
import { queueSend, runSendRequest } from '../effects/send.ts'
import { loadFlowVersion } from './flow-versions.ts'
import { claimReceipt } from './receipts.ts'
import { failRun, lockRuns, saveRunStep } from './run-store.ts'
import { countStep, type Db, inStepTransaction, type StepContext } from './step-transaction.ts'

/** Effect results chained within one transaction before we stop (a flow looping on lookups). */
const MAX_CHAINED_STEPS = 25

/**
 * Performs a step's effects in the transaction and returns the events that answer them right away.
 * A send emitted by the node that also escalates is the hand-off note, which staff takeover lets through.
 */
export async function performEffects(
  trx: Db,
  ctx: StepContext,
  run: Run,
  effects: Effect[],
): Promise<FlowEventInput[]> {
  const answers: FlowEventInput[] = []
  const escalatingNodes = new Set(effects.filter((e) => e.type === 'escalate').map((e) => e.nodeId))
  for (const effect of effects) {
    switch (effect.type) {
      case 'send':
        if (!run.conversation_id) {
          ctx.deps.logger.warn('send without a conversation', { runId: run.id, nodeId: effect.nodeId })
          break
        }
        await queueSend(
          trx,
          ctx,
          runSendRequest(
            run,
            run.conversation_id,
            effect,
            escalatingNodes.has(effect.nodeId) ? 'handoff' : 'none',
          ),
        )
        break
      case 'escalate':
        await escalateConversation(trx, ctx, run, effect)
        break
      case 'order.lookup': {
        const order = await lookupOrder(trx, run.merchant_id, run.contact_id, effect.orderNumber)
        answers.push({ type: 'effect.result', nodeId: effect.nodeId, ok: order !== null, data: order })
        break
      }
      case 'product.answer': {
        const answer = await answerProductQuestion(trx, run.merchant_id, effect.question, cartProductIds(run))
        answers.push({ type: 'effect.result', nodeId: effect.nodeId, ok: answer !== null, data: answer })
        break
      }
      case 'http.request':
        if (!(await queueHttpRequest(trx, ctx, run, effect))) {
          answers.push({
            type: 'effect.result',
            nodeId: effect.nodeId,
            ok: false,
            data: { error: 'no_channel' },
          })
        }
        break
      case 'incentive.offered':
        // The code and discount are in the run's `incentive` variable; the send that follows carries them.
        ctx.deps.logger.info('incentive offered', { runId: run.id, nodeId: effect.nodeId, code: effect.code })
        break
    }
  }
  return answers
}

function cartProductIds(run: Run): string[] {
  const vars = (run.snapshot as { context?: { vars?: { cart?: { items?: unknown } } } }).context?.vars
  const items = vars?.cart?.items
  if (!Array.isArray(items)) return []
  return items.flatMap((item) => {
    const id = (item as { productId?: unknown }).productId
    return typeof id === 'string' ? [id] : []
  })
}

export interface StepOptions {
  /** Metrics label: 'event', 'timer', 'start'. */
  trigger: string
  /** The time the machine sees. Timers pass their due time, so a late firing keeps the sequence exact. */
  machineNow?: number
}

/**
 * Steps one locked, active run with an event, then any answers its effects produced, all in `trx`.
 * Returns the run as stored.
 */
export async function stepLockedRun(
  trx: Db,
  ctx: StepContext,
  run: Run,
  event: FlowEventInput,
  options: StepOptions,
): Promise<Run> {
  let current = run
  const pending: FlowEventInput[] = [event]
  const machineNow = options.machineNow ?? ctx.now
  for (let i = 0; i < MAX_CHAINED_STEPS && pending.length > 0 && current.status === 'active'; i++) {
    const next = pending.shift() as FlowEventInput
    const version = await loadFlowVersion(trx, current.merchant_id, current.flow_version_id)
    const result: StepResult = step(version.machine, current.snapshot as PersistedFlowSnapshot, next, {
      now: machineNow,
    })
    current = await saveRunStep(trx, current, version, result, ctx.now)
    countStep(ctx, i === 0 ? options.trigger : 'effect')
    pending.push(...(await performEffects(trx, ctx, current, result.effects)))
  }
  if (pending.length > 0 && current.status === 'active') {
    await failRun(trx, current, 'Too many effect results chained in one step', ctx.now)
  }
  return current
}

export interface DeliverRequest {
  merchantId: string
  /** Dedupe key: a duplicate ends the step before anything else happens. */
  receipt?: { source: string; externalId: string }
  event: FlowEventInput
  /** The runs the event concerns, read inside the transaction. */
  selectRuns: (trx: Db, ctx: StepContext) => Promise<string[]>
}

export interface DeliverResult {
  duplicate: boolean
  /** Runs stepped, with where they ended. */
  runs: { id: string; status: Run['status']; outcome: string | null }[]
}

/** Feeds one external event to the runs it concerns, in one transaction, in run-id lock order. */
export async function deliverEvent(deps: RuntimeDeps, req: DeliverRequest): Promise<DeliverResult> {
  return inStepTransaction(deps, async (trx, ctx) => {
    if (
      req.receipt &&
      !(await claimReceipt(trx, req.merchantId, req.receipt.source, req.receipt.externalId, ctx.now))
    ) {
      return { duplicate: true, runs: [] }
    }
    return {
      duplicate: false,
      runs: await stepRuns(trx, ctx, req.merchantId, await req.selectRuns(trx, ctx), req.event),
    }
  })
}

/** Locks the runs (stable order) and steps each active one with the event. */
export async function stepRuns(
  trx: Db,
  ctx: StepContext,
  merchantId: string,
  runIds: string[],
  event: FlowEventInput,
): Promise<DeliverResult['runs']> {
  const stepped: DeliverResult['runs'] = []
  for (const run of await lockRuns(trx, merchantId, runIds)) {
    if (run.status !== 'active') continue
    const after = await stepLockedRun(trx, ctx, run, event, { trigger: 'event' })
    stepped.push({ id: after.id, status: after.status, outcome: after.outcome })
  }
  return stepped
}
