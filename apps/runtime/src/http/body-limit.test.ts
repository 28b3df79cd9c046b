import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppEnv } from './app-env.ts'
import { bodyLimit } from './body-limit.ts'
import { AppError, toErrorResponse } from './errors.ts'

const MAX = 16

function limitedApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.onError((err, c) => toErrorResponse(err, c))
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX,
      onError: () => {
        throw new AppError(413, 'payload_too_large', 'too large')
      },
    }),
  )
  app.all('/echo', async (c) => c.json({ text: await c.req.text() }))
  return app
}

describe('bodyLimit', () => {
  const app = limitedApp()

  it('judges a body by its Content-Length without reading it', async () => {
    const over = await app.request('/echo', {
      method: 'POST',
      headers: { 'content-length': String(MAX + 1) },
      body: 'x'.repeat(MAX + 1),
    })
    expect(over.status).toBe(413)
    expect(((await over.json()) as { error: { code: string } }).error.code).toBe('payload_too_large')
    const exact = await app.request('/echo', {
      method: 'POST',
      headers: { 'content-length': String(MAX) },
      body: 'y'.repeat(MAX),
    })
    expect(exact.status).toBe(200)
    expect(await exact.json()).toEqual({ text: 'y'.repeat(MAX) })
  })

  it('counts a body without Content-Length byte by byte', async () => {
    const stream = (size: number) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('z'.repeat(size)))
          controller.close()
        },
      })
    const over = await app.request('/echo', {
      method: 'POST',
      body: stream(MAX + 1),
      duplex: 'half',
    } as RequestInit)
    expect(over.status).toBe(413)
    const under = await app.request('/echo', {
      method: 'POST',
      body: stream(MAX - 1),
      duplex: 'half',
    } as RequestInit)
    expect(under.status).toBe(200)
    expect(await under.json()).toEqual({ text: 'z'.repeat(MAX - 1) })
  })

  it('lets GET through whatever it claims', async () => {
    const res = await app.request('/echo', { headers: { 'content-length': String(MAX * 10) } })
    expect(res.status).toBe(200)
  })

  describe('over real HTTP (@hono/node-server)', () => {
    let server: ReturnType<typeof serve>
    let base = ''
    beforeAll(async () => {
      await new Promise<void>((resolve) => {
        server = serve({ fetch: limitedApp().fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
          base = `http://127.0.0.1:${info.port}`
          resolve()
        })
      })
    })
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

    it('refuses a large body with Content-Length and reads a small one', async () => {
      const over = await fetch(`${base}/echo`, { method: 'POST', body: 'a'.repeat(MAX + 1) })
      expect(over.status).toBe(413)
      const ok = await fetch(`${base}/echo`, { method: 'POST', body: 'b'.repeat(MAX) })
      expect(ok.status).toBe(200)
      expect(await ok.json()).toEqual({ text: 'b'.repeat(MAX) })
    })

    it('refuses a large chunked body', async () => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('c'.repeat(MAX)))
          controller.enqueue(new TextEncoder().encode('c'))
          controller.close()
        },
      })
      const res = await fetch(`${base}/echo`, { method: 'POST', body, duplex: 'half' } as RequestInit)
      expect(res.status).toBe(413)
    })
  })
})
