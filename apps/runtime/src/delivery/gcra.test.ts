import { describe, expect, it } from 'vitest'
import { admissible, advance, readyAt } from './gcra.ts'

const whatsapp = { perSecond: 80, burst: 8 }
const telegramChat = { perSecond: 1, burst: 3 }

describe('GCRA pacing', () => {
  it('lets a fresh bucket take its burst, then one per interval', () => {
    const now = 1_000_000
    expect(admissible(whatsapp, 0, now)).toBe(8)
    const tat = advance(whatsapp, 0, now, 8)
    expect(tat).toBe(now + 100)
    expect(admissible(whatsapp, tat, now)).toBe(0)
    expect(readyAt(whatsapp, tat)).toBe(now + 12.5)
    expect(admissible(whatsapp, tat, now + 12.5)).toBe(1)
    expect(admissible(whatsapp, tat, now + 50)).toBe(4)
    // Idle long enough, the bucket is full again, never fuller.
    expect(admissible(whatsapp, tat, now + 60_000)).toBe(8)
  })

  it('never admits more than rate + burst in any one-second window, whatever the claim times', () => {
    let tat = 0
    const sent: number[] = []
    let now = 5_000
    for (let i = 0; i < 2_000; i++) {
      now += 1 + ((i * 7919) % 37)
      const n = admissible(whatsapp, tat, now)
      tat = n > 0 ? advance(whatsapp, tat, now, n) : tat
      for (let k = 0; k < n; k++) sent.push(now)
    }
    let most = 0
    for (let i = 0, j = 0; i < sent.length; i++) {
      while (sent[j]! <= sent[i]! - 1000) j++
      most = Math.max(most, i - j + 1)
    }
    expect(most).toBeLessThanOrEqual(80 + 8)
    expect(most).toBeGreaterThanOrEqual(80)
  })

  it('paces a Telegram chat: three at once, then one a second', () => {
    const now = 0
    expect(admissible(telegramChat, 0, now)).toBe(3)
    const tat = advance(telegramChat, 0, now, 3)
    expect(admissible(telegramChat, tat, now + 999)).toBe(0)
    expect(admissible(telegramChat, tat, now + 1000)).toBe(1)
  })
})
