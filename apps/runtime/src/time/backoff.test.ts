import { describe, expect, it } from 'vitest'
import { backoffDelayMs, withRetries } from './backoff.ts'

const policy = { baseMs: 1000, maxMs: 300_000 }

describe('backoffDelayMs', () => {
  it('doubles per attempt up to the cap, with the jitter between half the step and the whole step', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, policy, () => 0))).toEqual([500, 1000, 2000, 4000])
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, policy, () => 1))).toEqual([1000, 2000, 4000, 8000])
    expect(backoffDelayMs(30, policy, () => 1)).toBe(300_000)
    expect(backoffDelayMs(30, policy, () => 0)).toBe(150_000)
  })

  it('spreads retries of the same attempt (many jobs failing together do not come back together)', () => {
    const delays = Array.from({ length: 200 }, () => backoffDelayMs(5, policy))
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(8000)
    expect(Math.max(...delays)).toBeLessThanOrEqual(16_000)
    expect(new Set(delays).size).toBeGreaterThan(100)
  })
})

describe('withRetries', () => {
  const transient = Object.assign(new Error('deadlock'), { code: '40P01' })
  const retryable = (e: unknown) => (e as { code?: string }).code === '40P01'

  it('retries a retryable error with backoff waits and returns the first success', async () => {
    const waits: number[] = []
    const retried: number[] = []
    let calls = 0
    const result = await withRetries(
      async (attempt) => {
        calls += 1
        if (attempt < 3) throw transient
        return 'done'
      },
      {
        attempts: 4,
        backoff: { baseMs: 10, maxMs: 1000 },
        retryable,
        random: () => 1,
        sleep: async (ms) => void waits.push(ms),
        onRetry: (_e, attempt) => void retried.push(attempt),
      },
    )
    expect(result).toBe('done')
    expect(calls).toBe(3)
    expect(waits).toEqual([10, 20])
    expect(retried).toEqual([1, 2])
  })

  it('throws at once on an error it may not retry, and the last error when attempts run out', async () => {
    let calls = 0
    const options = { attempts: 3, backoff: { baseMs: 1, maxMs: 1 }, retryable, sleep: async () => {} }
    await expect(
      withRetries(async () => {
        calls += 1
        throw new Error('bad input')
      }, options),
    ).rejects.toThrow('bad input')
    expect(calls).toBe(1)
    await expect(
      withRetries(async () => {
        calls += 1
        throw transient
      }, options),
    ).rejects.toBe(transient)
    expect(calls).toBe(4)
  })
})
