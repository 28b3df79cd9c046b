import { describe, expect, it } from 'vitest'
import { publishWarnings } from './connected-channels.ts'

describe('publishWarnings', () => {
  it('names each channel of the flow that is not connected, in plain words', () => {
    expect(publishWarnings(['webchat', 'whatsapp', 'telegram'], new Set(['webchat', 'shopify']))).toEqual([
      'WhatsApp is not connected: this flow reaches no one there until the owner connects it on the Channels screen.',
      'Telegram is not connected: this flow reaches no one there until the owner connects it on the Channels screen.',
    ])
    expect(publishWarnings(['webchat'], new Set(['webchat']))).toEqual([])
  })
})
