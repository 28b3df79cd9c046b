// A fake OpenAI-compatible endpoint on loopback for tests: real HTTP, `POST /v1/chat/completions`, answering as
// told (a JSON completion, a server-sent stream ending in [DONE], an error status, garbage, or nothing at all)
// and recording every request, so a test can assert what the runtime sent: the prompt, the model, the key.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface FakeCompletionUsage {
  prompt_tokens: number
  completion_tokens: number
}

export type FakeBehaviour =
  | { kind: 'json'; text: string; usage?: FakeCompletionUsage | null }
  | { kind: 'stream'; text: string; usage?: FakeCompletionUsage | null }
  /** A stream that stops before `[DONE]` and closes. */
  | { kind: 'stream-cut'; text: string }
  | { kind: 'status'; status: number; body?: string }
  | { kind: 'garbage' }
  /** Reads the request and never answers (until the server closes). */
  | { kind: 'hang' }

export interface RecordedChatRequest {
  headers: IncomingHttpHeaders
  body: {
    model?: string
    stream?: boolean
    messages?: { role: string; content: string }[]
    [key: string]: unknown
  }
}

export interface FakeOpenAi {
  /** The base URL a merchant would configure: `http://127.0.0.1:<port>/v1`. */
  baseUrl: string
  port: number
  requests: RecordedChatRequest[]
  /** How the next requests are answered (until changed); a function decides per request. */
  behave(behaviour: FakeBehaviour | ((request: RecordedChatRequest) => FakeBehaviour)): void
  close(): Promise<void>
}

export const DEFAULT_FAKE_USAGE: FakeCompletionUsage = { prompt_tokens: 420, completion_tokens: 36 }

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const requests: RecordedChatRequest[] = []
  let behaviour: FakeBehaviour | ((request: RecordedChatRequest) => FakeBehaviour) = {
    kind: 'json',
    text: 'Hello from the fake model.',
  }
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ error: { message: `No route ${req.method} ${req.url}` } }))
        return
      }
      let body: RecordedChatRequest['body'] = {}
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RecordedChatRequest['body']
      } catch {}
      const recorded = { headers: req.headers, body }
      requests.push(recorded)
      const now = typeof behaviour === 'function' ? behaviour(recorded) : behaviour
      answer(now, body.model ?? 'fake', res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    behave(next) {
      behaviour = next
    },
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

function answer(behaviour: FakeBehaviour, model: string, res: import('node:http').ServerResponse): void {
  const id = 'chatcmpl-fake'
  switch (behaviour.kind) {
    case 'json': {
      const usage = behaviour.usage === undefined ? DEFAULT_FAKE_USAGE : behaviour.usage
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          model,
          choices: [
            { index: 0, message: { role: 'assistant', content: behaviour.text }, finish_reason: 'stop' },
          ],
          ...(usage
            ? { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } }
            : {}),
        }),
      )
      return
    }
    case 'stream':
    case 'stream-cut': {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
      // Word by word, as a model streams; the role comes first and the usage last (include_usage).
      const pieces = behaviour.text.match(/\S+\s*/g) ?? []
      const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', model, choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`
      res.write(chunk({ role: 'assistant', content: '' }))
      for (const piece of pieces) res.write(chunk({ content: piece }))
      if (behaviour.kind === 'stream-cut') {
        res.end()
        return
      }
      const usage = behaviour.usage === undefined ? DEFAULT_FAKE_USAGE : behaviour.usage
      if (usage) {
        res.write(
          `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', model, choices: [], usage })}\n\n`,
        )
      }
      res.end('data: [DONE]\n\n')
      return
    }
    case 'status':
      res.writeHead(behaviour.status, { 'content-type': 'application/json' })
      res.end(behaviour.body ?? JSON.stringify({ error: { message: `Fake failure ${behaviour.status}` } }))
      return
    case 'garbage':
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('<html>definitely not a completion</html>')
      return
    case 'hang':
      return
  }
}
