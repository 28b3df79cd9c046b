// Link rewriting (pure): which parts of a message become redirects, in what order, and what stays untouched.
import { describe, expect, it } from 'vitest'
import { linkId, rewriteLinks } from './message-links.ts'

const redirect = (_: string, i: number) => `https://parley.test/r/link${i}`
const isRedirect = (url: string) => url.startsWith('https://parley.test/r/')

describe('rewriteLinks', () => {
  it('rewrites links in the text (keeping the sentence’s punctuation), the product card, link buttons and template parameters', () => {
    const out = rewriteLinks(
      {
        message: {
          text: 'Back to your cart: https://shop.example/cart/1. Or (https://shop.example/p/x)!',
          imageUrl: 'https://cdn.example/x.jpg',
          product: { title: 'X', url: 'https://shop.example/p/x', imageUrl: 'https://cdn.example/x.jpg' },
          buttons: [
            { id: 'yes', title: 'Yes' },
            { id: 'open', title: 'Open', url: 'https://shop.example/cart/1' } as {
              id: string
              title: string
            },
          ],
        },
        template: {
          name: 't',
          language: 'en',
          category: 'marketing',
          params: ['Maya', 'https://shop.example/cart/1'],
        },
      },
      redirect,
      isRedirect,
    )
    expect(out.message.text).toBe(
      'Back to your cart: https://parley.test/r/link0. Or (https://parley.test/r/link1)!',
    )
    expect(out.message.imageUrl).toBe('https://cdn.example/x.jpg')
    expect(out.message.product).toMatchObject({
      url: 'https://parley.test/r/link2',
      imageUrl: 'https://cdn.example/x.jpg',
    })
    expect(out.message.buttons).toEqual([
      { id: 'yes', title: 'Yes' },
      { id: 'open', title: 'Open', url: 'https://parley.test/r/link3' },
    ])
    expect(out.template?.params).toEqual(['Maya', 'https://parley.test/r/link4'])
    expect(out.targets).toEqual([
      'https://shop.example/cart/1',
      'https://shop.example/p/x',
      'https://shop.example/p/x',
      'https://shop.example/cart/1',
      'https://shop.example/cart/1',
    ])
  })

  it('leaves a message without links, and links that are already redirects, as they are', () => {
    const out = rewriteLinks(
      { message: { text: 'Thanks! See https://parley.test/r/abc and mailto:help@shop.example' } },
      redirect,
      isRedirect,
    )
    expect(out.targets).toEqual([])
    expect(out.message.text).toBe('Thanks! See https://parley.test/r/abc and mailto:help@shop.example')
  })
})

describe('linkId', () => {
  it('is url-safe, 22 characters, stable for a message and position, and different otherwise', () => {
    const a = linkId('secret', 'm1', 'msg-1', 0)
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(linkId('secret', 'm1', 'msg-1', 0)).toBe(a)
    expect(linkId('secret', 'm1', 'msg-1', 1)).not.toBe(a)
    expect(linkId('other', 'm1', 'msg-1', 0)).not.toBe(a)
  })
})
