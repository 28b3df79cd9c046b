// Trigger: the store reports a cart with items and no order (checkouts/create|update going quiet).
import { z } from 'zod'
import { triggerFacts, triggerHandles } from './trigger-parts.ts'
import type { NodeKind } from './types.ts'

export const triggerCartAbandonedConfigSchema = z.object({})
export type TriggerCartAbandonedConfig = z.infer<typeof triggerCartAbandonedConfigSchema>

export const triggerCartAbandonedDefaults = {} as const satisfies TriggerCartAbandonedConfig

export const triggerCartAbandoned: NodeKind<'trigger-cart-abandoned', TriggerCartAbandonedConfig> = {
  kind: 'trigger-cart-abandoned',
  title: 'Cart abandoned',
  description: 'Starts when a shopper leaves items in the cart without ordering.',
  group: 'triggers',
  configSchema: triggerCartAbandonedConfigSchema,
  defaults: triggerCartAbandonedDefaults,
  handles: () => triggerHandles,
  facts: () => triggerFacts({ event: 'cart.abandoned' }, ['cart']),
  check: () => [],
  templates: () => [],
  compile: (_config, ctx) => ({ always: [{ target: ctx.target('next') }] }),
}
