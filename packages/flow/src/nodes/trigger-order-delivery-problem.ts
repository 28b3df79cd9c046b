// Trigger: the carrier reports a delivery problem (a failed attempt, a lost or returned parcel); the order is
// in the `order` variable.
import { z } from 'zod'
import { triggerFacts, triggerHandles } from './trigger-parts.ts'
import type { NodeKind } from './types.ts'

export const triggerOrderDeliveryProblemConfigSchema = z.object({})
export type TriggerOrderDeliveryProblemConfig = z.infer<typeof triggerOrderDeliveryProblemConfigSchema>

export const triggerOrderDeliveryProblemDefaults = {} as const satisfies TriggerOrderDeliveryProblemConfig

export const triggerOrderDeliveryProblem: NodeKind<
  'trigger-order-delivery-problem',
  TriggerOrderDeliveryProblemConfig
> = {
  kind: 'trigger-order-delivery-problem',
  title: 'Delivery problem',
  description: 'Starts when the carrier reports a failed delivery attempt or a lost parcel.',
  group: 'triggers',
  configSchema: triggerOrderDeliveryProblemConfigSchema,
  defaults: triggerOrderDeliveryProblemDefaults,
  handles: () => triggerHandles,
  facts: () => triggerFacts({ event: 'order.delivery_problem' }, ['order']),
  check: () => [],
  templates: () => [],
  compile: (_config, ctx) => ({ always: [{ target: ctx.target('next') }] }),
}
