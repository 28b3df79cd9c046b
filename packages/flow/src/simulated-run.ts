// A run hosted in memory with a simulated clock: it keeps the timer table the way the runtime's timers
// table does and fires due timers in order as time advances. Tests and the editor's simulator use it
// to play 72 hours of a flow in milliseconds. Given a port, it performs each step's effects with the same
// handlers as the runtime (`effectHandlers`) and feeds their answers back, as the runtime does.
import type { FlowMachine } from './compile.ts'
import { performEffectsNow, type SyncEffectPort, snapshotVars } from './effect-handlers.ts'
import type { Effect } from './effects.ts'
import type { FlowEventInput } from './events.ts'
import {
  type PersistedFlowSnapshot,
  type StartInput,
  type StepResult,
  start,
  step,
  type TimerSet,
} from './stepper.ts'

export interface TimedEffect {
  at: number
  effect: Effect
}

export interface SimulatedRunHooks {
  /** Performs effects (sample answers in the simulator); without it effects are only recorded. */
  port?: SyncEffectPort
  /** Called with each step's result before its timers are applied and its effects performed. */
  onStep?: (result: StepResult) => void
  /** Called when a timer fires, before its step. */
  onTimerFired?: (timer: TimerSet) => void
}

/** Effect answers chained in one step before the run stops answering (a flow looping on look-ups). */
const MAX_CHAINED_STEPS = 25

export class SimulatedRun {
  now: number
  snapshot: PersistedFlowSnapshot
  readonly timers = new Map<string, TimerSet>()
  readonly effects: TimedEffect[] = []
  readonly visits: { at: number; nodeId: string }[] = []
  /** Every timer id the run cancelled, in order. */
  readonly cancelled: string[] = []
  last: StepResult

  constructor(
    readonly machine: FlowMachine,
    input: StartInput,
    startAt = 0,
    private readonly hooks: SimulatedRunHooks = {},
  ) {
    this.now = startAt
    this.last = start(machine, input, { now: startAt })
    this.snapshot = this.last.snapshot
    this.apply(this.last, 0)
  }

  get status(): StepResult['status'] {
    return this.last.status
  }

  get outcome(): string | null {
    return this.last.outcome
  }

  /** Sends the shopper's or the store's event at the current time. */
  send(event: FlowEventInput): StepResult {
    return this.stepWith(event)
  }

  /** Moves the clock to `time`, firing every timer due by then in due order. */
  advanceTo(time: number): void {
    for (;;) {
      const due = [...this.timers.values()]
        .filter((t) => t.dueAt <= time)
        .sort((a, b) => a.dueAt - b.dueAt || a.id.localeCompare(b.id))[0]
      if (!due || this.status === 'done') break
      this.now = Math.max(this.now, due.dueAt)
      this.timers.delete(due.id)
      this.hooks.onTimerFired?.(due)
      this.stepWith(due.event as FlowEventInput)
    }
    this.now = Math.max(this.now, time)
  }

  sends(): { at: number; effect: Extract<Effect, { type: 'send' }> }[] {
    return this.effects.flatMap(({ at, effect }) => (effect.type === 'send' ? [{ at, effect }] : []))
  }

  private stepWith(event: FlowEventInput, chained = 0): StepResult {
    this.last = step(this.machine, this.snapshot, event, { now: this.now })
    this.snapshot = this.last.snapshot
    this.apply(this.last, chained)
    return this.last
  }

  private apply(result: StepResult, chained: number): void {
    this.hooks.onStep?.(result)
    for (const id of result.timers.cancel) {
      this.timers.delete(id)
      this.cancelled.push(id)
    }
    for (const timer of result.timers.set) this.timers.set(timer.id, timer)
    for (const effect of result.effects) this.effects.push({ at: this.now, effect })
    for (const nodeId of result.visited) this.visits.push({ at: this.now, nodeId })
    if (result.status === 'done') this.timers.clear()
    const { port } = this.hooks
    if (!port) return
    const answers = performEffectsNow(result.effects, port, snapshotVars(result.snapshot))
    for (const answer of answers) {
      if (this.status !== 'active' || chained >= MAX_CHAINED_STEPS) break
      this.stepWith(answer, chained + 1)
    }
  }
}
