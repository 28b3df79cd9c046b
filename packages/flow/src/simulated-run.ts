// A run hosted in memory with a simulated clock: it keeps the timer table the way the runtime's timers
// table does and fires due timers in order as time advances. Tests and the editor's simulator use it
// to play 72 hours of a flow in milliseconds.
import type { FlowMachine } from './compile.ts'
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
  ) {
    this.now = startAt
    this.last = start(machine, input, { now: startAt })
    this.snapshot = this.last.snapshot
    this.apply(this.last)
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
      this.stepWith(due.event as FlowEventInput)
    }
    this.now = Math.max(this.now, time)
  }

  sends(): { at: number; effect: Extract<Effect, { type: 'send' }> }[] {
    return this.effects.flatMap(({ at, effect }) => (effect.type === 'send' ? [{ at, effect }] : []))
  }

  private stepWith(event: FlowEventInput): StepResult {
    this.last = step(this.machine, this.snapshot, event, { now: this.now })
    this.snapshot = this.last.snapshot
    this.apply(this.last)
    return this.last
  }

  private apply(result: StepResult): void {
    for (const id of result.timers.cancel) {
      this.timers.delete(id)
      this.cancelled.push(id)
    }
    for (const timer of result.timers.set) this.timers.set(timer.id, timer)
    for (const effect of result.effects) this.effects.push({ at: this.now, effect })
    for (const nodeId of result.visited) this.visits.push({ at: this.now, nodeId })
  }
}
