// Issue 8, hole 2: merchants' HTTP-request jobs run on their own lane. While merchant A's endpoint hangs
// (a loopback server that never answers), merchant B's reply and A's own replies still go out; A has at most
// HTTP_JOBS_PER_MERCHANT requests in flight; a request ends within its node's timeout. The background loops
// run as in production; the assertions are on what had happened when (progress), not on durations.
// (Loopback endpoints: with an egress policy that refuses loopback, these tests allow it explicitly.)
import { testDatabases } from '@parley/db/testing'
import { node } from '@parley/flow/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { createTelegramAdapter } from '../channels/telegram/telegram-adapter.ts'
import { createChannel } from '../channels/testing/channel-fixtures.ts'
import { type FakeProvider, startFakeProvider } from '../channels/testing/fake-provider.ts'
import { loadConfig } from '../config.ts'
import { publishFlowDocument } from '../testing/engine-fixtures.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'
import { HTTP_TIMEOUT_DEFAULT_MS, HTTP_TIMEOUT_MAX_MS, httpJobTimeoutMs } from './http-lane.ts'
import { type BackgroundLoops, startBackgroundLoops } from './loops.ts'

const botConfig = (name: string) => ({ botToken: `123:${name}`, webhookSecret: `secret-${name}` })

/** "call" → HTTP request to `url` → "done" or "failed"; "hello" → "hi". */
function merchantFlows(url: string, timeoutSeconds: number) {
  return [
    {
      version: 1,
      name: 'Call home',
      nodes: [
        node('start', 'trigger-message', { match: 'keyword', keywords: ['call'] }),
        node('fetch', 'http-request', {
          method: 'GET',
          url,
          headers: [],
          body: '',
          timeoutSeconds,
          saveAs: 'answer',
        }),
        node('done', 'send-message', { text: 'done' }),
        node('failed', 'send-message', { text: 'failed' }),
        node('end', 'end', { outcome: 'called' }),
      ],
      edges: [
        { id: 'a', source: 'start', sourceHandle: 'next', target: 'fetch' },
        { id: 'b', source: 'fetch', sourceHandle: 'ok', target: 'done' },
        { id: 'c', source: 'fetch', sourceHandle: 'error', target: 'failed' },
        { id: 'd', source: 'done', sourceHandle: 'next', target: 'end' },
        { id: 'e', source: 'failed', sourceHandle: 'next', target: 'end' },
      ],
    },
    {
      version: 1,
      name: 'Hello',
      nodes: [
        node('start', 'trigger-message', { match: 'keyword', keywords: ['hello'] }),
        node('hi', 'send-message', { text: 'hi' }),
        node('end', 'end', { outcome: 'greeted' }),
      ],
      edges: [
        { id: 'a', source: 'start', sourceHandle: 'next', target: 'hi' },
        { id: 'b', source: 'hi', sourceHandle: 'next', target: 'end' },
      ],
    },
  ]
}

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe.each(testDatabases())('the HTTP-request lane on %s', (kind) => {
  let t: TestDeps
  let botApi: FakeProvider
  let hanging: FakeProvider
  let loops: BackgroundLoops
  let app: ReturnType<typeof createApp>
  let updateId = 0

  beforeAll(async () => {
    let n = 0
    botApi = await startFakeProvider((request) => {
      n += 1
      const chatId = Number((request.body as { chat_id: string }).chat_id)
      return { status: 200, body: { ok: true, result: { message_id: n, chat: { id: chatId } } } }
    })
    hanging = await startFakeProvider(() => 'hang')
    t = await createTestDeps(kind, {
      config: loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        OUTBOX_POLL_INTERVAL_MS: '20',
        TIMER_POLL_INTERVAL_MS: '50',
        HTTP_JOBS_PER_MERCHANT: '2',
        // The hanging endpoint is on loopback, which the egress policy refuses unless the operator allows it.
        EGRESS_ALLOW_LIST: new URL(hanging.url).host,
      }),
    })
    t.deps.channels.telegram = createTelegramAdapter(t.deps)
    app = createApp(t.deps)
    loops = startBackgroundLoops(t.deps)
  })
  afterAll(async () => {
    await hanging?.close()
    await loops?.stop()
    await botApi?.close()
    await t?.close()
  })

  async function merchant(name: string, timeoutSeconds = 30) {
    const { merchantId } = await seedMerchant(t.deps.db)
    const config = botConfig(name)
    const channel = await createChannel(t.deps.db, merchantId, 'telegram', config, botApi.url)
    for (const flow of merchantFlows(`${hanging.url}/${name}`, timeoutSeconds)) {
      await publishFlowDocument(t.deps.db, merchantId, flow)
    }
    const say = async (chatId: number, text: string) => {
      updateId += 1
      const res = await app.request(`/webhooks/telegram/${channel.id}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-telegram-bot-api-secret-token': config.webhookSecret,
        },
        body: JSON.stringify({
          update_id: updateId,
          message: {
            message_id: updateId,
            from: { id: chatId, is_bot: false, first_name: name },
            chat: { id: chatId, type: 'private' },
            date: 1767600000,
            text,
          },
        }),
      })
      expect(res.status).toBe(200)
    }
    const jobs = () =>
      t.deps.db
        .selectFrom('outbox')
        .select(['status'])
        .where('merchant_id', '=', merchantId)
        .where('lane', '=', 'http')
        .execute()
    return { say, jobs }
  }

  const repliesTo = (chatId: number) =>
    botApi.requests
      .filter((r) => Number((r.body as { chat_id: string }).chat_id) === chatId)
      .map((r) => {
        return (r.body as { text: string }).text
      })
  const calls = (name: string) => hanging.requests.filter((r) => r.path === `/${name}`).length

  it("sends merchant B's reply, and A's own, while A's endpoint hangs; A has at most its cap in flight", async () => {
    const a = await merchant('a')
    const b = await merchant('b')

    await a.say(101, 'call')
    await waitFor("A's request to reach its endpoint", () => calls('a') === 1)

    await b.say(201, 'hello')
    await a.say(104, 'hello')
    await waitFor("B's reply", () => repliesTo(201).includes('hi'))
    await waitFor("A's own reply", () => repliesTo(104).includes('hi'))
    // Both replies went out while A's request was still hanging: nothing answered it yet.
    expect((await a.jobs()).map((j) => j.status)).toEqual(['sending'])
    expect(repliesTo(101)).toEqual([])

    // A's cap is 2: a third request waits for room; B's own request is not held up by A's.
    await a.say(102, 'call')
    await a.say(103, 'call')
    await waitFor("A's second request to reach its endpoint", () => calls('a') === 2)
    await b.say(202, 'call')
    await waitFor("B's request to reach its endpoint", () => calls('b') === 1)
    expect(calls('a')).toBe(2)
    expect((await a.jobs()).map((j) => j.status).sort()).toEqual(['pending', 'sending', 'sending'])
  }, 180_000)

  it('ends a request at its node timeout and takes the run down the failed branch', async () => {
    const c = await merchant('c', 1)
    await c.say(301, 'call')
    await waitFor('the timed-out request to be answered as failed', () => repliesTo(301).includes('failed'))
    expect((await c.jobs()).map((j) => j.status)).toEqual(['failed'])
  }, 180_000)

  it('clamps the timeout: 10 s by default, 30 s at most', () => {
    expect(httpJobTimeoutMs(undefined)).toBe(HTTP_TIMEOUT_DEFAULT_MS)
    expect(HTTP_TIMEOUT_DEFAULT_MS).toBe(10_000)
    expect(httpJobTimeoutMs(5_000)).toBe(5_000)
    expect(httpJobTimeoutMs(600_000)).toBe(HTTP_TIMEOUT_MAX_MS)
    expect(HTTP_TIMEOUT_MAX_MS).toBe(30_000)
  })
})
