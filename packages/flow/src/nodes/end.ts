// End: the run is over, with an outcome analytics counts ("completed", "not_recovered").
import { z } from 'zod'
import type { NodeKind } from './types.ts'

export const endConfigSchema = z.object({
  outcome: z.string().regex(/^[a-z0-9_]{1,40}$/, 'Name the ending in a few words (letters and digits)'),
})
export type EndConfig = z.infer<typeof endConfigSchema>

export const endDefaults = { outcome: 'completed' } as const satisfies EndConfig

export const end: NodeKind<'end', EndConfig> = {
  kind: 'end',
  title: 'End',
  description: 'Ends the conversation flow with an outcome.',
  group: 'logic',
  configSchema: endConfigSchema,
  defaults: endDefaults,
  handles: () => [],
  facts: () => ({
    sends: 0,
    marketing: false,
    timing: {},
    opensWindow: [],
    waits: false,
    terminal: true,
    writes: [],
    hasTemplateFallback: false,
  }),
  check: () => [],
  templates: () => [],
  compile: (config) => ({
    final: true,
    entry: [{ type: 'setOutcome', params: { outcome: config.outcome } }],
  }),
}
