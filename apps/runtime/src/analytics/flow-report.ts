// Per flow and version: runs started, ended by outcome, still going; and for one version the canvas numbers —
// runs that reached each step, runs resting there now, messages it sent, and how many went on along each edge.
// Period numbers come from the rollup (analytics_hourly: run.started / run.ended, node.reached, step.sent,
// edge.taken); "still going" and "resting here now" are current state, counted from the active runs of the flow's
// versions (runs_flow_version_active_idx: merchant, version, partial on status 'active', written as a literal).
import type { FlowReport } from '@parley/api'
import { sql } from 'kysely'
import type { Db } from '../engine/step-transaction.ts'
import { publicPeriod, type ResolvedPeriod } from './report-period.ts'
import { readRollup } from './rollup-reader.ts'

interface DocumentEdge {
  id: string
  source: string
  target: string
}

function edgesOf(document: unknown): DocumentEdge[] {
  const edges = (document as { edges?: unknown }).edges
  if (!Array.isArray(edges)) return []
  return edges.filter(
    (e): e is DocumentEdge =>
      typeof e?.id === 'string' && typeof e?.source === 'string' && typeof e?.target === 'string',
  )
}

/** Null when the flow does not exist for this merchant (or was deleted). */
export async function flowReport(
  db: Db,
  merchantId: string,
  flowId: string,
  period: ResolvedPeriod,
  requestedVersion: number | undefined,
): Promise<FlowReport | null> {
  const flow = await db
    .selectFrom('flows')
    .select(['id', 'published_version_id'])
    .where('merchant_id', '=', merchantId)
    .where('id', '=', flowId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()
  if (!flow) return null
  const versions = await db
    .selectFrom('flow_versions')
    .select(['id', 'version'])
    .where('merchant_id', '=', merchantId)
    .where('flow_id', '=', flowId)
    .orderBy('version', 'desc')
    .execute()
  const selected =
    requestedVersion === undefined
      ? (versions.find((v) => v.id === flow.published_version_id) ?? versions[0])
      : versions.find((v) => v.version === requestedVersion)
  if (requestedVersion !== undefined && !selected) return null
  const base = { period: publicPeriod(period), flowId }
  if (!selected) return { ...base, version: null, versions: [], nodes: [], edges: [] }

  const versionIds = versions.map((v) => v.id)
  const [runRollup, active, waiting, rollup, document] = await Promise.all([
    // Runs started and ended in the period, per version: rollup rows (dims 'flow version[ outcome]').
    readRollup(db, merchantId, period, ['run.started', 'run.ended'], {
      dimPrefix: `${flowId} `,
      byDay: false,
    }),
    db
      .selectFrom('runs')
      .select(['flow_version_id', sql<string>`count(*)`.as('n')])
      .where('merchant_id', '=', merchantId)
      .where('flow_version_id', 'in', versionIds)
      .where('status', '=', sql.lit('active'))
      .groupBy('flow_version_id')
      .execute(),
    // A resting run's XState state is the node it waits at (packages/flow names states by node id).
    db
      .selectFrom('runs')
      .select([sql<string | null>`snapshot->>'value'`.as('node_id'), sql<string>`count(*)`.as('n')])
      .where('merchant_id', '=', merchantId)
      .where('flow_version_id', '=', selected.id)
      .where('status', '=', sql.lit('active'))
      .groupBy(sql`snapshot->>'value'`)
      .execute(),
    readRollup(db, merchantId, period, ['node.reached', 'step.sent', 'edge.taken'], {
      dimPrefix: `${selected.id} `,
      byDay: false,
    }),
    db
      .selectFrom('flow_versions')
      .select('document')
      .where('merchant_id', '=', merchantId)
      .where('id', '=', selected.id)
      .executeTakeFirstOrThrow(),
  ])

  const reached = new Map<string, number>()
  const sent = new Map<string, number>()
  /** Moves from one step to the next, keyed 'source>target'. */
  const taken = new Map<string, number>()
  for (const row of rollup) {
    const key = row.dim.slice(selected.id.length + 1)
    const into = row.metric === 'node.reached' ? reached : row.metric === 'step.sent' ? sent : taken
    into.set(key, (into.get(key) ?? 0) + row.n)
  }
  const waitingAt = new Map(waiting.filter((w) => w.node_id).map((w) => [w.node_id as string, Number(w.n)]))
  const edges = edgesOf(document.document)
  const nodeIds = new Set<string>()
  for (const node of (document.document as { nodes?: { id?: unknown }[] }).nodes ?? [])
    if (typeof node?.id === 'string') nodeIds.add(node.id)

  const startedBy = new Map<string, number>()
  /** Per version, runs ended per outcome. */
  const endedBy = new Map<string, Map<string, number>>()
  for (const row of runRollup) {
    const rest = row.dim.slice(flowId.length + 1)
    const space = rest.indexOf(' ')
    if (row.metric === 'run.started') startedBy.set(rest, (startedBy.get(rest) ?? 0) + row.n)
    else if (space > 0) {
      // The outcome is last: it may contain spaces (an end step's outcome is the merchant's words).
      const versionId = rest.slice(0, space)
      const outcome = rest.slice(space + 1)
      const outcomes = endedBy.get(versionId) ?? new Map<string, number>()
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + row.n)
      endedBy.set(versionId, outcomes)
    }
  }
  const activeBy = new Map(active.map((r) => [r.flow_version_id, Number(r.n)]))
  return {
    ...base,
    version: selected.version,
    versions: versions.map((v) => ({
      version: v.version,
      runsStarted: startedBy.get(v.id) ?? 0,
      ended: [...(endedBy.get(v.id) ?? [])]
        .filter(([, runs]) => runs !== 0)
        .map(([outcome, runs]) => ({ outcome, runs }))
        .sort((a, b) => b.runs - a.runs || a.outcome.localeCompare(b.outcome)),
      active: activeBy.get(v.id) ?? 0,
    })),
    nodes: [...nodeIds].map((nodeId) => ({
      nodeId,
      reached: reached.get(nodeId) ?? 0,
      waiting: waitingAt.get(nodeId) ?? 0,
      messagesSent: sent.get(nodeId) ?? 0,
    })),
    edges: edges.map((e) => {
      // Two edges between the same pair of steps (two buttons leading to one step) share the count.
      const continued = taken.get(`${e.source}>${e.target}`) ?? 0
      return {
        edgeId: e.id,
        source: e.source,
        target: e.target,
        continued,
        dropOff: Math.max(0, (reached.get(e.source) ?? 0) - continued),
      }
    }),
  }
}
