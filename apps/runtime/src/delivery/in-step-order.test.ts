// Transcript order when two steps send in one conversation at once (in-step-delivery.ts, policy/send-facts.ts
// `sendsWaiting`), interleaved deterministically on real Postgres: each step is held open at gates between its
// decision, its flush and its commit. PGlite is one connection: two transactions cannot interleave there (in-step-delivery.test.ts covers the
// one-after-the-other order on both backends).
import type { Database } from '@parley/db'
import { testDatabases } from '@parley/db/testing'
import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createWebchatAdapter } from '../channels/webchat/webchat-adapter.ts'
import { loadConfig } from '../config.ts'
import type { SendRequest } from '../effects/send.ts'
import { processInboundMessage } from '../engine/inbound.ts'
import { StepBatch } from '../engine/step-batch.ts'
import { inStepTransaction } from '../engine/step-transaction.ts'
import { echoFlow, insertRetryingSend, publishFlowDocument, seedChannel } from '../testing/engine-fixtures.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'
import { relayOutbox } from './outbox-relay.ts'

const onPostgres = testDatabases().includes('postgres')

describe.runIf(onPostgres)('in-step delivery order under concurrent steps on postgres', () => {
  let t: TestDeps
  let db: Kysely<Database>
  beforeAll(async () => {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_URL: 'https://parley.example' })
    t = await createTestDeps('postgres', { config })
    t.deps.channels.webchat = createWebchatAdapter(t.deps)
    db = t.deps.db
  }, 120_000)
  afterAll(() => t?.close())

  /** Whether a backend of this database waits for a lock (another transaction holds it). */
  const waitsForLock = async () =>
    (
      await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`.execute(db)
    ).rows[0]!.n > 0

  // B's first look finds nothing waiting (A has not committed); B's flush re-checks under the conversation's
  // lock, which waits for A's commit, and so sees A's queued send (engine/step-batch.ts `flush`).
  it('a send that looked deliverable before a concurrent step committed queues behind that step’s queued one', async () => {
    const { merchantId } = await seedMerchant(db)
    const channel = await seedChannel(db, merchantId, 'webchat')
    await publishFlowDocument(db, merchantId, echoFlow)
    const visitor = `visitor-${merchantId}`
    const first = await processInboundMessage(t.deps, {
      merchantId,
      channelId: channel.id,
      externalId: `m-${merchantId}`,
      sender: { externalId: visitor },
      text: 'hello',
    })
    const conversationId = first.conversationId as string
    const contact = await db
      .selectFrom('contacts')
      .select('id')
      .where('merchant_id', '=', merchantId)
      .executeTakeFirstOrThrow()
    // An older send waiting out a retry: the relay sends it when it is due.
    await insertRetryingSend(
      db,
      { merchantId, conversationId, contactId: contact.id, channelId: channel.id, to: visitor },
      'Retried',
      new Date(t.clock.now()),
    )
    const send = (text: string): SendRequest => ({
      merchantId,
      conversationId,
      runId: null,
      nodeId: null,
      message: { text },
      purpose: 'service',
      exemption: 'none',
    })

    /** A gate a step waits at: `open()` lets it on, `reached` says it got there. */
    const gate = () => {
      let open!: () => void
      let reach!: () => void
      const opened = new Promise<void>((resolve) => {
        open = resolve
      })
      const reached = new Promise<void>((resolve) => {
        reach = resolve
      })
      const pass = () => {
        reach()
        return opened
      }
      return { open, reached, pass }
    }
    /** A step that decides one send, waits, flushes, waits, commits: the two halves of `inStepBatch`. */
    const heldStep = (text: string, decided: ReturnType<typeof gate>, flushed: ReturnType<typeof gate>) =>
      inStepTransaction(t.deps, async (trx, ctx) => {
        const batch = new StepBatch(trx, ctx)
        await batch.send(send(text))
        await decided.pass()
        await batch.flush()
        await flushed.pass()
      })

    // A decides while "Retried" waits: it queues "Second" behind it.
    const aDecided = gate()
    const aFlushed = gate()
    const stepA = heldStep('Second', aDecided, aFlushed)
    await aDecided.reached
    // The relay sends "Retried" (its retry came due) before A writes anything.
    t.clock.advance(120_000)
    expect((await relayOutbox(t.deps)).sent).toBe(1)
    // B plans now: nothing of the conversation waits in what it can see (A has not committed).
    const bDecided = gate()
    const bFlushed = gate()
    const stepB = heldStep('Third', bDecided, bFlushed)
    await bDecided.reached
    // A writes its rows first ("Second" takes the lower seq), then B writes; A commits, then B.
    aDecided.open()
    await aFlushed.reached
    bDecided.open()
    let bDone = false
    void bFlushed.reached.then(() => {
      bDone = true
    })
    // B's flush waits for A's lock on the conversation: A commits once B is done or waits.
    while (!bDone && !(await waitsForLock())) await new Promise((resolve) => setTimeout(resolve, 20))
    aFlushed.open()
    await stepA
    await bFlushed.reached
    bFlushed.open()
    await stepB

    const outbound = await db
      .selectFrom('messages')
      .select(['body', 'status'])
      .where('merchant_id', '=', merchantId)
      .where('direction', '=', 'out')
      .orderBy('seq')
      .execute()
    expect(outbound.map((m) => (m.body as { text: string }).text)).toEqual([
      'You said: hello',
      'Retried',
      'Second',
      'Third',
    ])
    // Nothing is delivered ahead of a waiting send: "Third" queues behind "Second".
    expect(outbound.map((m) => m.status)).toEqual(['delivered', 'delivered', 'queued', 'queued'])
    // The relay sends them in transcript order: "Second" first, then "Third".
    const statuses = async () =>
      (
        await db
          .selectFrom('messages')
          .select('status')
          .where('merchant_id', '=', merchantId)
          .where('direction', '=', 'out')
          .orderBy('seq')
          .execute()
      ).map((m) => m.status)
    expect((await relayOutbox(t.deps)).sent).toBe(1)
    expect(await statuses()).toEqual(['delivered', 'delivered', 'delivered', 'queued'])
    expect((await relayOutbox(t.deps)).sent).toBe(1)
    expect(await statuses()).toEqual(['delivered', 'delivered', 'delivered', 'delivered'])
  }, 30_000)
})
