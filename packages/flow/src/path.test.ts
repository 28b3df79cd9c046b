import { describe, expect, it } from 'vitest'
import { isValidPath, PathSyntaxError, parsePath, resolvePath } from './path.ts'

describe('parsePath', () => {
  it('splits dots and list positions', () => {
    expect(parsePath('cart.items[0].title')).toEqual(['cart', 'items', 0, 'title'])
    expect(parsePath('contact')).toEqual(['contact'])
    expect(parsePath('a[12][3].b_c')).toEqual(['a', 12, 3, 'b_c'])
  })

  it('accepts quoted keys', () => {
    expect(parsePath('answer["shoe size"]')).toEqual(['answer', 'shoe size'])
    expect(parsePath("answer['x']")).toEqual(['answer', 'x'])
  })

  it.each(['', '.a', 'a.', 'a..b', '1a', 'a[', 'a[x]', 'a[-1]', 'a[0', 'a b', 'a["x]', 'a[""]', 'a()'])(
    'rejects %j',
    (path) => {
      expect(() => parsePath(path)).toThrow(PathSyntaxError)
      expect(isValidPath(path)).toBe(false)
    },
  )

  it.each(['__proto__', 'a.constructor', 'a.prototype.b', 'a["__proto__"]'])('rejects %j', (path) => {
    expect(() => parsePath(path)).toThrow(/not allowed/)
  })
})

describe('resolvePath', () => {
  const scope = {
    contact: { name: 'Ada', tags: ['vip'] },
    cart: { items: [{ title: 'Blue mug', price: 12 }], total: 49.9 },
  }

  it('reads nested values', () => {
    expect(resolvePath(scope, 'contact.name')).toBe('Ada')
    expect(resolvePath(scope, 'cart.items[0].title')).toBe('Blue mug')
    expect(resolvePath(scope, ['cart', 'total'])).toBe(49.9)
    expect(resolvePath(scope, 'contact.tags[0]')).toBe('vip')
  })

  it('returns undefined for missing steps and malformed paths', () => {
    expect(resolvePath(scope, 'cart.items[3].title')).toBeUndefined()
    expect(resolvePath(scope, 'order.number')).toBeUndefined()
    expect(resolvePath(scope, 'contact.name.first')).toBeUndefined()
    expect(resolvePath(scope, 'cart.items.title')).toBeUndefined()
    expect(resolvePath(scope, 'cart..x')).toBeUndefined()
    expect(resolvePath(null, 'a')).toBeUndefined()
  })

  it('never reads inherited properties', () => {
    expect(resolvePath(scope, 'contact.toString')).toBeUndefined()
    expect(resolvePath(scope, 'contact.hasOwnProperty')).toBeUndefined()
    expect(resolvePath(scope, ['contact', '__proto__'])).toBeUndefined()
    expect(resolvePath(scope, 'contact.tags.length')).toBeUndefined()
  })
})
