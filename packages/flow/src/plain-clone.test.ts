import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { plainClone } from './plain-clone.ts'
import { PROPERTY_RUNS, PROPERTY_TIMEOUT_MS } from './test-support/property-runs.ts'

/** Plain data with what structuredClone keeps and JSON would not: undefined, -0, NaN, bigint. */
const plain = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.double(),
    fc.constantFrom(undefined, null, true, false, -0, Number.NaN, Number.POSITIVE_INFINITY),
    fc.bigInt(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(fc.string(), fc.constantFrom('__proto__', '0', '10', 'constructor')),
      tie('value'),
      {
        maxKeys: 4,
      },
    ),
  ),
})).value

/** Deep equality that also compares key order, own keys (`__proto__` included) and prototypes. */
function expectSameAs(actual: unknown, expected: unknown): void {
  if (expected === null || typeof expected !== 'object') {
    expect(Object.is(actual, expected), `${String(actual)} is ${String(expected)}`).toBe(true)
    return
  }
  expect(typeof actual).toBe('object')
  expect(Object.getPrototypeOf(actual)).toBe(Object.getPrototypeOf(expected))
  if (expected instanceof Date) expect((actual as Date).getTime()).toBe(expected.getTime())
  if (expected instanceof Map) expect([...(actual as Map<unknown, unknown>)]).toEqual([...expected])
  if (expected instanceof String) expect(String(actual)).toBe(String(expected))
  expect(Reflect.ownKeys(actual as object)).toEqual(Reflect.ownKeys(expected))
  for (const key of Reflect.ownKeys(expected)) {
    expectSameAs(
      (actual as Record<PropertyKey, unknown>)[key],
      (expected as Record<PropertyKey, unknown>)[key],
    )
  }
}

describe('plainClone', () => {
  it(
    'gives what structuredClone gives for plain data, as a new copy',
    () => {
      fc.assert(
        fc.property(plain, (value) => {
          const copied = plainClone(value)
          expectSameAs(copied, structuredClone(value))
          if (value !== null && typeof value === 'object') expect(copied).not.toBe(value)
        }),
        { numRuns: PROPERTY_RUNS },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )

  it('copies a send effect deeply, undefined keys kept', () => {
    const effect = {
      type: 'send',
      nodeId: 'n1',
      message: { text: 'Hi', buttons: [{ id: 'b1', title: 'Yes' }], whatsappTemplate: undefined },
      purpose: 'service',
    }
    const copied = plainClone(effect)
    expectSameAs(copied, structuredClone(effect))
    expect(Object.hasOwn(copied.message, 'whatsappTemplate')).toBe(true)
    expect(copied.message.buttons).not.toBe(effect.message.buttons)
    expect(copied.message.buttons[0]).not.toBe(effect.message.buttons[0])
  })

  it("keeps an own __proto__ key an own key, the copy's prototype untouched", () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>
    const copied = plainClone(value)
    expect(Object.getPrototypeOf(copied)).toBe(Object.prototype)
    expect(Object.hasOwn(copied, '__proto__')).toBe(true)
    expectSameAs(copied, structuredClone(value))
  })

  it('leaves what is not plain data to structuredClone: its copy, or its error', () => {
    const shared = { id: 'x' }
    const cyclic: Record<string, unknown> = { a: 1 }
    cyclic.self = cyclic
    const holey: number[] = [1, 2, 3]
    delete holey[1]
    const extra = Object.assign([1, 2], { note: 'kept' })
    const bare = Object.assign(Object.create(null) as object, { a: 1 })
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    for (const value of [
      { at: new Date(5) },
      { map: new Map([['a', 1]]) },
      { twice: [shared, shared] },
      { holey },
      { extra },
      { bare },
      { point: new Point(1, 2) },
      { boxed: new String('s') },
    ]) {
      expectSameAs(plainClone(value), structuredClone(value))
    }
    const copiedTwice = plainClone({ twice: [shared, shared] })
    expect(copiedTwice.twice[0]).toBe(copiedTwice.twice[1])
    const copiedCycle = plainClone(cyclic)
    expect(copiedCycle.self).toBe(copiedCycle)
    expect(plainClone({ holey }).holey).toHaveLength(3)
    expect(1 in plainClone({ holey }).holey).toBe(false)
    expect(() => plainClone({ f: () => 1 })).toThrow(expect.objectContaining({ name: 'DataCloneError' }))
    expect(() => plainClone({ s: Symbol('s') })).toThrow(expect.objectContaining({ name: 'DataCloneError' }))
    expect(plainClone('text')).toBe('text')
    expect(plainClone(undefined)).toBeUndefined()
  })
})
