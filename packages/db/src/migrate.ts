// Runs the static migration list with Kysely's Migrator and turns a failure into one clear error.
import type { Kysely } from 'kysely'
import { type MigrationProvider, type MigrationResult, Migrator, NO_MIGRATIONS } from 'kysely/migration'
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

/**
 * Brings the schema up to the newest migration. Returns the names applied now (empty when already current).
 * Throws a MigrationError naming the failed migration; a failed migration's transaction is rolled back.
 * @example await migrateToLatest(db)
 */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<string[]> {
  const { error, results = [] } = await createMigrator(db).migrateToLatest()
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName
    throw new MigrationError(failed, results, { cause: error })
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

/** Undoes every migration (tests and local resets only). */
export async function migrateToNothing<DB>(db: Kysely<DB>): Promise<void> {
  const { error, results = [] } = await createMigrator(db).migrateTo(NO_MIGRATIONS)
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName
    throw new MigrationError(failed, results, { cause: error })
  }
}
