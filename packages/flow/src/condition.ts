// Structured conditions ("cart.total > 100 and contact.tags contains vip"): data a merchant builds in a form,
// evaluated against the run's scope without evaluating any code.
import { z } from 'zod'
import { isValidPath, resolvePath } from './path.ts'

const pathSchema = z
  .string()
  .min(1, 'Choose a variable')
  .max(200)
  .refine(isValidPath, 'Use a variable name like cart.total or cart.items[0].title')

const scalarSchema = z.union([z.string().max(500), z.number().finite(), z.boolean()])

export const COMPARISON_OPERATORS = [
  'equals',
  'not_equals',
  'greater_than',
  'greater_or_equal',
  'less_than',
  'less_or_equal',
  'contains',
  'not_contains',
  'starts_with',
] as const
export const PRESENCE_OPERATORS = ['is_set', 'is_not_set'] as const

export const conditionRuleSchema = z.discriminatedUnion('operator', [
  z.object({ path: pathSchema, operator: z.enum(COMPARISON_OPERATORS), value: scalarSchema }),
  z.object({ path: pathSchema, operator: z.enum(PRESENCE_OPERATORS) }),
  z.object({
    path: pathSchema,
    operator: z.literal('is_one_of'),
    value: z.array(z.string().max(500)).min(1, 'Add at least one value').max(100),
  }),
])
export type ConditionRule = z.infer<typeof conditionRuleSchema>
export type ConditionOperator = ConditionRule['operator']

export const conditionGroupSchema = z.object({
  match: z.enum(['all', 'any']),
  rules: z.array(conditionRuleSchema).max(50),
})
export type ConditionGroup = z.infer<typeof conditionGroupSchema>

const NUMERIC = /^\s*-?(\d+(\.\d*)?|\.\d+)\s*$/

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value === 'string' && NUMERIC.test(value)) return Number(value)
  return undefined
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim().toLowerCase()
  if (typeof value === 'number' || typeof value === 'boolean') return String(value).toLowerCase()
  return undefined
}

function isEqual(actual: unknown, expected: unknown): boolean {
  const a = asNumber(actual)
  const b = asNumber(expected)
  if (a !== undefined && b !== undefined) return a === b
  const x = asText(actual)
  return x !== undefined && x === asText(expected)
}

/** Sign of actual − expected, or undefined when they cannot be ordered. */
function compare(actual: unknown, expected: unknown): number | undefined {
  const a = asNumber(actual)
  const b = asNumber(expected)
  if (a !== undefined && b !== undefined) return Math.sign(a - b)
  const x = asText(actual)
  const y = asText(expected)
  if (x === undefined || y === undefined) return undefined
  return x < y ? -1 : x > y ? 1 : 0
}

function contains(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(actual)) return actual.some((item) => isEqual(item, expected))
  const x = asText(actual)
  const y = asText(expected)
  return x !== undefined && y !== undefined && x.includes(y)
}

function isSet(value: unknown): boolean {
  if (value === undefined || value === null) return false
  if (typeof value === 'string') return value.trim() !== ''
  if (Array.isArray(value)) return value.length > 0
  return true
}

export function evaluateRule(rule: ConditionRule, scope: unknown): boolean {
  const actual = resolvePath(scope, rule.path)
  switch (rule.operator) {
    case 'equals':
      return isEqual(actual, rule.value)
    case 'not_equals':
      return !isEqual(actual, rule.value)
    case 'greater_than': {
      const order = compare(actual, rule.value)
      return order !== undefined && order > 0
    }
    case 'greater_or_equal': {
      const order = compare(actual, rule.value)
      return order !== undefined && order >= 0
    }
    case 'less_than': {
      const order = compare(actual, rule.value)
      return order !== undefined && order < 0
    }
    case 'less_or_equal': {
      const order = compare(actual, rule.value)
      return order !== undefined && order <= 0
    }
    case 'contains':
      return contains(actual, rule.value)
    case 'not_contains':
      return !contains(actual, rule.value)
    case 'starts_with': {
      const x = asText(actual)
      const y = asText(rule.value)
      return x !== undefined && y !== undefined && x.startsWith(y)
    }
    case 'is_set':
      return isSet(actual)
    case 'is_not_set':
      return !isSet(actual)
    case 'is_one_of':
      return rule.value.some((option) => isEqual(actual, option))
  }
}

/**
 * True when all (or any) rules hold. Numbers compare numerically when both sides are numeric ("100" > 20),
 * text compares case-insensitively. An empty `all` group is true, an empty `any` group is false.
 */
export function evaluateConditionGroup(group: ConditionGroup, scope: unknown): boolean {
  return group.match === 'all'
    ? group.rules.every((rule) => evaluateRule(rule, scope))
    : group.rules.some((rule) => evaluateRule(rule, scope))
}

const OPERATOR_WORDS: Record<ConditionOperator, string> = {
  equals: '=',
  not_equals: '≠',
  greater_than: '>',
  greater_or_equal: '≥',
  less_than: '<',
  less_or_equal: '≤',
  contains: 'contains',
  not_contains: 'does not contain',
  starts_with: 'starts with',
  is_set: 'is set',
  is_not_set: 'is not set',
  is_one_of: 'is one of',
}

function describeValue(value: string | number | boolean): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value)
}

export function describeRule(rule: ConditionRule): string {
  const head = `${rule.path} ${OPERATOR_WORDS[rule.operator]}`
  if (!('value' in rule)) return head
  if (Array.isArray(rule.value)) return `${head} ${rule.value.map(describeValue).join(', ')}`
  return `${head} ${describeValue(rule.value)}`
}

/**
 * One line for the node's card.
 * @example describeCondition({ match: 'all', rules: [{ path: 'cart.total', operator: 'greater_than', value: 100 }] })
 * // 'cart.total > 100'
 */
export function describeCondition(group: ConditionGroup): string {
  if (group.rules.length === 0) return group.match === 'all' ? 'Always' : 'Never'
  return group.rules.map(describeRule).join(group.match === 'all' ? ' and ' : ' or ')
}
