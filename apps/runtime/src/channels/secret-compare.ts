// Constant-time comparison for shared secrets presented in requests (verify tokens).
import { createHash, timingSafeEqual } from 'node:crypto'

/** Compares digests, so neither the content nor the length of the secret leaks through timing. */
export function secretsMatch(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}
