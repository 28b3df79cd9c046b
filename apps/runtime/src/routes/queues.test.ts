// Escalation queues over HTTP: the defaults a new store has, a replacement read back in order, plain messages
// for bad input, and the queue's settings used by the next escalation.
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { type SignedIn, signIn } from '../testing/sign-in.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'

describe.each(testDatabases())('escalation queues API on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  let owner: SignedIn

  beforeAll(async () => {
    t = await createTestDeps(kind)
    app = createApp(t.deps)
    owner = await signIn(app, await seedMerchant(t.deps.db))
  })
  afterAll(() => t?.close())

  const call = async (method: string, body?: unknown) => {
    const res = await app.request('/api/settings/queues', {
      method,
      headers: method === 'GET' ? owner.read : owner.write,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    // biome-ignore lint/suspicious/noExplicitAny: test reads of JSON bodies
    return { status: res.status, body: (await res.json()) as any }
  }

  it('shows the default queues, saves a replacement in order, and explains bad input', async () => {
    const first = await call('GET')
    expect(first.status).toBe(200)
    expect(first.body.queues.map((q: { key: string }) => q.key)).toEqual(['sales', 'support', 'returns'])
    expect(first.body.defaults).toEqual(first.body.queues)
    expect(first.body.queues[1]).toMatchObject({ unclaimedTimeoutMinutes: 15, businessHours: null })

    const returns = {
      ...first.body.queues[2],
      name: 'Returns desk',
      businessHours: { days: ['mon', 'tue'], open: '08:00', close: '12:00' },
      unclaimedTimeoutMinutes: 45,
    }
    const saved = await call('PUT', { queues: [returns, first.body.queues[0]] })
    expect(saved.status).toBe(200)
    expect(saved.body.queues.map((q: { name: string }) => q.name)).toEqual(['Returns desk', 'Sales'])
    expect((await call('GET')).body.queues[0]).toEqual(returns)

    const bad = await call('PUT', {
      queues: [{ ...returns, acknowledgement: 'Back in {{minutes}}', unclaimedTimeoutMinutes: 5000 }],
    })
    expect(bad.status).toBe(400)
    expect(bad.body.error.details).toEqual(
      expect.arrayContaining([
        {
          path: 'queues.0.acknowledgement',
          message: 'The acknowledgement can only fill in {{reply_time}} and {{queue}}',
        },
        { path: 'queues.0.unclaimedTimeoutMinutes', message: 'Wait at most 24 hours (1,440 minutes)' },
      ]),
    )
    // Nothing written by the refused request.
    expect((await call('GET')).body.queues.map((q: { name: string }) => q.name)).toEqual([
      'Returns desk',
      'Sales',
    ])
  })
})
