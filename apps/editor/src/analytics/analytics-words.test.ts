import { describe, expect, it } from 'vitest'
import {
  changeWords,
  formatDuration,
  formatMoneyList,
  keyNumberWords,
  presetRange,
  skipReasonWords,
} from './analytics-words.ts'

describe('analytics words', () => {
  it('turns presets into date ranges ending today', () => {
    expect(presetRange('7d', '2026-01-10')).toEqual({ from: '2026-01-04', to: '2026-01-10' })
    expect(presetRange('90d', '2026-03-31')).toEqual({ from: '2026-01-01', to: '2026-03-31' })
    expect(presetRange('month', '2026-03-15')).toEqual({ from: '2026-03-01', to: '2026-03-15' })
    expect(presetRange('last-month', '2026-03-15')).toEqual({ from: '2026-02-01', to: '2026-02-28' })
    expect(presetRange('last-month', '2026-01-15')).toEqual({ from: '2025-12-01', to: '2025-12-31' })
  })

  it('says how a number moved against the previous period', () => {
    expect(changeWords(125, 100, 30)).toBe('+25 % vs previous 30 days')
    expect(changeWords(50, 100, 7)).toBe('−50 % vs previous 7 days')
    expect(changeWords(3, 0, 7)).toBe('new vs previous 7 days')
    expect(changeWords(0, 0, 7)).toBeNull()
  })

  it('keeps currencies apart', () => {
    expect(
      formatMoneyList([
        { currency: 'EUR', amount: 80 },
        { currency: 'USD', amount: 110 },
      ]),
    ).toBe('€80.00 + $110.00')
    expect(formatMoneyList([])).toBe('—')
  })

  it('writes durations and skip reasons in plain words', () => {
    expect(formatDuration(42)).toBe('42 s')
    expect(formatDuration(720)).toBe('12 min')
    expect(formatDuration(5400)).toBe('1.5 h')
    expect(formatDuration(null)).toBe('—')
    expect(skipReasonWords('frequency_cap').heading).toBe('Message limit reached')
    expect(skipReasonWords('frequency_cap').detail).toMatch(/^the shopper already got/)
    expect(skipReasonWords('something_new')).toEqual({ heading: 'Other reasons', detail: null })
  })

  it("words each live flow's key number", () => {
    const base = {
      flowId: '00000000-0000-4000-8000-000000000001',
      recovered: 0,
      revenue: [],
      runsFinished: 0,
    }
    expect(
      keyNumberWords({ ...base, kind: 'revenue', recovered: 1, revenue: [{ currency: 'USD', amount: 110 }] }),
    ).toBe('$110.00 recovered · 1 cart')
    expect(keyNumberWords({ ...base, kind: 'revenue' })).toBe('No carts recovered yet')
    expect(keyNumberWords({ ...base, kind: 'runs', runsFinished: 12 })).toBe('12 conversations finished')
    expect(keyNumberWords(undefined)).toBe('—')
  })
})
