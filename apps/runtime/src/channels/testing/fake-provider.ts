// A fake provider API on loopback over real HTTP: records every request and answers from a script
// (success, 429 + retry-after, 500 with a body, 400, a hang to force a client timeout), optionally after a
// delay; a request counts as delivered when it is answered, as a provider that handles requests concurrently
// delivers them in the order it finishes them.
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedRequest {
  method: string
  path: string
  headers: http.IncomingHttpHeaders
  body: unknown
}

export type FakeAnswer =
  | { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number }
  /** Read the request, never answer (the client times out after writing). */
  | 'hang'

export interface FakeProvider {
  url: string
  requests: RecordedRequest[]
  /** Requests in the order they were answered (after their delay). */
  delivered: RecordedRequest[]
  /** Answers for the next requests, in order; afterwards `fallback` answers. */
  script(...answers: FakeAnswer[]): void
  fallback: (request: RecordedRequest) => FakeAnswer
  close(): Promise<void>
}

export async function startFakeProvider(
  fallback: (request: RecordedRequest) => FakeAnswer,
): Promise<FakeProvider> {
  const queue: FakeAnswer[] = []
  const requests: RecordedRequest[] = []
  const delivered: RecordedRequest[] = []
  const hanging = new Set<http.ServerResponse>()
  const provider: FakeProvider = {
    url: '',
    requests,
    delivered,
    script: (...answers) => queue.push(...answers),
    fallback,
    close: () =>
      new Promise((resolve) => {
        for (const response of hanging) response.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      let body: unknown = text
      try {
        body = text ? JSON.parse(text) : undefined
      } catch {}
      const recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body }
      requests.push(recorded)
      const answer = queue.shift() ?? provider.fallback(recorded)
      if (answer === 'hang') {
        hanging.add(res)
        return
      }
      const payload =
        answer.body === undefined
          ? ''
          : typeof answer.body === 'string'
            ? answer.body
            : JSON.stringify(answer.body)
      const respond = () => {
        delivered.push(recorded)
        res.writeHead(answer.status, {
          ...(typeof answer.body === 'object' ? { 'content-type': 'application/json' } : {}),
          ...answer.headers,
        })
        res.end(payload)
      }
      if (answer.delayMs) setTimeout(respond, answer.delayMs)
      else respond()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  provider.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return provider
}

/** A loopback URL where nothing listens (connection refused). */
export async function closedPortUrl(): Promise<string> {
  const server = http.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}`
}
