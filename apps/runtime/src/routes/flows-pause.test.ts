// Pausing a live flow: no new conversation starts from it, the ones already going carry on, resuming starts
// them again; through the API and the real inbound path.
import type { FlowDetail, FlowSummary } from '@parley/api'
import { testDatabases } from '@parley/db/testing'
import { edge, node } from '@parley/flow/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import type { InboundMessage } from '../channels/types.ts'
import { processInboundMessage } from '../engine/inbound.ts'
import { RecordingAdapter, seedChannel } from '../testing/engine-fixtures.ts'
import { type SignedIn, signIn } from '../testing/sign-in.ts'
import { createTestDeps, seedMerchant, seedUser, type TestDeps } from '../testing/test-deps.ts'

const sizeHelp = {
  version: 2,
  name: 'Size help',
  nodes: [
    node('start', 'trigger-message', { match: 'keyword', keywords: ['size'] }),
    node('ask', 'send-message', { text: 'Which size do you usually wear?' }),
    node('wait', 'wait-for-reply', { branches: [], timeout: null }),
    node('answer', 'send-message', { text: 'Then take {{reply}}.' }),
  ],
  edges: [edge('start', 'ask'), edge('ask', 'wait'), edge('wait', 'answer', 'anything')],
}

describe.each(testDatabases())('pausing a flow on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  beforeAll(async () => {
    t = await createTestDeps(kind, { channels: { webchat: new RecordingAdapter('webchat') } })
    app = createApp(t.deps)
  })
  afterAll(() => t.close())

  const call = async <T>(s: SignedIn, method: string, path: string, body?: unknown) => {
    const res = await app.request(path, {
      method,
      headers: method === 'GET' ? s.read : s.write,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await res.text()
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T }
  }

  async function liveFlow() {
    const m = await seedMerchant(t.deps.db)
    const s = await signIn(app, m)
    const channel = await seedChannel(t.deps.db, m.merchantId)
    const { body: flow } = await call<FlowDetail>(s, 'POST', '/api/flows', { name: 'Size help' })
    await call(s, 'PUT', `/api/flows/${flow.id}`, { name: 'Size help', document: sizeHelp })
    expect((await call(s, 'POST', `/api/flows/${flow.id}/publish`)).status).toBe(201)
    let n = 0
    const say = (visitor: string, text: string): InboundMessage => {
      t.clock.advance(1000)
      n += 1
      return {
        merchantId: m.merchantId,
        channelId: channel.id,
        externalId: `pause-${n}`,
        sender: { externalId: visitor, name: 'Ada' },
        text,
      }
    }
    return { m, s, flow, say }
  }

  it('starts no new conversation while paused, lets the one already going finish, and starts again on resume', async () => {
    const { m, s, flow, say } = await liveFlow()
    const going = await processInboundMessage(t.deps, say('ada', 'what size is the hoodie?'))
    expect(going.route).toBe('flow')

    const paused = await call<FlowSummary>(s, 'POST', `/api/flows/${flow.id}/pause`)
    expect(paused.status).toBe(200)
    expect(paused.body).toMatchObject({ id: flow.id, paused: true, status: 'published', publishedVersion: 1 })
    const listed = await call<{ flows: FlowSummary[] }>(s, 'GET', '/api/flows')
    expect(listed.body.flows.find((f) => f.id === flow.id)?.paused).toBe(true)

    // A new shopper asking the same thing starts nothing...
    expect((await processInboundMessage(t.deps, say('bo', 'size guide?'))).route).toBe('none')
    // ...while Ada's run, waiting for her answer, carries on to the end.
    const reply = await processInboundMessage(t.deps, say('ada', 'M'))
    expect(reply).toMatchObject({ route: 'run', runIds: going.runIds })
    const run = await t.deps.db
      .selectFrom('runs')
      .select('status')
      .where('merchant_id', '=', m.merchantId)
      .where('id', '=', going.runIds[0]!)
      .executeTakeFirstOrThrow()
    expect(run.status).toBe('done')

    const resumed = await call<FlowSummary>(s, 'POST', `/api/flows/${flow.id}/resume`)
    expect(resumed.body.paused).toBe(false)
    expect((await processInboundMessage(t.deps, say('bo', 'size please'))).route).toBe('flow')
  })

  it('keeps the first pause time when paused twice, and publishing does not resume', async () => {
    const { s, flow, say } = await liveFlow()
    await call(s, 'POST', `/api/flows/${flow.id}/pause`)
    const first = await t.deps.db
      .selectFrom('flows')
      .select('paused_at')
      .where('id', '=', flow.id)
      .executeTakeFirstOrThrow()
    t.clock.advance(60_000)
    await call(s, 'POST', `/api/flows/${flow.id}/pause`)
    const second = await t.deps.db
      .selectFrom('flows')
      .select('paused_at')
      .where('id', '=', flow.id)
      .executeTakeFirstOrThrow()
    expect(second.paused_at?.getTime()).toBe(first.paused_at?.getTime())

    const republished = await call<{ flow: FlowSummary }>(s, 'POST', `/api/flows/${flow.id}/publish`)
    expect(republished.body.flow).toMatchObject({ publishedVersion: 2, paused: true })
    expect((await processInboundMessage(t.deps, say('cy', 'size?'))).route).toBe('none')
  })

  it('lets editors pause, not agents; another merchant’s flow is not found', async () => {
    const { m, s, flow } = await liveFlow()
    const agent = await signIn(app, await seedUser(t.deps.db, m.merchantId, { role: 'agent' }))
    expect((await call(agent, 'POST', `/api/flows/${flow.id}/pause`)).status).toBe(403)
    const editor = await signIn(app, await seedUser(t.deps.db, m.merchantId, { role: 'editor' }))
    expect((await call(editor, 'POST', `/api/flows/${flow.id}/pause`)).status).toBe(200)
    const other = await signIn(app, await seedMerchant(t.deps.db))
    expect((await call(other, 'POST', `/api/flows/${flow.id}/pause`)).status).toBe(404)
    expect((await call(other, 'POST', `/api/flows/${flow.id}/resume`)).status).toBe(404)
    const row = await t.deps.db
      .selectFrom('flows')
      .select('paused_at')
      .where('id', '=', flow.id)
      .executeTakeFirstOrThrow()
    expect(row.paused_at).not.toBeNull()
    expect((await call(s, 'DELETE', `/api/flows/${flow.id}`)).status).toBe(204)
    expect((await call(s, 'POST', `/api/flows/${flow.id}/resume`)).status).toBe(404)
  })
})
