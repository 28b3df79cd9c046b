// Trigger: started by the merchant or the store's API (POST /api/runs), e.g. for a campaign.
import { z } from 'zod'
import { triggerFacts, triggerHandles } from './trigger-parts.ts'
import type { NodeKind } from './types.ts'

export const triggerManualConfigSchema = z.object({})
export type TriggerManualConfig = z.infer<typeof triggerManualConfigSchema>

export const triggerManualDefaults = {} as const satisfies TriggerManualConfig

export const triggerManual: NodeKind<'trigger-manual', TriggerManualConfig> = {
  kind: 'trigger-manual',
  title: 'Started manually',
  description: 'Starts when the merchant or the store API starts it for a contact.',
  group: 'triggers',
  configSchema: triggerManualConfigSchema,
  defaults: triggerManualDefaults,
  handles: () => triggerHandles,
  facts: () => triggerFacts({ event: 'manual' }, []),
  check: () => [],
  templates: () => [],
  compile: (_config, ctx) => ({ always: [{ target: ctx.target('next') }] }),
}
