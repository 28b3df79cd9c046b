import { testDatabases } from '@parley/db/testing'
import { edge, node } from '@parley/flow/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../observability/logger.ts'
import { withProcessState } from '../process-state.ts'
import { PgRealtime } from '../realtime/pg-realtime.ts'
import { InProcessRealtime, type Realtime, type RealtimeEvent } from '../realtime/realtime.ts'
import { RecordingAdapter, seedShop } from '../testing/engine-fixtures.ts'
import { createTestDeps, loggingDb, type TestDeps } from '../testing/test-deps.ts'
import { processInboundMessage } from './inbound.ts'
import { StepWrites } from './step-writes.ts'

const greeting = {
  version: 1,
  name: 'Greeting',
  nodes: [
    node('start', 'trigger-message', { match: 'any', keywords: [] }),
    node('hello', 'send-message', { text: 'Hi!' }),
    node('done', 'end', { outcome: 'finished' }),
  ],
  edges: [edge('start', 'hello'), edge('hello', 'done')],
}

async function until(condition: () => boolean): Promise<void> {
  // No deadline of its own: the test's timeout bounds it (a busy machine makes it slower, never red).
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10))
}

describe.each(testDatabases())('a step’s realtime events on %s', (kind) => {
  let t: TestDeps
  let realtime: Realtime
  /** Statements sent, and the realtime calls made after a commit. */
  const statements: string[] = []
  let publishedAfterCommit = 0
  const heard: RealtimeEvent[] = []

  beforeAll(async () => {
    t = await createTestDeps(kind, { channels: { webchat: new RecordingAdapter('webchat') } })
    const { pool } = t.database
    if (pool) {
      t.deps.db = loggingDb(t.database, (sql) => statements.push(sql))
      const pg = new PgRealtime({ db: t.deps.db, pool, logger: createLogger('silent') })
      await pg.start()
      realtime = pg
    } else {
      realtime = new InProcessRealtime()
    }
    const publishMany = realtime.publishMany.bind(realtime)
    realtime.publishMany = async (events) => {
      publishedAfterCommit += 1
      await publishMany(events)
    }
    realtime.subscribe((event) => heard.push(event))
    t.deps = withProcessState({ ...t.deps, realtime })
  })
  afterAll(async () => {
    await realtime.close()
    await t.close()
  })

  /** A shop whose greeting flow answered one web-chat visitor; `beforeMessage` runs between set-up and message. */
  async function greetedShop(beforeMessage = () => {}): Promise<string> {
    const { merchantId, message } = await seedShop(t.deps.db, { flows: [greeting] })
    beforeMessage()
    await processInboundMessage(t.deps, message('visitor-1', 'hello'))
    return merchantId
  }

  it('are heard once the batch commits: carried by the write on Postgres, published after it in memory', async () => {
    const merchantId = await greetedShop(() => {
      statements.length = 0
      publishedAfterCommit = 0
    })
    const transcript = await t.deps.db
      .selectFrom('messages')
      .select(['id', 'direction', 'conversation_id'])
      .where('merchant_id', '=', merchantId)
      .execute()
    expect(transcript.map((m) => m.direction).sort()).toEqual(['in', 'out'])
    const ids = transcript.map((m) => m.id)
    await until(() => ids.every((id) => heard.some((e) => e.kind === 'message' && e.id === id)))
    if (kind === 'postgres') {
      expect(publishedAfterCommit).toBe(0)
      // The only NOTIFYs are in the write (`with …`): no `select pg_notify(…)` statement of their own.
      const notifying = statements.filter((s) => s.includes('pg_notify'))
      expect(notifying.length).toBeGreaterThan(0)
      expect(notifying.every((s) => s.trimStart().startsWith('with'))).toBe(true)
    } else {
      expect(publishedAfterCommit).toBe(1)
    }
  })

  it.runIf(kind === 'postgres')('are not heard when the transaction rolls back', async () => {
    const merchantId = await greetedShop()
    const conversation = await t.deps.db
      .selectFrom('conversations')
      .select('id')
      .where('merchant_id', '=', merchantId)
      .executeTakeFirstOrThrow()
    const event = (id: string): RealtimeEvent => ({
      merchantId,
      conversationId: conversation.id,
      kind: 'conversation',
      id,
    })
    const writeCarrying = async (id: string, commit: boolean) => {
      const written = t.deps.db.transaction().execute(async (trx) => {
        const writes = new StepWrites()
        const at = new Date()
        writes.touchConversation({
          merchant_id: merchantId,
          id: conversation.id,
          last_inbound_at: null,
          last_message_at: at,
          updated_at: at,
          reopen: false,
          escalation: null,
        })
        expect(await writes.flush(trx, { realtimeNotices: realtime.commitNotices([event(id)]) })).toBe(true)
        if (!commit) throw new Error('rolled back on purpose')
      })
      if (commit) await written
      else await expect(written).rejects.toThrow('rolled back on purpose')
    }
    await writeCarrying('rolled-back', false)
    await writeCarrying('committed', true)
    // One LISTEN connection hears notifications in commit order: the marker arriving means the other never will.
    await until(() => heard.some((e) => e.id === 'committed'))
    expect(heard.filter((e) => e.id === 'rolled-back')).toEqual([])
  })
})
