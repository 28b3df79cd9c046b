// @parley/db: the data model's types, its migrations, and openDatabase() for Postgres or embedded PGlite.
export { jsonb } from './json.ts'
export { MigrationError, migrateToLatest, migrateToNothing, StaticMigrationProvider } from './migrate.ts'
export { migrations } from './migrations/index.ts'
export {
  type DatabaseKind,
  type OpenDatabaseOptions,
  type OpenedDatabase,
  openDatabase,
} from './open-database.ts'
export * from './schema/index.ts'
