// Runs the static migration list with Kysely's Migrator and turns a failure into one clear error.
// Migrations run in transactions, consecutive ones together, a failure rolling back its whole group. A migration
// that exports `transaction = false` runs alone and outside one, so it can build an index `concurrently`: a plain
// `create index` on a live table stops every write to it until the build ends (a new index on receipts held every
// inbound message for as long as it read the table). Replicas starting at once apply each migration once: the
// whole run holds an advisory lock, so no replica reads the pending list while another is applying it.
import { type Kysely, sql } from 'kysely'
import {
  type Migration,
  type MigrationInfo,
  type MigrationProvider,
  type MigrationResult,
  Migrator,
  NO_MIGRATIONS,
} from 'kysely/migration'
import { migrations } from './migrations/index.ts'

/** Hands Kysely the migrations bundled into this package (no directory scan). */
export class StaticMigrationProvider implements MigrationProvider {
  async getMigrations() {
    return migrations
  }
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError'
  constructor(
    readonly migration: string | undefined,
    readonly results: MigrationResult[],
    options: { cause: unknown },
  ) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause)
    super(`database migration ${migration ? `"${migration}" ` : ''}failed: ${reason}`, options)
  }
}

function createMigrator<DB>(db: Kysely<DB>): Migrator {
  return new Migrator({ db, provider: new StaticMigrationProvider() })
}

/** A migration module; `transaction = false` runs it alone and outside a transaction (see the file comment). */
export interface ParleyMigration extends Migration {
  readonly transaction?: false
}

/** Held for a whole run, beside the migrator's own lock, which it takes per group. */
const RUN_LOCK_ID = 7_301_826_410
const RUN_LOCK_POLL_MS = 100

/**
 * Takes the run lock, trying again until it is free rather than waiting inside `pg_advisory_lock`: a replica
 * waiting there is a transaction, and `create index concurrently` in the replica that holds the lock waits for
 * every transaction older than its build to end (Postgres reported the deadlock).
 */
async function takeRunLock<DB>(lockHolder: Kysely<DB>): Promise<void> {
  for (;;) {
    const { rows } = await sql<{ locked: boolean }>`
      select pg_try_advisory_lock(${RUN_LOCK_ID}) as locked`.execute(lockHolder)
    if (rows[0]?.locked) return
    await new Promise((resolve) => setTimeout(resolve, RUN_LOCK_POLL_MS))
  }
}

/** The pending migrations to apply together next: those up to the next that runs alone, or that one by itself. */
export function nextGroup(pending: readonly MigrationInfo[]): { last: string; transaction: boolean } | null {
  const alone = (info: MigrationInfo) => (info.migration as ParleyMigration).transaction === false
  const first = pending[0]
  if (first === undefined) return null
  if (alone(first)) return { last: first.name, transaction: false }
  const end = pending.findIndex(alone)
  const group = end === -1 ? pending : pending.slice(0, end)
  return { last: (group.at(-1) as MigrationInfo).name, transaction: true }
}

/**
 * Brings the schema up to the newest migration. Returns the names applied now (empty when already current).
 * Throws a MigrationError naming the failed migration; a failed group's transaction is rolled back (a migration
 * that runs alone, outside one, must be safe to run again).
 * @example await migrateToLatest(db)
 */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<string[]> {
  return db.connection().execute(async (lockHolder) => {
    await takeRunLock(lockHolder)
    try {
      // On the lock's own connection: a pool of one would otherwise wait for itself.
      const migrator = createMigrator(lockHolder)
      const applied: string[] = []
      for (;;) {
        const pending = (await migrator.getMigrations()).filter((m) => m.executedAt === undefined)
        const group = nextGroup(pending)
        if (group === null) return applied
        const { error, results = [] } = await migrator.migrateTo(group.last, {
          disableTransactions: !group.transaction,
        })
        applied.push(...results.filter((r) => r.status === 'Success').map((r) => r.migrationName))
        if (error !== undefined) {
          const failed = results.find((r) => r.status === 'Error')?.migrationName
          throw new MigrationError(failed, results, { cause: error })
        }
      }
    } finally {
      await sql`select pg_advisory_unlock(${RUN_LOCK_ID})`.execute(lockHolder)
    }
  })
}

/** Undoes every migration (tests and local resets only). */
export async function migrateToNothing<DB>(db: Kysely<DB>): Promise<void> {
  const { error, results = [] } = await createMigrator(db).migrateTo(NO_MIGRATIONS)
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName
    throw new MigrationError(failed, results, { cause: error })
  }
}
