import { beforeEach, describe, expect, it, vi } from 'vitest'
import { sessionStorageKey, WebchatClient, WebchatError } from './webchat-client.ts'

const CHANNEL = '11111111-1111-4111-8111-111111111111'

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

function memoryStorage() {
  const map = new Map<string, string>()
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
    map,
  }
}

describe('WebchatClient session', () => {
  let storage: ReturnType<typeof memoryStorage>
  beforeEach(() => {
    storage = memoryStorage()
  })

  it('starts a new visitor and keeps the token in storage', async () => {
    const fetch = vi.fn(async () =>
      json({ token: 't1', visitorId: 'v_1', expiresAt: '2030-01-01T00:00:00Z' }, 201),
    )
    const client = new WebchatClient({ baseUrl: 'https://rt.example/', channelId: CHANNEL, storage, fetch })
    const session = await client.session()
    expect(session).toEqual({ token: 't1', visitorId: 'v_1', expiresAt: '2030-01-01T00:00:00Z' })
    expect(fetch).toHaveBeenCalledWith(
      `https://rt.example/api/webchat/${CHANNEL}/session`,
      expect.objectContaining({ method: 'POST', body: '{}' }),
    )
    expect(JSON.parse(storage.map.get(sessionStorageKey(CHANNEL))!)).toMatchObject({
      token: 't1',
      visitorId: 'v_1',
    })
  })

  it('refreshes a stored token once per page load and reuses the session', async () => {
    storage.setItem(
      sessionStorageKey(CHANNEL),
      JSON.stringify({ token: 'old', visitorId: 'v_1', expiresAt: '' }),
    )
    const fetch = vi.fn(async (_url: string | URL | Request, _init?: RequestInit) =>
      json({ token: 'new', visitorId: 'v_1', expiresAt: 'x' }),
    )
    const client = new WebchatClient({ baseUrl: 'https://rt.example', channelId: CHANNEL, storage, fetch })
    await Promise.all([client.session(), client.session()])
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(JSON.parse(String(fetch.mock.calls[0]?.[1]?.body))).toEqual({ token: 'old' })
    expect(client.storedSession()?.token).toBe('new')
  })

  it('ignores a corrupt stored entry', () => {
    storage.setItem(sessionStorageKey(CHANNEL), '{nope')
    const client = new WebchatClient({
      baseUrl: 'https://rt.example',
      channelId: CHANNEL,
      storage,
      fetch: vi.fn(),
    })
    expect(client.storedSession()).toBeNull()
  })

  it('sends the bearer token and starts a new session once after a 401', async () => {
    let sessions = 0
    const fetch = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
      const path = String(url)
      if (path.endsWith('/session'))
        return json({ token: `t${++sessions}`, visitorId: `v_${sessions}`, expiresAt: '' })
      const auth = new Headers(init?.headers).get('Authorization')
      if (auth === 'Bearer t1') return json({ error: { code: 'unauthorized', message: 'expired' } }, 401)
      return json({ messages: [{ id: 'm1', direction: 'out', author: 'bot', body: { text: 'hi' } }] })
    })
    const client = new WebchatClient({ baseUrl: 'https://rt.example', channelId: CHANNEL, storage, fetch })
    const messages = await client.listMessages()
    expect(messages.map((m) => m.id)).toEqual(['m1'])
    expect(sessions).toBe(2)
    expect(client.storedSession()?.token).toBe('t2')
  })

  it('throws a WebchatError with the server message on other failures', async () => {
    const fetch = vi.fn(async (url: string | URL | Request) =>
      String(url).endsWith('/session')
        ? json({ token: 't', visitorId: 'v', expiresAt: '' })
        : json({ error: { code: 'bad_request', message: 'Send text or a button id' } }, 400),
    )
    const client = new WebchatClient({ baseUrl: 'https://rt.example', channelId: CHANNEL, storage, fetch })
    const error = await client.send(' ').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WebchatError)
    expect((error as WebchatError).status).toBe(400)
    expect((error as WebchatError).message).toBe('Send text or a button id')
  })

  it('posts a button tap with its id and a client message id', async () => {
    const fetch = vi.fn(async (url: string | URL | Request, _init?: RequestInit) =>
      String(url).endsWith('/session') ? json({ token: 't', visitorId: 'v', expiresAt: '' }) : json({}, 202),
    )
    const client = new WebchatClient({ baseUrl: 'https://rt.example', channelId: CHANNEL, storage, fetch })
    await client.send('Yes please', 'yes', 'cm-1')
    expect(JSON.parse(String(fetch.mock.calls[1]?.[1]?.body))).toEqual({
      clientMessageId: 'cm-1',
      text: 'Yes please',
      buttonId: 'yes',
    })
  })

  it('builds the socket URL with ws(s) and the token', async () => {
    const fetch = vi.fn(async () => json({ token: 'a.b', visitorId: 'v', expiresAt: '' }))
    const secure = new WebchatClient({ baseUrl: 'https://rt.example', channelId: CHANNEL, storage, fetch })
    expect(await secure.socketUrl()).toBe(`wss://rt.example/api/webchat/${CHANNEL}/socket?token=a.b`)
    const plain = new WebchatClient({ baseUrl: 'http://127.0.0.1:3000', channelId: CHANNEL, storage, fetch })
    expect(await plain.socketUrl()).toBe(`ws://127.0.0.1:3000/api/webchat/${CHANNEL}/socket?token=a.b`)
  })

  it('posts typing, uploads a photo as its raw bytes with its type, and reads a photo back', async () => {
    const fetch = vi.fn(async (url: string | URL | Request, _init?: RequestInit) =>
      String(url).endsWith('/session')
        ? json({ token: 't', visitorId: 'v', expiresAt: '' })
        : String(url).includes('/photos/')
          ? new Response(new Uint8Array([1]), { headers: { 'content-type': 'image/png' } })
          : json({ published: true }, 202),
    )
    const client = new WebchatClient({ baseUrl: 'https://rt.example', channelId: CHANNEL, storage, fetch })
    await client.typing()
    expect(String(fetch.mock.calls[1]?.[0])).toBe(`https://rt.example/api/webchat/${CHANNEL}/typing`)
    const photo = new Blob([new Uint8Array([1, 2])], { type: 'image/jpeg' })
    await client.sendPhoto(photo, 'ph-1')
    const [url, init] = fetch.mock.calls[2]!
    expect(String(url)).toBe(`https://rt.example/api/webchat/${CHANNEL}/photos?clientMessageId=ph-1`)
    expect(new Headers(init?.headers).get('Content-Type')).toBe('image/jpeg')
    expect(new Headers(init?.headers).get('Authorization')).toBe('Bearer t')
    expect(init?.body).toBe(photo)
    expect((await client.photo('p-1')).type).toBe('image/png')
  })
})
