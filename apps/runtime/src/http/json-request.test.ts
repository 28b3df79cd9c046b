// validJsonRequest answers every request exactly as `app.openapi(route, …)` with router.ts' hook does (the chain
// it replaces on the web-chat send route): the same statuses and the same JSON bodies, request by request.
import { createRoute } from '@hono/zod-openapi'
import { visitorMessageRequestSchema, webchatParamsSchema } from '@parley/api'
import { describe, expect, it } from 'vitest'
import { toErrorResponse } from './errors.ts'
import { validJsonRequest } from './json-request.ts'
import { createRouter } from './router.ts'

const CHANNEL = '7b1f0a52-8d7e-4c1e-9a51-0a4b0f7c2d11'

function viaOpenapi() {
  const app = createRouter()
  app.onError(toErrorResponse)
  app.openapi(
    createRoute({
      method: 'post',
      path: '/chat/{channelId}/messages',
      request: {
        params: webchatParamsSchema,
        body: { required: true, content: { 'application/json': { schema: visitorMessageRequestSchema } } },
      },
      responses: { 202: { description: 'Accepted' } },
    }),
    (c) => c.json({ params: c.req.valid('param'), body: c.req.valid('json') }, 202) as never,
  )
  return app
}

function viaValidJsonRequest() {
  const app = createRouter()
  app.onError(toErrorResponse)
  app.post('/chat/:channelId/messages', async (c) => {
    const { params, body } = await validJsonRequest(c, webchatParamsSchema, visitorMessageRequestSchema)
    return c.json({ params, body }, 202)
  })
  return app
}

const json = 'application/json'
const cases: { name: string; channel?: string; contentType?: string; body?: string }[] = [
  { name: 'a valid message', contentType: json, body: '{"clientMessageId":"m1","text":"hello"}' },
  {
    name: 'a button tap (text defaults)',
    contentType: json,
    body: '{"clientMessageId":"m1","buttonId":"yes"}',
  },
  {
    name: 'a charset',
    contentType: 'application/json; charset=utf-8',
    body: '{"clientMessageId":"m1","text":"hi"}',
  },
  {
    name: 'a +json type',
    contentType: 'application/vnd.api+json',
    body: '{"clientMessageId":"m1","text":"hi"}',
  },
  {
    name: 'a malformed channel id',
    channel: 'not-a-uuid',
    contentType: json,
    body: '{"clientMessageId":"m1","text":"x"}',
  },
  { name: 'text/plain', contentType: 'text/plain', body: '{"clientMessageId":"m1","text":"hi"}' },
  { name: 'a parameter the gate refuses', contentType: 'application/json; charset', body: '{}' },
  { name: 'no Content-Type with a body', body: '{"clientMessageId":"m1","text":"hi"}' },
  { name: 'no Content-Type and no body' },
  { name: 'malformed JSON', contentType: json, body: '{"clientMessageId":' },
  { name: 'an empty JSON body', contentType: json, body: '' },
  { name: 'a missing id', contentType: json, body: '{"text":"hi"}' },
  { name: 'a bad id', contentType: json, body: '{"clientMessageId":"a b","text":"hi"}' },
  { name: 'an unknown key', contentType: json, body: '{"clientMessageId":"m1","text":"hi","extra":1}' },
  { name: 'blank text and no button', contentType: json, body: '{"clientMessageId":"m1","text":"   "}' },
  {
    name: 'text too long',
    contentType: json,
    body: JSON.stringify({ clientMessageId: 'm1', text: 'x'.repeat(4097) }),
  },
  {
    name: 'a NUL in the text',
    contentType: json,
    body: JSON.stringify({ clientMessageId: 'm1', text: 'a\u0000b' }),
  },
  { name: 'an array', contentType: json, body: '[]' },
  { name: 'null', contentType: json, body: 'null' },
]

describe('validJsonRequest', () => {
  const before = viaOpenapi()
  const after = viaValidJsonRequest()
  it.each(cases)('answers $name as app.openapi does', async ({ channel = CHANNEL, contentType, body }) => {
    const request = () =>
      new Request(`http://runtime/chat/${channel}/messages`, {
        method: 'POST',
        ...(contentType === undefined ? {} : { headers: { 'content-type': contentType } }),
        ...(body === undefined ? {} : { body }),
      })
    const [expected, actual] = await Promise.all([before.request(request()), after.request(request())])
    expect(actual.status).toBe(expected.status)
    expect(await actual.json()).toEqual(await expected.json())
  })

  it('covers every kind of answer', async () => {
    const statuses = new Set<number>()
    for (const { channel = CHANNEL, contentType, body } of cases) {
      const res = await viaValidJsonRequest().request(`/chat/${channel}/messages`, {
        method: 'POST',
        ...(contentType === undefined ? {} : { headers: { 'content-type': contentType } }),
        ...(body === undefined ? {} : { body }),
      })
      statuses.add(res.status)
    }
    expect([...statuses].sort()).toEqual([202, 400, 404, 415])
  })
})
