import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fetchWithEarlyRequests } from './early-requests.ts'

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

describe('fetchWithEarlyRequests', () => {
  const network = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => json({ from: 'network' }))
  beforeEach(() => {
    network.mockClear()
    vi.stubGlobal('fetch', network)
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    delete window.parleyEarlyRequests
  })

  const body = async (response: Promise<Response>) =>
    ((await (await response).json()) as { from: string }).from

  it('answers the first GET of a path with the request started early, then asks the network', async () => {
    window.parleyEarlyRequests = { '/api/auth/session': Promise.resolve(json({ from: 'early' })) }
    expect(await body(fetchWithEarlyRequests('/api/auth/session', { method: 'GET' }))).toBe('early')
    expect(network).not.toHaveBeenCalled()
    expect(await body(fetchWithEarlyRequests('/api/auth/session', { method: 'GET' }))).toBe('network')
    expect(network).toHaveBeenCalledTimes(1)
  })

  it('asks the network again when the early answer failed (e.g. the flow asked for before signing in)', async () => {
    window.parleyEarlyRequests = {
      '/api/flows/f1': Promise.resolve(json({ error: { code: 'unauthorized', message: 'Sign in' } }, 401)),
      '/api/auth/session': Promise.reject(new TypeError('offline')),
    }
    expect(await body(fetchWithEarlyRequests('/api/flows/f1', { method: 'GET' }))).toBe('network')
    expect(await body(fetchWithEarlyRequests('/api/auth/session', { method: 'GET' }))).toBe('network')
    expect(network).toHaveBeenCalledTimes(2)
  })

  it('never answers a change (POST, PUT...) or another path with an early request', async () => {
    window.parleyEarlyRequests = { '/api/flows/f1': Promise.resolve(json({ from: 'early' })) }
    expect(await body(fetchWithEarlyRequests('/api/flows/f1', { method: 'PUT', body: '{}' }))).toBe('network')
    expect(await body(fetchWithEarlyRequests('/api/flows/f2', { method: 'GET' }))).toBe('network')
    expect(network).toHaveBeenCalledTimes(2)
    expect(await body(fetchWithEarlyRequests('/api/flows/f1', { method: 'GET' }))).toBe('early')
  })
})
