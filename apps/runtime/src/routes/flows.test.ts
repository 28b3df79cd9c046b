import type { FlowDetail, FlowSummary, FlowVersion, PublishFlowResult, ValidateFlowResult } from '@parley/api'
import { testDatabases } from '@parley/db/testing'
import { FLOW_DOCUMENT_VERSION } from '@parley/flow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import {
  flowDocumentWithErrors,
  sparseFlowDocument,
  unreadableFlowDocument,
  validFlowDocument,
} from '../testing/flow-fixtures.ts'
import { type SignedIn, signIn } from '../testing/sign-in.ts'
import { createTestDeps, seedMerchant, seedUser, type TestDeps } from '../testing/test-deps.ts'

describe.each(testDatabases())('flows API on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  beforeAll(async () => {
    t = await createTestDeps(kind)
    app = createApp(t.deps)
  })
  afterAll(() => t.close())

  async function owner(): Promise<SignedIn & { merchantId: string }> {
    const m = await seedMerchant(t.deps.db)
    return { ...(await signIn(app, m)), merchantId: m.merchantId }
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

  it('creates a blank flow, saves its draft, lists it as a draft', async () => {
    const s = await owner()
    const created = await call<FlowDetail>(s, 'POST', '/api/flows', {})
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ name: 'Untitled flow', status: 'draft', publishedVersion: null })
    expect(created.body.document).toMatchObject({
      version: FLOW_DOCUMENT_VERSION,
      name: 'Untitled flow',
      nodes: [],
      edges: [],
    })

    t.clock.advance(60_000)
    const saved = await call<FlowDetail>(s, 'PUT', `/api/flows/${created.body.id}`, {
      name: 'Welcome',
      document: sparseFlowDocument('ignored'),
    })
    expect(saved.status).toBe(200)
    expect(saved.body.name).toBe('Welcome')
    expect(saved.body.document.name).toBe('Welcome')
    expect(Date.parse(saved.body.updatedAt)).toBeGreaterThan(Date.parse(created.body.updatedAt))

    const list = await call<{ flows: FlowSummary[] }>(s, 'GET', '/api/flows')
    expect(list.body.flows).toHaveLength(1)
    expect(list.body.flows[0]).toMatchObject({ id: created.body.id, name: 'Welcome', status: 'draft' })
    const got = await call<FlowDetail>(s, 'GET', `/api/flows/${created.body.id}`)
    // Stored as parsed: configs the document left out come back with their kind's defaults.
    expect(got.body.document).toEqual({ ...validFlowDocument(), name: 'Welcome' })
    const nodes = got.body.document.nodes as { id: string; config: unknown }[]
    expect(nodes.find((node) => node.id === 'hello')?.config).toMatchObject({ text: 'Hi there', buttons: [] })
  })

  it('saves drafts with graph errors, refuses unreadable documents with the issues', async () => {
    const s = await owner()
    const { body: flow } = await call<FlowDetail>(s, 'POST', '/api/flows', { name: 'Draft' })
    const withErrors = await call(s, 'PUT', `/api/flows/${flow.id}`, {
      name: 'Draft',
      document: flowDocumentWithErrors(),
    })
    expect(withErrors.status).toBe(200)
    const unreadable = await call<{
      error: { code: string; details: { issues: { code: string; nodeId?: string }[] } }
    }>(s, 'PUT', `/api/flows/${flow.id}`, { name: 'Draft', document: unreadableFlowDocument() })
    expect(unreadable.status).toBe(400)
    expect(unreadable.body.error.code).toBe('invalid_document')
    expect(unreadable.body.error.details.issues[0]).toMatchObject({ code: 'unknown_kind', nodeId: 'x' })
    const after = await call<FlowDetail>(s, 'GET', `/api/flows/${flow.id}`)
    expect(after.body.document).toEqual({ ...flowDocumentWithErrors(), name: 'Draft' })
  })

  it('validates: issues and the analysis', async () => {
    const s = await owner()
    const { body: flow } = await call<FlowDetail>(s, 'POST', '/api/flows', { name: 'V' })
    const empty = await call<ValidateFlowResult>(s, 'POST', `/api/flows/${flow.id}/validate`)
    expect(empty.status).toBe(200)
    expect(empty.body.ok).toBe(false)
    expect(empty.body.issues.map((i) => i.code)).toContain('no_trigger')

    await call(s, 'PUT', `/api/flows/${flow.id}`, { name: 'V', document: validFlowDocument() })
    const good = await call<ValidateFlowResult>(s, 'POST', `/api/flows/${flow.id}/validate`)
    expect(good.body).toMatchObject({ ok: true, issues: [] })
    expect(good.body.analysis?.maxMessagesPerRun).toBe(1)
    expect(good.body.analysis?.summary).toEqual(expect.any(String))
  })

  it('refuses to publish while validation has errors (422 flow_invalid, nothing written)', async () => {
    const s = await owner()
    const { body: flow } = await call<FlowDetail>(s, 'POST', '/api/flows', { name: 'P' })
    await call(s, 'PUT', `/api/flows/${flow.id}`, { name: 'P', document: flowDocumentWithErrors() })
    const res = await call<{ error: { code: string; details: { issues: { severity: string }[] } } }>(
      s,
      'POST',
      `/api/flows/${flow.id}/publish`,
    )
    expect(res.status).toBe(422)
    expect(res.body.error.code).toBe('flow_invalid')
    expect(res.body.error.details.issues.some((i) => i.severity === 'error')).toBe(true)
    const versions = await t.deps.db
      .selectFrom('flow_versions')
      .select('id')
      .where('flow_id', '=', flow.id)
      .execute()
    expect(versions).toHaveLength(0)
  })

  it('publishes numbered immutable versions, lists them, rolls back as a new version', async () => {
    const s = await owner()
    const { body: flow } = await call<FlowDetail>(s, 'POST', '/api/flows', { name: 'Pub' })
    await call(s, 'PUT', `/api/flows/${flow.id}`, {
      name: 'Pub',
      document: validFlowDocument('Pub', 'first'),
    })
    const v1 = await call<PublishFlowResult>(s, 'POST', `/api/flows/${flow.id}/publish`)
    expect(v1.status).toBe(201)
    expect(v1.body.version).toMatchObject({ version: 1, live: true, triggerKinds: ['manual'] })
    expect(v1.body.flow).toMatchObject({
      status: 'published',
      publishedVersion: 1,
      hasUnpublishedChanges: false,
    })

    await call(s, 'PUT', `/api/flows/${flow.id}`, {
      name: 'Pub',
      document: validFlowDocument('Pub', 'second'),
    })
    const listed = await call<{ flows: FlowSummary[] }>(s, 'GET', '/api/flows')
    expect(listed.body.flows[0]).toMatchObject({ publishedVersion: 1, hasUnpublishedChanges: true })
    const v2 = await call<PublishFlowResult>(s, 'POST', `/api/flows/${flow.id}/publish`)
    expect(v2.body.version.version).toBe(2)

    const versions = await call<{ versions: FlowVersion[] }>(s, 'GET', `/api/flows/${flow.id}/versions`)
    expect(versions.body.versions.map((v) => [v.version, v.live])).toEqual([
      [2, true],
      [1, false],
    ])

    const rolled = await call<PublishFlowResult>(s, 'POST', `/api/flows/${flow.id}/versions/1/rollback`)
    expect(rolled.status).toBe(201)
    expect(rolled.body.version).toMatchObject({ version: 3, live: true })
    const rows = await t.deps.db
      .selectFrom('flow_versions')
      .select(['version', 'document', 'trigger_kinds'])
      .where('merchant_id', '=', s.merchantId)
      .where('flow_id', '=', flow.id)
      .orderBy('version')
      .execute()
    expect(rows.map((r) => r.version)).toEqual([1, 2, 3])
    expect(rows[2]!.document).toEqual(rows[0]!.document)
    expect(rows[2]!.trigger_kinds).toEqual(['manual'])
    const draft = await call<FlowDetail>(s, 'GET', `/api/flows/${flow.id}`)
    expect(draft.body).toMatchObject({ publishedVersion: 3, hasUnpublishedChanges: false })
    expect(JSON.stringify(draft.body.document)).toContain('first')

    expect((await call(s, 'POST', `/api/flows/${flow.id}/versions/9/rollback`)).status).toBe(404)
  })

  it('duplicates into an unpublished copy and soft-deletes (unpublishing)', async () => {
    const s = await owner()
    const { body: flow } = await call<FlowDetail>(s, 'POST', '/api/flows', { name: 'Orig' })
    await call(s, 'PUT', `/api/flows/${flow.id}`, { name: 'Orig', document: validFlowDocument() })
    await call(s, 'POST', `/api/flows/${flow.id}/publish`)
    const copy = await call<FlowDetail>(s, 'POST', `/api/flows/${flow.id}/duplicate`)
    expect(copy.status).toBe(201)
    expect(copy.body).toMatchObject({ name: 'Orig (copy)', status: 'draft', publishedVersion: null })
    expect(copy.body.document.nodes).toEqual(validFlowDocument().nodes)

    expect((await call(s, 'DELETE', `/api/flows/${flow.id}`)).status).toBe(204)
    expect((await call(s, 'GET', `/api/flows/${flow.id}`)).status).toBe(404)
    expect((await call(s, 'DELETE', `/api/flows/${flow.id}`)).status).toBe(404)
    const row = await t.deps.db
      .selectFrom('flows')
      .selectAll()
      .where('id', '=', flow.id)
      .executeTakeFirstOrThrow()
    expect(row.deleted_at).not.toBeNull()
    expect(row.published_version_id).toBeNull()
    const list = await call<{ flows: FlowSummary[] }>(s, 'GET', '/api/flows')
    expect(list.body.flows.map((f) => f.id)).toEqual([copy.body.id])
  })

  it('enforces roles: agents read, editors change flows, only owners manage API keys', async () => {
    const m = await seedMerchant(t.deps.db)
    const ownerS = await signIn(app, m)
    const editor = await signIn(app, await seedUser(t.deps.db, m.merchantId, { role: 'editor' }))
    const agent = await signIn(app, await seedUser(t.deps.db, m.merchantId, { role: 'agent' }))
    const { body: flow } = await call<FlowDetail>(ownerS, 'POST', '/api/flows', { name: 'R' })

    expect((await call(agent, 'GET', '/api/flows')).status).toBe(200)
    expect((await call(agent, 'GET', `/api/flows/${flow.id}`)).status).toBe(200)
    expect((await call(agent, 'GET', `/api/flows/${flow.id}/versions`)).status).toBe(200)
    for (const [method, path, body] of [
      ['POST', '/api/flows', {}],
      ['PUT', `/api/flows/${flow.id}`, { name: 'x', document: validFlowDocument() }],
      ['DELETE', `/api/flows/${flow.id}`, undefined],
      ['POST', `/api/flows/${flow.id}/publish`, undefined],
      ['POST', `/api/flows/${flow.id}/duplicate`, undefined],
    ] as const) {
      const res = await call<{ error: { code: string } }>(agent, method, path, body)
      expect(res.status, `${method} ${path}`).toBe(403)
      expect(res.body.error.code).toBe('forbidden')
    }
    expect(
      (await call(editor, 'PUT', `/api/flows/${flow.id}`, { name: 'E', document: validFlowDocument() }))
        .status,
    ).toBe(200)
    expect((await call(editor, 'POST', `/api/flows/${flow.id}/publish`)).status).toBe(201)
    expect((await call(editor, 'GET', '/api/api-keys')).status).toBe(403)
    expect((await call(editor, 'POST', '/api/api-keys', { name: 'k' })).status).toBe(403)
    expect((await call(agent, 'GET', '/api/api-keys')).status).toBe(403)
    expect((await call(ownerS, 'GET', '/api/api-keys')).status).toBe(200)
  })

  it("answers 404 for another merchant's flow and for ids that are not UUIDs", async () => {
    const a = await owner()
    const b = await owner()
    const { body: flow } = await call<FlowDetail>(a, 'POST', '/api/flows', { name: 'Mine' })
    await call(a, 'PUT', `/api/flows/${flow.id}`, { name: 'Mine', document: validFlowDocument() })
    await call(a, 'POST', `/api/flows/${flow.id}/publish`)
    for (const [method, path, body] of [
      ['GET', `/api/flows/${flow.id}`, undefined],
      ['PUT', `/api/flows/${flow.id}`, { name: 'Theirs', document: validFlowDocument() }],
      ['DELETE', `/api/flows/${flow.id}`, undefined],
      ['POST', `/api/flows/${flow.id}/duplicate`, undefined],
      ['POST', `/api/flows/${flow.id}/validate`, undefined],
      ['POST', `/api/flows/${flow.id}/publish`, undefined],
      ['GET', `/api/flows/${flow.id}/versions`, undefined],
      ['POST', `/api/flows/${flow.id}/versions/1/rollback`, undefined],
      ['GET', '/api/flows/not-a-uuid', undefined],
      ['GET', '/api/flows/00000000-0000-0000-0000-000000000000', undefined],
    ] as const) {
      const res = await call<{ error: { code: string } }>(b, method, path, body)
      expect(res.status, `${method} ${path}`).toBe(404)
      expect(res.body.error.code).toBe('not_found')
    }
    expect((await call<{ flows: unknown[] }>(b, 'GET', '/api/flows')).body.flows).toEqual([])
    const still = await call<FlowDetail>(a, 'GET', `/api/flows/${flow.id}`)
    expect(still.body).toMatchObject({ name: 'Mine', publishedVersion: 1 })
  })

  it('creates flows from each starter flow; they validate and publish', async () => {
    const s = await owner()
    const { body } = await call<{ starterFlows: { id: string; name: string }[] }>(
      s,
      'GET',
      '/api/starter-flows',
    )
    expect(body.starterFlows.length).toBeGreaterThanOrEqual(5)
    for (const starter of body.starterFlows) {
      const created = await call<FlowDetail>(s, 'POST', '/api/flows', { starterFlowId: starter.id })
      expect(created.status).toBe(201)
      expect(created.body.name).toBe(starter.name)
      const published = await call<PublishFlowResult>(s, 'POST', `/api/flows/${created.body.id}/publish`)
      expect(published.status, JSON.stringify(published.body)).toBe(201)
      expect(published.body.version.triggerKinds.length).toBeGreaterThan(0)
    }
    const recovery = (await call<{ flows: FlowSummary[] }>(s, 'GET', '/api/flows')).body.flows.find(
      (f) => f.name === 'Abandoned cart recovery',
    )
    expect(recovery?.triggerKinds).toEqual(['cart.abandoned'])
  })
})
