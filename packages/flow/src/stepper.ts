// The pure stepper: start a run or feed it one event, and get back what the host must do: the new
// snapshot to store, effects to perform, timers to set or cancel. XState does not persist pending
// `after` timers, so they are handed to the host here (DESIGN.md, "Compile and step").
import { type AnyActorScope, createActor, type initialTransition } from 'xstate'
import type { FlowMachine } from './compile.ts'
import type { Effect } from './effects.ts'
import type { FlowEvent, FlowEventInput } from './events.ts'
import { persistSnapshot } from './persisted-snapshot.ts'
import { plainClone } from './plain-clone.ts'
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
/** What `resolveState` reads of a stored snapshot. */
type StoredConfig = Parameters<FlowMachine['resolveState']>[0]

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

function summarize(
  machine: FlowMachine,
  snapshot: Snapshot,
  actions: Actions,
  now: number,
  before?: PersistedFlowSnapshot,
): StepResult {
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
    else if (type === 'emit') effects.push(plainClone(params as Effect))
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
    // Plain JSON data, as the column gives it back, without writing and parsing the text (persisted-snapshot.ts).
    snapshot: persistSnapshot(machine, snapshot, before) as PersistedFlowSnapshot,
    effects,
    timers: { set, cancel },
    status: done ? 'done' : 'active',
    outcome: done ? (output?.outcome ?? snapshot.context.outcome ?? null) : null,
    activeNodeIds: !done && isNodeState(snapshot.value) ? [snapshot.value] : [],
    visited,
  }
}

type Scope = AnyActorScope

/**
 * Steps one compiled machine, with the inert actor scope XState's pure `transition()` / `initialTransition()`
 * would build on every call, built once. Building it constructs an actor, whose constructor computes the machine's
 * initial snapshot (for a flow, the context factory without input: a TypeError XState catches), which cost more
 * than the step itself; besides building it those functions only call the machine's own `transition` /
 * `getInitialSnapshot` with it and collect the actions, as here. Keep one per compiled machine (the runtime's
 * flow-version cache holds it beside the machine). Our machines have no invoked or spawned actors, so the scope's
 * actor system is never written to and one scope serves every run of the machine.
 */
export class MachineStepper {
  readonly #scope: Scope
  /** `resolveState` of a stored state value: the parts of the snapshot that depend on the value alone (see `#restore`). */
  readonly #restored = new Map<unknown, Snapshot>()

  constructor(readonly machine: FlowMachine) {
    // As XState's createInertActorScope: an actor never started, and no-op hooks.
    const self = createActor(machine)
    this.#scope = {
      self,
      defer: () => {},
      id: '',
      logger: () => {},
      sessionId: '',
      stopChild: () => {},
      system: self.system,
      emit: () => {},
      actionExecutor: () => {},
    }
  }

  /**
   * A scope that collects the actions of one call (transitions are synchronous: one call at a time). A method, not
   * an arrow function: under tsx's `keepNames` an arrow built per step costs a `__name` defineProperty each time.
   */
  #collecting(actions: Actions): Scope {
    return {
      ...this.#scope,
      actionExecutor(action) {
        actions.push(action as Actions[number])
      },
    }
  }

  /** Starts a run: dispatches to the trigger node and runs until the first wait. */
  start(input: StartInput, opts: { now: number }): StepResult {
    const actions: Actions = []
    const snapshot = this.machine.getInitialSnapshot(this.#collecting(actions), { ...input, now: opts.now })
    return summarize(this.machine, snapshot, actions, opts.now)
  }

  /**
   * `machine.resolveState(persisted)`, without resolving the state value's nodes again for every run at rest in the
   * same state. XState's `resolveState` builds the snapshot from two things: the state nodes of `persisted.value`
   * (found, then turned into a Set, an adjacency Map and the value again: ~4 KB and ~2.5 µs a call, the largest
   * part of a timer firing's restore) and the stored fields it copies as they are (context, status, output, error,
   * historyValue). The first part is kept per state value, as XState built it; the snapshot is that with the stored
   * fields in place, the same object XState would return, key for key. XState treats a snapshot as immutable (a
   * transition builds new ones), so the kept parts (`_nodes`, `tags`, `value`) are shared safely; `children` is new.
   * A value that does not resolve throws as before and is not kept.
   */
  #restore(persisted: PersistedFlowSnapshot): Snapshot {
    const { value } = persisted
    // Compiled flows rest in a root-level state: the value is its key. Other values resolve as XState does.
    if (typeof value !== 'string') {
      return this.machine.resolveState(persisted as unknown as StoredConfig)
    }
    let template = this.#restored.get(value)
    if (template === undefined) {
      template = this.machine.resolveState({ value, context: {} } as StoredConfig)
      // Bounded by the machine's states (a value that is not one throws above); the guard is against the unforeseen.
      if (this.#restored.size < 1_000) this.#restored.set(value, template)
    }
    const stored = persisted as Partial<Snapshot>
    return {
      ...template,
      // As resolveState: a final state's snapshot is done whatever was stored.
      status: template.status === 'done' ? 'done' : stored.status || 'active',
      output: stored.output,
      error: stored.error,
      context: stored.context || {},
      children: {},
      historyValue: stored.historyValue || {},
    } as Snapshot
  }

  /** Feeds one event to a stored run. Events the current state does not handle change nothing. */
  step(
    persisted: PersistedFlowSnapshot,
    event: FlowEvent | FlowEventInput,
    opts: { now: number },
  ): StepResult {
    const { machine } = this
    let restored: Snapshot
    try {
      restored = this.#restore(persisted)
    } catch (error) {
      throw new FlowRunError('The stored run does not fit this flow version', { cause: error })
    }
    if (restored.status !== 'active') return summarize(machine, restored, [], opts.now, persisted)
    const stamped = { ...event, at: opts.now } as FlowEvent
    const actions: Actions = []
    const snapshot = machine.transition(restored, stamped, this.#collecting(actions))
    return summarize(machine, snapshot, actions, opts.now, persisted)
  }
}

/**
 * Starts a run: dispatches to the trigger node and runs until the first wait. (A `MachineStepper` kept per
 * machine does this without building XState's actor scope each time.)
 * @example const first = start(machine, { vars: { contact, cart }, seed: runId }, { now: clock.now() })
 */
export function start(machine: FlowMachine, input: StartInput, opts: { now: number }): StepResult {
  return new MachineStepper(machine).start(input, opts)
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
  return new MachineStepper(machine).step(persisted, event, opts)
}
