// The HTTP-request lane (issue 8): merchants' own endpoints are called off the message relay's path, so one
// merchant's slow or hanging endpoint never holds up anyone's sends, nor its own. Each merchant has at most
// HTTP_JOBS_PER_MERCHANT requests in flight across all replicas (the claim counts them under one advisory lock,
// so two replicas cannot both fill the same room), each process at most HTTP_JOBS_IN_FLIGHT, and every request
// ends within its node's timeout (10 s by default, 30 s at most). The answer goes back to the run as an
// `effect.result` event.
import type { OutboxEntry } from '@parley/db'
import { sql } from 'kysely'
import type { RuntimeDeps } from '../deps.ts'
import { performHttpRequest } from '../effects/http-request.ts'
import type { Db } from '../engine/step-transaction.ts'
import { runLlmAnswerJob } from '../llm/llm-answer-job.ts'
import { answerLaneJob } from './lane-answer.ts'
import { failMalformedJob, readOutboxJob } from './outbox-jobs.ts'

export const HTTP_TIMEOUT_DEFAULT_MS = 10_000
export const HTTP_TIMEOUT_MAX_MS = 30_000
/** Beyond its own timeout, how long a request may take before the lane gives up on it anyway. */
const DEADLINE_GRACE_MS = 1_000
/** Serialises HTTP-job claims across replicas (pg_advisory_xact_lock key: any constant of our own). */
const CLAIM_LOCK_KEY = 0x7061726c_6874 // "parl" "ht"

/** The request's timeout: the node's, or 10 s, never above 30 s. */
export function httpJobTimeoutMs(requested: number | undefined): number {
  if (requested === undefined || !Number.isFinite(requested) || requested <= 0) return HTTP_TIMEOUT_DEFAULT_MS
  return Math.min(requested, HTTP_TIMEOUT_MAX_MS)
}

/**
 * Claims up to `room` due HTTP jobs (pending → sending), leaving every merchant at most
 * `HTTP_JOBS_PER_MERCHANT` in flight. The lease outlasts the longest request.
 */
export async function claimHttpJobs(deps: RuntimeDeps, room: number): Promise<OutboxEntry[]> {
  if (room <= 0) return []
  const now = new Date(deps.clock.now())
  return deps.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${CLAIM_LOCK_KEY})`.execute(trx)
    const { rows } = await sql<OutboxEntry>`
      with due as (
        select distinct merchant_id from outbox
        where lane = 'http' and status = 'pending' and next_attempt_at <= ${now}
      ), busy as (
        select merchant_id, count(*)::int as n from outbox
        where lane = 'http' and status = 'sending' group by merchant_id
      )
      select o.* from due d
      left join busy b on b.merchant_id = d.merchant_id
      cross join lateral (
        select o.* from outbox o
        where o.lane = 'http' and o.status = 'pending' and o.merchant_id = d.merchant_id
          and o.next_attempt_at <= ${now}
        order by o.seq
        limit greatest(0, ${deps.config.HTTP_JOBS_PER_MERCHANT} - coalesce(b.n, 0))
        for update of o skip locked
      ) o
      limit ${room}`.execute(trx)
    if (rows.length === 0) return []
    const leaseSeconds = deps.config.OUTBOX_LEASE_SECONDS + HTTP_TIMEOUT_MAX_MS / 1000
    await markSending(trx, deps, rows, leaseSeconds, now)
    return rows.map((row) => ({ ...row, status: 'sending' as const, attempts: row.attempts + 1 }))
  })
}

async function markSending(
  trx: Db,
  deps: RuntimeDeps,
  rows: readonly OutboxEntry[],
  leaseSeconds: number,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('outbox')
    .set({
      status: 'sending',
      attempts: sql`attempts + 1`,
      locked_until: sql`now() + make_interval(secs => ${leaseSeconds})`,
      locked_by: deps.instanceId,
      updated_at: now,
    })
    .where(({ eb, refTuple, tuple }) =>
      eb(
        refTuple('merchant_id', 'id'),
        'in',
        rows.map((r) => tuple(r.merchant_id, r.id)),
      ),
    )
    .execute()
}

/** Calls the endpoint of a claimed job, hands the answer to its run and settles the row. */
export async function runHttpJob(deps: RuntimeDeps, row: OutboxEntry): Promise<'sent' | 'failed'> {
  const job = readOutboxJob(row.payload)
  // An AI product answer (llm/): a merchant-influenced call too, with its own deadline and fallback.
  if (job?.kind === 'llm.answer') return runLlmAnswerJob(deps, row, job)
  if (job?.kind !== 'http.request') {
    await failMalformedJob(deps.db, row, deps.clock.now())
    return 'failed'
  }
  const timeoutMs = httpJobTimeoutMs(job.effect.timeoutMs)
  const answer = await withDeadline(
    performHttpRequest(deps, { ...job.effect, timeoutMs }),
    timeoutMs + DEADLINE_GRACE_MS,
  )
  return answerLaneJob(deps, row, { runId: job.runId, nodeId: job.effect.nodeId }, answer)
}

type HttpAnswer = Awaited<ReturnType<typeof performHttpRequest>>

/** The request's own timeout should end it; this is the lane's guarantee that a slot always comes free. */
async function withDeadline(request: Promise<HttpAnswer>, ms: number): Promise<HttpAnswer> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<HttpAnswer>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, data: { error: `No answer within ${ms} ms` } }), ms)
  })
  try {
    return await Promise.race([request, deadline])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * The lane of one process: starts claimed jobs without waiting for them, so its loop keeps claiming while
 * endpoints answer; `onSettled` runs when one ends (room came free). Built once per process (loops.ts).
 */
export class HttpLane {
  readonly #inFlight = new Set<Promise<void>>()

  constructor(
    private readonly deps: RuntimeDeps,
    private readonly onSettled: () => void = () => {},
  ) {}

  get inFlight(): number {
    return this.#inFlight.size
  }

  /** Claims what this process has room for and starts it. Returns how many started and whether more may be due. */
  async dispatch(): Promise<{ started: number; more: boolean }> {
    const room = this.deps.config.HTTP_JOBS_IN_FLIGHT - this.#inFlight.size
    const rows = await claimHttpJobs(this.deps, room)
    for (const row of rows) {
      const job: Promise<void> = runHttpJob(this.deps, row).then(
        () => {},
        (error: unknown) => {
          // Recording the outcome failed (database gone): the lease runs out and the row settles as unknown.
          this.deps.logger.error('http job outcome not recorded', { outboxId: row.id, error })
        },
      )
      this.#inFlight.add(job)
      void job.finally(() => {
        this.#inFlight.delete(job)
        this.onSettled()
      })
    }
    return { started: rows.length, more: rows.length > 0 && rows.length === room }
  }

  /** Resolves when every job started so far has ended. */
  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight])
  }
}

/** Runs every due HTTP job to its end (the dev clock's fixed point). Returns how many ran. */
export async function runDueHttpJobs(deps: RuntimeDeps): Promise<number> {
  const lane = new HttpLane(deps)
  let ran = 0
  for (;;) {
    const { started } = await lane.dispatch()
    ran += started
    if (started === 0 && lane.inFlight === 0) return ran
    await lane.drain()
  }
}
