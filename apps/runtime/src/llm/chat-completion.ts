// One call to an OpenAI-compatible `POST {baseUrl}/chat/completions`, streamed (server-sent `data:` chunks ending
// in `[DONE]`) or not, through the egress dispatcher: the merchant chooses the address, so it is judged like any
// merchant-influenced request (no loopback, private or metadata targets unless the operator allow-lists them).
// It never retries and never throws: a slow, refusing or garbled endpoint is an outcome the caller falls back
// on at once, so a shopper is never kept waiting on someone else's outage.
import { request } from 'undici'
import { type Egress, EgressRefusedError } from '../egress/egress-agent.ts'
import { checkedEgressUrl } from '../egress/egress-fetch.ts'

export interface ChatEndpoint {
  /** e.g. `https://api.openai.com/v1`; `/chat/completions` is appended. */
  baseUrl: string
  apiKey: string
  model: string
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

export interface ChatRequest {
  messages: ChatMessage[]
  stream: boolean
  maxTokens?: number
  temperature?: number
}

export interface ChatUsage {
  inputTokens: number
  outputTokens: number
  /** The endpoint reported no usage: counted as about 4 characters a token. */
  estimated: boolean
}

/** Why no answer: each one means "use the answer you already have", never "try again". */
export type ChatFailure =
  | 'timeout'
  | 'rate_limited'
  | 'server_error'
  | 'rejected'
  | 'malformed'
  | 'refused'
  | 'unreachable'

export type ChatOutcome =
  | { ok: true; text: string; usage: ChatUsage }
  | { ok: false; failure: ChatFailure; message: string; status?: number }

/** More than any sensible answer to a shopper; the connection is dropped beyond it. */
export const MAX_CHAT_RESPONSE_BYTES = 512 * 1024

/** The completions address of a base URL: trailing slashes dropped, `/chat/completions` appended. */
export function chatCompletionsUrl(baseUrl: string): string {
  return `${baseUrl.trim().replace(/\/+$/, '')}/chat/completions`
}

/**
 * Asks the endpoint once. `deadline` aborts the exchange wherever it is (connecting, waiting for headers, mid
 * stream); the outcome is then `timeout`.
 * @example await requestChatCompletion(deps.egress, endpoint, { messages, stream: true }, AbortSignal.timeout(2000))
 */
export async function requestChatCompletion(
  egress: Egress,
  endpoint: ChatEndpoint,
  chat: ChatRequest,
  deadline: AbortSignal,
): Promise<ChatOutcome> {
  let aborted: () => void = () => {}
  // undici honours the signal, but the race makes the deadline the caller's guarantee whatever the socket does.
  const onDeadline = new Promise<ChatOutcome>((resolve) => {
    aborted = () => resolve({ ok: false, failure: 'timeout', message: 'No answer before the deadline' })
    if (deadline.aborted) aborted()
    else deadline.addEventListener('abort', aborted, { once: true })
  })
  try {
    return await Promise.race([exchange(egress, endpoint, chat, deadline), onDeadline])
  } finally {
    deadline.removeEventListener('abort', aborted)
  }
}

async function exchange(
  egress: Egress,
  endpoint: ChatEndpoint,
  chat: ChatRequest,
  signal: AbortSignal,
): Promise<ChatOutcome> {
  try {
    const url = checkedEgressUrl(egress, chatCompletionsUrl(endpoint.baseUrl))
    const body = JSON.stringify({
      model: endpoint.model,
      messages: chat.messages,
      stream: chat.stream,
      ...(chat.stream ? { stream_options: { include_usage: true } } : {}),
      ...(chat.maxTokens !== undefined ? { max_tokens: chat.maxTokens } : {}),
      ...(chat.temperature !== undefined ? { temperature: chat.temperature } : {}),
    })
    // No redirects: undici's request follows none, so a 3xx is an answer we refuse like any other.
    const response = await request(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${endpoint.apiKey}`,
        'content-type': 'application/json',
        accept: chat.stream ? 'text/event-stream' : 'application/json',
      },
      body,
      signal,
      dispatcher: egress.dispatcher,
    })
    const status = response.statusCode
    if (status < 200 || status >= 300) {
      const text = (await readCapped(response.body, 4096)).text
      return { ok: false, status, ...statusFailure(status, text) }
    }
    const contentType = String(response.headers['content-type'] ?? '')
    if (chat.stream && contentType.includes('text/event-stream'))
      return await readStream(response.body, body.length)
    // Asked to stream, a server may still answer with one JSON document: both are accepted.
    const { text, truncated } = await readCapped(response.body, MAX_CHAT_RESPONSE_BYTES)
    if (truncated) return malformed('The answer was larger than 512 KB')
    return parseCompletion(text, body.length)
  } catch (error) {
    if (signal.aborted) return { ok: false, failure: 'timeout', message: 'No answer before the deadline' }
    if (error instanceof EgressRefusedError) return { ok: false, failure: 'refused', message: error.message }
    return {
      ok: false,
      failure: 'unreachable',
      message: error instanceof Error ? error.message : String(error),
    }
  }
}

function statusFailure(status: number, body: string): { failure: ChatFailure; message: string } {
  const said = providerMessage(body)
  const suffix = said ? `: ${said}` : ''
  if (status === 429) return { failure: 'rate_limited', message: `Rate limited (429)${suffix}` }
  if (status >= 500) return { failure: 'server_error', message: `The endpoint failed (${status})${suffix}` }
  if (status === 401 || status === 403) {
    return { failure: 'rejected', message: `The endpoint refused the key (${status})${suffix}` }
  }
  if (status >= 300 && status < 400) {
    return { failure: 'rejected', message: `The endpoint answered with a redirect (${status}), not followed` }
  }
  return { failure: 'rejected', message: `The endpoint refused the request (${status})${suffix}` }
}

/** OpenAI's `{ error: { message } }`, cut short; the endpoint's words help the merchant fix their settings. */
function providerMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } | string }
    const message = typeof parsed.error === 'string' ? parsed.error : parsed.error?.message
    return typeof message === 'string' ? message.slice(0, 200) : ''
  } catch {
    return ''
  }
}

const malformed = (message: string): ChatOutcome => ({ ok: false, failure: 'malformed', message })

interface CompletionChunk {
  choices?: { message?: { content?: unknown }; delta?: { content?: unknown } }[]
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null
}

function parseCompletion(text: string, requestChars: number): ChatOutcome {
  let parsed: CompletionChunk
  try {
    parsed = JSON.parse(text) as CompletionChunk
  } catch {
    return malformed('The answer was not JSON')
  }
  const content = parsed?.choices?.[0]?.message?.content
  if (typeof content !== 'string' || content.trim() === '') return malformed('The answer had no message text')
  return { ok: true, text: content.trim(), usage: usageOf(parsed.usage, requestChars, content.length) }
}

/** Server-sent events: `data: {chunk}` lines, text in `choices[0].delta.content`, ending with `data: [DONE]`. */
async function readStream(body: AsyncIterable<Buffer>, requestChars: number): Promise<ChatOutcome> {
  let buffer = ''
  let text = ''
  let size = 0
  let usage: CompletionChunk['usage']
  const decoder = new TextDecoder()
  for await (const chunk of body) {
    size += chunk.length
    if (size > MAX_CHAT_RESPONSE_BYTES) return malformed('The answer was larger than 512 KB')
    buffer += decoder.decode(chunk, { stream: true })
    const lines = buffer.split(/\r?\n/)
    buffer = lines.pop() ?? ''
    for (const line of lines) {
      if (!line.startsWith('data:')) continue
      const data = line.slice(5).trim()
      if (data === '[DONE]') {
        if (text.trim() === '') return malformed('The stream ended without any text')
        return { ok: true, text: text.trim(), usage: usageOf(usage, requestChars, text.length) }
      }
      let parsed: CompletionChunk
      try {
        parsed = JSON.parse(data) as CompletionChunk
      } catch {
        return malformed('A streamed chunk was not JSON')
      }
      const delta = parsed?.choices?.[0]?.delta?.content
      if (typeof delta === 'string') text += delta
      if (parsed?.usage) usage = parsed.usage
    }
  }
  // A stream cut before [DONE] may be half an answer: never sent to a shopper.
  return malformed('The stream ended before [DONE]')
}

function usageOf(usage: CompletionChunk['usage'], requestChars: number, answerChars: number): ChatUsage {
  const input = usage?.prompt_tokens
  const output = usage?.completion_tokens
  if (typeof input === 'number' && typeof output === 'number' && input >= 0 && output >= 0) {
    return { inputTokens: Math.round(input), outputTokens: Math.round(output), estimated: false }
  }
  return {
    inputTokens: Math.ceil(requestChars / 4),
    outputTokens: Math.ceil(answerChars / 4),
    estimated: true,
  }
}

async function readCapped(
  stream: AsyncIterable<Buffer>,
  cap: number,
): Promise<{ text: string; truncated: boolean }> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stream) {
    if (size + chunk.length > cap) {
      chunks.push(chunk.subarray(0, cap - size))
      return { text: Buffer.concat(chunks).toString('utf8'), truncated: true }
    }
    chunks.push(chunk)
    size += chunk.length
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated: false }
}
