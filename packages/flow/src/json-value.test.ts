import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { toJsonValue } from './json-value.ts'
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
