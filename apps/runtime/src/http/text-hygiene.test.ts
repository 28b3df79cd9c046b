import { describe, expect, it } from 'vitest'
import { AppError } from './errors.ts'
import { assertSafeText, findUnsafeText, isUnsafeText, sanitizeText } from './text-hygiene.ts'

describe('text hygiene', () => {
  it('finds NUL and unpaired surrogates, and accepts paired ones', () => {
    expect(isUnsafeText('a\u0000b')).toBe(true)
    expect(isUnsafeText('\uD800')).toBe(true)
    expect(isUnsafeText('x\uDC00')).toBe(true)
    expect(isUnsafeText('\uDC00\uD800')).toBe(true)
    expect(isUnsafeText('emoji 😀, é, ü, 中文, \u0001\t\n')).toBe(false)
    expect(isUnsafeText('\uD83D\uDE00')).toBe(false)
  })

  it('names the first offending field at any depth, keys included', () => {
    expect(findUnsafeText({ a: 'fine', items: [{ title: 'ok' }, { title: 'a\u0000' }] })).toBe(
      'items.1.title',
    )
    expect(findUnsafeText({ nested: { 'k\uD800': 1 } })).toBe('nested.k\uD800')
    expect(findUnsafeText('\u0000')).toBe('')
    expect(findUnsafeText({ a: [1, true, null, 'x'], b: { c: 'y' } })).toBeUndefined()
  })

  it('walks a deeply nested value without recursion', () => {
    const depth = 200_000
    const deep = JSON.parse(`${'['.repeat(depth)}"\\u0000"${']'.repeat(depth)}`)
    expect(findUnsafeText(deep)).toBe(Array(depth).fill(0).join('.'))
    const cleaned = sanitizeText(deep) as unknown[]
    let inner: unknown = cleaned
    for (let i = 0; i < depth; i++) inner = (inner as unknown[])[0]
    expect(inner).toBe('')
  })

  it('assertSafeText throws 400 validation_failed naming the field', () => {
    expect(() => assertSafeText({ text: 'ok' })).not.toThrow()
    try {
      assertSafeText({ text: 'a\u0000' })
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(AppError)
      expect((error as AppError).status).toBe(400)
      expect((error as AppError).toJSON().error).toMatchObject({
        code: 'validation_failed',
        details: [{ path: 'text', message: expect.stringContaining('NUL') }],
      })
    }
  })

  it('sanitizes: NUL removed, unpaired surrogates replaced, everything else kept in order', () => {
    const value = { 'k\u0000ey': ['hi\u0000 there', '\uD800x', 5, null], ok: '😀', __proto__x: 'z' }
    expect(sanitizeText(value)).toEqual({ key: ['hi there', '\uFFFDx', 5, null], ok: '😀', __proto__x: 'z' })
    expect(Object.keys(sanitizeText({ b: '\u0000', a: 1 }))).toEqual(['b', 'a'])
    const untouched = { a: 'fine' }
    expect(sanitizeText(untouched)).toBe(untouched)
  })

  it('keeps a "__proto__" key a plain property', () => {
    const parsed = JSON.parse('{"__proto__":{"polluted":"\\u0000"}}')
    const cleaned = sanitizeText(parsed) as Record<string, unknown>
    expect(Object.hasOwn(cleaned, '__proto__')).toBe(true)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.getPrototypeOf(cleaned)).toBe(Object.prototype)
  })

  it('agrees with the definition on every short string over the characters that matter', () => {
    // Every string up to 4 code units long over: plain, NUL, high and low surrogates.
    const alphabet = ['a', '\u0000', '\uD800', '\uDBFF', '\uDC00', '\uDFFF']
    let strings = ['']
    const all = ['']
    for (let length = 1; length <= 4; length++) {
      strings = strings.flatMap((prefix) => alphabet.map((ch) => prefix + ch))
      all.push(...strings)
    }
    for (const text of all) {
      // Safe means: no NUL, and the string survives a UTF-8 round trip unchanged (unpaired surrogates do not).
      const unsafe = text.includes('\u0000') || Buffer.from(text, 'utf8').toString('utf8') !== text
      expect(isUnsafeText(text), JSON.stringify(text)).toBe(unsafe)
      const cleaned = sanitizeText({ [text]: text }) as Record<string, string>
      expect(findUnsafeText(cleaned)).toBeUndefined()
      if (!unsafe) expect(cleaned[text]).toBe(text)
      // Pairs are judged before NULs are removed: "\uD800\u0000\uDC00" does not become one character.
      else
        expect(Object.values(cleaned)[0]).toBe(Buffer.from(text, 'utf8').toString().replaceAll('\u0000', ''))
    }
  })
})
