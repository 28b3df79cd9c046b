// Per flow and version: runs started, ended by outcome, still going; and for one version the canvas numbers —
// runs that reached each step, runs resting there now, messages it sent, and how many went on along each edge.
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
  const [started, ended, active, waiting, rollup, document] = await Promise.all([
    db
      .selectFrom('runs')
      .select(['flow_version_id', sql<string>`count(*)`.as('n')])
      .where('merchant_id', '=', merchantId)
      .where('started_at', '>=', period.start)
      .where('started_at', '<', period.end)
      .where('flow_id', '=', flowId)
      .groupBy('flow_version_id')
      .execute(),
    db
      .selectFrom('runs')
      .select([
        'flow_version_id',
        sql<string>`coalesce(outcome, status)`.as('outcome'),
        sql<string>`count(*)`.as('n'),
      ])
      .where('merchant_id', '=', merchantId)
      .where('ended_at', '>=', period.start)
      .where('ended_at', '<', period.end)
      .where('flow_id', '=', flowId)
      .groupBy(['flow_version_id', sql`coalesce(outcome, status)`])
      .execute(),
    db
      .selectFrom('runs')
      .select(['flow_version_id', sql<string>`count(*)`.as('n')])
      .where('merchant_id', '=', merchantId)
      .where('flow_version_id', 'in', versionIds)
      .where('status', '=', 'active')
      .groupBy('flow_version_id')
      .execute(),
    // A resting run's XState state is the node it waits at (packages/flow names states by node id).
    db
      .selectFrom('runs')
      .select([sql<string | null>`snapshot->>'value'`.as('node_id'), sql<string>`count(*)`.as('n')])
      .where('merchant_id', '=', merchantId)
      .where('flow_version_id', '=', selected.id)
      .where('status', '=', 'active')
      .groupBy(sql`snapshot->>'value'`)
      .execute(),
    readRollup(db, merchantId, period, ['node.reached', 'step.sent'], { dimPrefix: `${selected.id} ` }),
    db
      .selectFrom('flow_versions')
      .select('document')
      .where('merchant_id', '=', merchantId)
      .where('id', '=', selected.id)
      .executeTakeFirstOrThrow(),
  ])

  const reached = new Map<string, number>()
  const sent = new Map<string, number>()
  for (const row of rollup) {
    const nodeId = row.dim.slice(selected.id.length + 1)
    const into = row.metric === 'node.reached' ? reached : sent
    into.set(nodeId, (into.get(nodeId) ?? 0) + row.n)
  }
  const waitingAt = new Map(waiting.filter((w) => w.node_id).map((w) => [w.node_id as string, Number(w.n)]))
  const edges = edgesOf(document.document)
  const nodeIds = new Set<string>()
  for (const node of (document.document as { nodes?: { id?: unknown }[] }).nodes ?? [])
    if (typeof node?.id === 'string') nodeIds.add(node.id)

  // Into a step with one way in, every run that reached it came along that edge; where ways merge, count the
  // runs that reached both ends (a run's visits within one step share a timestamp, so order cannot tell).
  const incoming = new Map<string, number>()
  for (const e of edges) incoming.set(e.target, (incoming.get(e.target) ?? 0) + 1)
  const merging = edges.filter((e) => (incoming.get(e.target) ?? 0) > 1)
  const both = new Map<string, number>()
  if (merging.length > 0) {
    const rows = await sql<{ source: string; target: string; n: string }>`
      with pairs as (select * from jsonb_to_recordset(${JSON.stringify(merging)}::jsonb) as p(source text, target text))
      select p.source, p.target, count(distinct s.run_id) as n
      from pairs p
      join node_visits s on s.merchant_id = ${merchantId} and s.flow_version_id = ${selected.id}
        and s.node_id = p.source and s.at >= ${period.start} and s.at < ${period.end}
      join node_visits t on t.merchant_id = s.merchant_id and t.run_id = s.run_id and t.node_id = p.target
        and t.at >= s.at
      group by p.source, p.target`.execute(db)
    for (const r of rows.rows) both.set(`${r.source}>${r.target}`, Number(r.n))
  }

  const startedBy = new Map(started.map((r) => [r.flow_version_id, Number(r.n)]))
  const activeBy = new Map(active.map((r) => [r.flow_version_id, Number(r.n)]))
  return {
    ...base,
    version: selected.version,
    versions: versions.map((v) => ({
      version: v.version,
      runsStarted: startedBy.get(v.id) ?? 0,
      ended: ended
        .filter((r) => r.flow_version_id === v.id)
        .map((r) => ({ outcome: r.outcome, runs: Number(r.n) }))
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
      const continued =
        (incoming.get(e.target) ?? 0) > 1
          ? (both.get(`${e.source}>${e.target}`) ?? 0)
          : (reached.get(e.target) ?? 0)
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
