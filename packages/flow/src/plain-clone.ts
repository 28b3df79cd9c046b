// `structuredClone(value)` for plain data (what a step's effects are made of: objects, arrays, strings, numbers,
// booleans, null, undefined), copied directly. Node's structuredClone serialises the value and reads it back through
// V8's value serializer, a few microseconds for one send effect, paid for every effect of every step (a timer's
// reminder, each reply to a shopper). Anything else in the value (a Date, a Map, a class instance, an object without
// a prototype, an array with holes or extra keys, one object in two places, a function or symbol) hands the whole
// value to structuredClone itself, so the answer (or the DataCloneError) is always structuredClone's.

/** Returned by `copy` when the value is not plain data. */
const NOT_PLAIN: unique symbol = Symbol('not plain')

/**
 * @example effects.push(plainClone(params as Effect))
 */
export function plainClone<T>(value: T): T {
  if (value === null || typeof value !== 'object') return structuredClone(value)
  const copied = copy(value, new Set())
  return copied === NOT_PLAIN ? structuredClone(value) : (copied as T)
}

function copy(value: unknown, seen: Set<object>): unknown {
  if (value === null) return null
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'undefined':
    case 'bigint':
      return value
    case 'object':
      break
    default:
      // A function or symbol: structuredClone throws.
      return NOT_PLAIN
  }
  const object = value as object
  // An object met twice: structuredClone keeps it one object in both places (and handles a cycle).
  if (seen.has(object)) return NOT_PLAIN
  seen.add(object)
  const proto = Object.getPrototypeOf(object)
  if (proto === Array.prototype) {
    const array = object as unknown[]
    const n = array.length
    const out: unknown[] = new Array(n)
    for (let i = 0; i < n; i++) {
      // A hole stays a hole in structuredClone's copy.
      if (!(i in array)) return NOT_PLAIN
      const item = copy(array[i], seen)
      if (item === NOT_PLAIN) return NOT_PLAIN
      out[i] = item
    }
    // Every index is there, so more keys are other properties, which structuredClone copies too.
    return Object.keys(array).length === n ? out : NOT_PLAIN
  }
  if (proto !== Object.prototype) return NOT_PLAIN
  const source = object as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(source)) {
    const item = copy(source[key], seen)
    if (item === NOT_PLAIN) return NOT_PLAIN
    // An own `__proto__` key stays an own key (assigned, it would set the prototype).
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true })
    else out[key] = item
  }
  return out
}
