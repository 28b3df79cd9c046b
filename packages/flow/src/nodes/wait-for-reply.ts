// Wait for reply: branch on what the shopper answers (a button, keywords, what the reply wants: a person, their
// order...), anything else, or no answer in time. The reply text is kept in the `reply` variable.
import { z } from 'zod'
import { durationSchema, durationToMs } from '../duration.ts'
import {
  type BranchIntent,
  branchIntentLabels,
  branchIntentSchema,
  branchIntents,
  intentHandleId,
} from '../intent/reply-intent.ts'
import { storeReply } from './reply-match.ts'
import type { NodeKind, OutputHandle, TimeRange, TransitionSpec } from './types.ts'

const RESERVED_HANDLES: readonly string[] = ['anything', 'timeout', ...branchIntents.map(intentHandleId)]

export const waitForReplyConfigSchema = z.object({
  branches: z
    .array(
      z.object({
        /** The handle id; a tapped button with this id matches, as does its title typed out. */
        id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Use 1–64 letters, digits, "-" or "_"'),
        title: z.string().max(80),
        keywords: z.array(z.string().max(100)).max(50),
      }),
    )
    .max(20),
  /**
   * What a reply may want that gets its own output ("Wants to talk to a person"), checked after the buttons and
   * keywords. Documents from before intents have none.
   */
  intents: z
    .array(branchIntentSchema)
    .max(branchIntents.length)
    .refine((intents) => new Set(intents).size === intents.length, 'Each intent once')
    .optional(),
  /** No timeout: waits for as long as the run lives. */
  timeout: durationSchema.nullable(),
})
export type WaitForReplyConfig = z.infer<typeof waitForReplyConfigSchema>

export const waitForReplyDefaults = {
  branches: [],
  intents: [],
  timeout: { amount: 1, unit: 'days' },
} as const satisfies WaitForReplyConfig

function branchLabel(branch: { title: string; keywords: string[] }, index: number): string {
  if (branch.title.trim()) return branch.title.trim()
  const words = branch.keywords.map((k) => k.trim()).filter(Boolean)
  return words.length > 0 ? words.map((w) => `“${w}”`).join(', ') : `Answer ${index + 1}`
}

/** The ticked intents in one fixed order, so the card's outputs do not move with the order they were ticked. */
function chosenIntents(config: WaitForReplyConfig): BranchIntent[] {
  const chosen = new Set(config.intents ?? [])
  return branchIntents.filter((intent) => chosen.has(intent))
}

export const waitForReply: NodeKind<'wait-for-reply', WaitForReplyConfig> = {
  kind: 'wait-for-reply',
  title: 'Wait for reply',
  description: 'Waits for the shopper to answer and branches on the answer.',
  group: 'timing',
  configSchema: waitForReplyConfigSchema,
  defaults: waitForReplyDefaults,
  handles: (config) => {
    // Named by its title, else by its words; never by its id, which the merchant never sees.
    const handles: OutputHandle[] = config.branches.map((b, i) => ({ id: b.id, label: branchLabel(b, i) }))
    for (const intent of chosenIntents(config))
      handles.push({ id: intentHandleId(intent), label: branchIntentLabels[intent] })
    handles.push({ id: 'anything', label: 'Anything else' })
    if (config.timeout) handles.push({ id: 'timeout', label: 'No reply' })
    return handles
  },
  facts: (config) => {
    const timeoutMs = config.timeout ? durationToMs(config.timeout) : Number.POSITIVE_INFINITY
    const replyWindow: TimeRange = { min: 0, max: timeoutMs }
    const timing: Record<string, TimeRange> = { anything: replyWindow }
    for (const branch of config.branches) timing[branch.id] = replyWindow
    const intentHandles = chosenIntents(config).map(intentHandleId)
    for (const handle of intentHandles) timing[handle] = replyWindow
    if (config.timeout) timing.timeout = { min: timeoutMs, max: timeoutMs }
    return {
      sends: 0,
      marketing: false,
      timing,
      opensWindow: [...config.branches.map((b) => b.id), ...intentHandles, 'anything'],
      waits: true,
      terminal: false,
      writes: ['reply'],
      hasTemplateFallback: false,
    }
  },
  check: (config, ctx) => {
    const issues = []
    if (config.timeout && !(durationToMs(config.timeout) > 0)) {
      issues.push({
        severity: 'error' as const,
        code: 'non_positive_delay',
        message: `'${ctx.nodeLabel}' must wait longer than 0 ${config.timeout.unit}`,
        nodeId: ctx.nodeId,
      })
    }
    const seen = new Set<string>()
    for (const branch of config.branches) {
      if (RESERVED_HANDLES.includes(branch.id) || seen.has(branch.id)) {
        issues.push({
          severity: 'error' as const,
          code: 'duplicate_branch',
          message: `'${ctx.nodeLabel}' has two branches called "${branch.id}"`,
          nodeId: ctx.nodeId,
        })
      }
      seen.add(branch.id)
      if (branch.title.trim() === '' && branch.keywords.every((k) => k.trim() === '')) {
        issues.push({
          severity: 'warning' as const,
          code: 'branch_never_matches',
          message: `A branch of '${ctx.nodeLabel}' has neither a button title nor keywords, so only a tap on button "${branch.id}" takes it`,
          nodeId: ctx.nodeId,
        })
      }
    }
    return issues
  },
  templates: () => [],
  compile: (config, ctx) => {
    const onMessage: TransitionSpec[] = config.branches.map((branch) => ({
      guard: {
        type: 'replyMatches',
        params: { buttonIds: [branch.id], titles: [branch.title], keywords: branch.keywords },
      },
      target: ctx.target(branch.id),
      actions: [storeReply],
    }))
    for (const intent of chosenIntents(config)) {
      onMessage.push({
        guard: { type: 'replyIntentIs', params: { intents: [intent] } },
        target: ctx.target(intentHandleId(intent)),
        actions: [storeReply],
      })
    }
    onMessage.push({ target: ctx.target('anything'), actions: [storeReply] })
    const timeout = config.timeout
    return {
      on: { 'message.received': onMessage },
      ...(timeout
        ? {
            after: {
              [ctx.delay('timeout', () => Math.max(0, durationToMs(timeout)))]: [
                { target: ctx.target('timeout') },
              ],
            },
          }
        : {}),
    }
  },
}
