// Optional AI answers settings (owner only): the merchant's OpenAI-compatible endpoint, its write-only key and
// prices, this month's AI cost, and a connection test that makes one small call and says what happened.
import { createRoute } from '@hono/zod-openapi'
import {
  type AiAnswersResponse,
  type AiAnswersTestResult,
  aiAnswersResponseSchema,
  aiAnswersSettingsInputSchema,
  aiAnswersTestInputSchema,
  aiAnswersTestResultSchema,
} from '@parley/api'
import type { RuntimeDeps } from '../deps.ts'
import { AppError } from '../http/errors.ts'
import { errorResponses } from '../http/openapi-responses.ts'
import { ownerOnly } from '../http/require-role.ts'
import { createRouter } from '../http/router.ts'
import { requireSession } from '../http/session-auth.ts'
import { getSessionCaller } from '../http/tenant.ts'
import { type ChatOutcome, requestChatCompletion } from '../llm/chat-completion.ts'
import { llmAnswerUsage } from '../llm/llm-answer-costs.ts'
import { LLM_ANSWER_DEADLINE_MS } from '../llm/llm-answer-job.ts'
import {
  describeLlmSettings,
  MissingKeyError,
  openLlmApiKey,
  readLlmSettingsRow,
  saveLlmSettings,
} from '../llm/llm-settings.ts'

const guard = [requireSession, ownerOnly]
/** The test waits longer than a shopper would, so a slow endpoint is reported as slow, not as down. */
const TEST_TIMEOUT_MS = 10_000

const response = {
  description: 'The AI answers settings (never the key) and this month’s AI answers and cost',
  content: { 'application/json': { schema: aiAnswersResponseSchema } },
}

const read = createRoute({
  method: 'get',
  path: '/',
  tags: ['settings'],
  summary: 'The AI answers settings and this month’s cost',
  security: [{ session: [] }],
  middleware: guard,
  responses: { 200: response, ...errorResponses },
})

const replace = createRoute({
  method: 'put',
  path: '/',
  tags: ['settings'],
  summary: 'Save the AI answers settings (an omitted key keeps the stored one)',
  security: [{ session: [] }],
  middleware: guard,
  request: {
    body: { required: true, content: { 'application/json': { schema: aiAnswersSettingsInputSchema } } },
  },
  responses: { 200: response, ...errorResponses },
})

const test = createRoute({
  method: 'post',
  path: '/test',
  tags: ['settings'],
  summary: 'Make one small call to the endpoint and say what happened',
  security: [{ session: [] }],
  middleware: guard,
  request: {
    body: { required: true, content: { 'application/json': { schema: aiAnswersTestInputSchema } } },
  },
  responses: {
    200: {
      description: 'What the endpoint did (ok or not: the test itself ran)',
      content: { 'application/json': { schema: aiAnswersTestResultSchema } },
    },
    ...errorResponses,
  },
})

const missingKey = () =>
  new AppError(400, 'validation_failed', 'Enter the API key first', [
    { path: 'apiKey', message: 'Enter the API key' },
  ])

export function aiAnswersRoutes(deps: RuntimeDeps) {
  const { db, clock } = deps

  async function respond(merchantId: string): Promise<AiAnswersResponse> {
    const settings = describeLlmSettings(await readLlmSettingsRow(db, merchantId))
    const now = new Date(clock.now())
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))
    const to = new Date(now.getTime() + 1)
    return { settings, usage: await llmAnswerUsage(db, merchantId, from, to, settings.currency) }
  }

  return createRouter()
    .openapi(read, async (c) => c.json(await respond(getSessionCaller(c).merchantId), 200))
    .openapi(replace, async (c) => {
      const { merchantId } = getSessionCaller(c)
      try {
        await saveLlmSettings(db, deps.config.keyring, merchantId, c.req.valid('json'), new Date(clock.now()))
      } catch (error) {
        if (error instanceof MissingKeyError) throw missingKey()
        throw error
      }
      return c.json(await respond(merchantId), 200)
    })
    .openapi(test, async (c) => {
      const { merchantId } = getSessionCaller(c)
      const input = c.req.valid('json')
      const stored = await readLlmSettingsRow(db, merchantId)
      let apiKey = input.apiKey ?? null
      if (!apiKey && stored) {
        try {
          apiKey = openLlmApiKey(deps.config.keyring, stored)
        } catch {
          throw new AppError(400, 'validation_failed', 'The saved key cannot be read: enter it again', [
            { path: 'apiKey', message: 'Enter the API key again' },
          ])
        }
      }
      if (!apiKey) throw missingKey()
      const started = performance.now()
      const outcome = await requestChatCompletion(
        deps.egress,
        { baseUrl: input.baseUrl, apiKey, model: input.model },
        {
          messages: [
            { role: 'system', content: 'Reply with the single word: ready' },
            { role: 'user', content: 'Are you there?' },
          ],
          stream: input.stream,
          maxTokens: 5,
        },
        AbortSignal.timeout(TEST_TIMEOUT_MS),
      )
      const latencyMs = Math.round(performance.now() - started)
      const result: AiAnswersTestResult = { ...describeTest(outcome, latencyMs), latencyMs }
      return c.json(result, 200)
    })
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

/** What the test did, in the owner's words. */
function describeTest(outcome: ChatOutcome, latencyMs: number): { ok: boolean; message: string } {
  if (outcome.ok) {
    const reply = outcome.text.length > 60 ? `${outcome.text.slice(0, 60)}…` : outcome.text
    const slow =
      latencyMs > LLM_ANSWER_DEADLINE_MS
        ? ` That is slower than the ${seconds(LLM_ANSWER_DEADLINE_MS)} a shopper can wait: they would get the catalogue answer instead.`
        : ''
    return {
      ok: latencyMs <= LLM_ANSWER_DEADLINE_MS,
      message: `The model answered in ${seconds(latencyMs)}: “${reply}”.${slow}`,
    }
  }
  switch (outcome.failure) {
    case 'timeout':
      return { ok: false, message: `No answer within ${seconds(TEST_TIMEOUT_MS)}.` }
    case 'refused':
      return { ok: false, message: `Parley will not call this address. ${outcome.message}` }
    case 'unreachable':
      return { ok: false, message: `Could not reach the endpoint: ${outcome.message}` }
    case 'malformed':
      return {
        ok: false,
        message: `The endpoint answered, but not like an OpenAI-compatible chat completion: ${outcome.message}`,
      }
    default:
      return { ok: false, message: `${outcome.message}.` }
  }
}
