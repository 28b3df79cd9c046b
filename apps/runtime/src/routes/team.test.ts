// The team: invite by link (single-use, expiring), accept with a name and password (signed in at once), change a
// role, remove a member (their sessions end), and the store always keeps one owner.
import type { CreatedInvite, Invitation, Session, Team } from '@parley/api'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { signIn } from '../testing/sign-in.ts'
import { createTestDeps, seedMerchant, seedUser, type TestDeps } from '../testing/test-deps.ts'

const DAY = 24 * 60 * 60 * 1000

describe.each(testDatabases())('team and invitations on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  beforeAll(async () => {
    t = await createTestDeps(kind)
    app = createApp(t.deps)
  }, 120_000)
  afterAll(() => t.close())

  const json = (body: unknown) => JSON.stringify(body)

  async function invite(write: Record<string, string>, email: string, role = 'agent') {
    const res = await app.request('/api/team/invites', {
      method: 'POST',
      headers: write,
      body: json({ email, role }),
    })
    expect(res.status, await res.clone().text()).toBe(201)
    return (await res.json()) as CreatedInvite
  }

  const accept = (token: string, password = 'a long enough password') =>
    app.request('/api/invites/accept', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: json({ token, name: 'Sam Agent', password }),
    })

  it('invites an agent by link; the link shows the invitation once, signs the agent in, and is single-use', async () => {
    const m = await seedMerchant(t.deps.db, { name: 'Linen & Co' })
    const owner = await signIn(app, m)
    const email = `sam-${kind}@example.com`
    const { invite: created, token } = await invite(owner.write, `  SAM-${kind}@Example.com `)
    expect(created).toMatchObject({ email, role: 'agent' })
    const row = await t.deps.db
      .selectFrom('invites')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow()
    expect(JSON.stringify(row)).not.toContain(token)

    const team = (await (await app.request('/api/team', { headers: owner.read })).json()) as Team
    expect(team.invites.map((i) => i.email)).toEqual([email])
    expect(team.members).toMatchObject([{ email: m.email, role: 'owner', isYou: true }])

    const preview = await app.request(`/api/invites/${token}`)
    expect(preview.status).toBe(200)
    expect((await preview.json()) as Invitation).toMatchObject({
      email,
      role: 'agent',
      merchantName: 'Linen & Co',
    })

    const tooShort = await accept(token, 'short')
    expect(tooShort.status).toBe(400)
    const accepted = await accept(token)
    expect(accepted.status).toBe(200)
    const session = (await accepted.json()) as Session
    expect(session.user).toMatchObject({ email, role: 'agent', name: 'Sam Agent' })
    const cookie = (accepted.headers.get('set-cookie') ?? '').split(';')[0]!
    const me = await app.request('/api/auth/session', { headers: { cookie } })
    expect(((await me.json()) as Session).user.role).toBe('agent')
    // An agent reads flows but may not open settings, the team or API keys, nor change flows.
    expect((await app.request('/api/flows', { headers: { cookie } })).status).toBe(200)
    for (const path of ['/api/settings', '/api/team', '/api/api-keys']) {
      const res = await app.request(path, { headers: { cookie } })
      expect(res.status).toBe(403)
    }
    const create = await app.request('/api/flows', {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': session.csrfToken, 'content-type': 'application/json' },
      body: '{}',
    })
    expect(create.status).toBe(403)

    // The same link again: used up.
    expect((await accept(token)).status).toBe(404)
    expect((await app.request(`/api/invites/${token}`)).status).toBe(404)
    // The agent can sign in with the password they chose.
    await signIn(app, { email, password: 'a long enough password' })
    const after = (await (await app.request('/api/team', { headers: owner.read })).json()) as Team
    expect(after.invites).toEqual([])
    expect(after.members.map((x) => x.email).sort()).toEqual([m.email, email].sort())
  })

  it('refuses an expired or withdrawn link, and an email already on the team', async () => {
    const m = await seedMerchant(t.deps.db)
    const owner = await signIn(app, m)
    const expiring = await invite(owner.write, `late-${kind}@example.com`)
    t.clock.advance(8 * DAY)
    const expired = await accept(expiring.token)
    expect(expired.status).toBe(404)
    expect(((await expired.json()) as { error: { message: string } }).error.message).toMatch(/expired/)

    const withdrawn = await invite(owner.write, `gone-${kind}@example.com`)
    const del = await app.request(`/api/team/invites/${withdrawn.invite.id}`, {
      method: 'DELETE',
      headers: owner.write,
    })
    expect(del.status).toBe(204)
    expect((await accept(withdrawn.token)).status).toBe(404)

    // A second invitation for the same email replaces the first link.
    const first = await invite(owner.write, `twice-${kind}@example.com`)
    const second = await invite(owner.write, `twice-${kind}@example.com`)
    expect((await accept(first.token)).status).toBe(404)
    expect((await accept(second.token)).status).toBe(200)

    const dup = await app.request('/api/team/invites', {
      method: 'POST',
      headers: owner.write,
      body: json({ email: m.email, role: 'editor' }),
    })
    expect(dup.status).toBe(409)
  })

  it('changes roles, removes a member (their sessions end), and always keeps one owner', async () => {
    const m = await seedMerchant(t.deps.db)
    const owner = await signIn(app, m)
    const editorUser = await seedUser(t.deps.db, m.merchantId, { role: 'editor' })
    const editor = await signIn(app, editorUser)

    const demoteSelf = await app.request(`/api/team/members/${m.userId}`, {
      method: 'PUT',
      headers: owner.write,
      body: json({ role: 'editor' }),
    })
    expect(demoteSelf.status).toBe(409)
    expect(((await demoteSelf.json()) as { error: { message: string } }).error.message).toMatch(
      /at least one owner/,
    )
    const removeSelf = await app.request(`/api/team/members/${m.userId}`, {
      method: 'DELETE',
      headers: owner.write,
    })
    expect(removeSelf.status).toBe(409)

    const toAgent = await app.request(`/api/team/members/${editorUser.userId}`, {
      method: 'PUT',
      headers: owner.write,
      body: json({ role: 'agent' }),
    })
    expect(toAgent.status).toBe(204)
    const me = (await (await app.request('/api/auth/session', { headers: editor.read })).json()) as Session
    expect(me.user.role).toBe('agent')
    // Now agent: the flow list is readable, creating a flow is refused.
    expect(
      (await app.request('/api/flows', { method: 'POST', headers: editor.write, body: '{}' })).status,
    ).toBe(403)

    const removed = await app.request(`/api/team/members/${editorUser.userId}`, {
      method: 'DELETE',
      headers: owner.write,
    })
    expect(removed.status).toBe(204)
    expect((await app.request('/api/auth/session', { headers: editor.read })).status).toBe(401)
    const team = (await (await app.request('/api/team', { headers: owner.read })).json()) as Team
    expect(team.members.map((x) => x.id)).toEqual([m.userId])
    await expect(signIn(app, editorUser)).rejects.toThrow(/401/)

    // Another merchant's member is not found.
    const other = await seedMerchant(t.deps.db)
    const foreign = await app.request(`/api/team/members/${other.userId}`, {
      method: 'DELETE',
      headers: owner.write,
    })
    expect(foreign.status).toBe(404)
  })
})
