import { describe, expect, it } from 'vitest'
import { optInKeywordsOf, optOutKeywordsOf } from './keyword-packs.ts'

const row = (
  languages: string[],
  optOut: string[] = [],
  optIn: string[] = [],
): { keyword_languages: string[]; opt_out_keywords: string[]; opt_in_keywords: string[] } => ({
  keyword_languages: languages,
  opt_out_keywords: optOut,
  opt_in_keywords: optIn,
})

describe('effective keywords', () => {
  it("are the switched-on languages' packs, then the merchant's own words; unknown languages add nothing", () => {
    const merchant = row(['de', 'xx', 'en'], ['HALT'], ['WEITER'])
    expect(optOutKeywordsOf(merchant)).toEqual([
      'ABMELDEN',
      'STOPP',
      'ABBESTELLEN',
      'STOP',
      'UNSUBSCRIBE',
      'STOP ALL',
      'HALT',
    ])
    expect(optInKeywordsOf(merchant)).toEqual(['ANMELDEN', 'START', 'START', 'UNSTOP', 'WEITER'])
    expect(optOutKeywordsOf(row([]))).toEqual([])
  })

  it('are built once per row and cannot be changed by a caller', () => {
    const merchant = row(['en'])
    const first = optOutKeywordsOf(merchant)
    expect(optOutKeywordsOf(merchant)).toBe(first)
    expect(Object.isFrozen(first)).toBe(true)
    expect(Object.isFrozen(optInKeywordsOf(merchant))).toBe(true)
  })

  it('follow a row whose languages or own words are replaced', () => {
    const merchant = row(['en'], ['HALT'], ['GO'])
    expect(optOutKeywordsOf(merchant)).toContain('HALT')
    merchant.opt_out_keywords = ['ENOUGH']
    expect(optOutKeywordsOf(merchant)).toEqual(['STOP', 'UNSUBSCRIBE', 'STOP ALL', 'ENOUGH'])
    merchant.keyword_languages = ['es']
    expect(optOutKeywordsOf(merchant)).toEqual(['BAJA', 'PARAR', 'DARME DE BAJA', 'ENOUGH'])
    expect(optInKeywordsOf(merchant)).toEqual(['ALTA', 'EMPEZAR', 'GO'])
    merchant.opt_in_keywords = []
    expect(optInKeywordsOf(merchant)).toEqual(['ALTA', 'EMPEZAR'])
  })
})
