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

  it('shows a link alone as a call-to-action button, and as a text line beside quick replies', () => {
    const link = { title: 'Return to cart', url: 'https://shop.example/cart/abc' }
    expect(
      toWhatsAppMessage('49', { text: 'Your cart is waiting', imageUrl: 'https://cdn/x.jpg', link }),
    ).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '49',
      type: 'interactive',
      interactive: {
        type: 'cta_url',
        header: { type: 'image', image: { link: 'https://cdn/x.jpg' } },
        body: { text: 'Your cart is waiting' },
        action: { name: 'cta_url', parameters: { display_text: 'Return to cart', url: link.url } },
      },
    })
    const withButtons = toWhatsAppMessage('49', {
      text: 'Still want it?',
      link,
      buttons: [{ id: 'yes', title: 'Yes' }],
    }) as { interactive: { type: string; body: { text: string } } }
    expect(withButtons.interactive.type).toBe('button')
    expect(withButtons.interactive.body.text).toBe(
      'Still want it?\n\nReturn to cart: https://shop.example/cart/abc',
    )
  })

  it('lists every card of a message with several products, with the first picture', () => {
    expect(
      toWhatsAppMessage('49', {
        text: 'You left these behind',
        products: [
          { title: 'Jeans', price: 80, currency: 'USD', imageUrl: 'https://cdn/jeans.jpg' },
          { title: 'Cap', price: 20, currency: 'USD', url: 'https://shop/cap' },
        ],
      }),
    ).toMatchObject({
      type: 'image',
      image: {
        link: 'https://cdn/jeans.jpg',
        caption: 'You left these behind\n\nJeans — $80.00\n\nCap — $20.00\nhttps://shop/cap',
      },
    })
  })
})
