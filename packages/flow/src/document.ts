// The flow document: what the editor saves, the runtime publishes and the compiler reads.
// Node configs are validated per kind by the node registry (see parse.ts); this file holds the envelope.
import { z } from 'zod'

/** v2: quick-reply buttons of a Send message are its outputs (see upgrade-v1-to-v2.ts). */
export const FLOW_DOCUMENT_VERSION = 2

export const nodeIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Use 1–64 letters, digits, "-" or "_"')

export const positionSchema = z.object({ x: z.number().finite(), y: z.number().finite() })

export const channelKindSchema = z.enum(['webchat', 'whatsapp', 'telegram'])
export type ChannelKind = z.infer<typeof channelKindSchema>

/** A node before its config is checked against its kind. */
export const rawFlowNodeSchema = z.object({
  id: nodeIdSchema,
  kind: z.string().min(1),
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
  nodes: z.array(rawFlowNodeSchema).max(5000),
  edges: z.array(flowEdgeSchema).max(20000),
  settings: flowSettingsSchema.default({
    description: '',
    channels: ['webchat', 'whatsapp', 'telegram'],
    exitEvents: [],
  }),
})
export type RawFlowDocument = z.infer<typeof rawFlowDocumentSchema>
