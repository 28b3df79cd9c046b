import { describe, expect, it } from 'vitest'
import { visitorMessageRequestSchema, visitorMessageSchema, visitorSocketEventSchema } from './webchat.ts'

const message = {
  id: '6f1c2a4e-8a59-4c1e-9d1c-0b8e5f8f9a11',
  conversationId: '0e2b7c0e-1f6f-4a55-9a59-2b0f8d5e6c22',
  direction: 'out',
  author: 'bot',
  body: {
    text: 'Here it is',
    product: { title: 'Linen shirt', price: '49.00' },
    media: [{ url: 'x', mimeType: 'image/jpeg' }],
  },
  status: 'delivered',
  createdAt: '2026-11-30T10:00:00.000Z',
  seq: 3,
}

describe('web-chat contracts', () => {
  it('a visitor message keeps body fields the widget does not draw (media, template)', () => {
    expect(visitorMessageSchema.parse(message).body).toEqual(message.body)
  })

  it('a visitor message needs text or a button id', () => {
    expect(visitorMessageRequestSchema.safeParse({ clientMessageId: 'a1', text: '  ' }).success).toBe(false)
    expect(visitorMessageRequestSchema.parse({ clientMessageId: 'a1', buttonId: 'yes' })).toEqual({
      clientMessageId: 'a1',
      text: '',
      buttonId: 'yes',
    })
  })

  it('socket events are told apart by type', () => {
    expect(visitorSocketEventSchema.parse({ type: 'message', message }).type).toBe('message')
    expect(
      visitorSocketEventSchema.safeParse({
        type: 'conversation',
        conversationId: message.id,
        status: 'closed',
      }).success,
    ).toBe(false)
  })
})
