// A deep copy of a value as JSON would give it back: `toJsonValue(v)` equals `JSON.parse(JSON.stringify(v))` for
// every value JSON.stringify accepts (toJSON called with its key, boxed primitives unwrapped, undefined and
// functions dropped from objects and null in arrays, non-finite numbers null, -0 as 0, `__proto__` an own key),
// without building the text and parsing it again. The stepper stores every run snapshot this way: the round trip
// through text was a third of a timer firing's step.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** @example const stored = toJsonValue(machine.getPersistedSnapshot(snapshot)) */
export function toJsonValue(value: unknown): Json {
  const copied = copy(value, '')
  if (copied === undefined) throw new TypeError('The value has no JSON form')
  return copied
}

/**
 * `toJsonValue(value)` for a value derived from `before`, JSON data (a stored run snapshot), without mutating it:
 * XState's `assign` copies the objects it changes, so an object of `value` that is the very object in the same
 * place of `before` is JSON data already and is kept as it is; only the paths that changed are copied. A timer's
 * step changes a few keys of the run's context and keeps its variables (the contact, the cart), which copying
 * took most of. The result shares those objects with `before`: neither may be mutated afterwards (no caller does:
 * snapshots are values).
 * @example const stored = toJsonValueFrom(machine.getPersistedSnapshot(next), previous)
 */
export function toJsonValueFrom(value: unknown, before: unknown): Json {
  const copied = copyFrom(value, before, '')
  if (copied === undefined) throw new TypeError('The value has no JSON form')
  return copied
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function copyFrom(value: unknown, before: unknown, key: string): Json | undefined {
  // Primitives go through `copy` (a -0 or NaN of `before` would not be JSON's).
  if (value === before && value !== null && typeof value === 'object') return value as Json
  if (Array.isArray(value) && Array.isArray(before)) {
    const out: Json[] = new Array(value.length)
    for (let i = 0; i < value.length; i++) out[i] = copyFrom(value[i], before[i], String(i)) ?? null
    return out
  }
  if (isPlainObject(value) && isPlainObject(before) && typeof value.toJSON !== 'function') {
    const out: { [key: string]: Json } = {}
    for (const k of Object.keys(value)) {
      // `before.__proto__` would be its prototype unless it is an own key: never shared.
      const v = k === '__proto__' ? copy(value[k], k) : copyFrom(value[k], before[k], k)
      if (v === undefined) continue
      if (k === '__proto__')
        Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true })
      else out[k] = v
    }
    return out
  }
  return copy(value, key)
}

function copy(input: unknown, key: string): Json | undefined {
  let value = input
  if (value !== null && (typeof value === 'object' || typeof value === 'bigint')) {
    const toJSON = (value as { toJSON?: unknown }).toJSON
    if (typeof toJSON === 'function') value = toJSON.call(value, key)
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value
    case 'number':
      return Number.isFinite(value) ? (value === 0 ? 0 : value) : null
    case 'object': {
      if (value === null) return null
      if (Array.isArray(value)) {
        const out: Json[] = new Array(value.length)
        for (let i = 0; i < value.length; i++) out[i] = copy(value[i], String(i)) ?? null
        return out
      }
      const proto = Object.getPrototypeOf(value)
      // Boxed primitives and other exotic objects: as JSON itself does, by the text (rare in a snapshot).
      if (proto !== Object.prototype && proto !== null) return JSON.parse(JSON.stringify(value)) as Json
      const out: { [key: string]: Json } = {}
      for (const k of Object.keys(value)) {
        const v = copy((value as Record<string, unknown>)[k], k)
        if (v === undefined) continue
        if (k === '__proto__')
          Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true })
        else out[k] = v
      }
      return out
    }
    case 'bigint':
      // What JSON.stringify throws.
      return JSON.parse(JSON.stringify(value)) as Json
    default:
      return undefined
  }
}
