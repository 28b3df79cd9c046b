// Condition: rules over the cart, order, contact or answers; "all" or "any" → Yes / No.
import { type ConditionRule, describeCondition } from '@parley/flow'
import { useId } from 'react'
import { IconButton, Section, SelectInput } from '../inspector/fields.tsx'
import { useVariableGroups } from '../inspector/variables.ts'
import type { NodeUi } from './node-ui.tsx'

const OPERATORS = [
  ['equals', 'equals'],
  ['not_equals', 'does not equal'],
  ['greater_than', 'is greater than'],
  ['greater_or_equal', 'is at least'],
  ['less_than', 'is less than'],
  ['less_or_equal', 'is at most'],
  ['contains', 'contains'],
  ['not_contains', 'does not contain'],
  ['starts_with', 'starts with'],
  ['is_set', 'is set'],
  ['is_not_set', 'is not set'],
  ['is_one_of', 'is one of'],
] as const

type Operator = ConditionRule['operator']

/** Numbers typed as numbers compare as numbers; everything else stays text. */
function parseScalar(text: string): string | number {
  return /^\s*-?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : text
}

function withOperator(rule: ConditionRule, operator: Operator): ConditionRule {
  if (operator === 'is_set' || operator === 'is_not_set') return { path: rule.path, operator }
  if (operator === 'is_one_of') {
    const value =
      'value' in rule && !Array.isArray(rule.value) && rule.value !== '' ? [String(rule.value)] : ['']
    return {
      path: rule.path,
      operator,
      value: Array.isArray((rule as { value?: unknown }).value) ? (rule as { value: string[] }).value : value,
    }
  }
  const value = 'value' in rule ? (Array.isArray(rule.value) ? (rule.value[0] ?? '') : rule.value) : ''
  return { path: rule.path, operator, value }
}

function RuleRow({
  rule,
  index,
  onChange,
  onRemove,
}: {
  rule: ConditionRule
  index: number
  onChange(rule: ConditionRule): void
  onRemove(): void
}) {
  const listId = useId()
  const groups = useVariableGroups()
  return (
    <div className="rule-box">
      <div className="list-row">
        <input
          className="input"
          aria-label={`Rule ${index + 1} variable`}
          list={listId}
          placeholder="cart.total"
          value={rule.path}
          onChange={(e) => onChange({ ...rule, path: e.target.value })}
        />
        <datalist id={listId}>
          {groups
            .flatMap((g) => g.items)
            .map((v) => (
              <option key={v.path} value={v.path} label={v.label} />
            ))}
        </datalist>
        <IconButton label={`Remove rule ${index + 1}`} onClick={onRemove}>
          ×
        </IconButton>
      </div>
      <div className="row">
        <select
          className="input"
          aria-label={`Rule ${index + 1} comparison`}
          value={rule.operator}
          onChange={(e) => onChange(withOperator(rule, e.target.value as Operator))}
        >
          {OPERATORS.map(([op, words]) => (
            <option key={op} value={op}>
              {words}
            </option>
          ))}
        </select>
        {'value' in rule ? (
          <input
            className="input"
            aria-label={`Rule ${index + 1} value`}
            value={Array.isArray(rule.value) ? rule.value.join(', ') : String(rule.value)}
            placeholder={Array.isArray(rule.value) ? 'red, blue' : '100'}
            onChange={(e) =>
              onChange(
                rule.operator === 'is_one_of'
                  ? { ...rule, value: e.target.value.split(',').map((v) => v.trim()) }
                  : { ...rule, value: parseScalar(e.target.value) },
              )
            }
          />
        ) : null}
      </div>
    </div>
  )
}

export const conditionUi: NodeUi<'condition'> = {
  icon: '◇',
  Summary: ({ config }) => <p className="card-text mono">{describeCondition(config.group)}</p>,
  Inspector: ({ config, onChange }) => {
    const setRules = (rules: ConditionRule[]) => onChange({ ...config, group: { ...config.group, rules } })
    return (
      <div className="form">
        <SelectInput
          label="Go “Yes” when"
          value={config.group.match}
          options={[
            ['all', 'all rules hold'],
            ['any', 'any rule holds'],
          ]}
          onChange={(match) => onChange({ ...config, group: { ...config.group, match } })}
        />
        <Section
          title="Rules"
          actions={
            <button
              type="button"
              className="link-button"
              onClick={() =>
                setRules([
                  ...config.group.rules,
                  { path: 'cart.total', operator: 'greater_than', value: 100 },
                ])
              }
            >
              + Add rule
            </button>
          }
        >
          {config.group.rules.length === 0 ? <p className="field-hint">No rules yet.</p> : null}
          {config.group.rules.map((rule, i) => (
            <RuleRow
              key={`rule-${i.toString()}`}
              rule={rule}
              index={i}
              onChange={(next) => setRules(config.group.rules.map((r, j) => (j === i ? next : r)))}
              onRemove={() => setRules(config.group.rules.filter((_, j) => j !== i))}
            />
          ))}
        </Section>
      </div>
    )
  },
}
