// Text hygiene: NUL characters and unpaired UTF-16 surrogates. Postgres refuses NUL in text and jsonb and an
// unpaired surrogate in jsonb, which used to surface as a 500 after part of a request had run (a text column
// silently turned the surrogate into U+FFFD). Our own API refuses them with 400 naming the field: the router's
// validation hook checks every validated body, query and path (router.ts), readJsonBody the bodies read by
// hand. Verified provider webhooks are sanitized instead (webhook-body.ts), because a refusal would make the
// provider redeliver them for hours.
import { AppError } from './errors.ts'

/** A NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const UNSAFE_TEXT = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
const UNSAFE_TEXT_GLOBAL = new RegExp(UNSAFE_TEXT.source, 'g')

export const UNSAFE_TEXT_MESSAGE = 'Text may not contain NUL characters or unpaired surrogates'

export function isUnsafeText(text: string): boolean {
  return UNSAFE_TEXT.test(text)
}

/**
 * The path of the first string (object key or value, at any depth) that holds unsafe text.
 * @example findUnsafeText({ items: [{ title: 'a\u0000' }] }) → 'items.0.title'
 */
export function findUnsafeText(value: unknown): string | undefined {
  // Iterative, so a deeply nested body cannot overflow the stack; the path is only spelled out when found.
  const stack: Visit[] = [{ value }]
  while (stack.length > 0) {
    const visit = stack.pop() as Visit
    const current = visit.value
    if (typeof current === 'string') {
      if (isUnsafeText(current)) return pathOf(visit)
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], key: i, parent: visit })
    } else if (typeof current === 'object' && current !== null) {
      const entries = Object.entries(current)
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i] as [string, unknown]
        if (isUnsafeText(key)) return pathOf(visit, key)
        stack.push({ value: child, key, parent: visit })
      }
    }
  }
  return undefined
}

/** A string, array or object findUnsafeText walks through, and where it sits in its parent. */
interface Visit {
  value: unknown
  key?: string | number
  parent?: Visit
}

// At module level, not inside findUnsafeText: it runs for every validated request, and a closure made per call
// costs more than the walk over a small body (tsx names every such closure again on each call).
function pathOf(visit: Visit | undefined, last?: string): string {
  const keys: (string | number)[] = last === undefined ? [] : [last]
  for (let at = visit; at?.key !== undefined; at = at.parent) keys.push(at.key)
  return keys.reverse().join('.')
}

/** Throws 400 validation_failed naming the field when any string in `value` holds unsafe text. */
export function assertSafeText(value: unknown): void {
  const path = findUnsafeText(value)
  if (path === undefined) return
  throw new AppError(400, 'validation_failed', 'The request is not valid', [
    { path, message: UNSAFE_TEXT_MESSAGE },
  ])
}

/**
 * A copy of `value` with every NUL removed and every unpaired surrogate replaced by U+FFFD, keys included;
 * the same object when nothing needed cleaning.
 * @example sanitizeText({ text: 'hi\u0000\uD800' }) → { text: 'hi\uFFFD' }
 */
export function sanitizeText<T>(value: T): T {
  return findUnsafeText(value) === undefined ? value : (clean(value) as T)
}

/** Iterative like findUnsafeText: containers are copied on the way down and filled as their children are. */
function clean(root: unknown): unknown {
  let result: unknown
  const stack: { value: unknown; put: (cleaned: unknown) => void }[] = [
    { value: root, put: (cleaned) => (result = cleaned) },
  ]
  while (stack.length > 0) {
    const { value, put } = stack.pop() as (typeof stack)[number]
    if (typeof value === 'string') {
      put(cleanString(value))
    } else if (Array.isArray(value)) {
      const copy: unknown[] = new Array(value.length)
      put(copy)
      value.forEach((child, i) => {
        stack.push({ value: child, put: (cleaned) => (copy[i] = cleaned) })
      })
    } else if (typeof value === 'object' && value !== null) {
      const copy: Record<string, unknown> = {}
      put(copy)
      // Pushed last to first so the keys are defined in their original order.
      for (const [key, child] of Object.entries(value).reverse()) {
        // defineProperty, as JSON.parse does: a "__proto__" key stays a plain property.
        const define = (cleaned: unknown) =>
          Object.defineProperty(copy, cleanString(key), {
            value: cleaned,
            enumerable: true,
            writable: true,
            configurable: true,
          })
        stack.push({ value: child, put: define })
      }
    } else {
      put(value)
    }
  }
  return result
}

function cleanString(text: string): string {
  return text.replace(UNSAFE_TEXT_GLOBAL, (ch) => (ch === '\0' ? '' : '\uFFFD'))
}
