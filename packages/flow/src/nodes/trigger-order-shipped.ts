// Trigger: the store reports a fulfilment with tracking; the order is in the `order` variable.
import { z } from 'zod'
import { triggerFacts, triggerHandles } from './trigger-parts.ts'
import type { NodeKind } from './types.ts'

export const triggerOrderShippedConfigSchema = z.object({})
export type TriggerOrderShippedConfig = z.infer<typeof triggerOrderShippedConfigSchema>

export const triggerOrderShippedDefaults = {} as const satisfies TriggerOrderShippedConfig

export const triggerOrderShipped: NodeKind<'trigger-order-shipped', TriggerOrderShippedConfig> = {
  kind: 'trigger-order-shipped',
  title: 'Order shipped',
  description: 'Starts when an order leaves the warehouse with tracking.',
  group: 'triggers',
  configSchema: triggerOrderShippedConfigSchema,
  defaults: triggerOrderShippedDefaults,
  handles: () => triggerHandles,
  facts: () => triggerFacts({ event: 'order.shipped' }, ['order']),
  check: () => [],
  templates: () => [],
  compile: (_config, ctx) => ({ always: [{ target: ctx.target('next') }] }),
}
