// The editor's client (@parley/api) against the real app: the shared schemas parse what the routes answer,
// the CSRF token is sent after sign-in, and errors arrive as ApiError with the server's code.
import { ApiError, createApiClient } from '@parley/api'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { flowDocumentWithErrors, validFlowDocument } from '../testing/flow-fixtures.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'

describe.each(testDatabases())('@parley/api client against the app on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  beforeAll(async () => {
    t = await createTestDeps(kind)
    app = createApp(t.deps)
  })
  afterAll(() => t.close())

  /** A client whose fetch is app.request with a one-cookie jar, like a browser on the same origin. */
  function browserClient() {
    let cookie: string | undefined
    return createApiClient({
      baseUrl: 'http://localhost',
      fetch: async (input, init) => {
        const headers = new Headers(init?.headers)
        if (cookie) headers.set('cookie', cookie)
        const res = await app.request(String(input), { ...init, headers })
        const set = res.headers.get('set-cookie')
        if (set) cookie = /Max-Age=0/.test(set) ? undefined : set.split(';')[0]
        return res
      },
    })
  }

  it('drives sign-in, flows, publish, versions, rollback and API keys', async () => {
    const m = await seedMerchant(t.deps.db)
    const api = browserClient()
    const session = await api.auth.signIn({ email: m.email, password: m.password })
    expect(session.user.role).toBe('owner')
    expect(api.csrfToken).toBe(session.csrfToken)

    const { starterFlows } = await api.flows.starters()
    const fromStarter = await api.flows.create({ starterFlowId: starterFlows[0]!.id })
    expect(fromStarter.status).toBe('draft')

    const flow = await api.flows.create({ name: 'Client flow' })
    await api.flows.update(flow.id, { name: 'Client flow', document: flowDocumentWithErrors() })
    const refused = await api.flows.publish(flow.id).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(ApiError)
    expect(refused).toMatchObject({ status: 422, code: 'flow_invalid' })

    await api.flows.update(flow.id, { name: 'Client flow', document: validFlowDocument() })
    const validation = await api.flows.validate(flow.id)
    expect(validation.ok).toBe(true)
    expect((await api.flows.publish(flow.id)).version.version).toBe(1)
    expect((await api.flows.publish(flow.id)).version.version).toBe(2)
    expect((await api.flows.rollback(flow.id, 1)).version.version).toBe(3)
    expect((await api.flows.versions(flow.id)).versions.map((v) => v.version)).toEqual([3, 2, 1])
    const copy = await api.flows.duplicate(flow.id)
    await api.flows.remove(copy.id)
    expect((await api.flows.list()).flows.map((f) => f.name).sort()).toEqual(
      [fromStarter.name, 'Client flow'].sort(),
    )

    const created = await api.apiKeys.create({ name: 'Shop' })
    expect(created.key).toMatch(/^pk_live_/)
    await api.apiKeys.revoke(created.apiKey.id)
    expect((await api.apiKeys.list()).apiKeys[0]?.revokedAt).not.toBeNull()

    await api.auth.signOut()
    await expect(api.flows.list()).rejects.toMatchObject({ status: 401, code: 'unauthorized' })
  })

  it('reports a wrong password and a foreign flow as ApiError', async () => {
    const a = await seedMerchant(t.deps.db)
    const b = await seedMerchant(t.deps.db)
    const api = browserClient()
    await expect(api.auth.signIn({ email: a.email, password: 'nope' })).rejects.toMatchObject({
      status: 401,
      code: 'unauthorized',
      message: 'Wrong email or password',
    })
    await api.auth.signIn(a)
    const flow = await api.flows.create({})
    const other = browserClient()
    await other.auth.signIn(b)
    await expect(other.flows.get(flow.id)).rejects.toMatchObject({ status: 404, code: 'not_found' })
  })
})
