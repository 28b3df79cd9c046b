// The chat-completion client against a fake OpenAI-compatible server over real HTTP on loopback.
import { parseEgressAllowList } from '@parley/flow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEgress, type Egress } from '../egress/egress-agent.ts'
import { type ChatEndpoint, chatCompletionsUrl, requestChatCompletion } from './chat-completion.ts'
import { type FakeOpenAi, startFakeOpenAi } from './testing/fake-openai-server.ts'

let fake: FakeOpenAi
let egress: Egress
let endpoint: ChatEndpoint
const messages = [
  { role: 'system' as const, content: 'Answer from the facts.' },
  { role: 'user' as const, content: 'Is the hoodie in M?' },
]
const generous = () => AbortSignal.timeout(30_000)

beforeAll(async () => {
  fake = await startFakeOpenAi()
  // The test server is on loopback, which the egress policy refuses unless the operator allow-lists it.
  egress = createEgress({ allowList: parseEgressAllowList(`127.0.0.1:${fake.port}`) })
  endpoint = { baseUrl: `${fake.baseUrl}/`, apiKey: 'sk-test-key-1234', model: 'tiny-model' }
})

afterAll(async () => {
  await egress.close()
  await fake.close()
})

describe('requestChatCompletion', () => {
  it('builds the completions address from a base URL', () => {
    expect(chatCompletionsUrl('https://api.example.com/v1/')).toBe(
      'https://api.example.com/v1/chat/completions',
    )
  })

  it('reads a non-streamed answer with its usage, sending the model, key and messages', async () => {
    fake.behave({
      kind: 'json',
      text: ' Yes, M is in stock. ',
      usage: { prompt_tokens: 50, completion_tokens: 7 },
    })
    const before = fake.requests.length
    const outcome = await requestChatCompletion(egress, endpoint, { messages, stream: false }, generous())
    expect(outcome).toEqual({
      ok: true,
      text: 'Yes, M is in stock.',
      usage: { inputTokens: 50, outputTokens: 7, estimated: false },
    })
    const sent = fake.requests[before]!
    expect(sent.headers.authorization).toBe('Bearer sk-test-key-1234')
    expect(sent.body).toMatchObject({ model: 'tiny-model', stream: false, messages })
  })

  it('reads a streamed answer chunk by chunk up to [DONE], usage from the last chunk', async () => {
    fake.behave({
      kind: 'stream',
      text: 'Navy is in stock in M.',
      usage: { prompt_tokens: 60, completion_tokens: 9 },
    })
    const before = fake.requests.length
    const outcome = await requestChatCompletion(egress, endpoint, { messages, stream: true }, generous())
    expect(outcome).toEqual({
      ok: true,
      text: 'Navy is in stock in M.',
      usage: { inputTokens: 60, outputTokens: 9, estimated: false },
    })
    expect(fake.requests[before]!.body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    })
  })

  it('estimates tokens when the endpoint reports no usage', async () => {
    fake.behave({ kind: 'stream', text: 'abcdefgh', usage: null })
    const outcome = await requestChatCompletion(egress, endpoint, { messages, stream: true }, generous())
    expect(outcome).toMatchObject({ ok: true, usage: { outputTokens: 2, estimated: true } })
    if (outcome.ok) expect(outcome.usage.inputTokens).toBeGreaterThan(10)
  })

  it.each([
    [{ kind: 'status', status: 429 } as const, 'rate_limited', /429.*Fake failure 429/],
    [{ kind: 'status', status: 503 } as const, 'server_error', /503/],
    [{ kind: 'status', status: 401 } as const, 'rejected', /refused the key/],
    [{ kind: 'status', status: 302, body: '' } as const, 'rejected', /redirect/],
    [{ kind: 'garbage' } as const, 'malformed', /not JSON/],
    [{ kind: 'json', text: '   ' } as const, 'malformed', /no message text/],
    [{ kind: 'stream-cut', text: 'Half an ans' } as const, 'malformed', /before \[DONE\]/],
  ])('answers %o with the failure %s, once (no retry)', async (behaviour, failure, message) => {
    fake.behave(behaviour)
    const before = fake.requests.length
    const stream = behaviour.kind === 'stream-cut'
    const outcome = await requestChatCompletion(egress, endpoint, { messages, stream }, generous())
    expect(outcome).toMatchObject({ ok: false, failure })
    if (!outcome.ok) expect(outcome.message).toMatch(message)
    expect(fake.requests.length).toBe(before + 1)
  })

  it('gives up when the deadline fires, without waiting for a server that never answers', async () => {
    fake.behave({ kind: 'hang' })
    const deadline = new AbortController()
    const before = fake.requests.length
    const pending = requestChatCompletion(egress, endpoint, { messages, stream: true }, deadline.signal)
    // The deadline is the caller's: fired once the request reached the server, the answer follows at once.
    await expect.poll(() => fake.requests.length, { timeout: 30_000 }).toBe(before + 1)
    deadline.abort()
    await expect(pending).resolves.toMatchObject({ ok: false, failure: 'timeout' })
  })

  it('ends within a real 2 s deadline against a server that never answers', { timeout: 60_000 }, async () => {
    fake.behave({ kind: 'hang' })
    const started = performance.now()
    const outcome = await requestChatCompletion(
      egress,
      endpoint,
      { messages, stream: false },
      AbortSignal.timeout(2_000),
    )
    const elapsed = performance.now() - started
    expect(outcome).toMatchObject({ ok: false, failure: 'timeout' })
    expect(elapsed).toBeGreaterThanOrEqual(1_900)
    // Timers fire late on a loaded machine; the bound only shows the deadline ends the wait, not the server.
    expect(elapsed).toBeLessThan(2_000 + 5_000)
  })

  it('goes through the egress policy: loopback without an allow-list entry is refused, nothing sent', async () => {
    const strict = createEgress({ allowList: [] })
    const before = fake.requests.length
    try {
      const outcome = await requestChatCompletion(strict, endpoint, { messages, stream: false }, generous())
      expect(outcome).toMatchObject({ ok: false, failure: 'refused' })
      const metadata = await requestChatCompletion(
        strict,
        { ...endpoint, baseUrl: 'http://169.254.169.254/v1' },
        { messages, stream: false },
        generous(),
      )
      expect(metadata).toMatchObject({ ok: false, failure: 'refused', message: /metadata/ })
    } finally {
      await strict.close()
    }
    expect(fake.requests.length).toBe(before)
  })

  it('says unreachable when nothing listens', async () => {
    const closed = await startFakeOpenAi()
    await closed.close()
    const e = createEgress({ allowList: parseEgressAllowList(`127.0.0.1:${closed.port}`) })
    try {
      const outcome = await requestChatCompletion(
        e,
        { ...endpoint, baseUrl: closed.baseUrl },
        { messages, stream: false },
        generous(),
      )
      expect(outcome).toMatchObject({ ok: false, failure: 'unreachable' })
    } finally {
      await e.close()
    }
  })
})
