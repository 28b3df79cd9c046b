// Trigger: the store reports a new order (orders/create); the order is in the `order` variable.
import { z } from 'zod'
import { triggerFacts, triggerHandles } from './trigger-parts.ts'
import type { NodeKind } from './types.ts'

export const triggerOrderCreatedConfigSchema = z.object({})
export type TriggerOrderCreatedConfig = z.infer<typeof triggerOrderCreatedConfigSchema>

export const triggerOrderCreatedDefaults = {} as const satisfies TriggerOrderCreatedConfig

export const triggerOrderCreated: NodeKind<'trigger-order-created', TriggerOrderCreatedConfig> = {
  kind: 'trigger-order-created',
  title: 'Order created',
  description: 'Starts when the shopper places an order.',
  group: 'triggers',
  configSchema: triggerOrderCreatedConfigSchema,
  defaults: triggerOrderCreatedDefaults,
  handles: () => triggerHandles,
  facts: () => triggerFacts({ event: 'order.created' }, ['order']),
  check: () => [],
  templates: () => [],
  compile: (_config, ctx) => ({ always: [{ target: ctx.target('next') }] }),
}
