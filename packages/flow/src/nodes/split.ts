// Split: A/B test. Each run lands in a variant by hashing its seed with the node id, so a run replayed
// from the same seed always takes the same branch.
import { z } from 'zod'
import type { FlowIssue, NodeKind, TransitionSpec } from './types.ts'

export const splitConfigSchema = z.object({
  variants: z
    .array(
      z.object({
        id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Use 1–64 letters, digits, "-" or "_"'),
        label: z.string().max(40),
        percent: z.number().int().min(0).max(100),
      }),
    )
    .min(1)
    .max(10),
})
export type SplitConfig = z.infer<typeof splitConfigSchema>

export const splitDefaults = {
  variants: [
    { id: 'a', label: 'A', percent: 50 },
    { id: 'b', label: 'B', percent: 50 },
  ],
} as const satisfies SplitConfig

/**
 * The run's bucket 0–99 for a split node: FNV-1a over seed and node id.
 * @example splitBucket('run-42', 'ab-test') // same number every time
 */
export function splitBucket(seed: string, nodeId: string): number {
  let hash = 0x811c9dc5
  const input = `${seed}\u0000${nodeId}`
  for (let i = 0; i < input.length; i++) {
    hash ^= input.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash % 100
}

export const split: NodeKind<'split', SplitConfig> = {
  kind: 'split',
  title: 'A/B split',
  description: 'Sends a share of runs down each branch to compare them.',
  group: 'logic',
  configSchema: splitConfigSchema,
  defaults: splitDefaults,
  handles: (config) =>
    config.variants.map((v) => ({ id: v.id, label: `${v.label || v.id} (${v.percent}%)` })),
  facts: (config) => ({
    sends: 0,
    marketing: false,
    timing: Object.fromEntries(
      config.variants.filter((v) => v.percent > 0).map((v) => [v.id, { min: 0, max: 0 }]),
    ),
    opensWindow: [],
    waits: false,
    terminal: false,
    writes: [],
    hasTemplateFallback: false,
  }),
  check: (config, ctx) => {
    const issues: FlowIssue[] = []
    const total = config.variants.reduce((sum, v) => sum + v.percent, 0)
    if (total !== 100) {
      issues.push({
        severity: 'error',
        code: 'split_not_100',
        message: `The branches of '${ctx.nodeLabel}' add up to ${total}%, not 100%`,
        nodeId: ctx.nodeId,
      })
    }
    if (new Set(config.variants.map((v) => v.id)).size !== config.variants.length) {
      issues.push({
        severity: 'error',
        code: 'duplicate_branch',
        message: `'${ctx.nodeLabel}' has two branches with the same id`,
        nodeId: ctx.nodeId,
      })
    }
    return issues
  },
  templates: () => [],
  compile: (config, ctx) => {
    const always: TransitionSpec[] = []
    let from = 0
    for (const variant of config.variants) {
      const to = from + variant.percent
      always.push({
        guard: { type: 'bucketIn', params: { nodeId: ctx.nodeId, from, to } },
        target: ctx.target(variant.id),
      })
      from = to
    }
    // Percentages short of 100 leave some buckets unassigned: those runs take the first branch.
    always.push({ target: ctx.target(config.variants[0]?.id ?? 'a') })
    return { always }
  },
}
