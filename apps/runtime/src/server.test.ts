// The real process wiring over real HTTP: listen on a free port, answer, and shut down gracefully,
// letting a request that is in flight finish.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startServer } from './server.ts'

let dataDir: string
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'parley-server-'))
})
afterAll(() => rm(dataDir, { recursive: true, force: true }))

it('serves over HTTP and finishes in-flight requests on shutdown', async () => {
  const running = await startServer({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'test' })
  let release!: () => void
  const gate = new Promise<void>((resolve) => {
    release = resolve
  })
  let arrived!: () => void
  const inFlight = new Promise<void>((resolve) => {
    arrived = resolve
  })
  running.app.get('/test/slow', async (c) => {
    arrived()
    await gate
    return c.json({ finished: true })
  })
  const base = `http://127.0.0.1:${running.port}`
  expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ ok: true, database: 'up' })

  const slow = fetch(`${base}/test/slow`)
  // Shut down only once the server is handling it (a fixed pause lost that race on a busy machine).
  await inFlight
  const stopped = running.stop()
  await new Promise((resolve) => setTimeout(resolve, 50))
  release()
  const res = await slow
  expect(await res.json()).toEqual({ finished: true })
  await stopped
  await expect(fetch(`${base}/healthz`)).rejects.toThrow()
})
