import { describe, expect, it } from 'vitest'
import { EFFECT_RESULT_GRACE_MS } from './effect-wait.ts'
import { httpRequest, httpRequestDefaults } from './http-request.ts'
import { checkNode, runNode, T0 } from './node-test-kit.ts'

const config = {
  method: 'POST',
  url: 'https://api.example/loyalty/{{contact.id}}',
  headers: [{ name: 'X-Store', value: '{{store.name}}' }],
  body: '{"email":"{{contact.email}}"}',
  timeoutSeconds: 5,
  saveAs: 'loyalty',
}
const vars = { contact: { id: 'c9', email: 'a@b.example' }, store: { name: 'North' } }

describe('http-request', () => {
  it('parses its defaults and has ok/error handles bounded by its timeout', () => {
    expect(httpRequest.configSchema.parse(httpRequestDefaults)).toEqual(httpRequestDefaults)
    expect(httpRequest.handles(httpRequestDefaults).map((h) => h.id)).toEqual(['ok', 'error'])
    expect(httpRequest.facts(httpRequestDefaults)).toMatchObject({
      waits: true,
      writes: ['response'],
      timing: { ok: { min: 0, max: 10_000 + EFFECT_RESULT_GRACE_MS } },
    })
  })

  it('requires an http(s) URL', () => {
    expect(checkNode('http-request', {}).map((i) => i.message)).toEqual(["'Step' needs a URL to call"])
    expect(checkNode('http-request', { url: 'ftp://x' }).map((i) => i.code)).toEqual(['invalid_url'])
    expect(checkNode('http-request', { url: 'https://x.example' })).toEqual([])
  })

  it('emits the rendered request and saves the result on success', () => {
    const run = runNode('http-request', config, { vars })
    expect(run.last.effects).toEqual([
      {
        type: 'http.request',
        nodeId: 'n',
        method: 'POST',
        url: 'https://api.example/loyalty/c9',
        headers: { 'X-Store': 'North' },
        body: '{"email":"a@b.example"}',
        timeoutMs: 5000,
      },
    ])
    // A result for another node changes nothing.
    expect(run.send({ type: 'effect.result', nodeId: 'other', ok: true }).visited).toEqual([])
    run.send({ type: 'effect.result', nodeId: 'n', ok: true, data: { points: 120 } })
    expect(run.outcome).toBe('ok')
    expect((run.snapshot.context as { vars: Record<string, unknown> }).vars.loyalty).toEqual({ points: 120 })
  })

  it('goes to error on a failed result or when no result arrives in time', () => {
    const failed = runNode('http-request', config, { vars })
    failed.send({ type: 'effect.result', nodeId: 'n', ok: false })
    expect(failed.outcome).toBe('error')
    const silent = runNode('http-request', config, { vars })
    silent.advanceTo(T0 + 5000 + EFFECT_RESULT_GRACE_MS)
    expect(silent.outcome).toBe('error')
  })
})
