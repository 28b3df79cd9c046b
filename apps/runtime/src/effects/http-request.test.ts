// The SSRF hole as found (issue 8): a published flow's HTTP request calls an endpoint that redirects to an
// internal service, and the bot would send the internal answer into the chat. Now the hop is refused, the
// run takes its "Failed" branch, and the internal service is never reached. Loopback only.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Database } from '@parley/db'
import { testDatabases } from '@parley/db/testing'
import { edge, node } from '@parley/flow/test-support'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../config.ts'
import { runDueHttpJobs } from '../engine/http-lane.ts'
import { processInboundMessage } from '../engine/inbound.ts'
import { relayOutbox } from '../engine/outbox-relay.ts'
import { publishFlowDocument, RecordingAdapter, seedChannel } from '../testing/engine-fixtures.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'

async function listen(
  handler: Parameters<typeof createServer>[1],
): Promise<{ server: Server; port: number }> {
  const server = createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, port: (server.address() as AddressInfo).port }
}

/** Any message → HTTP request → "Got: …" on success, "Failed" on failure. */
function callingFlow(url: string) {
  return {
    version: 1,
    name: 'Calls out',
    nodes: [
      node('start', 'trigger-message', { match: 'any', keywords: [] }),
      node('call', 'http-request', { url, saveAs: 'answer' }),
      node('got', 'send-message', { text: 'Got: {{answer.body}}' }),
      node('failed', 'send-message', { text: 'Failed' }),
      node('done', 'end', { outcome: 'done' }),
    ],
    edges: [
      edge('start', 'call'),
      edge('call', 'got', 'ok'),
      edge('call', 'failed', 'error'),
      edge('got', 'done'),
      edge('failed', 'done'),
    ],
  }
}

describe.each(testDatabases())('HTTP-request node through the egress policy on %s', (kind) => {
  let t: TestDeps
  let db: Kysely<Database>
  const webchat = new RecordingAdapter('webchat')
  let merchantEndpoint: { server: Server; port: number }
  let internalService: { server: Server; port: number }
  let internalHits = 0

  beforeAll(async () => {
    internalService = await listen((_req, res) => {
      internalHits += 1
      res.end('db-password=hunter2')
    })
    merchantEndpoint = await listen((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x')
      if (url.pathname === '/redirect') {
        res.writeHead(302, { location: url.searchParams.get('to') ?? '/' })
        res.end()
      } else if (url.pathname === '/nul') {
        // Text Postgres cannot store: a NUL and an unpaired surrogate, escaped in JSON.
        res.setHeader('content-type', 'application/json')
        res.end('"a\\u0000b\\ud800c"')
      } else {
        res.end('points=120')
      }
    })
    // The operator allows the merchant's endpoint (a self-hosted install's internal service), nothing else.
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      EGRESS_ALLOW_LIST: `127.0.0.1:${merchantEndpoint.port}`,
    })
    t = await createTestDeps(kind, { channels: { webchat }, config })
    db = t.deps.db
  })
  afterAll(async () => {
    await t.close()
    for (const { server } of [merchantEndpoint, internalService]) {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })

  /** Publishes the flow, sends a shopper message, relays until the bot has answered; returns its answer. */
  async function botAnswer(url: string): Promise<string> {
    const { merchantId } = await seedMerchant(db)
    const channel = await seedChannel(db, merchantId)
    await publishFlowDocument(db, merchantId, callingFlow(url))
    const before = webchat.sends.length
    await processInboundMessage(t.deps, {
      merchantId,
      channelId: channel.id,
      externalId: `m-${merchantId}`,
      sender: { externalId: `visitor-${merchantId}`, name: 'Ada' },
      text: 'hi',
    })
    // The HTTP lane performs the job, the result steps the run, and the relay sends the answer.
    for (let round = 0; round < 20 && webchat.sends.length === before; round++) {
      await runDueHttpJobs(t.deps)
      await relayOutbox(t.deps)
    }
    const sent = webchat.sends.slice(before).map((s) => (s.payload.message as { text?: string }).text)
    expect(sent).toHaveLength(1)
    return sent[0]!
  }

  it('calls an allow-listed endpoint', async () => {
    expect(await botAnswer(`http://127.0.0.1:${merchantEndpoint.port}/points`)).toBe('Got: points=120')
  })

  it('cleans an answer holding a NUL or a broken surrogate instead of failing the step', async () => {
    expect(await botAnswer(`http://127.0.0.1:${merchantEndpoint.port}/nul`)).toBe('Got: ab\uFFFDc')
  })

  it('refuses a redirect to an internal service: the run fails and the service is never reached', async () => {
    const internal = `http://127.0.0.1:${internalService.port}/secrets`
    const url = `http://127.0.0.1:${merchantEndpoint.port}/redirect?to=${encodeURIComponent(internal)}`
    expect(await botAnswer(url)).toBe('Failed')
    const mapped = `http://[::ffff:127.0.0.1]:${internalService.port}/secrets`
    expect(
      await botAnswer(`http://127.0.0.1:${merchantEndpoint.port}/redirect?to=${encodeURIComponent(mapped)}`),
    ).toBe('Failed')
    expect(internalHits).toBe(0)
  })

  it('refuses the internal service called directly, and the metadata service', async () => {
    expect(await botAnswer(`http://127.0.0.1:${internalService.port}/secrets`)).toBe('Failed')
    expect(await botAnswer('http://169.254.169.254/latest/meta-data/')).toBe('Failed')
    expect(internalHits).toBe(0)
  })
})
