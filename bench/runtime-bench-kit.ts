// Shared set-up for the runtime benchmarks: a fresh database on the throwaway Postgres cluster that
// `scripts/with-postgres.mjs` provides (TEST_DATABASE_URL), a merchant with a web-chat channel and published flows,
// many runs cloned from one real run in a few SQL statements, and the real runtime started as a child process.
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Database, openDatabase } from '@parley/db'
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import pg from 'pg'
import { loadConfig } from '../apps/runtime/src/config.ts'
import type { RuntimeDeps } from '../apps/runtime/src/deps.ts'
import { createEgress } from '../apps/runtime/src/egress/egress-agent.ts'
import { processInboundMessage } from '../apps/runtime/src/engine/inbound.ts'
import { createFlowChecker } from '../apps/runtime/src/flows/flow-checker.ts'
import { createLogger } from '../apps/runtime/src/observability/logger.ts'
import { createRuntimeMetrics } from '../apps/runtime/src/observability/metrics.ts'
import { withProcessState } from '../apps/runtime/src/process-state.ts'
import { InProcessRealtime } from '../apps/runtime/src/realtime/realtime.ts'
import { SocketGuard } from '../apps/runtime/src/realtime/socket-guard.ts'
import { PASSWORD_HASHING } from '../apps/runtime/src/security/password.ts'
import { RateLimits } from '../apps/runtime/src/security/rate-limits.ts'
import { publishFlowDocument, seedChannel } from '../apps/runtime/src/testing/engine-fixtures.ts'
import { seedMerchant } from '../apps/runtime/src/testing/test-deps.ts'
import { systemClock } from '../apps/runtime/src/time/clock.ts'
import type { MemoryRequest, MemorySample } from './runtime-memory-probe.ts'

const RUNTIME_DIR = fileURLToPath(new URL('../apps/runtime/', import.meta.url))
const PROBE_URL = new URL('./runtime-memory-probe.ts', import.meta.url).href

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  )
}

export function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL
  if (!url) {
    throw new Error(
      'TEST_DATABASE_URL is not set: run through `node scripts/with-postgres.mjs` (root `pnpm bench`)',
    )
  }
  return url
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

export interface BenchDatabase {
  name: string
  url: string
  db: Kysely<Database>
  /** Closes the connection and drops the database. */
  drop(): Promise<void>
}

/** A new database on the cluster; `migrate` runs the runtime's migrations. */
export async function createBenchDatabase(prefix: string, migrate = true): Promise<BenchDatabase> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`
  await admin((c) => c.query(`create database ${name}`))
  const url = new URL(adminUrl())
  url.pathname = `/${name}`
  const opened = await openDatabase({ url: url.toString(), migrate })
  return {
    name,
    url: url.toString(),
    db: opened.db,
    drop: async () => {
      await opened.close()
      await admin((c) => c.query(`drop database if exists ${name} with (force)`))
    },
  }
}

/**
 * The bench drives thousands of visitors, messages and webhooks from one address (127.0.0.1): it measures the
 * runtime, not its abuse limits, so they are raised far out of reach (the limiters still run and are measured).
 */
export const BENCH_LIMITS = {
  RATE_LIMIT_SIGN_IN_ACCOUNT_FAILURES: '1000000',
  RATE_LIMIT_SIGN_IN_IP_FAILURES: '1000000',
  RATE_LIMIT_WEBCHAT_MESSAGES_PER_VISITOR_PER_MINUTE: '1000000',
  RATE_LIMIT_WEBCHAT_MESSAGES_PER_IP_PER_MINUTE: '100000000',
  RATE_LIMIT_WEBCHAT_VISITORS_PER_IP_PER_HOUR: '100000000',
  RATE_LIMIT_WEBCHAT_VISITORS_PER_CHANNEL_PER_MINUTE: '100000000',
  RATE_LIMIT_WEBHOOKS_PER_CHANNEL_PER_MINUTE: '100000000',
  WS_SOCKETS_PER_VISITOR: '1000',
  WS_SOCKETS_PER_IP: '1000000',
} as const

/** In-process runtime wiring on the bench database (no loops), for seeding through the real engine. */
export function benchDeps(db: Kysely<Database>): RuntimeDeps {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...BENCH_LIMITS })
  const logger = createLogger('silent')
  return withProcessState({
    db,
    dbKind: 'postgres',
    config,
    clock: systemClock,
    logger,
    metrics: createRuntimeMetrics(),
    realtime: new InProcessRealtime(),
    // Seeding only: counters in memory.
    rateLimits: new RateLimits(config, { kind: 'memory' }),
    sockets: new SocketGuard({ db, clock: systemClock, logger }, config),
    channels: {},
    egress: createEgress({ allowList: [] }),
    flowChecker: createFlowChecker({ allowList: '' }),
    instanceId: `bench-${process.pid}`,
    passwordHashing: PASSWORD_HASHING,
  })
}

const at = (y: number) => ({ x: 0, y })

/** Any message → send → wait for a reply (no timeout) → send → wait again: every message is a step with a reply. */
export const chatFlow = {
  version: 1,
  name: 'Bench chat',
  nodes: [
    { id: 'start', kind: 'trigger-message', position: at(0), config: {} },
    { id: 'hello', kind: 'send-message', position: at(100), config: { text: 'Hi! How can we help?' } },
    { id: 'wait', kind: 'wait-for-reply', position: at(200), config: { timeout: null } },
    { id: 'ack', kind: 'send-message', position: at(300), config: { text: 'Got it: {{reply}}' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'hello' },
    { id: 'e2', source: 'hello', sourceHandle: 'next', target: 'wait' },
    { id: 'e3', source: 'wait', sourceHandle: 'anything', target: 'ack' },
    { id: 'e4', source: 'ack', sourceHandle: 'next', target: 'wait' },
  ],
}

/** Any message → wait an hour → send a reminder → end: a run resting on one timer. */
export const reminderFlow = {
  version: 1,
  name: 'Bench reminder',
  nodes: [
    { id: 'start', kind: 'trigger-message', position: at(0), config: {} },
    {
      id: 'later',
      kind: 'delay',
      position: at(100),
      config: { mode: 'duration', duration: { amount: 1, unit: 'hours' } },
    },
    {
      id: 'remind',
      kind: 'send-message',
      position: at(200),
      config: { text: 'Still there? Your cart is waiting.' },
    },
    { id: 'done', kind: 'end', position: at(300), config: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'later' },
    { id: 'e2', source: 'later', sourceHandle: 'next', target: 'remind' },
    { id: 'e3', source: 'remind', sourceHandle: 'next', target: 'done' },
  ],
}

export interface SeededShop {
  merchantId: string
  channelId: string
}

export async function seedShop(db: Kysely<Database>, flow: unknown): Promise<SeededShop> {
  const { merchantId } = await seedMerchant(db, { name: 'Bench shop' })
  const channel = await seedChannel(db, merchantId, 'webchat')
  await publishFlowDocument(db, merchantId, flow)
  return { merchantId, channelId: channel.id }
}

/**
 * Starts one reminder run through the real engine (contact, identity, conversation, run, timer, visits), then clones it
 * `count` times in SQL with new ids and timer due times: one `insert … select` per table over a numbered series,
 * every column named (a plain projection; `(jsonb_populate_record(…)).*` evaluated its function once per column
 * of every row and took minutes for 30,000 runs), secondary indexes dropped before and built after it. `transcript` also gives each clone the shopper's first message.
 * The clones are copies of rows the engine wrote, so their foreign keys hold by construction: the copy runs with
 * `session_replication_role = replica` (the bench's superuser connection), which skips the per-row foreign-key
 * checks and the analytics triggers (the timers bench measures firings, not a rollup of seeded history), then
 * `analyze`s, as autovacuum would have for a table that size.
 */
export async function cloneReminderRuns(
  db: Kysely<Database>,
  shop: SeededShop,
  count: number,
  due: {
    /** SQL for clone `m.n`'s (1-based) timer due time. */
    dueAt: string
    /** Where the template run's own timer is moved to. */
    templateDueAt: Date
    /** SQL for clone `m.n`'s run snapshot, from the template's `t.snapshot` (default: the same). */
    snapshot?: string
    /** Each clone's transcript holds the shopper's message that started the run, as a live shop's would. */
    transcript?: boolean
  },
): Promise<void> {
  const template = await processInboundMessage(benchDeps(db), {
    merchantId: shop.merchantId,
    channelId: shop.channelId,
    externalId: 'bench-template',
    sender: { externalId: 'bench-template-visitor' },
    text: 'hello',
  })
  const runId = template.runIds[0]
  if (!runId || !template.contactId || !template.conversationId)
    throw new Error('the template run did not start')
  const map = `clone_${randomBytes(3).toString('hex')}`
  await db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx)
    // Keys as the database and the runtime make them (time-ordered, migration 202612040000), in creation order:
    // a live shop's runs that come due together were created together, so their keys are neighbours.
    await sql`create temporary table ${sql.table(map)} on commit drop as
      select n, uuid_v7() as contact_id, uuid_v7() as conversation_id, uuid_v7() as run_id
      from generate_series(1, ${count}::int) as n`.execute(trx)
    const copy = async (table: string, where: string, overrides: Record<string, string>) => {
      const started = Date.now()
      // Stored columns only (not generated, not identity): the rest the insert assigns.
      const { rows } = await sql<{ column_name: string }>`select column_name from information_schema.columns
        where table_schema = current_schema() and table_name = ${table}
          and is_generated = 'NEVER' and is_identity = 'NO'
        order by ordinal_position`.execute(trx)
      const columns = rows.map((r) => r.column_name)
      const values = columns.map((c) => overrides[c] ?? `t.${c}`)
      // Secondary indexes are built again after the copy: one sort each instead of a million random inserts.
      const indexes = await sql<{ name: string; def: string }>`select i.indexrelid::regclass::text as name,
          pg_get_indexdef(i.indexrelid) as def
        from pg_index i where i.indrelid = ${table}::regclass
          and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`.execute(trx)
      for (const index of indexes.rows) await sql`drop index ${sql.raw(index.name)}`.execute(trx)
      await sql`insert into ${sql.table(table)} (${sql.raw(columns.join(', '))})
        select ${sql.raw(values.join(', '))}
        from ${sql.table(table)} t, ${sql.table(map)} m where ${sql.raw(where)}`.execute(trx)
      for (const index of indexes.rows) await sql.raw(index.def).execute(trx)
      if (process.env.BENCH_VERBOSE) console.log(`  cloned ${table} in ${Date.now() - started} ms`)
    }
    await copy('contacts', `t.id = '${template.contactId}'`, { id: 'm.contact_id' })
    await copy('contact_identities', `t.contact_id = '${template.contactId}'`, {
      id: 'uuid_v7()',
      contact_id: 'm.contact_id',
      external_id: `'bench-visitor-' || m.n`,
    })
    await copy('conversations', `t.id = '${template.conversationId}'`, {
      id: 'm.conversation_id',
      contact_id: 'm.contact_id',
    })
    await copy('runs', `t.id = '${runId}'`, {
      id: 'm.run_id',
      contact_id: 'm.contact_id',
      conversation_id: 'm.conversation_id',
      correlation_key: `'conversation:' || m.conversation_id`,
      ...(due.snapshot ? { snapshot: due.snapshot } : {}),
    })
    await copy('timers', `t.run_id = '${runId}'`, { run_id: 'm.run_id', due_at: due.dueAt })
    // The nodes the run passed (its trigger, the delay): a live shop's history, which the analytics triggers
    // probe for each new visit (on an empty table the planner would scan it instead).
    await copy('node_visits', `t.run_id = '${runId}'`, { run_id: 'm.run_id' })
    if (due.transcript) {
      await copy('messages', `t.conversation_id = '${template.conversationId}' and t.direction = 'in'`, {
        id: 'uuid_v7()',
        conversation_id: 'm.conversation_id',
        contact_id: 'm.contact_id',
        run_id: 'case when t.run_id is null then null else m.run_id end',
      })
    }
  })
  await sql`update timers set due_at = ${due.templateDueAt} where run_id = ${runId}`.execute(db)
  const started = Date.now()
  await sql`analyze`.execute(db)
  if (process.env.BENCH_VERBOSE) console.log(`  analyzed in ${Date.now() - started} ms`)
}

export interface RuntimeChild {
  baseUrl: string
  pid: number
  /** What the runtime printed so far. */
  output(): string
  /** Resident set size of the runtime process, from /proc (bytes). */
  rss(): number
  stop(): Promise<void>
}

/** The real runtime (`src/server.ts`) on the bench database, production mode, system clock. */
export async function startRuntimeChild(
  databaseUrl: string,
  extraEnv: Record<string, string> = {},
): Promise<RuntimeChild> {
  return (await spawnRuntime(databaseUrl, extraEnv, false)).runtime
}

export interface ProbedRuntimeChild extends RuntimeChild {
  /**
   * The runtime's own memory figures (`process.memoryUsage()`), through bench/runtime-memory-probe.ts;
   * `gc: true` forces a full garbage collection first, so `heapUsed` is what the process keeps alive.
   */
  memory(options: { gc: boolean }): Promise<MemorySample>
}

/**
 * As startRuntimeChild, with bench/runtime-memory-probe.ts loaded into the runtime (`--expose-gc`, an IPC
 * channel): the process can report its V8 heap and force a full GC on request.
 */
export async function startProbedRuntimeChild(
  databaseUrl: string,
  extraEnv: Record<string, string> = {},
): Promise<ProbedRuntimeChild> {
  const { runtime, child } = await spawnRuntime(databaseUrl, extraEnv, true)
  let nextId = 0
  const pending = new Map<number, (sample: MemorySample) => void>()
  child.on('message', (message: MemorySample) => {
    if (message?.type !== 'memory') return
    pending.get(message.id)?.(message)
    pending.delete(message.id)
  })
  return {
    ...runtime,
    memory: ({ gc }) =>
      new Promise<MemorySample>((resolve, reject) => {
        const id = ++nextId
        const request: MemoryRequest = { type: 'memory', id, gc }
        pending.set(id, resolve)
        child.send(request, (error) => {
          if (error) {
            pending.delete(id)
            reject(error)
          }
        })
      }),
  }
}

/** GET /metrics needs it (Authorization: Bearer) in production. */
export const BENCH_METRICS_TOKEN = 'bench-metrics-token-0123456789'

async function spawnRuntime(
  databaseUrl: string,
  extraEnv: Record<string, string>,
  probe: boolean,
): Promise<{ runtime: RuntimeChild; child: ChildProcess }> {
  const out: string[] = []
  // BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to profile the runtime under load.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)
  const probeArgs = probe ? ['--expose-gc', '--import', PROBE_URL] : []
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', ...probeArgs, 'src/server.ts'],
    {
      cwd: RUNTIME_DIR,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        SECRET: 'bench-secret-bench-secret-bench-secret-0123',
        ENCRYPTION_KEY: 'YmVuY2gtZW5jcnlwdGlvbi1rZXktMzItYnl0ZXMhISE=',
        METRICS_TOKEN: BENCH_METRICS_TOKEN,
        DATABASE_URL: databaseUrl,
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'warn',
        ...BENCH_LIMITS,
        ...extraEnv,
      },
      stdio: probe ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    },
  )
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => out.push(chunk))
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => out.push(chunk))
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)
  // Generous: on a machine whose cores are busy with other work, tsx compiling the runtime takes minutes.
  const deadline = Date.now() + 300_000
  let baseUrl: string | undefined
  while (!baseUrl) {
    if (child.exitCode !== null) throw new Error(`runtime exited (${child.exitCode}):\n${out.join('')}`)
    if (Date.now() > deadline) throw new Error(`runtime did not start:\n${out.join('')}`)
    baseUrl = /listening on (http:\/\/[\d.:]+)/.exec(out.join(''))?.[1]
    if (!baseUrl) await new Promise((r) => setTimeout(r, 50))
  }
  const pid = child.pid as number
  const runtime: RuntimeChild = {
    baseUrl,
    pid,
    output: () => out.join(''),
    rss: () => {
      const status = readFileSync(join('/proc', String(pid), 'status'), 'utf8')
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) * 1024
    },
    stop: async () => {
      process.off('exit', killOnExit)
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      const forced = setTimeout(() => child.kill('SIGKILL'), 15_000)
      await exited
      clearTimeout(forced)
    },
  }
  return { runtime, child }
}

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux). */
const USER_HZ = 100

/** CPU time (user + system, ms) a process has used, from /proc/<pid>/stat; with its waited-for children's. */
function procCpuMs(pid: number, withChildren = false, path = join('/proc', String(pid), 'stat')): number {
  let stat: string
  try {
    stat = readFileSync(path, 'utf8')
  } catch {
    return 0 // ended between the listing and the read
  }
  // The fields after the command (which may hold spaces): state is field 3, utime 14, stime 15, cutime 16, cstime 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = (i: number) => Number(fields[i - 3])
  const own = ticks(14) + ticks(15)
  return ((withChildren ? own + ticks(16) + ticks(17) : own) * 1000) / USER_HZ
}

/** The CPU time of the runtime process (ms). */
export function runtimeCpuMs(runtime: RuntimeChild): number {
  return procCpuMs(runtime.pid)
}

/**
 * The runtime process's CPU time (ms) split by thread: its main thread (the JavaScript), and the others (V8's
 * optimising compiler and its parallel and concurrent GC helpers, libuv's pool). A cold process's first rounds
 * spend more in the others while V8 compiles the hot paths (BENCHMARKS.md "Timer firings, session 12").
 */
export function runtimeThreadCpuMs(runtime: RuntimeChild): { main: number; others: number } {
  let all = 0
  let main = 0
  let tasks: string[]
  try {
    tasks = readdirSync(join('/proc', String(runtime.pid), 'task'))
  } catch {
    return { main: 0, others: 0 } // the process ended
  }
  for (const task of tasks) {
    const ms = procCpuMs(Number(task), false, join('/proc', String(runtime.pid), 'task', task, 'stat'))
    all += ms
    if (task === String(runtime.pid)) main = ms
  }
  return { main, others: all - main }
}

/**
 * Where a bench's Postgres CPU goes: the whole cluster (postmaster, every backend live or ended, the WAL writer,
 * autovacuum), so a pooled connection closed mid-round still counts. Read from /proc: the cluster runs on this
 * machine (`scripts/with-postgres.mjs`). Returns a function that reads the cluster's CPU ms now.
 */
export async function postgresCpuMeter(db: Kysely<Database>): Promise<() => number> {
  const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)
  const backend = rows[0]?.pid as number
  const stat = readFileSync(join('/proc', String(backend), 'stat'), 'utf8')
  const postmaster = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
  return () => {
    let total = procCpuMs(postmaster, true)
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue
      let child: string
      try {
        child = readFileSync(join('/proc', entry, 'stat'), 'utf8')
      } catch {
        continue
      }
      if (Number(child.slice(child.lastIndexOf(')') + 2).split(' ')[1]) === postmaster)
        total += procCpuMs(Number(entry))
    }
    return total
  }
}

/**
 * Rows inserted, updated and deleted in the bench database's tables so far (pg_stat_user_tables). Backends
 * report their counts at most once a second while busy and within 10 s when idle: wait `settleMs` first.
 */
export async function rowsWritten(db: Kysely<Database>, settleMs = 11_000): Promise<Record<string, number>> {
  await new Promise((r) => setTimeout(r, settleMs))
  await sql`select pg_stat_clear_snapshot()`.execute(db)
  const { rows } = await sql<{ relname: string; n: string }>`
    select relname, n_tup_ins + n_tup_upd + n_tup_del as n from pg_stat_user_tables`.execute(db)
  return Object.fromEntries(rows.map((r) => [r.relname, Number(r.n)]))
}

/** Rows written between two `rowsWritten` readings, per table with a change and in total. */
export function rowsDelta(before: Record<string, number>, after: Record<string, number>) {
  const byTable: Record<string, number> = {}
  let total = 0
  for (const [table, n] of Object.entries(after)) {
    const d = n - (before[table] ?? 0)
    if (d !== 0) byTable[table] = d
    total += d
  }
  return { byTable, total }
}

/** One line for a per-table count divided by `per`: `runs 1.00, messages 2.00, …`. */
export function perUnit(byTable: Record<string, number>, per: number): string {
  return Object.entries(byTable)
    .sort(([, a], [, b]) => b - a)
    .map(([table, n]) => `${table} ${(n / per).toFixed(2)}`)
    .join(', ')
}

export interface StatementCounter {
  /** Forgets what was counted so far (pg_stat_statements_reset). */
  reset(): Promise<void>
  /**
   * Statements executed in the bench database since the reset: top-level ones (`calls`, what clients sent) and
   * nested ones (`nested`: foreign-key checks and the statements of triggers, with `pg_stat_statements.track=all`);
   * the top ones by calls. `hits` and `reads` are the top-level statements' shared buffer hits and blocks read
   * into shared buffers (from the OS cache or the disk); a top-level statement's figures include its nested ones'.
   * `topReads`: the statements that read the most blocks.
   */
  read(): Promise<{
    calls: number
    nested: number
    /** Of the top-level statements (their nested ones' included): shared buffer hits, blocks read in, WAL records. */
    hits: number
    reads: number
    wal: number
    top: { calls: number; toplevel: boolean; query: string }[]
    topReads: { calls: number; hits: number; reads: number; query: string }[]
  }>
}

/**
 * Statements per message / firing from pg_stat_statements, when the cluster preloads it
 * (`shared_preload_libraries=pg_stat_statements`); null otherwise. Counts every backend's statements in the bench
 * database (the runtime's, and the bench's own: subtract those).
 */
export async function statementCounter(db: Kysely<Database>): Promise<StatementCounter | null> {
  try {
    await sql`create extension if not exists pg_stat_statements`.execute(db)
    await sql`select 1 from pg_stat_statements limit 1`.execute(db)
  } catch {
    return null
  }
  return {
    reset: async () => {
      await sql`select pg_stat_statements_reset()`.execute(db)
    },
    read: async () => {
      const { rows } = await sql<{
        calls: string
        toplevel: boolean
        hits: string
        reads: string
        wal: string
        query: string
      }>`
        select calls, toplevel, shared_blks_hit as hits, shared_blks_read as reads, wal_records as wal, query
        from pg_stat_statements
        where dbid = (select oid from pg_database where datname = current_database())
          and query not like '%pg_stat_statements%'
        order by calls desc`.execute(db)
      const sum = (toplevel: boolean, column: 'calls' | 'hits' | 'reads' | 'wal' = 'calls') =>
        rows.filter((r) => r.toplevel === toplevel).reduce((n, r) => n + Number(r[column]), 0)
      const oneLine = (query: string) => query.replace(/\s+/g, ' ').slice(0, 160)
      return {
        calls: sum(true),
        nested: sum(false),
        hits: sum(true, 'hits'),
        reads: sum(true, 'reads'),
        wal: sum(true, 'wal'),
        topReads: rows
          .filter((r) => r.toplevel)
          .sort((a, b) => Number(b.reads) - Number(a.reads))
          .slice(0, 12)
          .map((r) => ({
            calls: Number(r.calls),
            hits: Number(r.hits),
            reads: Number(r.reads),
            query: oneLine(r.query),
          })),
        top: rows.slice(0, 25).map((r) => ({
          calls: Number(r.calls),
          toplevel: r.toplevel,
          query: oneLine(r.query),
        })),
      }
    },
  }
}
