// Escalate to staff: hand the conversation to a human queue with a summary of what the bot collected,
// then wait. Staff hand back → 'next'; staff resolve the conversation → the run ends. Nobody takes it within the
// queue's timeout (the runtime's `staff.unclaimed`) → 'unclaimed' when wired, else the run ends as unclaimed.
import { z } from 'zod'
import type { EscalateEffect, EscalationOrder } from '../effects.ts'
import { resolvePath } from '../path.ts'
import type { FlowVars } from '../run-context.ts'
import { renderSend } from './message-parts.ts'
import type { ActionSpec, FlowIssue, NodeKind } from './types.ts'

export const RESOLVED_BY_STAFF = 'resolved_by_staff'
/** The run's outcome when nobody took the escalation in time and no "No one answered" path is wired. */
export const UNCLAIMED_BY_STAFF = 'unclaimed_by_staff'

export const escalateConfigSchema = z.object({
  queue: z.string().max(64),
  /** What staff see first: each a label and the variable it shows ("Order number" ← order_number). */
  summaryFields: z
    .array(z.object({ label: z.string().min(1).max(60), path: z.string().min(1).max(200) }))
    .max(20),
  /**
   * Told to the shopper when handing over, just before the queue's own message of when a person will reply
   * (Settings → Queues); empty sends only that one.
   */
  note: z.string().max(4096),
})
export type EscalateConfig = z.infer<typeof escalateConfigSchema>

export const escalateDefaults = {
  queue: 'support',
  summaryFields: [],
  note: '',
} as const satisfies EscalateConfig

function displayValue(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (Array.isArray(value)) return value.map(displayValue).join(', ')
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** A photo answer (collect input "photo"): a list of media references like `webchat-photo:<id>` or URLs. */
function isPhotoList(value: unknown): value is string[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((v) => typeof v === 'string' && /^[a-z][a-z0-9+.-]*:\S+$/i.test(v))
  )
}

/** The order in the run's variables (`order`, filled by a look-up or an order trigger), for staff. */
function escalationOrder(value: unknown): EscalationOrder | undefined {
  if (!value || typeof value !== 'object') return undefined
  const order = value as Record<string, unknown>
  const name =
    typeof order.name === 'string' ? order.name : typeof order.number === 'string' ? order.number : ''
  if (name === '') return undefined
  const items = Array.isArray(order.items)
    ? order.items.flatMap((item) => {
        const i = (item ?? {}) as Record<string, unknown>
        return typeof i.title === 'string'
          ? [{ title: i.title, quantity: typeof i.quantity === 'number' ? i.quantity : 1 }]
          : []
      })
    : []
  return {
    name,
    items,
    ...(typeof order.returnable === 'boolean' ? { returnable: order.returnable } : {}),
    ...(typeof order.returnBy === 'string' ? { returnBy: order.returnBy } : {}),
    ...(typeof order.daysSinceDelivery === 'number' || order.daysSinceDelivery === null
      ? { daysSinceDelivery: order.daysSinceDelivery as number | null }
      : {}),
  }
}

export function escalationOf(nodeId: string, config: EscalateConfig, vars: FlowVars): EscalateEffect {
  const fields: Record<string, string> = {}
  const photos: string[] = []
  for (const field of config.summaryFields) {
    const value = resolvePath(vars, field.path)
    if (isPhotoList(value)) {
      // Staff see the photos themselves in the inbox; the summary line says how many.
      photos.push(...value)
      fields[field.label] = value.length === 1 ? '1 photo' : `${value.length} photos`
    } else fields[field.label] = displayValue(value)
  }
  const summary = config.summaryFields.map((f) => `${f.label}: ${fields[f.label] || '—'}`).join('\n')
  const order = escalationOrder(vars.order)
  return {
    type: 'escalate',
    nodeId,
    queue: config.queue.trim() || 'support',
    summary,
    fields,
    ...(order ? { order } : {}),
    ...(photos.length > 0 ? { photos } : {}),
  }
}

export const escalate: NodeKind<'escalate', EscalateConfig> = {
  kind: 'escalate',
  title: 'Escalate to staff',
  description: 'Hands the chat to your team with a summary; continues when they hand back.',
  group: 'people',
  configSchema: escalateConfigSchema,
  defaults: escalateDefaults,
  // "No one answered" is optional: left unwired, the run ends (it has no timing, so no unconnected warning).
  handles: () => [
    { id: 'next', label: 'Handed back' },
    { id: 'unclaimed', label: 'No one answered' },
  ],
  facts: (config) => ({
    sends: config.note.trim() === '' ? 0 : 1,
    marketing: false,
    timing: { next: { min: 0, max: Number.POSITIVE_INFINITY } },
    opensWindow: [],
    waits: true,
    terminal: false,
    writes: [],
    hasTemplateFallback: false,
  }),
  check: (config, ctx) => {
    const issues: FlowIssue[] = []
    const labels = new Set<string>()
    for (const field of config.summaryFields) {
      if (labels.has(field.label)) {
        issues.push({
          severity: 'error',
          code: 'duplicate_summary_field',
          message: `'${ctx.nodeLabel}' shows "${field.label}" twice in the summary`,
          nodeId: ctx.nodeId,
        })
      }
      labels.add(field.label)
    }
    return issues
  },
  templates: (config) =>
    [...config.summaryFields.map((f) => `{{${f.path}}}`), config.note].filter((t) => t !== ''),
  compile: (config, ctx) => {
    // The note first, then the escalation (whose handling tells the shopper, in the queue's words, when a person
    // will reply): the why, then the when. The other way round the shopper read the promise, then the note.
    const entry: ActionSpec[] = []
    if (config.note.trim() !== '') {
      entry.push({
        type: 'emit',
        params: ({ context }) => renderSend(ctx.nodeId, { text: config.note }, 'service', context.vars),
      })
    }
    entry.push({ type: 'emit', params: ({ context }) => escalationOf(ctx.nodeId, config, context.vars) })
    return {
      entry,
      on: {
        'staff.handback': [{ target: ctx.target('next') }],
        'staff.unclaimed': [
          ctx.isWired('unclaimed')
            ? { target: ctx.target('unclaimed') }
            : {
                target: ctx.exitTarget,
                actions: [{ type: 'setOutcome', params: { outcome: UNCLAIMED_BY_STAFF } }],
              },
        ],
        'conversation.resolved': [
          {
            target: ctx.exitTarget,
            actions: [{ type: 'setOutcome', params: { outcome: RESOLVED_BY_STAFF } }],
          },
        ],
      },
    }
  },
}
