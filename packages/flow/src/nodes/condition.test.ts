import { describe, expect, it } from 'vitest'
import { condition, conditionDefaults } from './condition.ts'
import { checkNode, runNode } from './node-test-kit.ts'

const bigCart = {
  match: 'all',
  rules: [
    { path: 'cart.total', operator: 'greater_or_equal', value: 100 },
    { path: 'contact.email', operator: 'is_set' },
  ],
}

describe('condition', () => {
  it('parses its defaults and has yes/no handles taken at once', () => {
    expect(condition.configSchema.parse(conditionDefaults)).toEqual(conditionDefaults)
    expect(condition.handles(conditionDefaults).map((h) => h.id)).toEqual(['yes', 'no'])
    expect(condition.facts(conditionDefaults)).toMatchObject({
      waits: false,
      timing: { yes: { min: 0, max: 0 }, no: { min: 0, max: 0 } },
    })
  })

  it('warns about a condition without rules, naming the branch it always takes', () => {
    expect(checkNode('condition', {}).map((i) => i.message)).toEqual([
      `'Step' has no rules yet, so it always goes "Yes"`,
    ])
    expect(checkNode('condition', { group: bigCart })).toEqual([])
  })

  it('rejects rules over malformed paths when parsing', () => {
    expect(
      condition.configSchema.safeParse({
        group: { match: 'all', rules: [{ path: 'cart..x', operator: 'is_set' }] },
      }).success,
    ).toBe(false)
  })

  it('goes yes when the rules hold over the run variables, no otherwise', () => {
    const yes = runNode(
      'condition',
      { group: bigCart },
      { vars: { cart: { total: 120 }, contact: { email: 'a@b.c' } } },
    )
    expect(yes.outcome).toBe('yes')
    const no = runNode('condition', { group: bigCart }, { vars: { cart: { total: 120 }, contact: {} } })
    expect(no.outcome).toBe('no')
    const any = runNode(
      'condition',
      { group: { ...bigCart, match: 'any' } },
      { vars: { cart: { total: 120 }, contact: {} } },
    )
    expect(any.outcome).toBe('yes')
  })

  it('goes the way its warning says when it has no rules', () => {
    expect(runNode('condition', {}).outcome).toBe('yes')
  })
})
