import { describe, expect, it } from 'vitest'
import { parseOutboxJob, readOutboxJob } from './outbox-jobs.ts'

const message = {
  kind: 'message',
  to: 'visitor-1',
  message: { text: 'Hi', buttons: [{ id: 'yes', title: 'Yes' }] },
  messageId: '7f1d3a52-40a4-4e0b-9c51-1f6f1f7c8a10',
  purpose: 'service',
  exemption: 'none',
  mode: 'free_form',
}
const http = {
  kind: 'http.request',
  runId: 'a8f5c1b2-3d4e-4f60-8a7b-9c0d1e2f3a4b',
  effect: {
    type: 'http.request',
    nodeId: 'call',
    method: 'POST',
    url: 'https://example.com/hook',
    headers: { 'content-type': 'application/json' },
    body: '{}',
    timeoutMs: 5000,
  },
}

describe('outbox jobs', () => {
  it('parses the two kinds the relay performs', () => {
    expect(parseOutboxJob(message)).toEqual(message)
    expect(parseOutboxJob(http)).toEqual(http)
    const templated = {
      ...message,
      mode: 'template',
      template: { name: 'cart_reminder', language: 'en', category: 'marketing', params: ['Ada'] },
    }
    expect(readOutboxJob(templated)).toEqual(templated)
  })

  it('rejects payloads the relay cannot rely on, naming the field', () => {
    expect(readOutboxJob({ ...message, kind: 'fax' })).toBeNull()
    expect(readOutboxJob({ ...message, to: undefined })).toBeNull()
    expect(readOutboxJob({ ...message, mode: 'carrier_pigeon' })).toBeNull()
    expect(readOutboxJob({ ...http, effect: { ...http.effect, method: 'TRACE' } })).toBeNull()
    expect(readOutboxJob(null)).toBeNull()
    expect(() => parseOutboxJob({ ...message, messageId: 42 })).toThrow(/messageId/)
  })
})
