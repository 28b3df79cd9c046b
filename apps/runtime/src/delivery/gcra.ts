// The pacing arithmetic (GCRA, the generic cell rate algorithm: a token bucket kept as one number, the
// "theoretical arrival time" of the next send). Stored per key in send_pacing, so replicas share it.
import type { Rate } from '../channels/pacing-config.ts'

/** Milliseconds between two sends at the rate. */
export function intervalMs(rate: Rate): number {
  return 1000 / rate.perSecond
}

/** How far ahead of its slot a send may go: the burst. */
export function toleranceMs(rate: Rate): number {
  return (rate.burst - 1) * intervalMs(rate)
}

/**
 * How many sends may go now, given the bucket's arrival time (`tat`, 0 for a new bucket). At most `burst`;
 * over any window of W ms at most `burst + W × perSecond / 1000` are admitted.
 * @example admissible(80/s burst 8, tat 0, now) // 8
 */
export function admissible(rate: Rate, tat: number, now: number): number {
  const start = Math.max(tat, now)
  const room = now + toleranceMs(rate) - start
  if (room < 0) return 0
  return Math.min(rate.burst, Math.floor(room / intervalMs(rate) + 1e-9) + 1)
}

/** The arrival time after `count` more sends. */
export function advance(rate: Rate, tat: number, now: number, count: number): number {
  return Math.max(tat, now) + count * intervalMs(rate)
}

/** When the next send may go (≤ now when one may go now). */
export function readyAt(rate: Rate, tat: number): number {
  return tat - toleranceMs(rate)
}
