import { describe, expect, it } from 'vitest'
import { toWhatsAppMessage } from './whatsapp-payload.ts'

describe('toWhatsAppMessage', () => {
  it('sends an image with the text as caption', () => {
    expect(toWhatsAppMessage('49', { text: 'Still available', imageUrl: 'https://cdn/x.jpg' })).toMatchObject(
      {
        type: 'image',
        image: { link: 'https://cdn/x.jpg', caption: 'Still available' },
      },
    )
  })

  it('sends up to three reply buttons with titles cut to 20 and the image as header', () => {
    const message = toWhatsAppMessage('49', {
      text: 'Complete your order?',
      product: {
        title: 'Blue mug',
        price: 12.5,
        currency: 'EUR',
        imageUrl: 'https://cdn/mug.jpg',
        url: 'https://shop/mug',
      },
      buttons: [
        { id: 'buy', title: 'Take me to checkout now please' },
        { id: 'later', title: 'Later' },
      ],
    })
    expect(message).toMatchObject({
      type: 'interactive',
      interactive: {
        type: 'button',
        header: { type: 'image', image: { link: 'https://cdn/mug.jpg' } },
        body: { text: 'Complete your order?\n\nBlue mug — €12.50\nhttps://shop/mug' },
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'buy', title: 'Take me to checkout…' } },
            { type: 'reply', reply: { id: 'later', title: 'Later' } },
          ],
        },
      },
    })
    const titles = (
      message as { interactive: { action: { buttons: { reply: { title: string } }[] } } }
    ).interactive.action.buttons.map((b) => Array.from(b.reply.title).length)
    expect(Math.max(...titles)).toBeLessThanOrEqual(20)
  })

  it('turns more than three choices into a list message', () => {
    const buttons = ['S', 'M', 'L', 'XL'].map((size) => ({ id: size, title: size }))
    expect(toWhatsAppMessage('49', { text: 'Which size?', buttons })).toMatchObject({
      type: 'interactive',
      interactive: { type: 'list', action: { sections: [{ rows: buttons }] } },
    })
  })

  it('omits components for a template without parameters', () => {
    const message = toWhatsAppMessage(
      '49',
      { text: '' },
      { name: 'hello', language: 'en', category: 'utility', params: [] },
    )
    expect(message).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '49',
      type: 'template',
      template: { name: 'hello', language: { code: 'en' } },
    })
  })
})
