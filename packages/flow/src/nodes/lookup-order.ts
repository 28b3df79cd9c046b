// Look up order: find the order (by the number the shopper gave, or the contact's latest) and save it
// in `order` for the next messages ({{order.status}}, {{order.trackingUrl}}).
import { z } from 'zod'
import { EFFECT_RESULT_TIMEOUT_MS, effectWaitState, resultData } from './effect-wait.ts'
import type { NodeKind } from './types.ts'

export const lookupOrderConfigSchema = z.object({
  source: z.enum(['variable', 'latest']),
  /** With source 'variable': the variable holding the order number (e.g. from collect input). */
  variable: z
    .string()
    .regex(
      /^[A-Za-z_][A-Za-z0-9_]{0,63}$/,
      'Name it in one word of letters and digits, starting with a letter',
    ),
})
export type LookupOrderConfig = z.infer<typeof lookupOrderConfigSchema>

export const lookupOrderDefaults = {
  source: 'variable',
  variable: 'order_number',
} as const satisfies LookupOrderConfig

export const lookupOrder: NodeKind<'lookup-order', LookupOrderConfig> = {
  kind: 'lookup-order',
  title: 'Look up order',
  description: 'Finds the order and its tracking so messages can show them.',
  group: 'actions',
  configSchema: lookupOrderConfigSchema,
  defaults: lookupOrderDefaults,
  handles: () => [
    { id: 'found', label: 'Found' },
    { id: 'not_found', label: 'Not found' },
  ],
  facts: () => ({
    sends: 0,
    marketing: false,
    timing: {
      found: { min: 0, max: EFFECT_RESULT_TIMEOUT_MS },
      not_found: { min: 0, max: EFFECT_RESULT_TIMEOUT_MS },
    },
    opensWindow: [],
    waits: true,
    terminal: false,
    writes: ['order'],
    hasTemplateFallback: false,
  }),
  check: () => [],
  templates: (config) => (config.source === 'variable' ? [`{{${config.variable}}}`] : []),
  compile: (config, ctx) =>
    effectWaitState(
      {
        entry: [
          {
            type: 'emit',
            params: ({ context }) => {
              if (config.source === 'latest') return { type: 'order.lookup', nodeId: ctx.nodeId }
              const value = context.vars[config.variable]
              const orderNumber = typeof value === 'string' || typeof value === 'number' ? String(value) : ''
              return { type: 'order.lookup', nodeId: ctx.nodeId, orderNumber }
            },
          },
        ],
        okHandle: 'found',
        failHandle: 'not_found',
        onOk: [{ type: 'setVar', params: (args) => ({ name: 'order', value: resultData(args) }) }],
        timeoutMs: EFFECT_RESULT_TIMEOUT_MS,
      },
      ctx,
    ),
}
