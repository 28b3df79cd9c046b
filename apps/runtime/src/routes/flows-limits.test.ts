// Issue 8 at the flows API: an HTTP request whose server a shopper could pick (or that calls an address the
// egress rules refuse) is reported by validate and refused at publish; documents over the size limits are
// refused on save with nothing written; a large flow within the limits is checked off the event loop.
import type { FlowDetail, ValidateFlowResult } from '@parley/api'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { loadConfig } from '../config.ts'
import { flowDocumentCalling, flowDocumentWithSteps } from '../testing/flow-fixtures.ts'
import { type SignedIn, signIn } from '../testing/sign-in.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'

interface ErrorAnswer {
  error: { code: string; message: string; details?: { issues: { code: string; message: string }[] } }
}

describe.each(testDatabases())('flow egress checks and size limits on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  beforeAll(async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      EGRESS_ALLOW_LIST: 'orders.internal:8080',
    })
    t = await createTestDeps(kind, { config })
    app = createApp(t.deps)
  })
  afterAll(() => t.close())

  async function draft(document: unknown) {
    const m = await seedMerchant(t.deps.db)
    const s = await signIn(app, m)
    const created = await call<FlowDetail>(s, 'POST', '/api/flows', {})
    const saved = await call<FlowDetail>(s, 'PUT', `/api/flows/${created.body.id}`, {
      name: 'Flow',
      document,
    })
    return { s, id: created.body.id, saved }
  }
  const call = async <T>(s: SignedIn, method: string, path: string, body?: unknown) => {
    const res = await app.request(path, {
      method,
      headers: method === 'GET' ? s.read : s.write,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await res.text()
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T }
  }
  const versionCount = async (flowId: string) =>
    (await t.deps.db.selectFrom('flow_versions').select('id').where('flow_id', '=', flowId).execute()).length

  it.each([
    ['http://{{reply}}/x', 'templated_host', "'HTTP request' cannot choose the server from a variable"],
    ['http://169.254.169.254/latest/meta-data/', 'blocked_address', 'that is a cloud metadata address'],
    ['http://[::ffff:a9fe:a9fe]/', 'blocked_address', 'that is a cloud metadata address'],
    ['http://[::ffff:127.0.0.1]/', 'blocked_address', 'that is this machine (loopback)'],
    ['http://10.0.0.1/', 'blocked_address', 'that is a private network address'],
    ['http://localhost:5432', 'blocked_address', 'only ports 80 and 443 are allowed'],
    ['http://127.0.0.1:4000/redirect', 'blocked_address', 'only ports 80 and 443 are allowed'],
    ['ftp://files.example/x', 'invalid_url', 'must call an address starting with https://'],
  ])('reports %s at validate and refuses to publish it', async (url, code, message) => {
    const { s, id, saved } = await draft(flowDocumentCalling(url))
    expect(saved.status).toBe(200)
    const checked = await call<ValidateFlowResult>(s, 'POST', `/api/flows/${id}/validate`)
    expect(checked.body.ok).toBe(false)
    expect(checked.body.issues).toEqual([
      expect.objectContaining({
        severity: 'error',
        code,
        nodeId: 'call',
        message: expect.stringContaining(message),
      }),
    ])
    const published = await call<ErrorAnswer>(s, 'POST', `/api/flows/${id}/publish`)
    expect(published.status).toBe(422)
    expect(published.body.error.code).toBe('flow_invalid')
    expect(published.body.error.details?.issues.map((i) => i.code)).toEqual([code])
    expect(await versionCount(id)).toBe(0)
  })

  it('publishes a call to an internal endpoint the operator allow-listed', async () => {
    const { s, id } = await draft(flowDocumentCalling('http://orders.internal:8080/points/{{contact.id}}'))
    const published = await call(s, 'POST', `/api/flows/${id}/publish`)
    expect(published.status).toBe(201)
    expect(await versionCount(id)).toBe(1)
  })

  it('refuses to save documents over the size limits, and keeps the draft as it was', async () => {
    const { s, id } = await draft(flowDocumentCalling('https://api.example/x'))
    const before = await call<FlowDetail>(s, 'GET', `/api/flows/${id}`)
    for (const [document, message] of [
      [flowDocumentWithSteps(1001), 'This flow has 1001 steps; a flow can have at most 1000'],
      [flowDocumentWithSteps(150, 'x'.repeat(4000)), 'a flow can take at most 512 KB'],
    ] as const) {
      const saved = await call<ErrorAnswer>(s, 'PUT', `/api/flows/${id}`, { name: 'Big', document })
      expect(saved.status).toBe(400)
      expect(saved.body.error.code).toBe('invalid_document')
      expect(saved.body.error.details?.issues).toEqual([
        expect.objectContaining({ code: 'document_too_large', message: expect.stringContaining(message) }),
      ])
    }
    expect((await call<FlowDetail>(s, 'GET', `/api/flows/${id}`)).body).toEqual(before.body)
  })

  it('saves and validates a 500-step flow (checked in a worker thread)', async () => {
    const document = flowDocumentWithSteps(499)
    document.nodes = [
      { id: 'start', kind: 'trigger-manual', position: { x: 0, y: 0 }, config: {} },
      ...(document.nodes as object[]),
    ]
    document.edges = [
      ...(document.edges as object[]),
      { id: 'first', source: 'start', sourceHandle: 'next', target: 's0' },
    ]
    const { s, id, saved } = await draft(document)
    expect(saved.status).toBe(200)
    const checked = await call<ValidateFlowResult>(s, 'POST', `/api/flows/${id}/validate`)
    // The chain's last send has no next step, which simply ends the run: a flow at the size limit, no issues.
    expect(checked.body.issues.map((i) => i.code)).toEqual([])
    expect(Object.keys(checked.body.analysis?.nodes ?? {})).toHaveLength(500)
  }, 180_000)
})
