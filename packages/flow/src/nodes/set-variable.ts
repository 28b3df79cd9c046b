// Set variable: store a templated value ("{{order.number}}", "vip") for later steps.
import { z } from 'zod'
import { renderTemplate } from '../template.ts'
import type { NodeKind } from './types.ts'

export const setVariableConfigSchema = z.object({
  name: z
    .string()
    .regex(
      /^[A-Za-z_][A-Za-z0-9_]{0,63}$/,
      'Name it in one word of letters and digits, starting with a letter',
    ),
  value: z.string().max(4096),
})
export type SetVariableConfig = z.infer<typeof setVariableConfigSchema>

export const setVariableDefaults = { name: 'note', value: '' } as const satisfies SetVariableConfig

const RESERVED_VARIABLES = ['contact', 'cart', 'order', 'store', 'trigger']

export const setVariable: NodeKind<'set-variable', SetVariableConfig> = {
  kind: 'set-variable',
  title: 'Set variable',
  description: 'Saves a value to use in later messages and conditions.',
  group: 'logic',
  configSchema: setVariableConfigSchema,
  defaults: setVariableDefaults,
  handles: () => [{ id: 'next', label: 'Then' }],
  facts: (config) => ({
    sends: 0,
    marketing: false,
    timing: { next: { min: 0, max: 0 } },
    opensWindow: [],
    waits: false,
    terminal: false,
    writes: [config.name],
    hasTemplateFallback: false,
  }),
  check: (config, ctx) =>
    RESERVED_VARIABLES.includes(config.name)
      ? [
          {
            severity: 'error',
            code: 'reserved_variable',
            message: `'${ctx.nodeLabel}' cannot overwrite "${config.name}": the store fills that variable`,
            nodeId: ctx.nodeId,
          },
        ]
      : [],
  templates: (config) => [config.value],
  compile: (config, ctx) => ({
    entry: [
      {
        type: 'setVar',
        params: ({ context }) => ({ name: config.name, value: renderTemplate(config.value, context.vars) }),
      },
    ],
    always: [{ target: ctx.target('next') }],
  }),
}
