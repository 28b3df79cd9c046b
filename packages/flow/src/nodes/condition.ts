// Condition: structured comparisons over the run's variables (all or any) → yes / no.
import { z } from 'zod'
import { conditionGroupSchema } from '../condition.ts'
import type { NodeKind } from './types.ts'

export const conditionConfigSchema = z.object({ group: conditionGroupSchema })
export type ConditionConfig = z.infer<typeof conditionConfigSchema>

export const conditionDefaults = {
  group: { match: 'all', rules: [] },
} as const satisfies ConditionConfig

export const condition: NodeKind<'condition', ConditionConfig> = {
  kind: 'condition',
  title: 'Condition',
  description: 'Goes one way or the other depending on the cart, order or answers.',
  group: 'logic',
  configSchema: conditionConfigSchema,
  defaults: conditionDefaults,
  handles: () => [
    { id: 'yes', label: 'Yes' },
    { id: 'no', label: 'No' },
  ],
  facts: () => ({
    sends: 0,
    marketing: false,
    timing: { yes: { min: 0, max: 0 }, no: { min: 0, max: 0 } },
    opensWindow: [],
    waits: false,
    terminal: false,
    writes: [],
    hasTemplateFallback: false,
  }),
  check: (config, ctx) =>
    config.group.rules.length === 0
      ? [
          {
            severity: 'warning',
            code: 'empty_condition',
            message: `'${ctx.nodeLabel}' has no rules yet, so it always goes ${config.group.match === 'all' ? '"Yes"' : '"No"'}`,
            nodeId: ctx.nodeId,
          },
        ]
      : [],
  templates: () => [],
  compile: (config, ctx) => ({
    always: [
      { guard: { type: 'conditionHolds', params: { group: config.group } }, target: ctx.target('yes') },
      { target: ctx.target('no') },
    ],
  }),
}
