// The flow document: what the editor saves, the runtime publishes and the compiler reads.
// Node configs are validated per kind by the node registry (see parse.ts); this file holds the envelope.
import { z } from 'zod'

/** v2: quick-reply buttons of a Send message are its outputs (see upgrade-v1-to-v2.ts). */
export const FLOW_DOCUMENT_VERSION = 2

/**
 * How big a flow may be: far above any real flow (the starter flows have about 20 steps), low enough that
 * checking or compiling one never takes long on the shared service.
 */
export const FLOW_LIMITS = { maxNodes: 1000, maxEdges: 2000, maxDocumentBytes: 512 * 1024 } as const

export const nodeIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Use 1–64 letters, digits, "-" or "_"')

export const positionSchema = z.object({ x: z.number().finite(), y: z.number().finite() })

export const channelKindSchema = z.enum(['webchat', 'whatsapp', 'telegram'])
export type ChannelKind = z.infer<typeof channelKindSchema>

/** A node before its config is checked against its kind. */
export const rawFlowNodeSchema = z.object({
  id: nodeIdSchema,
  kind: z.string().min(1).max(64),
  /** The merchant's name for the step ("Reminder"), used in messages about it. */
  name: z.string().max(80).optional(),
  position: positionSchema,
  config: z.unknown(),
})
export type RawFlowNode = z.infer<typeof rawFlowNodeSchema>

export const flowEdgeSchema = z.object({
  id: z.string().min(1).max(128),
  source: nodeIdSchema,
  sourceHandle: z.string().min(1).max(64).default('next'),
  target: nodeIdSchema,
})
export type FlowEdge = z.infer<typeof flowEdgeSchema>

/**
 * An event that ends a run wherever it is, e.g. "an order was created for this cart" → outcome `recovered`.
 * `sameCart` restricts order events to the cart the run was started for.
 */
export const exitEventSchema = z.object({
  event: z.enum(['order.created', 'order.shipped', 'contact.opted_out']),
  outcome: z.string().min(1).max(40),
  sameCart: z.boolean().default(true),
})
export type ExitEvent = z.infer<typeof exitEventSchema>

export const flowSettingsSchema = z.object({
  description: z.string().max(500).default(''),
  /** Channels the flow will run on; button limits and template checks follow from them. */
  channels: z.array(channelKindSchema).min(1).default(['webchat', 'whatsapp', 'telegram']),
  exitEvents: z.array(exitEventSchema).default([]),
})
export type FlowSettings = z.infer<typeof flowSettingsSchema>

export const rawFlowDocumentSchema = z.object({
  version: z.literal(FLOW_DOCUMENT_VERSION),
  name: z.string().trim().min(1).max(120),
  nodes: z
    .array(rawFlowNodeSchema)
    .max(FLOW_LIMITS.maxNodes, `A flow can have at most ${FLOW_LIMITS.maxNodes} steps`),
  edges: z
    .array(flowEdgeSchema)
    .max(FLOW_LIMITS.maxEdges, `A flow can have at most ${FLOW_LIMITS.maxEdges} connections`),
  settings: flowSettingsSchema.default({
    description: '',
    channels: ['webchat', 'whatsapp', 'telegram'],
    exitEvents: [],
  }),
})
export type RawFlowDocument = z.infer<typeof rawFlowDocumentSchema>

/**
 * The size limits checked before anything else reads the document (so an oversized one costs almost
 * nothing): its JSON size and how many steps and connections it has. Null when it is within them.
 */
export function flowDocumentSizeIssue(
  json: unknown,
): { severity: 'error'; code: string; message: string } | null {
  const tooLarge = (message: string) => ({ severity: 'error' as const, code: 'document_too_large', message })
  if (typeof json !== 'object' || json === null) return null
  const { nodes, edges } = json as { nodes?: unknown; edges?: unknown }
  if (Array.isArray(nodes) && nodes.length > FLOW_LIMITS.maxNodes) {
    return tooLarge(`This flow has ${nodes.length} steps; a flow can have at most ${FLOW_LIMITS.maxNodes}`)
  }
  if (Array.isArray(edges) && edges.length > FLOW_LIMITS.maxEdges) {
    return tooLarge(
      `This flow has ${edges.length} connections; a flow can have at most ${FLOW_LIMITS.maxEdges}`,
    )
  }
  let bytes: number
  try {
    bytes = new TextEncoder().encode(JSON.stringify(json)).length
  } catch {
    return null // Not JSON at all (a cycle): the parser says so.
  }
  if (bytes > FLOW_LIMITS.maxDocumentBytes) {
    const kb = (n: number) => Math.ceil(n / 1024)
    return tooLarge(
      `This flow takes ${kb(bytes)} KB; a flow can take at most ${kb(FLOW_LIMITS.maxDocumentBytes)} KB (long texts or many steps)`,
    )
  }
  return null
}
