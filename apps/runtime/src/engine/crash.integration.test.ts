// Acceptance 2 (issue 3), the crash test: the real runtime as a child process on real Postgres with the dev
// clock; 200 web-chat shoppers abandon carts through POST /api/events, the clock runs through 72 hours in HTTP
// advances while the process is SIGKILLed at random moments (mid-advance, mid-batch) and started again. After
// the last restart has drained, every shopper has exactly the 1 h, 24 h and 72 h messages: none lost, none twice.
// Real Postgres only: PGlite is embedded in one process, so there is no separate process to kill.
import type { Database } from '@parley/db'
import { createTestDatabase, type TestDatabase, testDatabases } from '@parley/db/testing'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_OWNER_EMAIL, seedDemo } from '../demo/seed.ts'
import { cartUpdated } from '../testing/engine-fixtures.ts'
import { type RuntimeChild, startRuntimeChild } from '../testing/runtime-child.ts'
import { loadClockOffset } from '../time/clock-offset.ts'

const CONTACTS = 200
/** The carts come in four waves, 20 virtual minutes apart, so each send moment is spread over several steps. */
const WAVES = 4
const STEP_MS = 20 * 60_000
const HOUR = 3_600_000
/** 72 h after the last wave's abandonment (wave 3 at +60 min, abandoned 30 min later), plus a margin. */
const DRIVE_TO_MS = 75 * HOUR
/** The recovery flow's three sends (packages/flow starter cart-recovery): +1 h, +24 h, +72 h. */
const EXPECTED_NODES = ['personal-offer', 'reminder', 'social-proof']
const PASSWORD = 'crash-test-password'

const onPostgres = testDatabases().includes('postgres')
if (!onPostgres)
  console.warn(
    '\n[crash test] real Postgres not available: acceptance 2 (the crash test) is SKIPPED on PGlite\n',
  )

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const randomInt = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1))

/** When a planned kill strikes: a random delay into the step's advance, or as soon as the relay holds claimed sends. */
type KillTrigger = { kind: 'delay'; ms: number } | { kind: 'mid-send' }

interface KillRecord {
  step: number
  trigger: string
  /** Real time from sending the advance request to the kill. */
  afterMs: number
  /** The advance request was still running when the process died. */
  midRequest: boolean
  /** Outbox rows left `sending` (claimed, outcome not recorded) by the killed process. */
  sendsInFlight: number
  /** Timers due but not fired, and sends not yet made, when it died. */
  dueTimers: number
  pendingSends: number
}

describe.runIf(onPostgres)('crash test: SIGKILL while 200 recovery runs go through 72 hours', () => {
  let database: TestDatabase
  let db: Kysely<Database>
  let runtime: RuntimeChild
  let restarting: Promise<void> | undefined
  let env: Record<string, string>
  let apiKey: string
  let channelId: string
  let session: { cookie: string; csrfToken: string }

  beforeAll(async () => {
    database = await createTestDatabase('postgres')
    db = database.db
    if (!database.url) throw new Error('createTestDatabase(postgres) gave no URL')
    const demo = await seedDemo(db, { password: PASSWORD })
    if (!demo.apiKey) throw new Error('the demo seed made no API key')
    apiKey = demo.apiKey
    channelId = demo.webchatChannelId
    // The demo shop's quiet hours (21:00–08:00 London) would make the count depend on the hour the test starts:
    // the sends fall at the start's time of day plus 1.5–2.5 h, so when that is after 21:00 they wait for the
    // morning, and the +72 h ones then leave after DRIVE_TO_MS (started at 19:29 UTC: 200 of 600 not delivered).
    // Quiet hours have their own tests.
    await db
      .updateTable('merchants')
      .set({ quiet_hours_start_minute: null, quiet_hours_end_minute: null })
      .where('id', '=', demo.merchantId)
      .execute()
    env = {
      DATABASE_URL: database.url,
      DEV_CLOCK: 'true',
      LOG_LEVEL: 'error',
      TIMER_POLL_INTERVAL_MS: '50',
      OUTBOX_POLL_INTERVAL_MS: '50',
      // A killed process's claimed sends come free after 2 s, not a minute: the test waits for them.
      OUTBOX_LEASE_SECONDS: '2',
    }
    runtime = await startRuntimeChild(env)
  })

  afterAll(async () => {
    await runtime?.kill()
    await database?.close()
  })

  /** One HTTP call to whichever process is up; waits out a restart and, when `retry`, repeats a failed call. */
  async function call(path: string, init: RequestInit, retry: boolean): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      await restarting
      try {
        const res = await fetch(`${runtime.baseUrl}${path}`, { ...init, signal: AbortSignal.timeout(60_000) })
        if (res.status < 500 || !retry || attempt >= 20) return res
      } catch (error) {
        if (!retry || attempt >= 20) throw error
      }
      await sleep(100)
    }
  }

  async function signIn() {
    const res = await call(
      '/api/auth/sign-in',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: DEMO_OWNER_EMAIL, password: PASSWORD }),
      },
      true,
    )
    expect(res.status).toBe(200)
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    const { csrfToken } = (await res.json()) as { csrfToken: string }
    session = { cookie, csrfToken }
  }

  async function clockOffset(): Promise<number> {
    const res = await call('/api/dev/clock', { headers: { cookie: session.cookie } }, true)
    expect(res.status).toBe(200)
    return ((await res.json()) as { offsetMs: number }).offsetMs
  }

  /** Posts `cart.updated` for shoppers [from, to); a repeat after a kill is deduped on the event id. */
  async function postCarts(from: number, to: number) {
    const ids = Array.from({ length: to - from }, (_, i) => from + i)
    for (let i = 0; i < ids.length; i += 25) {
      await Promise.all(
        ids.slice(i, i + 25).map(async (n) => {
          const res = await call(
            '/api/events',
            {
              method: 'POST',
              headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
              body: JSON.stringify(
                cartUpdated({
                  id: `crash-evt-${n}`,
                  channelId,
                  visitorId: `crash-visitor-${n}`,
                  token: `crash-cart-${n}`,
                }),
              ),
            },
            true,
          )
          expect(res.status).toBe(202)
        }),
      )
    }
  }

  /**
   * Advances the virtual clock to `target` (an offset). A kill mid-request may or may not have stored the new
   * offset, so every attempt reads the clock first instead of repeating the advance blindly.
   */
  async function advanceTo(target: number, onRequestSent?: (request: Promise<unknown>) => Promise<void>) {
    for (;;) {
      const offset = await clockOffset()
      if (offset >= target) return
      const request = call(
        '/api/dev/clock/advance',
        {
          method: 'POST',
          headers: {
            cookie: session.cookie,
            'x-csrf-token': session.csrfToken,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ ms: target - offset }),
        },
        false,
      )
      const settled = request.then(
        async (res) => (res.status === 200 ? 'advanced' : `${res.status} ${await res.text()}`),
        () => 'killed',
      )
      await onRequestSent?.(settled)
      const outcome = await settled
      if (outcome !== 'advanced' && outcome !== 'killed') throw new Error(`advance answered ${outcome}`)
      onRequestSent = undefined
    }
  }

  async function countOutbox(status: 'sending' | 'pending', dueBy?: number): Promise<number> {
    let query = db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('status', '=', status)
    if (dueBy !== undefined) query = query.where('next_attempt_at', '<=', new Date(dueBy))
    return Number((await query.executeTakeFirstOrThrow()).n)
  }

  async function countDueTimers(now: number): Promise<number> {
    const row = await db
      .selectFrom('timers')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('due_at', '<=', new Date(now))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  const virtualNow = async () => Date.now() + (await loadClockOffset(db))

  /** Waits for the trigger, SIGKILLs the runtime, records what it left behind, starts a new one. */
  async function killAndRestart(
    step: number,
    trigger: KillTrigger,
    request: Promise<unknown>,
  ): Promise<KillRecord> {
    const sentAt = Date.now()
    let finished = false
    void request.then(() => {
      finished = true
    })
    if (trigger.kind === 'delay') await sleep(trigger.ms)
    else {
      // Poll for claimed, unrecorded sends; strike the moment there are some (or after 3 s regardless).
      while (Date.now() - sentAt < 3000 && (await countOutbox('sending')) === 0) await sleep(2)
    }
    const midRequest = !finished
    let record: KillRecord | undefined
    restarting = (async () => {
      await runtime.kill()
      const afterMs = Date.now() - sentAt
      const now = await virtualNow()
      record = {
        step,
        trigger: trigger.kind === 'delay' ? `delay ${trigger.ms} ms` : 'mid-send',
        afterMs,
        midRequest,
        sendsInFlight: await countOutbox('sending'),
        dueTimers: await countDueTimers(now),
        pendingSends: await countOutbox('pending', now),
      }
      runtime = await startRuntimeChild(env)
    })()
    await restarting
    restarting = undefined
    return record as KillRecord
  }

  /** After the last restart: nothing due, nothing claimed, nothing waiting to be sent. */
  async function drain(timeoutMs: number) {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const now = await virtualNow()
      const left = {
        dueTimers: await countDueTimers(now),
        sending: await countOutbox('sending'),
        pending: await countOutbox('pending', now),
        activeCartsDue: Number(
          (
            await db
              .selectFrom('carts')
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .where('status', '=', 'active')
              .where('abandon_at', '<=', new Date(now))
              .executeTakeFirstOrThrow()
          ).n,
        ),
      }
      if (Object.values(left).every((n) => n === 0)) return
      if (Date.now() > deadline)
        throw new Error(`did not drain: ${JSON.stringify(left)}\n${runtime.output()}`)
      await sleep(200)
    }
  }

  // 597 s at load 25 on 2 cores (2026-11-30): the timeout is for a hung run, not a slow machine.
  it('delivers every expected message exactly once across ≥ 5 SIGKILLs', { timeout: 900_000 }, async () => {
    const started = Date.now()
    await signIn()
    const base = await clockOffset()
    const steps = Math.ceil(DRIVE_TO_MS / STEP_MS)
    // The busy steps: the ones where a wave's carts are abandoned or one of its three sends comes due.
    const busy = new Set<number>()
    for (let wave = 0; wave < WAVES; wave++) {
      for (const at of [30 * 60_000, 90 * 60_000, 24.5 * HOUR, 72.5 * HOUR]) {
        busy.add(wave + Math.ceil(at / STEP_MS))
      }
    }
    // Six to eight kills at random steps, most in busy ones, each a random 0-1000 ms into the step's advance
    // request; two more strike in send steps the moment the relay has claimed sends (the lease case).
    const plan = new Map<number, KillTrigger>()
    const busySteps = [...busy]
    const sendSteps = busySteps.filter((step) => step >= WAVES + 2)
    while (plan.size < 2)
      plan.set(sendSteps[randomInt(0, sendSteps.length - 1)] as number, { kind: 'mid-send' })
    const killCount = plan.size + randomInt(6, 8)
    while (plan.size < killCount) {
      const step =
        Math.random() < 0.75 ? (busySteps[randomInt(0, busySteps.length - 1)] as number) : randomInt(1, steps)
      if (!plan.has(step)) plan.set(step, { kind: 'delay', ms: randomInt(0, 1000) })
    }

    const kills: KillRecord[] = []
    const perWave = CONTACTS / WAVES
    for (let step = 0; step <= steps; step++) {
      const trigger = plan.get(step)
      if (step > 0) {
        await advanceTo(
          base + step * STEP_MS,
          trigger &&
            (async (request) => {
              kills.push(await killAndRestart(step, trigger, request))
            }),
        )
      }
      if (step < WAVES) await postCarts(step * perWave, (step + 1) * perWave)
    }
    await drain(60_000)
    const elapsedMs = Date.now() - started

    // Count from the database: the transcript (messages) and the outbox.
    const runs = await db
      .selectFrom('runs')
      .select(['id', 'contact_id', 'status'])
      .where('correlation_key', 'like', 'crash-cart-%')
      .execute()
    const messages = await db
      .selectFrom('messages')
      .innerJoin('contact_identities', (j) =>
        j
          .onRef('contact_identities.merchant_id', '=', 'messages.merchant_id')
          .onRef('contact_identities.contact_id', '=', 'messages.contact_id'),
      )
      .select([
        'messages.id',
        'messages.run_id',
        'messages.node_id',
        'messages.status',
        'contact_identities.external_id as visitor',
      ])
      .where('messages.direction', '=', 'out')
      .where('messages.author', '=', 'bot')
      .execute()
    const outbox = await db
      .selectFrom('outbox')
      .select(['id', 'message_id', 'run_id', 'status', 'attempts', 'last_error'])
      .execute()
    const outboxByMessage = new Map<string, typeof outbox>()
    for (const row of outbox) {
      if (!row.message_id) continue
      outboxByMessage.set(row.message_id, [...(outboxByMessage.get(row.message_id) ?? []), row])
    }

    const byVisitor = new Map<string, string[]>()
    for (const m of messages)
      byVisitor.set(m.visitor, [...(byVisitor.get(m.visitor) ?? []), m.node_id ?? '?'])
    let lost = 0
    let duplicated = 0
    const wrong: string[] = []
    for (let n = 0; n < CONTACTS; n++) {
      const nodes = byVisitor.get(`crash-visitor-${n}`) ?? []
      for (const node of EXPECTED_NODES) {
        const times = nodes.filter((x) => x === node).length
        if (times === 0) lost += 1
        duplicated += Math.max(0, times - 1)
      }
      if (nodes.length !== EXPECTED_NODES.length) wrong.push(`crash-visitor-${n}: ${nodes.join(', ')}`)
    }
    // A send counts as made once: its transcript row delivered and, when it went through the relay (queued
    // behind an earlier send of its conversation), one outbox row, `sent`. Web chat delivers the others in the
    // step's own transaction, with no outbox row (delivery/in-step-delivery.ts).
    const sendKeys = new Map<string, number>()
    for (const m of messages) {
      const key = `${m.run_id}:${m.node_id}`
      sendKeys.set(key, (sendKeys.get(key) ?? 0) + 1)
      const rows = outboxByMessage.get(m.id) ?? []
      if (m.status !== 'delivered' || (rows.length > 0 && !rows.some((r) => r.status === 'sent'))) lost += 1
      duplicated += Math.max(0, rows.length - 1)
    }
    const duplicateSends = [...sendKeys.values()].filter((count) => count > 1).length
    const count = (status: string) => outbox.filter((r) => r.status === status).length
    const unknown = count('unknown')
    const summary = {
      kills: kills.length,
      killsMidRequest: kills.filter((k) => k.midRequest).length,
      sendsInFlightAtKills: kills.reduce((sum, k) => sum + k.sendsInFlight, 0),
      dueTimersAtKills: kills.reduce((sum, k) => sum + k.dueTimers, 0),
      pendingSendsAtKills: kills.reduce((sum, k) => sum + k.pendingSends, 0),
      runs: runs.length,
      messages: messages.length,
      outboxRows: outbox.length,
      deliveredInStep: messages.filter((m) => !outboxByMessage.has(m.id)).length,
      sentAgainAfterLease: outbox.filter((r) => r.last_error?.startsWith('Lease expired')).length,
      lost,
      duplicated,
      unknown,
      elapsed: `${(elapsedMs / 1000).toFixed(1)} s`,
    }
    console.log(`[crash test] ${JSON.stringify(summary)}\n[crash test] kills: ${JSON.stringify(kills)}`)

    expect(kills.length).toBeGreaterThanOrEqual(5)
    expect({ lost, duplicated, unknown }).toEqual({ lost: 0, duplicated: 0, unknown: 0 })
    expect(runs).toHaveLength(CONTACTS)
    expect(new Set(runs.map((r) => r.contact_id)).size).toBe(CONTACTS)
    expect(wrong).toEqual([])
    expect(messages).toHaveLength(CONTACTS * EXPECTED_NODES.length)
    expect(messages.every((m) => m.status === 'delivered')).toBe(true)
    expect(duplicateSends).toBe(0)
    expect(outbox.length).toBeLessThanOrEqual(CONTACTS * EXPECTED_NODES.length)
    expect(count('sent')).toBe(outbox.length)
  })
})
