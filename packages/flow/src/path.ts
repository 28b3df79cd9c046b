// Variable paths such as `cart.items[0].title`: a tiny hand-written parser and a safe resolver.
// Paths come from merchants' templates and conditions, so nothing here evaluates code or walks prototypes.

export type PathSegment = string | number

/** Segments that would reach into an object's prototype chain; never allowed in a path. */
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype'])

const IDENT_START = /[A-Za-z_]/
const IDENT_PART = /[A-Za-z0-9_]/

export class PathSyntaxError extends Error {
  override name = 'PathSyntaxError'
  constructor(
    message: string,
    /** Character offset in the path where the problem is. */
    readonly index: number,
  ) {
    super(message)
  }
}

/**
 * Parses a variable path into its segments; throws PathSyntaxError when the path is malformed.
 * @example parsePath('cart.items[0].title') // ['cart', 'items', 0, 'title']
 */
export function parsePath(path: string): PathSegment[] {
  if (path.length === 0) throw new PathSyntaxError('The variable name is empty', 0)
  const segments: PathSegment[] = []
  let i = readIdent(path, 0)
  pushSegment(segments, path.slice(0, i), 0)
  while (i < path.length) {
    const char = path[i]
    const at = i
    if (char === '.') {
      const end = readIdent(path, i + 1)
      pushSegment(segments, path.slice(i + 1, end), at + 1)
      i = end
    } else if (char === '[') {
      i++
      const quote = path[i]
      if (quote === '"' || quote === "'") {
        const end = path.indexOf(quote, i + 1)
        if (end < 0 || path[end + 1] !== ']') {
          throw new PathSyntaxError(`Unclosed [${quote}...${quote}] at position ${at + 1} of "${path}"`, at)
        }
        const key = path.slice(i + 1, end)
        if (key.length === 0) throw new PathSyntaxError(`Empty key at position ${at + 1} of "${path}"`, at)
        pushSegment(segments, key, at)
        i = end + 2
      } else {
        const start = i
        while (i < path.length && path[i]! >= '0' && path[i]! <= '9') i++
        if (i === start || path[i] !== ']') {
          throw new PathSyntaxError(
            `Expected a list position like [0] at position ${at + 1} of "${path}"`,
            at,
          )
        }
        segments.push(Number(path.slice(start, i)))
        i++
      }
    } else {
      throw new PathSyntaxError(`Unexpected "${char}" at position ${i + 1} of "${path}"`, i)
    }
  }
  return segments
}

/** Returns the index just after the name that starts at `start`; throws when there is none. */
function readIdent(path: string, start: number): number {
  if (!IDENT_START.test(path[start] ?? '')) {
    throw new PathSyntaxError(`Expected a name at position ${start + 1} of "${path}"`, start)
  }
  let i = start + 1
  while (i < path.length && IDENT_PART.test(path[i]!)) i++
  return i
}

function pushSegment(segments: PathSegment[], segment: string, at: number): void {
  if (FORBIDDEN_SEGMENTS.has(segment)) {
    throw new PathSyntaxError(`"${segment}" is not allowed in a variable name`, at)
  }
  segments.push(segment)
}

/** True when `path` parses. */
export function isValidPath(path: string): boolean {
  try {
    parsePath(path)
    return true
  } catch {
    return false
  }
}

/**
 * Reads a value from nested plain data; never throws. Missing steps, malformed paths and
 * non-own properties all resolve to undefined.
 * @example resolvePath({ cart: { items: [{ title: 'Mug' }] } }, 'cart.items[0].title') // 'Mug'
 */
export function resolvePath(scope: unknown, path: string | readonly PathSegment[]): unknown {
  let segments: readonly PathSegment[]
  if (typeof path === 'string') {
    try {
      segments = parsePath(path)
    } catch {
      return undefined
    }
  } else {
    segments = path
  }
  let current: unknown = scope
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined
    if (typeof segment === 'string' && FORBIDDEN_SEGMENTS.has(segment)) return undefined
    if (Array.isArray(current)) {
      if (typeof segment !== 'number') return undefined
      current = current[segment]
    } else {
      const key = String(segment)
      if (!Object.hasOwn(current, key)) return undefined
      current = (current as Record<string, unknown>)[key]
    }
  }
  return current
}
