import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { type OpenedDatabase, openDatabase } from './open-database.ts'
import { testDatabases, testDatabaseUrl } from './testing.ts'

// A pooled connection closed while idle costs the next burst a new backend that prepares and plans every statement
// again; `idleTimeoutMs` is how long the pool keeps one (the runtime's DATABASE_POOL_IDLE_SECONDS).
describe.runIf(testDatabases().includes('postgres'))('the pool idle timeout on postgres', () => {
  const opened: OpenedDatabase[] = []
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((o) => o.close()))
  })

  async function idleConnectionsAfter(idleTimeoutMs: number | undefined, waitMs: number): Promise<number> {
    const database = await openDatabase({
      url: testDatabaseUrl(),
      migrate: false,
      ...(idleTimeoutMs === undefined ? {} : { idleTimeoutMs }),
    })
    opened.push(database)
    await sql`select 1`.execute(database.db)
    expect(database.pool?.totalCount).toBe(1)
    await sleep(waitMs)
    return database.pool?.totalCount ?? -1
  }

  it('closes an unused connection after the given time, and keeps it before', async () => {
    const [short, long] = await Promise.all([
      idleConnectionsAfter(200, 800),
      idleConnectionsAfter(60_000, 800),
    ])
    expect(short).toBe(0)
    expect(long).toBe(1)
  })
})
