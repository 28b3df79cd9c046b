import { describe, expect, it, vi } from 'vitest'
import { formatPrice, renderMessage, safeImageUrl, safeLinkUrl } from './render-message.ts'
import type { WidgetMessage } from './types.ts'

const base = 'https://store.example/'

function message(body: WidgetMessage['body'], overrides: Partial<WidgetMessage> = {}): WidgetMessage {
  return {
    id: 'm1',
    conversationId: 'c1',
    direction: 'out',
    author: 'bot',
    body,
    status: 'delivered',
    createdAt: '2025-06-01T10:00:00.000Z',
    seq: 1,
    ...overrides,
  }
}

const render = (m: WidgetMessage, interactive = true, onButton = vi.fn()) =>
  renderMessage(m, { interactive, onButton, baseUrl: base })

describe('renderMessage', () => {
  it('renders text as text, never as markup', () => {
    const node = render(message({ text: 'Hi <b>there</b>\nsecond line' }))
    expect(node.querySelector('.message-text')?.textContent).toBe('Hi <b>there</b>\nsecond line')
    expect(node.querySelector('b')).toBeNull()
    expect(node.classList.contains('from-store')).toBe(true)
  })

  it('links http(s) URLs in text and leaves the rest as text', () => {
    const node = render(
      message({ text: 'Back to your cart: https://store.example/cart?x=1. See you <soon>' }),
    )
    const link = node.querySelector<HTMLAnchorElement>('.message-text a')!
    expect(link.href).toBe('https://store.example/cart?x=1')
    expect(node.querySelector('.message-text')?.textContent).toBe(
      'Back to your cart: https://store.example/cart?x=1. See you <soon>',
    )
    expect(render(message({ text: 'javascript:alert(1)' })).querySelector('a')).toBeNull()
  })

  it("puts the shopper's own message on the visitor side", () => {
    const node = render(message({ text: 'Where is my order?' }, { direction: 'in', author: 'shopper' }))
    expect(node.classList.contains('from-visitor')).toBe(true)
  })

  it('marks staff messages', () => {
    expect(render(message({ text: 'Hi, Sam here' }, { author: 'staff' })).classList).toContain('from-staff')
  })

  it('renders an image with alt text', () => {
    const img = render(message({ text: 'Look', imageUrl: 'https://cdn.example/tee.png' })).querySelector(
      'img',
    )
    expect(img?.getAttribute('src')).toBe('https://cdn.example/tee.png')
    expect(img?.alt).toBe('Picture')
  })

  it('renders a product card with a formatted price and a safe link', () => {
    const node = render(
      message({
        text: 'Still available',
        product: {
          title: 'Organic Cotton Tee',
          imageUrl: 'data:image/svg+xml;utf8,%3Csvg%3E%3C/svg%3E',
          price: 24,
          currency: 'USD',
          url: '/demo/products/tee-organic',
        },
      }),
    )
    const card = node.querySelector('.product-card')!
    expect(card.querySelector('.product-title')?.textContent).toBe('Organic Cotton Tee')
    expect(card.querySelector('.product-price')?.textContent).toMatch(/24\.00/)
    expect(card.querySelector('img')?.alt).toBe('Organic Cotton Tee')
    expect(card.querySelector('a')?.getAttribute('href')).toBe(
      'https://store.example/demo/products/tee-organic',
    )
  })

  it('shows the picture once when the image and the product card share it', () => {
    const picture = 'https://cdn.example/tote.png'
    const node = render(message({ imageUrl: picture, product: { title: 'Tote', imageUrl: picture } }))
    expect(node.querySelectorAll('img')).toHaveLength(1)
    expect(node.querySelector('.product-card img')).toBeNull()
  })

  it('shows several products side by side as a labelled list, each with its picture, price and link', () => {
    const node = render(
      message({
        text: 'You left these behind',
        products: [
          {
            title: 'Jeans',
            imageUrl: 'https://cdn.example/jeans.png',
            price: 80,
            currency: 'USD',
            url: '/p/jeans',
          },
          { title: 'Cap', price: 20, currency: 'USD', url: 'javascript:alert(1)' },
        ],
        link: { title: 'Return to cart', url: '/cart/abc' },
      }),
    )
    const carousel = node.querySelector('.product-carousel')!
    expect(carousel.getAttribute('role')).toBe('list')
    expect(carousel.getAttribute('aria-label')).toBe('2 products')
    const cards = [...carousel.querySelectorAll('[role="listitem"]')]
    expect(cards.map((c) => c.querySelector('.product-title')?.textContent)).toEqual(['Jeans', 'Cap'])
    expect(cards[0]!.querySelector('img')?.getAttribute('src')).toBe('https://cdn.example/jeans.png')
    expect(cards[0]!.querySelector('a')?.getAttribute('href')).toBe('https://store.example/p/jeans')
    expect(cards[1]!.querySelector('a')).toBeNull()
    expect(
      node.querySelector('.link-button, a[href="https://store.example/cart/abc"]')?.textContent,
    ).toContain('Return to cart')
  })

  it('drops a javascript: product link', () => {
    const node = render(message({ product: { title: 'X', url: 'javascript:alert(1)' } }))
    expect(node.querySelector('a')).toBeNull()
  })

  it('renders up to three quick replies that call back with the button', () => {
    const onButton = vi.fn()
    const buttons = [
      { id: 'yes', title: 'Yes please' },
      { id: 'no', title: 'No thanks' },
      { id: 'later', title: 'Later' },
      { id: 'extra', title: 'Extra' },
    ]
    const node = render(message({ text: 'Want it?', buttons }), true, onButton)
    const rendered = [...node.querySelectorAll<HTMLButtonElement>('.quick-reply')]
    expect(rendered.map((b) => b.textContent)).toEqual(['Yes please', 'No thanks', 'Later'])
    expect(node.querySelector('[role="group"]')?.getAttribute('aria-label')).toBe('Quick replies')
    rendered[1]!.click()
    expect(onButton).toHaveBeenCalledWith({ id: 'no', title: 'No thanks' })
  })

  it('disables quick replies on an older message', () => {
    const node = render(message({ text: 'Want it?', buttons: [{ id: 'y', title: 'Yes' }] }), false)
    expect(node.querySelector<HTMLButtonElement>('.quick-reply')?.disabled).toBe(true)
  })

  it('shows the time', () => {
    expect(render(message({ text: 'x' })).querySelector('time')?.dateTime).toBe('2025-06-01T10:00:00.000Z')
  })
})

describe('URL and price helpers', () => {
  it('accepts http(s) and relative links only', () => {
    expect(safeLinkUrl('https://a.example/x', base)).toBe('https://a.example/x')
    expect(safeLinkUrl('/p', base)).toBe('https://store.example/p')
    expect(safeLinkUrl('javascript:alert(1)', base)).toBeNull()
    expect(safeLinkUrl('data:text/html,hi', base)).toBeNull()
  })

  it('accepts data:image pictures but no other data URLs', () => {
    expect(safeImageUrl('data:image/png;base64,AAAA', base)).toBe('data:image/png;base64,AAAA')
    expect(safeImageUrl('data:text/html;base64,AAAA', base)).toBeNull()
  })

  it('formats prices given as numbers or decimal strings', () => {
    expect(formatPrice('59.00', 'USD')).toMatch(/59\.00/)
    expect(formatPrice(5, undefined)).toBe('5.00')
    expect(formatPrice('', 'USD')).toBeNull()
    expect(formatPrice('abc', 'USD')).toBeNull()
  })
})

describe('link buttons', () => {
  it('turns a message ending in its only URL into the text and a button named for the page', () => {
    const node = render(message({ text: 'Your cart is saved: https://store.example/cart/c1?key=2' }))
    expect(node.querySelector('.message-text')?.textContent).toBe('Your cart is saved')
    const button = node.querySelector<HTMLAnchorElement>('a.link-button')!
    expect(button.textContent).toBe('Return to cart')
    expect(button.href).toBe('https://store.example/cart/c1?key=2')
    expect(
      render(message({ text: 'Track it https://store.example/orders/9' })).querySelector('.link-button')
        ?.textContent,
    ).toBe('View your order')
  })

  it('keeps a URL mid-sentence inline, and never links a script URL', () => {
    const node = render(message({ text: 'See https://store.example/a and https://store.example/b' }))
    expect(node.querySelector('.link-button')).toBeNull()
    expect(node.querySelectorAll('.message-text a')).toHaveLength(2)
    const bad = render(
      message({ text: 'Open', link: { title: 'Return to cart', url: 'javascript:alert(1)' } }),
    )
    expect(bad.querySelector('a')).toBeNull()
  })

  it("renders a message's own link button", () => {
    const node = render(message({ text: 'Still there?', link: { title: 'Return to cart', url: '/cart' } }))
    const button = node.querySelector<HTMLAnchorElement>('a.link-button')!
    expect(button.textContent).toBe('Return to cart')
    expect(button.href).toBe('https://store.example/cart')
  })
})
