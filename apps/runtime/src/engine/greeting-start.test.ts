// A shopper who only says hello is welcomed with the menu; the catch-all (product questions, which goes to
// staff when it cannot answer) is for messages that ask something. Through the web-chat API, on both backends.
import { testDatabases } from '@parley/db/testing'
import { productQuestionsFlow, welcomeFlow } from '@parley/flow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { publishFlowDocument, seedChannel } from '../testing/engine-fixtures.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'
import { runDueWork } from './due-work.ts'

describe.each(testDatabases())('a greeting on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  let merchantId = ''
  let channelId = ''
  let sent = 0

  beforeAll(async () => {
    t = await createTestDeps(kind)
    app = createApp(t.deps)
    merchantId = (await seedMerchant(t.deps.db, { name: 'North Thread' })).merchantId
    channelId = (await seedChannel(t.deps.db, merchantId, 'webchat')).id
    await publishFlowDocument(t.deps.db, merchantId, productQuestionsFlow)
    await publishFlowDocument(t.deps.db, merchantId, welcomeFlow)
  })

  afterAll(() => t?.close())

  /** A new visitor says `text`; answers what the bot did for them. */
  async function visitorSays(text: string) {
    const session = await app.request(`/api/webchat/${channelId}/session`, { method: 'POST' })
    expect(session.status).toBe(201)
    const { token, visitorId } = (await session.json()) as { token: string; visitorId: string }
    const res = await app.request(`/api/webchat/${channelId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ clientMessageId: `m${++sent}`, text }),
    })
    expect(res.status).toBe(202)
    await runDueWork(t.deps)
    const { contact_id } = await t.deps.db
      .selectFrom('contact_identities')
      .select('contact_id')
      .where('merchant_id', '=', merchantId)
      .where('external_id', '=', visitorId)
      .executeTakeFirstOrThrow()
    const runs = await t.deps.db
      .selectFrom('runs')
      .innerJoin('flows', (j) =>
        j.onRef('flows.merchant_id', '=', 'runs.merchant_id').onRef('flows.id', '=', 'runs.flow_id'),
      )
      .select('flows.name')
      .where('runs.merchant_id', '=', merchantId)
      .where('runs.contact_id', '=', contact_id)
      .execute()
    const conversation = await t.deps.db
      .selectFrom('conversations')
      .select('status')
      .where('merchant_id', '=', merchantId)
      .where('contact_id', '=', contact_id)
      .executeTakeFirstOrThrow()
    return { flows: runs.map((r) => r.name), conversation: conversation.status }
  }

  it.each(['hi', 'Hello there!', 'hallo', 'Bonjour 👋'])(
    '%j starts the welcome, not the catch-all, and nobody is called',
    async (text) => {
      expect(await visitorSays(text)).toEqual({ flows: ['Welcome'], conversation: 'bot' })
    },
  )

  it('a message that asks something still goes to the catch-all', async () => {
    expect((await visitorSays('hi, do you ship to Iceland?')).flows).toEqual(['Product questions'])
  })
})
