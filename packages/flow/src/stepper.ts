// The pure stepper: start a run or feed it one event, and get back what the host must do: the new
// snapshot to store, effects to perform, timers to set or cancel. XState does not persist pending
// `after` timers, so they are handed to the host here (DESIGN.md, "Compile and step").
import { initialTransition, transition } from 'xstate'
import type { FlowMachine } from './compile.ts'
import type { Effect } from './effects.ts'
import type { FlowEvent, FlowEventInput } from './events.ts'
import type { FlowVars } from './run-context.ts'

export interface TimerSet {
  /** Stable per state: re-entering a state re-arms the same id. */
  id: string
  delayMs: number
  dueAt: number
  /** Fire it by stepping this event (the stepper stamps `at`). */
  event: { type: `xstate.after.${string}` }
}

export interface StepResult {
  /** JSON-serialisable; store it and pass it back to `step`. */
  snapshot: PersistedFlowSnapshot
  effects: Effect[]
  timers: { set: TimerSet[]; cancel: string[] }
  status: 'active' | 'done'
  outcome: string | null
  /** Where the run now rests (empty once done). */
  activeNodeIds: string[]
  /** Node ids entered during this step, in order. */
  visited: string[]
}

/** The machine's persisted snapshot as plain JSON data. */
export type PersistedFlowSnapshot = Record<string, unknown> & { status: string; value: unknown }

export interface StartInput {
  triggerNodeId?: string
  vars: FlowVars
  seed: string
  cartToken?: string
}

type Snapshot = ReturnType<typeof initialTransition<FlowMachine>>[0]
type Actions = ReturnType<typeof initialTransition<FlowMachine>>[1]

interface RaiseParams {
  event: { type: string }
  id?: string
  delay?: number
}

function isNodeState(value: unknown): value is string {
  return typeof value === 'string' && !value.startsWith('@')
}

/**
 * A run the machine could not continue (XState put the snapshot in its error state). Compiled flows
 * only run the closed set of actions and guards, so this signals a bug or a corrupt snapshot; the host
 * marks the run failed rather than storing the snapshot.
 */
export class FlowRunError extends Error {
  override name = 'FlowRunError'
  readonly code = 'flow_run_error'
}

function summarize(machine: FlowMachine, snapshot: Snapshot, actions: Actions, now: number): StepResult {
  if (snapshot.status === 'error') {
    throw new FlowRunError(`The run stopped with an error: ${String(snapshot.error)}`, {
      cause: snapshot.error,
    })
  }
  const effects: Effect[] = []
  const visited: string[] = []
  // Insertion order of a Map keeps the host's timer writes in the order XState issued them.
  const timers = new Map<string, { kind: 'set'; timer: TimerSet } | { kind: 'cancel' }>()
  for (const action of actions) {
    const params = action.params as unknown
    const type = action.type as string
    if (type === 'visit') visited.push((params as { nodeId: string }).nodeId)
    else if (type === 'emit') effects.push(structuredClone(params as Effect))
    else if (type === 'xstate.raise') {
      const raise = params as RaiseParams
      if (typeof raise.delay !== 'number') continue
      const id = raise.id ?? raise.event.type
      timers.delete(id)
      timers.set(id, {
        kind: 'set',
        timer: {
          id,
          delayMs: raise.delay,
          dueAt: now + raise.delay,
          event: { type: raise.event.type as TimerSet['event']['type'] },
        },
      })
    } else if (type === 'xstate.cancel') {
      const id = (params as { sendId: string }).sendId
      const pending = timers.get(id)
      timers.delete(id)
      // A timer set and cancelled within one step never reaches the host.
      if (pending?.kind !== 'set') timers.set(id, { kind: 'cancel' })
    }
  }
  const set: TimerSet[] = []
  const cancel: string[] = []
  for (const [id, entry] of timers) {
    if (entry.kind === 'set') set.push(entry.timer)
    else cancel.push(id)
  }
  const done = snapshot.status === 'done'
  const output = snapshot.output as { outcome?: string } | undefined
  return {
    snapshot: JSON.parse(JSON.stringify(machine.getPersistedSnapshot(snapshot))) as PersistedFlowSnapshot,
    effects,
    timers: { set, cancel },
    status: done ? 'done' : 'active',
    outcome: done ? (output?.outcome ?? snapshot.context.outcome ?? null) : null,
    activeNodeIds: !done && isNodeState(snapshot.value) ? [snapshot.value] : [],
    visited,
  }
}

/**
 * Starts a run: dispatches to the trigger node and runs until the first wait.
 * @example const first = start(machine, { vars: { contact, cart }, seed: runId }, { now: clock.now() })
 */
export function start(machine: FlowMachine, input: StartInput, opts: { now: number }): StepResult {
  const [snapshot, actions] = initialTransition(machine, { ...input, now: opts.now })
  return summarize(machine, snapshot, actions, opts.now)
}

/**
 * Feeds one event to a stored run. Events the current state does not handle change nothing.
 * @example const next = step(machine, run.snapshot, { type: 'message.received', text: 'hi' }, { now })
 */
export function step(
  machine: FlowMachine,
  persisted: PersistedFlowSnapshot,
  event: FlowEvent | FlowEventInput,
  opts: { now: number },
): StepResult {
  let restored: Snapshot
  try {
    restored = machine.resolveState(persisted as unknown as Parameters<FlowMachine['resolveState']>[0])
  } catch (error) {
    throw new FlowRunError('The stored run does not fit this flow version', { cause: error })
  }
  if (restored.status !== 'active') return summarize(machine, restored, [], opts.now)
  const stamped = { ...event, at: opts.now } as FlowEvent
  const [snapshot, actions] = transition(machine, restored, stamped)
  return summarize(machine, snapshot, actions, opts.now)
}
