// Starting runs: find the published flows whose trigger matches an event (each at its current published
// version, to which the run stays pinned), start one run per flow — at most one active per flow and
// correlation key — and plan its first step (timers, visits, effects) into the caller's batch.
import type { Run } from '@parley/db'
import { type FlowVars, getNodeKind, isGreeting, type TriggerSpec } from '@parley/flow'
import { sql } from 'kysely'
import { timeOrderedId } from '../sql/time-ordered-id.ts'
import { type FlowVersionCache, type LoadedFlowVersion, loadFlowVersion } from './flow-versions.ts'
import { runFieldsOf } from './run-store.ts'
import type { StepBatch } from './step-batch.ts'
import type { Db } from './step-transaction.ts'

export type TriggerEvent = TriggerSpec['event']

export interface StartRunsRequest {
  merchantId: string
  trigger: Exclude<TriggerEvent, 'manual'>
  contactId: string
  conversationId: string | null
  /** At most one active run per flow and key (e.g. the cart token); null = no limit. */
  correlationKey: string | null
  /**
   * contact, cart, order, store, trigger... as templates and conditions read them. A function when they cost
   * reads (the cart's sales facts, an order's suggestions): called once, only when some flow starts.
   */
  vars: FlowVars | (() => Promise<FlowVars>)
  cartToken?: string
  /** message.received: the text keyword triggers match against. */
  text?: string
  /** 'first': start only the best match (a message starts one conversation flow, keyword flows first). */
  mode?: 'all' | 'first'
  /** Only flows whose keyword trigger matches (a start command never falls through to "any message"). */
  keywordOnly?: boolean
  /** The time the machine starts at (default the step's clock), e.g. when the cart went quiet. */
  machineNow?: number
}

interface Candidate {
  version: LoadedFlowVersion
  triggerNodeId: string
  /** Keyword triggers rank above "any message". */
  rank: number
}

/** The trigger node of a document that this event starts, if any. */
export function matchTrigger(version: LoadedFlowVersion, trigger: TriggerEvent, text?: string) {
  let best: { nodeId: string; rank: number } | null = null
  for (const node of version.doc.nodes) {
    const spec = getNodeKind(node.kind)?.facts(node.config).trigger
    if (!spec || spec.event !== trigger) continue
    let rank = 1
    if (spec.event === 'message.received' && spec.match === 'keyword') {
      const said = (text ?? '').toLowerCase()
      const hit = spec.keywords.some((k) => k.trim() !== '' && said.includes(k.trim().toLowerCase()))
      if (!hit) continue
      rank = 2
    }
    if (spec.event === 'message.received' && spec.match === 'greeting') {
      if (!isGreeting(text ?? '')) continue
      rank = 2
    }
    if (!best || rank > best.rank) best = { nodeId: node.id, rank }
  }
  return best
}

async function findCandidates(trx: Db, cache: FlowVersionCache, req: StartRunsRequest): Promise<Candidate[]> {
  const rows = await trx
    .selectFrom('flows')
    .innerJoin('flow_versions', (join) =>
      join
        .onRef('flow_versions.merchant_id', '=', 'flows.merchant_id')
        .onRef('flow_versions.id', '=', 'flows.published_version_id'),
    )
    .select(['flow_versions.id as versionId'])
    .where('flows.merchant_id', '=', req.merchantId)
    .where('flows.deleted_at', 'is', null)
    // A paused flow starts nothing; its runs already going carry on (they are stepped, not started, here).
    .where('flows.paused_at', 'is', null)
    .where(sql<boolean>`${req.trigger} = any(flow_versions.trigger_kinds)`)
    .orderBy('flow_versions.published_at', 'desc')
    .orderBy('flows.id')
    .execute()
  const candidates: Candidate[] = []
  for (const row of rows) {
    const version = await loadFlowVersion(trx, cache, req.merchantId, row.versionId)
    const match = matchTrigger(version, req.trigger, req.text)
    if (match && !(req.keywordOnly && match.rank < 2))
      candidates.push({ version, triggerNodeId: match.nodeId, rank: match.rank })
  }
  return candidates.sort((a, b) => b.rank - a.rank)
}

/**
 * Starts the flows this event triggers and returns the runs started (a flow already running for the same
 * correlation key is skipped).
 * @example await startTriggeredRuns(batch, { merchantId, trigger: 'cart.abandoned', contactId, conversationId, correlationKey: cart.token, vars })
 */
export async function startTriggeredRuns(batch: StepBatch, req: StartRunsRequest): Promise<Run[]> {
  const started: Run[] = []
  const candidates = await findCandidates(batch.trx, batch.ctx.deps.flowVersions, req)
  if (candidates.length === 0) return started
  const vars = typeof req.vars === 'function' ? await req.vars() : req.vars
  for (const candidate of candidates) {
    const run = await startRun(batch, { ...req, vars }, candidate)
    if (run) started.push(run)
    if (run && req.mode === 'first') break
  }
  return started
}

async function startRun(
  batch: StepBatch,
  req: StartRunsRequest & { vars: FlowVars },
  candidate: Candidate,
): Promise<Run | null> {
  const { trx, ctx } = batch
  const { version } = candidate
  const id = timeOrderedId()
  const result = version.stepper.start(
    {
      triggerNodeId: candidate.triggerNodeId,
      vars: req.vars,
      seed: id,
      ...(req.cartToken === undefined ? {} : { cartToken: req.cartToken }),
    },
    { now: req.machineNow ?? ctx.now },
  )
  const run = await trx
    .insertInto('runs')
    .values({
      merchant_id: req.merchantId,
      id,
      flow_id: version.flowId,
      flow_version_id: version.id,
      contact_id: req.contactId,
      conversation_id: req.conversationId,
      trigger_kind: req.trigger,
      correlation_key: req.correlationKey,
      revision: 1,
      started_at: new Date(ctx.now),
      ...runFieldsOf(version, result, ctx.now),
    })
    // The partial unique index's predicate as literals, not parameters: a prepared statement's generic plan
    // (packages/db prepared-statements.ts) can infer the arbiter only from a predicate it can read.
    .onConflict((oc) =>
      oc
        .columns(['merchant_id', 'correlation_key', 'flow_id'])
        .where((eb) => eb.and([eb('status', '=', sql.lit('active')), eb('correlation_key', 'is not', null)]))
        .doNothing(),
    )
    .returningAll()
    .executeTakeFirst()
  if (!run) return null
  return batch.started(run, result, req.machineNow ?? ctx.now)
}
