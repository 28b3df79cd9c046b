// Property tests for compile + step: generated flows (any kinds, any wiring, loops only through nodes
// that wait) run under random event sequences without throwing, always come to rest in a waiting node
// or a final state, keep only their current state's timers, and resume identically from JSON.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { initialTransition, transition } from 'xstate'
import { compile, type FlowMachine } from './compile.ts'
import { COMPARISON_OPERATORS } from './condition.ts'
import type { FlowEvent, FlowEventInput } from './events.ts'
import { getNodeKind } from './nodes/index.ts'
import { type FlowDocument, parseFlowDocument } from './parse.ts'
import type { FlowVars } from './run-context.ts'
import { type PersistedFlowSnapshot, type StepResult, start, step, type TimerSet } from './stepper.ts'
import { PROPERTY_RUNS, PROPERTY_TIMEOUT_MS } from './test-support/property-runs.ts'

const text = fc.constantFrom(
  'Hi {{contact.first_name | default: "there"}}',
  '{{cart.items[0].title}} is still in your cart',
  'Order {{order.number}}: {{order.status}}',
  'You said {{reply}}',
  '{{answer}} / {{incentive.code}} / {{answer1}}',
  'Plain text',
)
const duration = fc.record({
  amount: fc.integer({ min: 1, max: 72 }),
  unit: fc.constantFrom('minutes' as const, 'hours' as const, 'days' as const),
})
const timeOfDay = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`)
const zone = fc.constantFrom(
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
)
const buttonIds = ['yes', 'no', 'later']
const button = fc.record({
  id: fc.constantFrom(...buttonIds),
  title: fc.constantFrom('Yes', 'No thanks', 'Later'),
})
const variable = fc.constantFrom('answer1', 'email', 'order_number', 'photos')
const path = fc.constantFrom(
  'cart.total',
  'contact.email',
  'reply',
  'order.status',
  'answer1',
  'cart.items[0].title',
)
const rule = fc.oneof(
  fc.record({
    path,
    operator: fc.constantFrom(...COMPARISON_OPERATORS),
    value: fc.oneof(fc.constantFrom('shipped', 'yes', ''), fc.integer({ min: -5, max: 200 }), fc.boolean()),
  }),
  fc.record({ path, operator: fc.constantFrom('is_set' as const, 'is_not_set' as const) }),
  fc.record({
    path,
    operator: fc.constant('is_one_of' as const),
    value: fc.array(fc.constantFrom('a', 'yes', 'shipped'), { minLength: 1, maxLength: 3 }),
  }),
)
const percents = fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 0, maxLength: 2 }).map((cuts) => {
  const points = [0, ...cuts.sort((a, b) => a - b), 100]
  return points.slice(1).map((p, i) => p - points[i]!)
})

type GenNode = { kind: string; config: Record<string, unknown> }

const trigger: fc.Arbitrary<GenNode> = fc.oneof(
  fc
    .constantFrom(
      'trigger-cart-abandoned',
      'trigger-order-created',
      'trigger-order-shipped',
      'trigger-manual',
    )
    .map((kind) => ({ kind, config: {} })),
  fc.record({ match: fc.constantFrom('any' as const, 'keyword' as const) }).map((c) => ({
    kind: 'trigger-message',
    config: { ...c, keywords: ['order'] },
  })),
)

const step_: fc.Arbitrary<GenNode> = fc.oneof(
  fc
    .record({
      text,
      buttons: fc.uniqueArray(button, { maxLength: 3, selector: (b) => b.id }),
      purpose: fc.constantFrom('marketing', 'transactional', 'service'),
    })
    .map((config) => ({ kind: 'send-message', config })),
  fc
    .oneof(
      duration.map((d) => ({ mode: 'duration', duration: d })),
      fc.record({ mode: fc.constant('time_of_day'), time: timeOfDay, fallbackTimeZone: zone }),
    )
    .map((config) => ({ kind: 'delay', config })),
  fc
    .record({
      branches: fc.uniqueArray(
        fc.record({
          id: fc.constantFrom(...buttonIds),
          title: fc.constantFrom('Yes', 'No thanks', ''),
          keywords: fc.array(fc.constantFrom('yes', 'order', 'stop'), { maxLength: 2 }),
        }),
        { maxLength: 3, selector: (b) => b.id },
      ),
      timeout: fc.option(duration, { nil: null }),
    })
    .map((config) => ({ kind: 'wait-for-reply', config })),
  fc
    .record({
      prompt: text,
      inputType: fc.constantFrom('text', 'number', 'order_number', 'email', 'photo'),
      retries: fc.integer({ min: 0, max: 3 }),
      variable,
      timeout: fc.option(duration, { nil: null }),
    })
    .map((config) => ({ kind: 'collect-input', config })),
  fc
    .record({
      group: fc.record({ match: fc.constantFrom('all', 'any'), rules: fc.array(rule, { maxLength: 3 }) }),
    })
    .map((config) => ({ kind: 'condition', config })),
  percents.map((ps) => ({
    kind: 'split',
    config: { variants: ps.map((percent, i) => ({ id: `v${i}`, label: `V${i}`, percent })) },
  })),
  fc.record({ name: variable, value: text }).map((config) => ({ kind: 'set-variable', config })),
  fc
    .record({
      method: fc.constantFrom('GET', 'POST'),
      timeoutSeconds: fc.integer({ min: 1, max: 30 }),
      saveAs: variable,
    })
    .map((c) => ({
      kind: 'http-request',
      config: { ...c, url: 'https://api.example/{{contact.first_name}}', body: '{"q":"{{reply}}"}' },
    })),
  fc
    .record({ source: fc.constantFrom('variable', 'latest') })
    .map((config) => ({ kind: 'lookup-order', config })),
  fc.record({ sendAnswer: fc.boolean() }).map((config) => ({ kind: 'answer-product-question', config })),
  fc
    .record({
      discount: fc.record({
        type: fc.constantFrom('percent', 'amount'),
        value: fc.integer({ min: 1, max: 50 }),
      }),
    })
    .map((c) => ({
      kind: 'offer-incentive',
      config: { ...c, code: 'SAVE10' },
    })),
  fc.record({ note: fc.constantFrom('', 'A teammate will reply here.') }).map((c) => ({
    kind: 'escalate',
    config: {
      ...c,
      summaryFields: [
        { label: 'Said', path: 'reply' },
        { label: 'Photos', path: 'photos' },
      ],
    },
  })),
  fc.constantFrom('completed', 'won', 'lost').map((outcome) => ({ kind: 'end', config: { outcome } })),
)

/**
 * A flow: one or two triggers first, then up to 9 steps. Each handle is wired forward, left unwired,
 * or — only from a node that waits — wired backwards, so every loop passes through a wait.
 */
const flow: fc.Arbitrary<FlowDocument> = fc
  .tuple(
    fc.array(trigger, { minLength: 1, maxLength: 2 }),
    fc.array(step_, { minLength: 0, maxLength: 9 }),
    fc.boolean(),
  )
  .chain(([triggers, steps, exitOnOrder]) => {
    const nodes = [...triggers, ...steps]
    const handleCount = nodes.reduce(
      (n, node) => n + getNodeKind(node.kind)!.handles(node.config as never).length + 1,
      0,
    )
    return fc.tuple(
      fc.constant({ nodes, exitOnOrder }),
      fc.array(fc.nat(10_000), { minLength: handleCount, maxLength: handleCount }),
    )
  })
  .map(([{ nodes, exitOnOrder }, choices]) => {
    let c = 0
    const pick = () => choices[c++] ?? 0
    const edges: { id: string; source: string; sourceHandle: string; target: string }[] = []
    nodes.forEach((node, i) => {
      const kind = getNodeKind(node.kind)!
      const parsedConfig = kind.configSchema.parse({ ...(kind.defaults as object), ...node.config })
      const waits = kind.facts(parsedConfig).waits
      for (const handle of kind.handles(parsedConfig)) {
        const choice = pick()
        if (choice % 7 === 0) continue // unwired: the run dead-ends there
        const forward = nodes.length - i - 1
        let target: number
        if (waits && choice % 3 === 0) target = choice % (i + 1)
        else if (forward > 0) target = i + 1 + (choice % forward)
        else continue
        edges.push({ id: `e${edges.length}`, source: `n${i}`, sourceHandle: handle.id, target: `n${target}` })
      }
    })
    const raw = {
      version: 1,
      name: 'generated',
      nodes: nodes.map((n, i) => ({
        id: `n${i}`,
        kind: n.kind,
        position: { x: 0, y: i * 100 },
        config: n.config,
      })),
      edges,
      settings: {
        exitEvents: exitOnOrder ? [{ event: 'order.created', outcome: 'recovered', sameCart: true }] : [],
      },
    }
    const parsed = parseFlowDocument(raw)
    if (!parsed.ok) throw new Error(`generator made an invalid flow: ${JSON.stringify(parsed.issues)}`)
    return parsed.doc
  })

type Action =
  | { t: 'message'; text: string; buttonId?: string; photo: boolean }
  | { t: 'timer'; pick: number }
  | { t: 'result'; ok: boolean; data: unknown; toActive: boolean }
  | { t: 'handback' }
  | { t: 'resolved' }
  | { t: 'order'; type: 'order.created' | 'order.shipped'; sameCart: boolean }
  | { t: 'optout' }
  | { t: 'wait'; ms: number }

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant('message' as const),
      text: fc.oneof(
        fc.constantFrom('yes', 'No thanks', 'order #1042', 'a@b.example', '42', '', 'stop'),
        fc.string({ maxLength: 20 }),
      ),
      buttonId: fc.option(fc.constantFrom(...buttonIds), { nil: undefined }),
      photo: fc.boolean(),
    }),
  },
  { weight: 5, arbitrary: fc.record({ t: fc.constant('timer' as const), pick: fc.nat() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('result' as const),
      ok: fc.boolean(),
      data: fc.constantFrom(
        undefined,
        null,
        'Yes, in blue.',
        { text: 'It runs small.' },
        { number: '1042', status: 'shipped' },
        42,
      ),
      toActive: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ t: 'handback' as const }) },
  { weight: 1, arbitrary: fc.constant({ t: 'resolved' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('order' as const),
      type: fc.constantFrom('order.created' as const, 'order.shipped' as const),
      sameCart: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ t: 'optout' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('wait' as const),
      ms: fc.integer({ min: 0, max: 4 * 24 * 3_600_000 }),
    }),
  },
)

const vars: FlowVars = {
  contact: { first_name: 'Ana', email: 'ana@example.com', timezone: 'Europe/Lisbon' },
  cart: {
    token: 'cart-1',
    total: 120,
    items: [{ title: 'Mug', price: 12, imageUrl: 'https://img/mug.png' }],
  },
  store: { name: 'Shop' },
  trigger: { type: 'message.received', text: 'where is my order' },
}

/** A host: the stored snapshot, the timer table and the clock, like the runtime's rows. */
interface Host {
  machine: FlowMachine
  snapshot: PersistedFlowSnapshot
  timers: Map<string, TimerSet>
  now: number
  last: StepResult
}

function apply(host: Host, result: StepResult) {
  for (const id of result.timers.cancel) host.timers.delete(id)
  for (const t of result.timers.set) host.timers.set(t.id, t)
  host.snapshot = result.snapshot
  host.last = result
}

function startHost(machine: FlowMachine, triggerNodeId: string | undefined): Host {
  const now = Date.UTC(2025, 0, 6, 10, 0)
  const first = start(machine, { ...(triggerNodeId ? { triggerNodeId } : {}), vars, seed: 'seed-7' }, { now })
  const host = { machine, snapshot: first.snapshot, timers: new Map<string, TimerSet>(), now, last: first }
  apply(host, first)
  return host
}

function eventFor(host: Host, a: Action): FlowEvent | FlowEventInput | null {
  switch (a.t) {
    case 'message':
      return {
        type: 'message.received',
        text: a.text,
        ...(a.buttonId ? { buttonId: a.buttonId } : {}),
        ...(a.photo ? { media: [{ url: 'https://m/1.jpg', mimeType: 'image/jpeg' }] } : {}),
      }
    case 'timer': {
      const timers = [...host.timers.values()]
      const timer = timers[a.pick % Math.max(1, timers.length)]
      if (!timer) return { type: 'xstate.after.none.flow.none' }
      host.timers.delete(timer.id)
      host.now = Math.max(host.now, timer.dueAt)
      return timer.event
    }
    case 'result':
      return {
        type: 'effect.result',
        nodeId: a.toActive ? (host.last.activeNodeIds[0] ?? 'x') : 'elsewhere',
        ok: a.ok,
        data: a.data,
      }
    case 'handback':
      return { type: 'staff.handback' }
    case 'resolved':
      return { type: 'conversation.resolved' }
    case 'order': {
      const order = {
        id: 'o1',
        number: '1042',
        total: 10,
        currency: 'EUR',
        cartToken: a.sameCart ? 'cart-1' : 'other',
      }
      return a.type === 'order.created' ? { type: 'order.created', order } : { type: 'order.shipped', order }
    }
    case 'optout':
      return { type: 'contact.opted_out' }
    case 'wait':
      host.now += a.ms
      return null
  }
}

/** Plays one action; false when it only moved the clock. */
function play(host: Host, a: Action): boolean {
  const event = eventFor(host, a)
  if (!event) return false
  apply(host, step(host.machine, host.snapshot, event, { now: host.now }))
  return true
}

/** XState's own persisted snapshot of the step `play` would take, through JSON text (what the stepper stored before). */
function referenceSnapshot(host: Host, a: Action): string | null {
  const probe: Host = { ...host, timers: new Map(host.timers) }
  const event = eventFor(probe, a)
  if (!event) return null
  const { machine } = host
  const restored = machine.resolveState(host.snapshot as never)
  const next =
    restored.status === 'active'
      ? transition(machine, restored, { ...event, at: probe.now } as FlowEvent)[0]
      : restored
  return JSON.stringify(machine.getPersistedSnapshot(next))
}

function checkAtRest(doc: FlowDocument, host: Host) {
  const result = host.last
  const nodeIds = new Set(doc.nodes.map((n) => n.id))
  for (const effect of result.effects) expect(nodeIds.has(effect.nodeId)).toBe(true)
  if (result.status === 'done') {
    expect(typeof result.outcome).toBe('string')
    expect(host.timers.size).toBe(0)
    return
  }
  // Active: resting in exactly one node, which is one that waits, holding only its own timers.
  expect(result.activeNodeIds).toHaveLength(1)
  const active = result.activeNodeIds[0]!
  const node = doc.nodes.find((n) => n.id === active)!
  const kind = getNodeKind(node.kind)!
  expect(kind.facts(node.config).waits).toBe(true)
  for (const id of host.timers.keys()) expect(id.endsWith(`.flow.${active}`)).toBe(true)
}

const triggerChoice = fc.option(fc.nat(3), { nil: undefined })

describe('compile + step properties', () => {
  it(
    'every generated flow compiles and runs under random events without throwing, always coming to rest',
    () => {
      fc.assert(
        fc.property(flow, triggerChoice, fc.array(action, { maxLength: 25 }), (doc, triggerPick, actions) => {
          const machine = compile(doc)
          const triggerNodeId = triggerPick === undefined ? undefined : doc.nodes[triggerPick]?.id
          const host = startHost(machine, triggerNodeId)
          checkAtRest(doc, host)
          for (const a of actions) {
            const wasDone = host.last.status === 'done'
            const stepped = play(host, a)
            checkAtRest(doc, host)
            if (wasDone && stepped)
              expect(host.last).toMatchObject({ status: 'done', effects: [], visited: [] })
          }
          // Drain: fire timers and answer pending effects until the run ends or waits on a person/shopper.
          for (let i = 0; i < 50 && host.last.status === 'active'; i++) {
            const timers = [...host.timers.values()].sort((a, b) => a.dueAt - b.dueAt)
            if (timers.length > 0)
              play(host, { t: 'timer', pick: [...host.timers.keys()].indexOf(timers[0]!.id) })
            else play(host, { t: 'result', ok: false, data: null, toActive: true })
            checkAtRest(doc, host)
          }
        }),
        { numRuns: PROPERTY_RUNS },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )

  it(
    "every step stores XState's own persisted snapshot as JSON data, key order included",
    () => {
      fc.assert(
        fc.property(flow, triggerChoice, fc.array(action, { maxLength: 20 }), (doc, triggerPick, actions) => {
          const machine = compile(doc)
          const triggerNodeId = triggerPick === undefined ? undefined : doc.nodes[triggerPick]?.id
          const host = startHost(machine, triggerNodeId)
          const [initial] = initialTransition(machine, {
            ...(triggerNodeId ? { triggerNodeId } : {}),
            vars,
            seed: 'seed-7',
            now: host.now,
          })
          expect(JSON.stringify(host.snapshot)).toBe(JSON.stringify(machine.getPersistedSnapshot(initial)))
          for (const a of actions) {
            const reference = referenceSnapshot(host, a)
            if (!play(host, a)) continue
            expect(JSON.stringify(host.snapshot)).toBe(reference)
            expect(host.snapshot).toStrictEqual(JSON.parse(reference as string))
          }
        }),
        { numRuns: PROPERTY_RUNS },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )

  it(
    'a snapshot round-tripped through JSON text mid-run, on a freshly compiled machine, continues identically',
    () => {
      fc.assert(
        fc.property(flow, fc.array(action, { maxLength: 20 }), fc.nat(), (doc, actions, cut) => {
          const split = actions.length === 0 ? 0 : cut % (actions.length + 1)
          const original = startHost(compile(doc), undefined)
          for (const a of actions.slice(0, split)) play(original, a)

          const text = JSON.stringify({
            snapshot: original.snapshot,
            timers: [...original.timers],
            now: original.now,
          })
          const stored = JSON.parse(text) as {
            snapshot: PersistedFlowSnapshot
            timers: [string, TimerSet][]
            now: number
          }
          const resumed: Host = {
            machine: compile(JSON.parse(JSON.stringify(doc)) as FlowDocument),
            snapshot: stored.snapshot,
            timers: new Map(stored.timers),
            now: stored.now,
            last: original.last,
          }
          for (const a of actions.slice(split)) {
            play(original, a)
            play(resumed, a)
            expect(resumed.last).toEqual(original.last)
            expect([...resumed.timers]).toEqual([...original.timers])
          }
        }),
        { numRuns: PROPERTY_RUNS },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )
})
