import { describe, expect, it } from 'vitest'
import { transition } from 'xstate'
import { compile } from './compile.ts'
import { toJsonValue } from './json-value.ts'
import { parseFlowDocument } from './parse.ts'
import { FlowRunError, MachineStepper, start, step } from './stepper.ts'

const HOUR = 3_600_000
const at = (x: number, y = 0) => ({ x, y })

function machineOf(nodes: unknown[], edges: unknown[], settings?: unknown) {
  const parsed = parseFlowDocument({ version: 1, name: 'stepper test', nodes, edges, settings })
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
  return compile(parsed.doc)
}

// start → ask (send) → wait (reply loops back to itself; 2 h timeout) → bye (send) → end
const loopMachine = machineOf(
  [
    { id: 'start', kind: 'trigger-manual', position: at(0), config: {} },
    { id: 'ask', kind: 'send-message', position: at(0, 1), config: { text: 'Anything else?' } },
    {
      id: 'wait',
      kind: 'wait-for-reply',
      position: at(0, 2),
      config: { timeout: { amount: 2, unit: 'hours' } },
    },
    { id: 'bye', kind: 'send-message', position: at(0, 3), config: { text: 'Bye' } },
    { id: 'done', kind: 'end', position: at(0, 4), config: { outcome: 'done' } },
  ],
  [
    { id: '1', source: 'start', target: 'ask' },
    { id: '2', source: 'ask', target: 'wait' },
    { id: '3', source: 'wait', sourceHandle: 'anything', target: 'wait' },
    { id: '4', source: 'wait', sourceHandle: 'timeout', target: 'bye' },
    { id: '5', source: 'bye', target: 'done' },
  ],
)
const TIMER = 'xstate.after.wait.timeout.flow.wait'

describe('start', () => {
  it('runs to the first wait and reports effects, timers, visits and a JSON snapshot', () => {
    const result = start(loopMachine, { vars: {}, seed: 's' }, { now: 1000 })
    expect(result.visited).toEqual(['start', 'ask', 'wait'])
    expect(result.activeNodeIds).toEqual(['wait'])
    expect(result.status).toBe('active')
    expect(result.outcome).toBeNull()
    expect(result.effects).toEqual([
      { type: 'send', nodeId: 'ask', purpose: 'service', message: { text: 'Anything else?' } },
    ])
    expect(result.timers).toEqual({
      set: [{ id: TIMER, delayMs: 2 * HOUR, dueAt: 1000 + 2 * HOUR, event: { type: TIMER } }],
      cancel: [],
    })
    expect(JSON.parse(JSON.stringify(result.snapshot))).toEqual(result.snapshot)
  })
})

describe('step', () => {
  it('nets a cancel and re-set of the same timer into one set at the new due time', () => {
    const first = start(loopMachine, { vars: {}, seed: 's' }, { now: 0 })
    const result = step(
      loopMachine,
      first.snapshot,
      { type: 'message.received', text: 'and this?' },
      { now: HOUR },
    )
    expect(result.visited).toEqual(['wait'])
    expect(result.timers).toEqual({
      set: [{ id: TIMER, delayMs: 2 * HOUR, dueAt: 3 * HOUR, event: { type: TIMER } }],
      cancel: [],
    })
  })

  it('fires a timer the host stored and cancels the fired state’s own timer', () => {
    const first = start(loopMachine, { vars: {}, seed: 's' }, { now: 0 })
    const fired = step(loopMachine, first.snapshot, first.timers.set[0]!.event, { now: 2 * HOUR })
    expect(fired.visited).toEqual(['bye', 'done'])
    expect(fired.effects.map((e) => e.type === 'send' && e.message.text)).toEqual(['Bye'])
    expect(fired.timers).toEqual({ set: [], cancel: [TIMER] })
    expect(fired).toMatchObject({ status: 'done', outcome: 'done', activeNodeIds: [] })
  })

  it('treats events the current state does not handle as no-ops', () => {
    const first = start(loopMachine, { vars: {}, seed: 's' }, { now: 0 })
    for (const event of [
      { type: 'staff.handback' as const },
      { type: 'effect.result' as const, nodeId: 'wait', ok: true },
      { type: 'xstate.after.other.flow.other' as const },
      { type: 'order.created' as const, order: { id: '1', number: '1', total: 1, currency: 'USD' } },
    ]) {
      const result = step(loopMachine, first.snapshot, event, { now: HOUR })
      expect(result).toEqual({ ...first, visited: [], effects: [], timers: { set: [], cancel: [] } })
    }
  })

  it('does nothing once the run is done', () => {
    const first = start(loopMachine, { vars: {}, seed: 's' }, { now: 0 })
    const done = step(loopMachine, first.snapshot, { type: 'contact.opted_out' }, { now: 1 })
    expect(done).toMatchObject({ status: 'done', outcome: 'opted_out', timers: { cancel: [TIMER] } })
    const after = step(loopMachine, done.snapshot, { type: 'message.received', text: 'hi' }, { now: 2 })
    expect(after).toMatchObject({
      status: 'done',
      outcome: 'opted_out',
      effects: [],
      visited: [],
      timers: { set: [], cancel: [] },
    })
  })

  it('stamps the host clock on events: time-of-day delays count from the step’s now', () => {
    const machine = machineOf(
      [
        { id: 'start', kind: 'trigger-manual', position: at(0), config: {} },
        { id: 'wait', kind: 'wait-for-reply', position: at(0, 1), config: { timeout: null } },
        {
          id: 'morning',
          kind: 'delay',
          position: at(0, 2),
          config: { mode: 'time_of_day', time: '09:00', fallbackTimeZone: 'UTC' },
        },
      ],
      [
        { id: '1', source: 'start', target: 'wait' },
        { id: '2', source: 'wait', sourceHandle: 'anything', target: 'morning' },
      ],
    )
    const first = start(machine, { vars: {}, seed: 's' }, { now: Date.UTC(2025, 0, 1, 0, 0) })
    const now = Date.UTC(2025, 0, 1, 8, 15)
    // Even an `at` from the caller is replaced by the host clock the step is given.
    const result = step(machine, first.snapshot, { type: 'message.received', text: 'hi', at: 0 }, { now })
    expect(result.timers.set).toEqual([
      {
        id: 'xstate.after.morning.until.flow.morning',
        delayMs: 45 * 60_000,
        dueAt: Date.UTC(2025, 0, 1, 9, 0),
        event: { type: 'xstate.after.morning.until.flow.morning' },
      },
    ])
  })

  it('continues identically from a snapshot restored from JSON text', () => {
    const first = start(loopMachine, { vars: { contact: { name: 'A' } }, seed: 's' }, { now: 0 })
    const restored = JSON.parse(JSON.stringify(first.snapshot))
    const event = { type: 'message.received' as const, text: 'x' }
    expect(step(loopMachine, restored, event, { now: 5 })).toEqual(
      step(loopMachine, first.snapshot, event, { now: 5 }),
    )
  })

  it('refuses a snapshot that does not fit the machine with a typed error', () => {
    const first = start(loopMachine, { vars: {}, seed: 's' }, { now: 0 })
    expect(() =>
      step(loopMachine, { ...first.snapshot, value: 'gone' }, { type: 'staff.handback' }, { now: 1 }),
    ).toThrow(FlowRunError)
  })
})

describe('MachineStepper', () => {
  it('steps many runs of one machine with one scope, exactly as fresh calls do', () => {
    const stepper = new MachineStepper(loopMachine)
    const runs = ['a', 'b', 'c'].map((seed) => stepper.start({ vars: { seed }, seed }, { now: 0 }))
    expect(runs).toEqual(
      ['a', 'b', 'c'].map((seed) => start(loopMachine, { vars: { seed }, seed }, { now: 0 })),
    )
    // Interleaved: a reply to one run, a timer of another, a reply again; no action leaks between calls.
    const replied = stepper.step(runs[0]!.snapshot, { type: 'message.received', text: 'hi' }, { now: HOUR })
    const fired = stepper.step(runs[1]!.snapshot, runs[1]!.timers.set[0]!.event, { now: 2 * HOUR })
    const again = stepper.step(
      replied.snapshot,
      { type: 'message.received', text: 'more' },
      { now: 2 * HOUR },
    )
    expect(replied).toEqual(
      step(loopMachine, runs[0]!.snapshot, { type: 'message.received', text: 'hi' }, { now: HOUR }),
    )
    expect(fired).toEqual(
      step(loopMachine, runs[1]!.snapshot, runs[1]!.timers.set[0]!.event, { now: 2 * HOUR }),
    )
    expect(fired.effects.map((e) => e.type === 'send' && e.message.text)).toEqual(['Bye'])
    expect(again.visited).toEqual(['wait'])
    expect(again.effects).toEqual([])
    expect(again.snapshot).toEqual(
      step(loopMachine, replied.snapshot, { type: 'message.received', text: 'more' }, { now: 2 * HOUR })
        .snapshot,
    )
  })

  it('restores stored runs at rest in one state as XState’s resolveState does, each with its own context', () => {
    const stepper = new MachineStepper(loopMachine)
    const runs = ['a', 'b', 'c'].map((seed) => stepper.start({ vars: { seed }, seed }, { now: 0 }))
    const event = { type: 'message.received' as const, text: 'hi' }
    for (const [i, run] of runs.entries()) {
      const stored = JSON.parse(JSON.stringify(run.snapshot))
      const now = HOUR * (i + 1)
      // XState's own restore and pure transition, without the stepper's kept state nodes.
      const [next, actions] = transition(loopMachine, loopMachine.resolveState(stored), {
        ...event,
        at: now,
      } as never)
      const result = stepper.step(stored, event, { now })
      expect(result.snapshot).toEqual(toJsonValue(loopMachine.getPersistedSnapshot(next)))
      expect(result.snapshot).toMatchObject({ context: { vars: { seed: ['a', 'b', 'c'][i] } } })
      const visits = (actions as { type: string; params?: { nodeId?: string } }[]).filter(
        (a) => a.type === 'visit',
      )
      expect(result.visited).toEqual(visits.map((a) => a.params?.nodeId))
    }
  })

  it('restores a run stored in a final state as done, whatever status was stored, as resolveState does', () => {
    const stepper = new MachineStepper(loopMachine)
    const first = stepper.start({ vars: {}, seed: 's' }, { now: 0 })
    const done = stepper.step(first.snapshot, { type: 'contact.opted_out' }, { now: 1 })
    const stored = { ...done.snapshot, status: 'active' }
    const again = stepper.step(stored, { type: 'message.received', text: 'hi' }, { now: 2 })
    expect(again).toMatchObject({ status: 'done', outcome: 'opted_out', effects: [], visited: [] })
    expect(again.snapshot.status).toBe(loopMachine.resolveState(stored as never).status)
    expect(again.snapshot.status).toBe('done')
  })
})
