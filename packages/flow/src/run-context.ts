// The context of a running flow: the variables templates and conditions read, plus what the machine
// needs to stay deterministic (the run's seed) and to finish (the outcome).
import type { FlowEvent } from './events.ts'

/**
 * Variables a run reads and writes. The host seeds `contact`, `cart`, `order`, `store` and `trigger`
 * (the event that started the run); nodes add `reply`, `answer`, `incentive` and collected inputs.
 */
export type FlowVars = Record<string, unknown>

export interface FlowContext {
  vars: FlowVars
  /** Chosen by the host when the run starts; A/B splits hash it with the node id. */
  seed: string
  /** Attempts used so far per collect-input node. */
  retries: Record<string, number>
  /** Set by `end`, exit events and escalation; null while the run is active. */
  outcome: string | null
  triggerNodeId: string | null
  /** The cart the run was started for; exit events with `sameCart` compare order.cartToken to it. */
  cartToken?: string
  /** Host clock when the run started (ms); the time base for the first step's time-of-day delays. */
  startedAt: number
}

export interface FlowInput {
  /** The trigger node that matched; when absent, the document's first trigger starts the run. */
  triggerNodeId?: string
  vars: FlowVars
  seed: string
  cartToken?: string
  /** Host clock at start (ms). */
  now: number
}

export interface FlowOutput {
  outcome: string
}

/** The event a machine sees: a flow event, or XState's init event carrying the input. */
export type MachineEvent = FlowEvent | { type: 'xstate.init'; input: FlowInput }

/** What dynamic action params, delays and guards are computed from. */
export interface MachineArgs {
  context: FlowContext
  event: MachineEvent
}

/** The host's clock at the event being processed. */
export function eventTime({ context, event }: MachineArgs): number {
  if ('at' in event && typeof event.at === 'number' && Number.isFinite(event.at)) return event.at
  return context.startedAt
}
