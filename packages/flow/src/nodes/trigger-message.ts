// Trigger: the shopper writes to the store: any message, one containing a keyword, or one that is only a
// greeting ("hi", "hallo", "bonjour"; see greeting.ts). The message text becomes the `reply` variable, so the
// next node can answer it.
import { z } from 'zod'
import { triggerFacts, triggerHandles } from './trigger-parts.ts'
import type { NodeKind } from './types.ts'

export const triggerMessageConfigSchema = z.object({
  match: z.enum(['any', 'keyword', 'greeting']),
  /** Matched case-insensitively anywhere in the message ("where is my order"). */
  keywords: z.array(z.string().max(100)).max(50),
})
export type TriggerMessageConfig = z.infer<typeof triggerMessageConfigSchema>

export const triggerMessageDefaults = {
  match: 'any',
  keywords: [],
} as const satisfies TriggerMessageConfig

/** The text of the message that started the run, from the `trigger` variable the host sets. */
function triggerText(trigger: unknown): string | undefined {
  if (typeof trigger !== 'object' || trigger === null) return undefined
  const text = (trigger as { text?: unknown }).text
  return typeof text === 'string' ? text : undefined
}

export const triggerMessage: NodeKind<'trigger-message', TriggerMessageConfig> = {
  kind: 'trigger-message',
  title: 'Message received',
  description: 'Starts when the shopper writes: any message, one with a keyword, or a greeting.',
  group: 'triggers',
  configSchema: triggerMessageConfigSchema,
  defaults: triggerMessageDefaults,
  handles: () => triggerHandles,
  facts: (config) =>
    triggerFacts(
      config.match === 'keyword'
        ? { event: 'message.received', match: 'keyword', keywords: [...config.keywords] }
        : { event: 'message.received', match: config.match },
      ['reply'],
      true,
    ),
  check: (config, ctx) =>
    config.match === 'keyword' && config.keywords.every((k) => k.trim() === '')
      ? [
          {
            severity: 'error',
            code: 'no_keywords',
            message: `'${ctx.nodeLabel}' starts on keywords but has none`,
            nodeId: ctx.nodeId,
          },
        ]
      : [],
  templates: () => [],
  compile: (_config, ctx) => ({
    entry: [
      {
        type: 'setVar',
        params: ({ context }) => ({
          name: 'reply',
          value: triggerText(context.vars.trigger) ?? context.vars.reply ?? '',
        }),
      },
    ],
    always: [{ target: ctx.target('next') }],
  }),
}
