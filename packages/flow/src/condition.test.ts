import { describe, expect, it } from 'vitest'
import {
  type ConditionGroup,
  type ConditionRule,
  conditionGroupSchema,
  describeCondition,
  evaluateConditionGroup,
} from './condition.ts'

const scope = {
  cart: { total: 149.5, currency: 'USD', items: [{ title: 'Blue Mug' }], note: '' },
  contact: { name: 'Ada', tags: ['VIP', 'repeat'], optedIn: true },
  answer: { size: '42', choice: 'Yes' },
}

const holds = (rule: ConditionRule) => evaluateConditionGroup({ match: 'all', rules: [rule] }, scope)

describe('evaluateConditionGroup', () => {
  it('compares numbers numerically, also when one side is numeric text', () => {
    expect(holds({ path: 'cart.total', operator: 'greater_than', value: 100 })).toBe(true)
    expect(holds({ path: 'cart.total', operator: 'greater_than', value: '1000' })).toBe(false)
    expect(holds({ path: 'answer.size', operator: 'greater_than', value: 9 })).toBe(true)
    expect(holds({ path: 'answer.size', operator: 'equals', value: 42 })).toBe(true)
    expect(holds({ path: 'cart.total', operator: 'less_or_equal', value: 149.5 })).toBe(true)
    expect(holds({ path: 'cart.total', operator: 'greater_or_equal', value: 150 })).toBe(false)
    expect(holds({ path: 'cart.total', operator: 'less_than', value: 150 })).toBe(true)
  })

  it('compares text case-insensitively', () => {
    expect(holds({ path: 'answer.choice', operator: 'equals', value: 'yes' })).toBe(true)
    expect(holds({ path: 'answer.choice', operator: 'not_equals', value: 'YES' })).toBe(false)
    expect(holds({ path: 'cart.items[0].title', operator: 'contains', value: 'mug' })).toBe(true)
    expect(holds({ path: 'cart.items[0].title', operator: 'starts_with', value: 'blue' })).toBe(true)
    expect(holds({ path: 'cart.items[0].title', operator: 'not_contains', value: 'red' })).toBe(true)
    expect(holds({ path: 'contact.optedIn', operator: 'equals', value: true })).toBe(true)
  })

  it('looks inside lists for contains', () => {
    expect(holds({ path: 'contact.tags', operator: 'contains', value: 'vip' })).toBe(true)
    expect(holds({ path: 'contact.tags', operator: 'contains', value: 'vi' })).toBe(false)
  })

  it('treats missing and empty values as not set', () => {
    expect(holds({ path: 'order.number', operator: 'is_set' })).toBe(false)
    expect(holds({ path: 'order.number', operator: 'is_not_set' })).toBe(true)
    expect(holds({ path: 'cart.note', operator: 'is_set' })).toBe(false)
    expect(holds({ path: 'contact.tags', operator: 'is_set' })).toBe(true)
    expect(holds({ path: 'order.total', operator: 'greater_than', value: 0 })).toBe(false)
    expect(holds({ path: 'order.total', operator: 'less_than', value: 0 })).toBe(false)
    expect(holds({ path: 'order.total', operator: 'equals', value: '' })).toBe(false)
  })

  it('matches is_one_of', () => {
    expect(holds({ path: 'answer.choice', operator: 'is_one_of', value: ['no', 'YES'] })).toBe(true)
    expect(holds({ path: 'answer.size', operator: 'is_one_of', value: ['41', '42.0'] })).toBe(true)
    expect(holds({ path: 'answer.size', operator: 'is_one_of', value: ['41'] })).toBe(false)
  })

  it('combines rules with all / any', () => {
    const rules: ConditionRule[] = [
      { path: 'cart.total', operator: 'greater_than', value: 100 },
      { path: 'contact.tags', operator: 'contains', value: 'new' },
    ]
    expect(evaluateConditionGroup({ match: 'all', rules }, scope)).toBe(false)
    expect(evaluateConditionGroup({ match: 'any', rules }, scope)).toBe(true)
    expect(evaluateConditionGroup({ match: 'all', rules: [] }, scope)).toBe(true)
    expect(evaluateConditionGroup({ match: 'any', rules: [] }, scope)).toBe(false)
  })
})

describe('conditionGroupSchema', () => {
  it('accepts well-formed groups', () => {
    const group: ConditionGroup = {
      match: 'any',
      rules: [
        { path: 'cart.total', operator: 'greater_than', value: 100 },
        { path: 'order', operator: 'is_set' },
        { path: 'answer.choice', operator: 'is_one_of', value: ['a', 'b'] },
      ],
    }
    expect(conditionGroupSchema.parse(group)).toEqual(group)
  })

  it.each([
    { match: 'some', rules: [] },
    { match: 'all', rules: [{ path: 'cart..total', operator: 'equals', value: 1 }] },
    { match: 'all', rules: [{ path: 'constructor', operator: 'is_set' }] },
    { match: 'all', rules: [{ path: 'a', operator: 'equals' }] },
    { match: 'all', rules: [{ path: 'a', operator: 'is_one_of', value: [] }] },
    { match: 'all', rules: [{ path: 'a', operator: 'is_one_of', value: 'x' }] },
    { match: 'all', rules: [{ path: 'a', operator: 'matches_regex', value: '.*' }] },
  ])('rejects %j', (group) => {
    expect(conditionGroupSchema.safeParse(group).success).toBe(false)
  })
})

describe('describeCondition', () => {
  it('reads like a sentence', () => {
    expect(
      describeCondition({
        match: 'all',
        rules: [
          { path: 'cart.total', operator: 'greater_than', value: 100 },
          { path: 'contact.tags', operator: 'contains', value: 'vip' },
          { path: 'order', operator: 'is_not_set' },
        ],
      }),
    ).toBe('cart.total > 100 and contact.tags contains "vip" and order is not set')
    expect(
      describeCondition({
        match: 'any',
        rules: [
          { path: 'answer.choice', operator: 'is_one_of', value: ['a', 'b'] },
          { path: 'x', operator: 'less_or_equal', value: 3 },
        ],
      }),
    ).toBe('answer.choice is one of "a", "b" or x ≤ 3')
    expect(describeCondition({ match: 'all', rules: [] })).toBe('Always')
  })
})
