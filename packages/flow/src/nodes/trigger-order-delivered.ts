// Trigger: the carrier reports the order delivered; the order is in the `order` variable.
import { z } from 'zod'
import { triggerFacts, triggerHandles } from './trigger-parts.ts'
import type { NodeKind } from './types.ts'

export const triggerOrderDeliveredConfigSchema = z.object({})
export type TriggerOrderDeliveredConfig = z.infer<typeof triggerOrderDeliveredConfigSchema>

export const triggerOrderDeliveredDefaults = {} as const satisfies TriggerOrderDeliveredConfig

export const triggerOrderDelivered: NodeKind<'trigger-order-delivered', TriggerOrderDeliveredConfig> = {
  kind: 'trigger-order-delivered',
  title: 'Order delivered',
  description: 'Starts when the carrier reports the parcel delivered.',
  group: 'triggers',
  configSchema: triggerOrderDeliveredConfigSchema,
  defaults: triggerOrderDeliveredDefaults,
  handles: () => triggerHandles,
  facts: () => triggerFacts({ event: 'order.delivered' }, ['order']),
  check: () => [],
  templates: () => [],
  compile: (_config, ctx) => ({ always: [{ target: ctx.target('next') }] }),
}
