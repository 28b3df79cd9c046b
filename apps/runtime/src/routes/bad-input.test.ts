// Acceptance "bad input": every route answers malformed JSON, wrong types, oversized bodies, unknown or foreign
// ids, missing or wrong auth and a missing CSRF header with the right 4xx in the JSON error shape, and writes
// nothing (a fingerprint of every table is compared before and after each request).
//
// To cover a new route, append cases to `cases` below. Paths may use {placeholders} from `Fixture`; add a
// field to Fixture and set it in `setUpFixture` when your route needs an object of its own.
import { type ErrorCode, errorBodySchema } from '@parley/api'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, MAX_BODY_BYTES } from '../app.ts'
import type { RuntimeDeps } from '../deps.ts'
import { snapshotDatabase } from '../testing/db-snapshot.ts'
import {
  flowDocumentWithErrors,
  unreadableFlowDocument,
  validFlowDocument,
} from '../testing/flow-fixtures.ts'
import { type SignedIn, signIn } from '../testing/sign-in.ts'
import { createTestDeps, seedMerchant, seedUser, type TestDeps } from '../testing/test-deps.ts'

type Auth =
  /** No credentials at all. */
  | 'none'
  /** Merchant A's owner, with the CSRF header. */
  | 'session'
  | 'editor'
  | 'agent'
  /** Merchant A's owner without the CSRF header. */
  | 'no-csrf'
  /** Merchant B's owner (with CSRF) asking for merchant A's objects. */
  | 'wrong-merchant'
  /** Merchant A's store API key. */
  | 'apikey'
  /** A well-formed but unknown API key. */
  | 'bad-apikey'

interface BadInputCase {
  name?: string
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** May contain {placeholders} naming Fixture fields (merchant A's objects). */
  path: string
  auth: Auth
  /** JSON-encoded; use rawBody for bytes that are not JSON. */
  body?: unknown
  rawBody?: string
  headers?: Record<string, string>
  expectStatus: number
  expectCode: ErrorCode
}

interface Fixture {
  merchantA: string
  merchantB: string
  /** A's published flow (version 1). */
  flowId: string
  /** A's flow whose draft has validation errors. */
  badFlowId: string
  apiKeyId: string
  apiKey: string
}

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000'
const OVERSIZED = `{"name":"${'x'.repeat(MAX_BODY_BYTES + 1024)}"}`
const OVERSIZED_DOCUMENT = JSON.stringify({
  name: 'big',
  document: { ...validFlowDocument(), padding: 'x'.repeat(MAX_BODY_BYTES) },
})

const cases: BadInputCase[] = [
  // ── system ──────────────────────────────────────────────────────────────────────────────────────────────
  { method: 'GET', path: '/no/such/route', auth: 'none', expectStatus: 404, expectCode: 'not_found' },
  {
    method: 'POST',
    path: '/api/flows/x/y/z',
    auth: 'session',
    body: {},
    expectStatus: 404,
    expectCode: 'not_found',
  },

  // ── auth ────────────────────────────────────────────────────────────────────────────────────────────────
  {
    method: 'POST',
    path: '/api/auth/sign-in',
    auth: 'none',
    rawBody: '{"email": ',
    expectStatus: 400,
    expectCode: 'invalid_json',
  },
  {
    method: 'POST',
    path: '/api/auth/sign-in',
    auth: 'none',
    body: { email: 5, password: [] },
    expectStatus: 400,
    expectCode: 'validation_failed',
  },
  {
    method: 'POST',
    path: '/api/auth/sign-in',
    auth: 'none',
    body: { email: 'not-an-email', password: 'x' },
    expectStatus: 400,
    expectCode: 'validation_failed',
  },
  {
    method: 'POST',
    path: '/api/auth/sign-in',
    auth: 'none',
    body: [],
    expectStatus: 400,
    expectCode: 'validation_failed',
  },
  {
    method: 'POST',
    path: '/api/auth/sign-in',
    auth: 'none',
    rawBody: 'email=a@b.c',
    headers: { 'content-type': 'text/plain' },
    expectStatus: 415,
    expectCode: 'unsupported_media_type',
  },
  {
    method: 'POST',
    path: '/api/auth/sign-in',
    auth: 'none',
    rawBody: OVERSIZED,
    expectStatus: 413,
    expectCode: 'payload_too_large',
  },
  {
    name: 'wrong password',
    method: 'POST',
    path: '/api/auth/sign-in',
    auth: 'none',
    body: { email: 'nobody@test.parley.dev', password: 'guess' },
    expectStatus: 401,
    expectCode: 'unauthorized',
  },
  { method: 'GET', path: '/api/auth/session', auth: 'none', expectStatus: 401, expectCode: 'unauthorized' },
  { method: 'GET', path: '/api/auth/session', auth: 'apikey', expectStatus: 401, expectCode: 'unauthorized' },
  { method: 'POST', path: '/api/auth/sign-out', auth: 'none', expectStatus: 401, expectCode: 'unauthorized' },
  {
    method: 'POST',
    path: '/api/auth/sign-out',
    auth: 'no-csrf',
    expectStatus: 403,
    expectCode: 'csrf_failed',
  },

  // ── API keys ────────────────────────────────────────────────────────────────────────────────────────────
  { method: 'GET', path: '/api/api-keys', auth: 'none', expectStatus: 401, expectCode: 'unauthorized' },
  { method: 'GET', path: '/api/api-keys', auth: 'apikey', expectStatus: 401, expectCode: 'unauthorized' },
  { method: 'GET', path: '/api/api-keys', auth: 'editor', expectStatus: 403, expectCode: 'forbidden' },
  { method: 'GET', path: '/api/api-keys', auth: 'agent', expectStatus: 403, expectCode: 'forbidden' },
  {
    method: 'POST',
    path: '/api/api-keys',
    auth: 'session',
    rawBody: '{name:',
    expectStatus: 400,
    expectCode: 'invalid_json',
  },
  {
    method: 'POST',
    path: '/api/api-keys',
    auth: 'session',
    body: { name: 123 },
    expectStatus: 400,
    expectCode: 'validation_failed',
  },
  {
    method: 'POST',
    path: '/api/api-keys',
    auth: 'session',
    body: { name: '   ' },
    expectStatus: 400,
    expectCode: 'validation_failed',
  },
  {
    method: 'POST',
    path: '/api/api-keys',
    auth: 'session',
    rawBody: OVERSIZED,
    expectStatus: 413,
    expectCode: 'payload_too_large',
  },
  {
    method: 'POST',
    path: '/api/api-keys',
    auth: 'no-csrf',
    body: { name: 'k' },
    expectStatus: 403,
    expectCode: 'csrf_failed',
  },
  {
    method: 'POST',
    path: '/api/api-keys',
    auth: 'editor',
    body: { name: 'k' },
    expectStatus: 403,
    expectCode: 'forbidden',
  },
  {
    method: 'POST',
    path: '/api/api-keys',
    auth: 'apikey',
    body: { name: 'k' },
    expectStatus: 401,
    expectCode: 'unauthorized',
  },
  {
    method: 'DELETE',
    path: '/api/api-keys/not-a-uuid',
    auth: 'session',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'DELETE',
    path: `/api/api-keys/${UNKNOWN_ID}`,
    auth: 'session',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'DELETE',
    path: '/api/api-keys/{apiKeyId}',
    auth: 'wrong-merchant',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'DELETE',
    path: '/api/api-keys/{apiKeyId}',
    auth: 'agent',
    expectStatus: 403,
    expectCode: 'forbidden',
  },
  {
    method: 'DELETE',
    path: '/api/api-keys/{apiKeyId}',
    auth: 'no-csrf',
    expectStatus: 403,
    expectCode: 'csrf_failed',
  },
  {
    method: 'DELETE',
    path: '/api/api-keys/{apiKeyId}',
    auth: 'none',
    expectStatus: 401,
    expectCode: 'unauthorized',
  },

  // ── flows ───────────────────────────────────────────────────────────────────────────────────────────────
  { method: 'GET', path: '/api/flows', auth: 'none', expectStatus: 401, expectCode: 'unauthorized' },
  { method: 'GET', path: '/api/flows', auth: 'apikey', expectStatus: 401, expectCode: 'unauthorized' },
  { method: 'GET', path: '/api/flows', auth: 'bad-apikey', expectStatus: 401, expectCode: 'unauthorized' },
  { method: 'GET', path: '/api/starter-flows', auth: 'none', expectStatus: 401, expectCode: 'unauthorized' },
  {
    method: 'POST',
    path: '/api/flows',
    auth: 'session',
    rawBody: '{"name": "x",}',
    expectStatus: 400,
    expectCode: 'invalid_json',
  },
  {
    method: 'POST',
    path: '/api/flows',
    auth: 'session',
    body: { name: 5 },
    expectStatus: 400,
    expectCode: 'validation_failed',
  },
  {
    method: 'POST',
    path: '/api/flows',
    auth: 'session',
    body: { name: 'x'.repeat(500) },
    expectStatus: 400,
    expectCode: 'validation_failed',
  },
  {
    method: 'POST',
    path: '/api/flows',
    auth: 'session',
    body: { starterFlowId: 'no-such-starter' },
    expectStatus: 400,
    expectCode: 'validation_failed',
  },
  {
    method: 'POST',
    path: '/api/flows',
    auth: 'session',
    rawBody: OVERSIZED,
    expectStatus: 413,
    expectCode: 'payload_too_large',
  },
  {
    method: 'POST',
    path: '/api/flows',
    auth: 'session',
    rawBody: 'name=x',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    expectStatus: 415,
    expectCode: 'unsupported_media_type',
  },
  { method: 'POST', path: '/api/flows', auth: 'agent', body: {}, expectStatus: 403, expectCode: 'forbidden' },
  {
    method: 'POST',
    path: '/api/flows',
    auth: 'no-csrf',
    body: {},
    expectStatus: 403,
    expectCode: 'csrf_failed',
  },
  {
    method: 'POST',
    path: '/api/flows',
    auth: 'none',
    body: {},
    expectStatus: 401,
    expectCode: 'unauthorized',
  },
  {
    method: 'GET',
    path: '/api/flows/{flowId}',
    auth: 'wrong-merchant',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'GET',
    path: '/api/flows/not-a-uuid',
    auth: 'session',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'GET',
    path: `/api/flows/${UNKNOWN_ID}`,
    auth: 'session',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  { method: 'GET', path: '/api/flows/{flowId}', auth: 'none', expectStatus: 401, expectCode: 'unauthorized' },
  {
    method: 'PUT',
    path: '/api/flows/{flowId}',
    auth: 'session',
    rawBody: '{"name":"x","document":{',
    expectStatus: 400,
    expectCode: 'invalid_json',
  },
  {
    method: 'PUT',
    path: '/api/flows/{flowId}',
    auth: 'session',
    body: { name: 'x', document: 'not an object' },
    expectStatus: 400,
    expectCode: 'validation_failed',
  },
  {
    method: 'PUT',
    path: '/api/flows/{flowId}',
    auth: 'session',
    body: { document: validFlowDocument() },
    expectStatus: 400,
    expectCode: 'validation_failed',
  },
  {
    method: 'PUT',
    path: '/api/flows/{flowId}',
    auth: 'session',
    body: { name: 'x', document: unreadableFlowDocument() },
    expectStatus: 400,
    expectCode: 'invalid_document',
  },
  {
    method: 'PUT',
    path: '/api/flows/{flowId}',
    auth: 'session',
    body: { name: 'x', document: { ...validFlowDocument(), version: 99 } },
    expectStatus: 400,
    expectCode: 'invalid_document',
  },
  {
    method: 'PUT',
    path: '/api/flows/{flowId}',
    auth: 'session',
    rawBody: OVERSIZED_DOCUMENT,
    expectStatus: 413,
    expectCode: 'payload_too_large',
  },
  {
    method: 'PUT',
    path: '/api/flows/{flowId}',
    auth: 'wrong-merchant',
    body: { name: 'x', document: validFlowDocument() },
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'PUT',
    path: `/api/flows/${UNKNOWN_ID}`,
    auth: 'session',
    body: { name: 'x', document: validFlowDocument() },
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'PUT',
    path: '/api/flows/{flowId}',
    auth: 'agent',
    body: { name: 'x', document: validFlowDocument() },
    expectStatus: 403,
    expectCode: 'forbidden',
  },
  {
    method: 'PUT',
    path: '/api/flows/{flowId}',
    auth: 'no-csrf',
    body: { name: 'x', document: validFlowDocument() },
    expectStatus: 403,
    expectCode: 'csrf_failed',
  },
  {
    method: 'DELETE',
    path: '/api/flows/{flowId}',
    auth: 'wrong-merchant',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'DELETE',
    path: '/api/flows/not-a-uuid',
    auth: 'session',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'DELETE',
    path: '/api/flows/{flowId}',
    auth: 'agent',
    expectStatus: 403,
    expectCode: 'forbidden',
  },
  {
    method: 'DELETE',
    path: '/api/flows/{flowId}',
    auth: 'no-csrf',
    expectStatus: 403,
    expectCode: 'csrf_failed',
  },
  {
    method: 'POST',
    path: '/api/flows/{flowId}/duplicate',
    auth: 'wrong-merchant',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'POST',
    path: '/api/flows/{flowId}/duplicate',
    auth: 'agent',
    expectStatus: 403,
    expectCode: 'forbidden',
  },
  {
    method: 'POST',
    path: '/api/flows/{flowId}/validate',
    auth: 'wrong-merchant',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'POST',
    path: '/api/flows/{flowId}/validate',
    auth: 'no-csrf',
    expectStatus: 403,
    expectCode: 'csrf_failed',
  },
  {
    method: 'POST',
    path: '/api/flows/{flowId}/publish',
    auth: 'wrong-merchant',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'POST',
    path: '/api/flows/{flowId}/publish',
    auth: 'agent',
    expectStatus: 403,
    expectCode: 'forbidden',
  },
  {
    method: 'POST',
    path: '/api/flows/{flowId}/publish',
    auth: 'no-csrf',
    expectStatus: 403,
    expectCode: 'csrf_failed',
  },
  {
    method: 'POST',
    path: '/api/flows/{badFlowId}/publish',
    auth: 'session',
    expectStatus: 422,
    expectCode: 'flow_invalid',
  },
  {
    method: 'POST',
    path: '/api/flows/{badFlowId}/publish',
    auth: 'editor',
    expectStatus: 422,
    expectCode: 'flow_invalid',
  },
  {
    method: 'GET',
    path: '/api/flows/{flowId}/versions',
    auth: 'wrong-merchant',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'GET',
    path: '/api/flows/not-a-uuid/versions',
    auth: 'session',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'POST',
    path: '/api/flows/{flowId}/versions/1/rollback',
    auth: 'wrong-merchant',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'POST',
    path: '/api/flows/{flowId}/versions/99/rollback',
    auth: 'session',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'POST',
    path: '/api/flows/{flowId}/versions/abc/rollback',
    auth: 'session',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'POST',
    path: '/api/flows/{flowId}/versions/0/rollback',
    auth: 'session',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'POST',
    path: '/api/flows/{flowId}/versions/1/rollback',
    auth: 'agent',
    expectStatus: 403,
    expectCode: 'forbidden',
  },
  {
    method: 'POST',
    path: '/api/flows/{badFlowId}/versions/1/rollback',
    auth: 'session',
    expectStatus: 404,
    expectCode: 'not_found',
  },

  // ── engine routes (events, dev clock): append here ──────────────────────────────────────────────────────
  // ── channel routes (webhooks, web chat, conversations): append here ─────────────────────────────────────
]

async function setUpFixture(deps: RuntimeDeps, app: ReturnType<typeof createApp>) {
  const a = await seedMerchant(deps.db, { name: 'Merchant A' })
  const b = await seedMerchant(deps.db, { name: 'Merchant B' })
  const sessions: Record<'owner' | 'editor' | 'agent' | 'other', SignedIn> = {
    owner: await signIn(app, a),
    editor: await signIn(app, await seedUser(deps.db, a.merchantId, { role: 'editor' })),
    agent: await signIn(app, await seedUser(deps.db, a.merchantId, { role: 'agent' })),
    other: await signIn(app, b),
  }
  const json = async <T>(res: Response | Promise<Response>) => (await (await res).json()) as T
  const write = (path: string, body: unknown, method = 'POST') =>
    app.request(path, { method, headers: sessions.owner.write, body: JSON.stringify(body) })

  const flow = await json<{ id: string }>(write('/api/flows', { name: 'Live' }))
  await write(`/api/flows/${flow.id}`, { name: 'Live', document: validFlowDocument('Live') }, 'PUT')
  await write(`/api/flows/${flow.id}/publish`, undefined)
  const badFlow = await json<{ id: string }>(write('/api/flows', { name: 'Unfinished' }))
  await write(`/api/flows/${badFlow.id}`, { name: 'Unfinished', document: flowDocumentWithErrors() }, 'PUT')
  const key = await json<{ apiKey: { id: string }; key: string }>(write('/api/api-keys', { name: 'Store' }))

  const fixture: Fixture = {
    merchantA: a.merchantId,
    merchantB: b.merchantId,
    flowId: flow.id,
    badFlowId: badFlow.id,
    apiKeyId: key.apiKey.id,
    apiKey: key.key,
  }
  return { fixture, sessions }
}

function authHeaders(
  auth: Auth,
  sessions: Awaited<ReturnType<typeof setUpFixture>>['sessions'],
  fixture: Fixture,
): Record<string, string> {
  switch (auth) {
    case 'none':
      return {}
    case 'session':
      return { cookie: sessions.owner.cookie, 'x-csrf-token': sessions.owner.csrfToken }
    case 'editor':
      return { cookie: sessions.editor.cookie, 'x-csrf-token': sessions.editor.csrfToken }
    case 'agent':
      return { cookie: sessions.agent.cookie, 'x-csrf-token': sessions.agent.csrfToken }
    case 'no-csrf':
      return { cookie: sessions.owner.cookie }
    case 'wrong-merchant':
      return { cookie: sessions.other.cookie, 'x-csrf-token': sessions.other.csrfToken }
    case 'apikey':
      return { authorization: `Bearer ${fixture.apiKey}` }
    case 'bad-apikey':
      return { authorization: `Bearer pk_live_0badc0de_${'x'.repeat(43)}` }
  }
}

describe.each(testDatabases())('bad input on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  let setup: Awaited<ReturnType<typeof setUpFixture>>
  beforeAll(async () => {
    t = await createTestDeps(kind)
    app = createApp(t.deps)
    setup = await setUpFixture(t.deps, app)
  })
  afterAll(() => t.close())

  it.each(cases.map((c) => [`${c.name ? `${c.name}: ` : ''}${c.method} ${c.path} as ${c.auth}`, c] as const))(
    '%s',
    async (_label, c) => {
      const path = c.path.replace(/\{(\w+)\}/g, (_m, key: string) => {
        const value = setup.fixture[key as keyof Fixture]
        if (value === undefined) throw new Error(`No fixture field ${key}`)
        return value
      })
      const hasBody = c.body !== undefined || c.rawBody !== undefined
      const headers = {
        ...(hasBody ? { 'content-type': 'application/json' } : {}),
        ...authHeaders(c.auth, setup.sessions, setup.fixture),
        ...c.headers,
      }
      const before = await snapshotDatabase(t.deps.db)
      const res = await app.request(path, {
        method: c.method,
        headers,
        ...(hasBody ? { body: c.rawBody ?? JSON.stringify(c.body) } : {}),
      })
      const text = await res.text()
      expect(res.status, text.slice(0, 300)).toBe(c.expectStatus)
      expect(res.headers.get('content-type')).toContain('application/json')
      const body = errorBodySchema.parse(JSON.parse(text))
      expect(body.error.code).toBe(c.expectCode)
      expect(await snapshotDatabase(t.deps.db)).toEqual(before)
    },
  )

  it('the snapshot does see writes (a control)', async () => {
    const before = await snapshotDatabase(t.deps.db)
    const res = await app.request('/api/flows', {
      method: 'POST',
      headers: setup.sessions.owner.write,
      body: JSON.stringify({ name: 'Control' }),
    })
    expect(res.status).toBe(201)
    const after = await snapshotDatabase(t.deps.db)
    expect(after.flows?.rows).toBe((before.flows?.rows ?? 0) + 1)
    expect(after.flows?.hash).not.toBe(before.flows?.hash)
  })
})
