// Version history with authors and documents, and overlapping triggers reported at validate and publish.
import type {
  FlowDetail,
  FlowVersion,
  FlowVersionDetail,
  PublishFlowResult,
  ValidateFlowResult,
} from '@parley/api'
import { testDatabases } from '@parley/db/testing'
import { edge, node } from '@parley/flow/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { type SignedIn, signIn } from '../testing/sign-in.ts'
import { createTestDeps, seedMerchant, seedUser, type TestDeps } from '../testing/test-deps.ts'

const keywordFlow = (name: string, keywords: string[], text = 'Hi') => ({
  version: 2,
  name,
  nodes: [
    node('start', 'trigger-message', { match: 'keyword', keywords }),
    node('say', 'send-message', { text }),
  ],
  edges: [edge('start', 'say')],
})

describe.each(testDatabases())('flow versions and overlaps on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  beforeAll(async () => {
    t = await createTestDeps(kind)
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
  async function flowWith(s: SignedIn, document: { name: string }) {
    const { body } = await call<FlowDetail>(s, 'POST', '/api/flows', { name: document.name })
    await call(s, 'PUT', `/api/flows/${body.id}`, { name: document.name, document })
    return body.id
  }

  it('lists versions with who published them, and returns a version’s document', async () => {
    const m = await seedMerchant(t.deps.db)
    const owner = await signIn(app, m)
    await t.deps.db.updateTable('users').set({ name: 'Olga Owner' }).where('id', '=', m.userId).execute()
    const editorUser = await seedUser(t.deps.db, m.merchantId, { role: 'editor' })
    await t.deps.db
      .updateTable('users')
      .set({ name: 'Eddie Editor' })
      .where('id', '=', editorUser.userId)
      .execute()
    const editor = await signIn(app, editorUser)
    const id = await flowWith(owner, keywordFlow('Sizes', ['size'], 'first'))
    const v1 = await call<PublishFlowResult>(owner, 'POST', `/api/flows/${id}/publish`)
    expect(v1.body.version).toMatchObject({
      version: 1,
      publishedBy: m.userId,
      publishedByName: 'Olga Owner',
    })
    await call(editor, 'PUT', `/api/flows/${id}`, {
      name: 'Sizes',
      document: keywordFlow('Sizes', ['size'], 'second'),
    })
    await call(editor, 'POST', `/api/flows/${id}/publish`)

    const { body } = await call<{ versions: FlowVersion[] }>(editor, 'GET', `/api/flows/${id}/versions`)
    expect(body.versions.map((v) => [v.version, v.publishedByName, v.live])).toEqual([
      [2, 'Eddie Editor', true],
      [1, 'Olga Owner', false],
    ])
    const one = await call<FlowVersionDetail>(owner, 'GET', `/api/flows/${id}/versions/1`)
    expect(one.status).toBe(200)
    expect(one.body).toMatchObject({ version: 1, live: false, publishedByName: 'Olga Owner' })
    expect(JSON.stringify(one.body.document)).toContain('first')
    expect((await call(owner, 'GET', `/api/flows/${id}/versions/3`)).status).toBe(404)
    const other = await signIn(app, await seedMerchant(t.deps.db))
    expect((await call(other, 'GET', `/api/flows/${id}/versions/1`)).status).toBe(404)
  })

  it('reports live flows starting on the same words at validate and publish, and not paused ones', async () => {
    const s = await signIn(app, await seedMerchant(t.deps.db))
    const orders = await flowWith(s, keywordFlow('Where is my order', ['where is my order', 'tracking']))
    await call(s, 'POST', `/api/flows/${orders}/publish`)
    // A draft that is not live overlaps nothing.
    await flowWith(s, keywordFlow('Draft only', ['order']))
    const mine = await flowWith(s, keywordFlow('Order questions', ['order', 'refund']))

    const validated = await call<ValidateFlowResult>(s, 'POST', `/api/flows/${mine}/validate`)
    expect(validated.body.ok).toBe(true)
    expect(validated.body.overlaps).toEqual([
      expect.objectContaining({
        flowId: orders,
        flowName: 'Where is my order',
        kind: 'keyword',
        words: ['order'],
      }),
    ])
    expect(validated.body.overlaps[0]!.message).toMatch(/^“Where is my order” also starts on “order”/)

    const published = await call<PublishFlowResult>(s, 'POST', `/api/flows/${mine}/publish`)
    expect(published.status).toBe(201)
    expect(published.body.overlaps.map((o) => o.flowId)).toEqual([orders])

    await call(s, 'POST', `/api/flows/${orders}/pause`)
    const afterPause = await call<ValidateFlowResult>(s, 'POST', `/api/flows/${mine}/validate`)
    expect(afterPause.body.overlaps).toEqual([])
  })
})
