import { describe, expect, it } from 'vitest'
import { checkNode, runNode } from './node-test-kit.ts'
import { setVariable, setVariableDefaults } from './set-variable.ts'

describe('set-variable', () => {
  it('parses its defaults and writes its variable', () => {
    expect(setVariable.configSchema.parse(setVariableDefaults)).toEqual(setVariableDefaults)
    expect(setVariable.facts({ name: 'tier', value: 'vip' }).writes).toEqual(['tier'])
    expect(setVariable.templates({ name: 'tier', value: '{{contact.tier}}' })).toEqual(['{{contact.tier}}'])
  })

  it('rejects invalid names and flags store variables', () => {
    expect(setVariable.configSchema.safeParse({ name: '1abc', value: '' }).success).toBe(false)
    expect(checkNode('set-variable', { name: 'order', value: 'x' }).map((i) => i.code)).toEqual([
      'reserved_variable',
    ])
  })

  it('renders its value from the run variables', () => {
    const run = runNode(
      'set-variable',
      { name: 'greeting', value: 'Hi {{contact.name}}' },
      { vars: { contact: { name: 'Jo' } } },
    )
    expect(run.outcome).toBe('next')
    expect((run.snapshot.context as { vars: Record<string, unknown> }).vars.greeting).toBe('Hi Jo')
  })
})
