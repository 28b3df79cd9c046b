// The contract every node kind module fulfils: one module per kind under src/nodes/, holding its config
// schema, defaults, output handles, compile-to-state and the facts static analysis needs.
import type { z } from 'zod'
import type { ChannelKind } from '../document.ts'

export type NodeGroup = 'triggers' | 'messages' | 'timing' | 'logic' | 'actions' | 'people'

export interface OutputHandle {
  id: string
  /** Shown beside the handle on the canvas ("Yes", "Timeout", a button title). */
  label: string
}

/** Inclusive time range in ms; `max` may be Infinity (waits without timeout). */
export interface TimeRange {
  min: number
  max: number
}

/** What starts a run of a flow: store events or an inbound message. */
export type TriggerSpec =
  | { event: 'cart.abandoned' }
  | { event: 'order.created' }
  | { event: 'order.shipped' }
  | { event: 'message.received'; match: 'any' }
  | { event: 'message.received'; match: 'keyword'; keywords: string[] }
  | { event: 'manual' }

export interface NodeFacts {
  /** Set on trigger kinds only. */
  trigger?: TriggerSpec
  /** Messages one pass through the node sends to the shopper. */
  sends: number
  /** True when the node's sends are marketing (quiet hours, consent, template category). */
  marketing: boolean
  /**
   * For each output handle: how long after entering the node it can be left through that handle.
   * A handle missing here is never taken.
   */
  timing: Record<string, TimeRange>
  /** Handles taken because the shopper just wrote to us: the WhatsApp 24-hour window reopens there. */
  opensWindow: string[]
  /** True when the node can pause for an event or timer (a loop through such a node is not a busy loop). */
  waits: boolean
  /** True for `end`: leaving the flow is the point. */
  terminal: boolean
  /** Variables the node writes into the run's context (e.g. collect input's target, `order` for lookups). */
  writes: string[]
  /** True when a send from this node has a WhatsApp template fallback configured. */
  hasTemplateFallback: boolean
}

export type IssueSeverity = 'error' | 'warning'

export interface FlowIssue {
  severity: IssueSeverity
  code: string
  message: string
  nodeId?: string
  edgeId?: string
}

/** Kind-specific checks: what only the kind itself can judge about its config. */
export interface NodeCheckContext {
  nodeId: string
  /** The merchant's name for the node, or the kind's title: use it in messages ("'Reminder' ..."). */
  nodeLabel: string
  channels: ChannelKind[]
}

export interface NodeKind<K extends string = string, C = unknown> {
  kind: K
  /** "Send message" */
  title: string
  /** One line for the palette tooltip. */
  description: string
  group: NodeGroup
  configSchema: z.ZodType<C>
  defaults: C
  handles(config: C): OutputHandle[]
  facts(config: C): NodeFacts
  /** Issues with the config on its own (non-positive delay, too many buttons for WhatsApp...). */
  check(config: C, ctx: NodeCheckContext): FlowIssue[]
  /** Template strings in the config, for the unknown-variable check and the variable picker. */
  templates(config: C): string[]
}
