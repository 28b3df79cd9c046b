import { describe, expect, it } from 'vitest'
import { formatMoney } from './money.ts'

describe('formatMoney', () => {
  it('formats major units with the currency symbol', () => {
    expect(formatMoney(49.9, 'USD')).toBe('$49.90')
    expect(formatMoney(1234.5, 'usd')).toBe('$1,234.50')
    expect(formatMoney(10, 'EUR')).toBe('€10.00')
    expect(formatMoney(500, 'JPY')).toBe('¥500')
  })

  it('follows the locale', () => {
    expect(formatMoney(49.9, 'EUR', 'de')).toBe('49,90\u00a0€')
  })

  it('falls back to the code after the amount for an unknown currency', () => {
    expect(formatMoney(49.9, 'XYZ')).toBe('49.90 XYZ')
    expect(formatMoney(49.9, 'not a currency')).toBe('49.90 NOT A CURRENCY')
    expect(formatMoney(49.9, '')).toBe('49.90')
  })

  it('survives a malformed locale and non-finite amounts', () => {
    expect(formatMoney(5, 'USD', '!!')).toBe('$5.00')
    expect(formatMoney(Number.NaN, 'USD')).toBe('')
  })
})
