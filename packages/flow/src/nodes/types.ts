// The contract every node kind module fulfils: one module per kind under src/nodes/, holding its config
// schema, defaults, output handles, compile-to-state and the facts static analysis needs.
import type { z } from 'zod'
import type { ConditionGroup } from '../condition.ts'
import type { ChannelKind, FlowSettings } from '../document.ts'
import type { Effect } from '../effects.ts'
import type { EgressAllowEntry } from '../egress-rules.ts'
import type { ReplyIntent } from '../intent/reply-intent.ts'
import type { MachineArgs } from '../run-context.ts'

export type NodeGroup = 'triggers' | 'messages' | 'timing' | 'logic' | 'actions' | 'people'

export interface OutputHandle {
  id: string
  /** Shown beside the handle on the canvas ("Yes", "Timeout", a button title). */
  label: string
  /** A quick-reply button: leaving it unconnected is an error, the shopper would tap into nothing. */
  button?: true
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
  | { event: 'order.delivered' }
  | { event: 'order.delivery_problem' }
  | { event: 'message.received'; match: 'any' }
  /** Only a greeting ("hi", "hallo"): ranks with keywords, above "any message". */
  | { event: 'message.received'; match: 'greeting' }
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
  /** The operator's egress allow-list (runtime setting): addresses it names are not refused early. */
  egressAllowList?: readonly EgressAllowEntry[]
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
  /**
   * The node's state in the compiled machine. Transitions target `ctx.target(handle)`; everything the
   * state does is a named action or guard from the closed sets below, so no user code ever runs.
   */
  compile(config: C, ctx: CompileContext): NodeStateSpec
}

/** A value known when the flow compiles, or computed from the run's context and event when it runs. */
export type Dynamic<T> = T | ((args: MachineArgs) => T)

/** Actions a node state may run; compile.ts implements each one. */
export type ActionSpec =
  /** Hand an effect to the host (send, escalate, lookups...). */
  | { type: 'emit'; params: Dynamic<Effect> }
  | { type: 'setVar'; params: Dynamic<{ name: string; value: unknown }> }
  | { type: 'setOutcome'; params: { outcome: string } }
  | { type: 'countRetry'; params: { nodeId: string } }
  | { type: 'resetRetries'; params: { nodeId: string } }

/** Guards a transition may use; compile.ts implements each one. */
export type GuardSpec =
  | { type: 'conditionHolds'; params: { group: ConditionGroup } }
  /** A message whose button id, text or keywords match. Empty criteria never match. */
  | { type: 'replyMatches'; params: { buttonIds: string[]; titles: string[]; keywords: string[] } }
  /** A message whose intent (the host's, else the rules') is one of these. */
  | { type: 'replyIntentIs'; params: { intents: ReplyIntent[] } }
  /** An effect.result addressed to the node; `ok` narrows to success or failure. */
  | { type: 'effectResultFor'; params: { nodeId: string; ok?: boolean } }
  /** The run's deterministic bucket (0–99, from seed + node id) falls in [from, to). */
  | { type: 'bucketIn'; params: { nodeId: string; from: number; to: number } }
  | { type: 'inputValid'; params: { inputType: InputType } }
  /** The shopper tapped (or typed) a collect-input's skip button. */
  | { type: 'inputSkipped'; params: { skipButton: string } }
  | { type: 'retriesLeft'; params: { nodeId: string; max: number } }

export type InputType = 'text' | 'number' | 'order_number' | 'email' | 'photo'

export interface TransitionSpec {
  /** From `ctx.target(handle)`; omitted to stay in the state and only run the actions. */
  target?: string
  guard?: GuardSpec
  actions?: ActionSpec[]
}

/** The inbound events a node may wait for. Timer events are declared through `after`. */
export type WaitedEventType =
  | 'message.received'
  | 'effect.result'
  | 'staff.handback'
  | 'conversation.resolved'
  | 'order.created'
  | 'order.shipped'

export interface NodeStateSpec {
  /** `end` only: the run is over once entered. */
  final?: boolean
  entry?: ActionSpec[]
  /** Taken as soon as the state is entered, first matching guard wins. */
  always?: TransitionSpec[]
  on?: Partial<Record<WaitedEventType, TransitionSpec[]>>
  /** Keyed by a delay name from `ctx.delay(...)`. */
  after?: Record<string, TransitionSpec[]>
}

export interface CompileContext {
  nodeId: string
  settings: FlowSettings
  /**
   * The absolute target (`#flow.<nodeId>`) of the node wired to `handleId`, or the implicit
   * dead-end final state when nothing is wired there.
   */
  target(handleId: string): string
  /** Whether anything is wired to `handleId` (an optional path such as escalate's "No one answered"). */
  isWired(handleId: string): boolean
  /** The final state that ends the run with the outcome set so far (pair with a `setOutcome` action). */
  exitTarget: string
  /**
   * Registers a delay computed when the state is entered (so it can read the shopper's time zone
   * and the event's clock) and returns its name for `after`. Names are scoped to the node.
   */
  delay(name: string, ms: (args: MachineArgs) => number): string
}
