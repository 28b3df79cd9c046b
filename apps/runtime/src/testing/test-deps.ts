// Test wiring: a fresh migrated database (PGlite or real Postgres), a ManualClock, silent logs, fresh metrics.
// Share one per test file (PGlite start costs a second or two) and isolate tests by seeding a merchant each.

import type { Database, DatabaseKind, UserRole } from '@parley/db'
import { createTestDatabase, type TestDatabase } from '@parley/db/testing'
import { parseEgressAllowList } from '@parley/flow'
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely'
import { CatalogueImportWorker } from '../catalogue/import-worker.ts'
import { loadConfig } from '../config.ts'
import type { RuntimeDeps } from '../deps.ts'
import { createEgress } from '../egress/egress-agent.ts'
import { createFlowChecker } from '../flows/flow-checker.ts'
import { createLogger } from '../observability/logger.ts'
import { createRuntimeMetrics } from '../observability/metrics.ts'
import { withProcessState } from '../process-state.ts'
import { InProcessRealtime } from '../realtime/realtime.ts'
import { SocketGuard } from '../realtime/socket-guard.ts'
import { rateLimitStoreFor } from '../security/limiter-store.ts'
import { hashPassword, type PasswordHashing } from '../security/password.ts'
import { RateLimits } from '../security/rate-limits.ts'
import { ManualClock } from '../time/clock.ts'

/**
 * Cheap scrypt for tests (1 MiB, a few milliseconds), below the old production setting so a test can show a
 * 2^14 hash being upgraded; the production default is asserted in password.test.ts.
 */
export const TEST_PASSWORD_HASHING: PasswordHashing = { N: 2 ** 10, r: 8, p: 1 }

export interface TestDeps {
  deps: RuntimeDeps
  clock: ManualClock
  /** The database under `deps.db` (its pool or PGlite, e.g. for a second Kysely that logs queries). */
  database: TestDatabase
  /** Closes realtime and drops the database. */
  close(): Promise<void>
}

/**
 * @example
 * let t: TestDeps
 * beforeAll(async () => { t = await createTestDeps(kind) })
 * afterAll(() => t.close())
 */
export async function createTestDeps(
  kind: DatabaseKind,
  overrides: Partial<RuntimeDeps> = {},
): Promise<TestDeps> {
  const database = await createTestDatabase(kind)
  const clock = new ManualClock()
  const realtime = new InProcessRealtime()
  const config = overrides.config ?? loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' })
  const egress = createEgress({ allowList: parseEgressAllowList(config.EGRESS_ALLOW_LIST) })
  const deps = withProcessState({
    db: database.db,
    dbKind: database.kind,
    config,
    clock,
    logger: createLogger('silent'),
    metrics: createRuntimeMetrics(),
    realtime,
    // The same store as production for this backend: Postgres counters shared like replicas would share them.
    rateLimits: new RateLimits(config, rateLimitStoreFor(database)),
    sockets: new SocketGuard(
      { db: database.db, clock: overrides.clock ?? clock, logger: createLogger('silent') },
      config,
    ),
    channels: {},
    egress,
    flowChecker: createFlowChecker({ allowList: config.EGRESS_ALLOW_LIST }),
    instanceId: `test-${process.pid}`,
    // No abandoned cart falls in the holdout (at most 50 %) unless a test passes its own source of chance.
    random: () => 0.999,
    passwordHashing: TEST_PASSWORD_HASHING,
    catalogueImports: new CatalogueImportWorker({
      db: database.db,
      clock: overrides.clock ?? clock,
      logger: createLogger('silent'),
      instanceId: `test-${process.pid}`,
      egress,
      config,
    }),
    ...overrides,
  })
  return {
    deps,
    clock: deps.clock instanceof ManualClock ? deps.clock : clock,
    database,
    close: async () => {
      await deps.catalogueImports?.stop()
      await deps.realtime.close()
      await deps.egress.close()
      await deps.flowChecker.close()
      await database.close()
    },
  }
}

export interface SeededMerchant {
  merchantId: string
  userId: string
  email: string
  password: string
}

// Tests seed many users with the same password: hashed once, at the test cost.
const hashes = new Map<string, Promise<string>>()
function cachedHash(password: string): Promise<string> {
  let hash = hashes.get(password)
  if (!hash) {
    hash = hashPassword(password, TEST_PASSWORD_HASHING)
    hashes.set(password, hash)
  }
  return hash
}

let seedCounter = 0

/** A new merchant with one staff user (owner by default). Emails are unique per call unless given. */
export async function seedMerchant(
  db: Kysely<Database>,
  options: {
    email?: string
    password?: string
    role?: UserRole
    name?: string
    /**
     * Burst merge's quiet window (engine/burst-merge.ts). Tests answer each message at once (0) unless they test
     * the window: a new merchant's 2.5 s would need the clock moved after every message. 'default': the
     * column's default, as a store that signs up gets it.
     */
    burstWindowMs?: number | 'default'
  } = {},
): Promise<SeededMerchant> {
  seedCounter += 1
  const email = (
    options.email ?? `owner-${process.pid}-${seedCounter}-${Date.now()}@test.parley.dev`
  ).toLowerCase()
  const password = options.password ?? 'correct horse battery staple'
  const merchant = await db
    .insertInto('merchants')
    .values({
      name: options.name ?? `Test merchant ${seedCounter}`,
      ...(options.burstWindowMs === 'default' ? {} : { burst_window_ms: options.burstWindowMs ?? 0 }),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const user = await seedUser(db, merchant.id, { email, password, role: options.role ?? 'owner' })
  return { merchantId: merchant.id, userId: user.userId, email, password }
}

/** Another staff user of an existing merchant. */
export async function seedUser(
  db: Kysely<Database>,
  merchantId: string,
  options: { email?: string; password?: string; role: UserRole },
): Promise<{ userId: string; email: string; password: string }> {
  seedCounter += 1
  const email = (
    options.email ?? `${options.role}-${process.pid}-${seedCounter}-${Date.now()}@test.parley.dev`
  ).toLowerCase()
  const password = options.password ?? 'correct horse battery staple'
  const user = await db
    .insertInto('users')
    .values({
      merchant_id: merchantId,
      email,
      name: options.role,
      password_hash: await cachedHash(password),
      role: options.role,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { userId: user.id, email, password }
}

/** A second Kysely on the test database that hands `onSql` the text of each statement it sends. */
export function loggingDb(database: TestDatabase, onSql: (sql: string) => void): Kysely<Database> {
  const { pglite, pool } = database
  return new Kysely<Database>({
    dialect: pglite ? new PGliteDialect({ pglite }) : new PostgresDialect({ pool: pool! }),
    log: (event) => {
      if (event.level === 'query') onSql(event.query.sql)
    },
  })
}
