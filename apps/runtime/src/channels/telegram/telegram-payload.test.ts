import { describe, expect, it } from 'vitest'
import { toTelegramCall } from './telegram-payload.ts'

describe('toTelegramCall', () => {
  it('puts a link button under the message, after its quick replies', () => {
    const call = toTelegramCall('42', {
      text: 'Linen Shirt and 2 more are waiting',
      buttons: [{ id: 'later', title: 'Later' }],
      link: { title: 'Return to cart', url: 'https://shop.example/cart/abc' },
    })
    expect(call).toEqual({
      method: 'sendMessage',
      body: {
        chat_id: '42',
        text: 'Linen Shirt and 2 more are waiting',
        reply_markup: {
          inline_keyboard: [
            [{ text: 'Later', callback_data: 'later' }],
            [{ text: 'Return to cart', url: 'https://shop.example/cart/abc' }],
          ],
        },
      },
    })
  })

  it('sends several cards as one photo (the first) with every card in the caption', () => {
    const call = toTelegramCall('42', {
      text: 'You left these behind',
      products: [
        { title: 'Jeans', price: 80, currency: 'USD', imageUrl: 'https://cdn/jeans.jpg' },
        { title: 'Cap', price: 20, currency: 'USD' },
      ],
    })
    expect(call).toEqual({
      method: 'sendPhoto',
      body: {
        chat_id: '42',
        photo: 'https://cdn/jeans.jpg',
        caption: 'You left these behind\n\nJeans — $80.00\n\nCap — $20.00',
      },
    })
  })
})
