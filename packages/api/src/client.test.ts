import { describe, expect, it, vi } from 'vitest'
import { SERVER_TIME_HEADER } from './auth.ts'
import { ApiError, createApiClient } from './client.ts'

const session = {
  user: { id: '6f1c2a4e-8a59-4c1e-9d1c-0b8e5f8f9a11', email: 'a@b.co', name: 'A', role: 'owner' },
  merchant: { id: '0e2b7c0e-1f6f-4a55-9a59-2b0f8d5e6c22', name: 'Acme' },
  csrfToken: 'csrf-123',
  expiresAt: '2026-01-19T10:00:00.000Z',
}

function fakeFetch(responses: Response[]) {
  const calls: { url: string; init: RequestInit }[] = []
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init: init ?? {} })
    const next = responses.shift()
    if (!next) throw new Error('no more responses')
    return next
  }
  return { fetch: fetch as typeof globalThis.fetch, calls }
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

describe('createApiClient', () => {
  it('sends the CSRF token learnt at sign-in on mutations, not on reads', async () => {
    const { fetch, calls } = fakeFetch([
      json(session),
      json({ flows: [] }),
      new Response(null, { status: 204 }),
    ])
    const api = createApiClient({ baseUrl: 'http://x/', fetch })
    await api.auth.signIn({ email: 'a@b.co', password: 'pw' })
    await api.flows.list()
    await api.flows.remove('6f1c2a4e-8a59-4c1e-9d1c-0b8e5f8f9a11')
    expect(calls.map((c) => c.url)).toEqual([
      'http://x/api/auth/sign-in',
      'http://x/api/flows',
      'http://x/api/flows/6f1c2a4e-8a59-4c1e-9d1c-0b8e5f8f9a11',
    ])
    const header = (i: number) => (calls[i]!.init.headers as Record<string, string>)['X-CSRF-Token']
    expect(header(0)).toBeUndefined()
    expect(header(1)).toBeUndefined()
    expect(header(2)).toBe('csrf-123')
  })

  it("tells the time by the server's clock once an answer carried it, errors included", async () => {
    vi.useFakeTimers({ now: Date.parse('2026-12-01T10:00:00Z'), toFake: ['Date'] })
    try {
      const at = (iso: string, body: unknown = { flows: [] }, status = 200) =>
        new Response(JSON.stringify(body), {
          status,
          headers: { 'content-type': 'application/json', [SERVER_TIME_HEADER]: String(Date.parse(iso)) },
        })
      const notFound = { error: { code: 'not_found', message: 'No such flow' } }
      const { fetch } = fakeFetch([
        json({ flows: [] }),
        at('2026-12-04T10:00:00Z'),
        at('2026-12-04T12:00:00Z', notFound, 404),
      ])
      const api = createApiClient({ fetch })
      expect(api.now()).toBe(Date.parse('2026-12-01T10:00:00Z'))
      await api.flows.list()
      // No header (an older runtime): still the device's clock.
      expect(api.now()).toBe(Date.parse('2026-12-01T10:00:00Z'))
      await api.flows.list()
      vi.advanceTimersByTime(60_000)
      expect(new Date(api.now()).toISOString()).toBe('2026-12-04T10:01:00.000Z')
      await api.flows.get('x').catch(() => {})
      expect(new Date(api.now()).toISOString()).toBe('2026-12-04T12:00:00.000Z')
    } finally {
      vi.useRealTimers()
    }
  })

  it("throws ApiError with the server's code, message and details", async () => {
    const body = { error: { code: 'flow_invalid', message: 'Fix the errors', details: { issues: [] } } }
    const { fetch } = fakeFetch([json(body, 422), new Response('<html>', { status: 502 })])
    const api = createApiClient({ fetch })
    const error = await api.flows.publish('x').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({
      status: 422,
      code: 'flow_invalid',
      message: 'Fix the errors',
      details: { issues: [] },
    })
    await expect(api.flows.list()).rejects.toMatchObject({ status: 502, code: 'internal' })
  })

  it('parses the responses of a resource whose schemas load on first use, and refuses bad ones', async () => {
    const channel = { id: 1 }
    const { fetch } = fakeFetch([json({ channels: [channel] }), json({ channels: [] })])
    const api = createApiClient({ fetch })
    await expect(api.channels.list()).rejects.toMatchObject({ code: 'internal', status: 200 })
    await expect(api.channels.list()).resolves.toEqual({ channels: [] })
  })

  it('refuses a response that does not match the schema', async () => {
    const { fetch } = fakeFetch([json({ flows: [{ id: 1 }] })])
    await expect(createApiClient({ fetch }).flows.list()).rejects.toMatchObject({ code: 'internal' })
  })
})
