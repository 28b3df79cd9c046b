import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { toJsonValue, toJsonValueFrom } from './json-value.ts'
import { PROPERTY_RUNS, PROPERTY_TIMEOUT_MS } from './test-support/property-runs.ts'

const roundTrip = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown

/** What a run's context can hold besides plain JSON: dates, undefined, odd numbers, boxed values, toJSON. */
const odd = fc.oneof(
  fc.constant(undefined),
  fc.constant(Number.NaN),
  fc.constant(Number.POSITIVE_INFINITY),
  fc.constant(-0),
  fc.date({ noInvalidDate: true }),
  fc.constant(() => 'a function'),
  fc.constant(Symbol('s')),
  fc.constant(new Number(7)),
  fc.constant(new String('boxed')),
  fc.constant(new Map([['a', 1]])),
  fc.constant({ toJSON: (key: string) => ({ key }) }),
  fc.constant(Object.create(null, { x: { value: 1, enumerable: true } })),
)

const anything = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 2 }),
    odd,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', '0', '10', 'toString')), tie('value'), {
      maxKeys: 4,
    }),
  ),
})).value

describe('toJsonValue', () => {
  it(
    'equals the JSON round trip, key order included',
    () => {
      fc.assert(
        fc.property(fc.dictionary(fc.string(), anything, { maxKeys: 5 }), (value) => {
          const copied = toJsonValue(value)
          expect(copied).toStrictEqual(roundTrip(value))
          expect(JSON.stringify(copied)).toBe(JSON.stringify(value))
        }),
        { numRuns: PROPERTY_RUNS },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )

  it('keeps `__proto__` an own key and never changes the prototype', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "a": [1, -0, null]}') as unknown
    const copied = toJsonValue(value) as Record<string, unknown>
    expect(Object.getPrototypeOf(copied)).toBe(Object.prototype)
    expect(Object.keys(copied)).toEqual(['__proto__', 'a'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(copied).toStrictEqual(roundTrip(value))
  })

  it('is a copy: changing it leaves the original alone', () => {
    const original = { vars: { cart: { items: [{ qty: 1 }] } } }
    const copied = toJsonValue(original) as typeof original
    copied.vars.cart.items[0]!.qty = 2
    expect(original.vars.cart.items[0]!.qty).toBe(1)
  })

  it('throws where JSON.stringify throws or gives nothing', () => {
    expect(() => toJsonValue({ n: 1n })).toThrow(TypeError)
    expect(() => toJsonValue(undefined)).toThrow(TypeError)
  })
})

/** `value` with the value at `path` replaced, copying only the objects on the path (as XState's `assign` does). */
function setIn(value: unknown, path: readonly string[], next: unknown): unknown {
  if (path.length === 0) return next
  const [key, ...rest] = path as [string, ...string[]]
  if (Array.isArray(value)) {
    const index = Number(key) % Math.max(1, value.length)
    const out = [...value]
    out[index] = setIn(value[index], rest, next)
    return out
  }
  const base = value !== null && typeof value === 'object' ? value : {}
  const out = { ...base } as Record<string, unknown>
  if (key === '__proto__') Object.defineProperty(out, key, { value: next, enumerable: true, writable: true })
  else out[key] = setIn((base as Record<string, unknown>)[key], rest, next)
  return out
}

describe('toJsonValueFrom', () => {
  const edit = fc.record({
    path: fc.array(fc.oneof(fc.constantFrom('vars', 'cart', 'items', '0', '1', '__proto__'), fc.string()), {
      maxLength: 3,
    }),
    next: anything,
  })

  it(
    'equals the JSON round trip of a value derived from JSON data by copying edits, key order included',
    () => {
      fc.assert(
        fc.property(
          fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }),
          fc.array(edit, { maxLength: 3 }),
          (stored, edits) => {
            const before = roundTrip(stored)
            const text = JSON.stringify(before)
            const value = edits.reduce<unknown>((v, e) => setIn(v, e.path, e.next), before)
            if (JSON.stringify(value) === undefined) return
            const copied = toJsonValueFrom(value, before)
            expect(copied).toStrictEqual(roundTrip(value))
            expect(JSON.stringify(copied)).toBe(JSON.stringify(value))
            // `before` is left as it was.
            expect(JSON.stringify(before)).toBe(text)
          },
        ),
        { numRuns: PROPERTY_RUNS },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )

  it('keeps the objects the value shares with `before`, copies the ones that changed', () => {
    const before = JSON.parse('{"vars":{"contact":{"id":"c1"},"cart":{"items":[{"qty":1}]}},"outcome":null}')
    const value = {
      ...before,
      vars: { ...before.vars, reply: new Date(0) },
      outcome: 'completed',
      gone: undefined,
    }
    const copied = toJsonValueFrom(value, before) as typeof before
    expect(copied).toStrictEqual({
      vars: { contact: { id: 'c1' }, cart: { items: [{ qty: 1 }] }, reply: '1970-01-01T00:00:00.000Z' },
      outcome: 'completed',
    })
    expect(copied.vars.contact).toBe(before.vars.contact)
    expect(copied.vars.cart).toBe(before.vars.cart)
    expect(copied.vars).not.toBe(before.vars)
    expect(copied).not.toBe(value)
  })

  it('copies what has no JSON form even where `before` had the same key', () => {
    const before = { a: { n: 1 }, b: [1, 2] }
    const value = { a: { n: -0, d: new Date(1) }, b: [1, undefined, Number.NaN] }
    expect(toJsonValueFrom(value, before)).toStrictEqual(roundTrip(value))
    expect(() => toJsonValueFrom(undefined, before)).toThrow(TypeError)
  })
})
