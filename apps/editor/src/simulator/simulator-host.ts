// The simulator's host: runs a compiled flow in the browser with packages/flow's start / step and a
// simulated clock. Like the runtime it keeps the timer list and fires due timers in order; effects that
// need the outside world (order lookup, product answer, HTTP) are answered at once with sample data.
import {
  compile,
  type Effect,
  type FlowDocument,
  type FlowEventInput,
  type FlowMachine,
  type FlowVars,
  type OrderEventPayload,
  type OutboundMessage,
  type PersistedFlowSnapshot,
  type StepResult,
  start,
  step,
  type TimerSet,
} from '@parley/flow'
import { SAMPLE_CART_TOKEN, sampleVars } from './sample-data.ts'

export interface ChatMessage {
  id: number
  from: 'bot' | 'shopper' | 'system'
  at: number
  message: OutboundMessage
  nodeId?: string
}

export interface LogEntry {
  id: number
  at: number
  kind: 'send' | 'escalate' | 'timer-set' | 'timer-cancel' | 'timer-fired' | 'effect' | 'event' | 'done'
  text: string
}

export interface SimulatorView {
  now: number
  startedAt: number
  status: 'idle' | 'active' | 'done'
  outcome: string | null
  activeNodeIds: string[]
  timers: TimerSet[]
  messages: ChatMessage[]
  log: LogEntry[]
}

/** Sample answers for effects the simulator cannot perform for real. */
export function sampleEffectResult(effect: Effect): { ok: boolean; data?: unknown } | null {
  switch (effect.type) {
    case 'order.lookup':
      return { ok: true, data: sampleVars.order }
    case 'product.answer':
      return { ok: true, data: { text: 'Yes: the Linen Overshirt also comes in navy blue, sizes S to XL.' } }
    case 'http.request':
      return { ok: true, data: { status: 200, body: { ok: true } } }
    default:
      return null
  }
}

const HOUR = 60 * 60 * 1000

function describeDelay(ms: number): string {
  if (ms % HOUR === 0) return `${ms / HOUR} h`
  if (ms % 60_000 === 0) return `${ms / 60_000} min`
  return `${Math.round(ms / 1000)} s`
}

export class SimulatorHost {
  private readonly machine: FlowMachine
  private snapshot: PersistedFlowSnapshot | null = null
  private timers = new Map<string, TimerSet>()
  private nextId = 1
  view: SimulatorView

  constructor(doc: FlowDocument, startAt: number) {
    this.machine = compile(doc)
    this.view = {
      now: startAt,
      startedAt: startAt,
      status: 'idle',
      outcome: null,
      activeNodeIds: [],
      timers: [],
      messages: [],
      log: [],
    }
  }

  /** Starts a run at a trigger with sample data (a contact and a cart with two items). */
  start(triggerNodeId: string, vars: FlowVars = structuredClone(sampleVars)): void {
    const result = start(
      this.machine,
      { triggerNodeId, vars, seed: 'simulator', cartToken: SAMPLE_CART_TOKEN },
      { now: this.view.now },
    )
    this.addLog('event', 'Run started')
    this.apply(result)
  }

  /** The shopper writes, or taps a quick-reply button. */
  reply(text: string, buttonId?: string): void {
    this.addMessage('shopper', { text })
    this.send(buttonId ? { type: 'message.received', text, buttonId } : { type: 'message.received', text })
  }

  /** The store reports an order for the sample cart. */
  placeOrder(): void {
    const order: OrderEventPayload = {
      id: 'o-2001',
      number: '2001',
      total: 128,
      currency: 'EUR',
      cartToken: SAMPLE_CART_TOKEN,
    }
    this.addMessage('system', { text: `Order #${order.number} placed (€128.00)` })
    this.addLog('event', `Store event: order #${order.number} created`)
    this.send({ type: 'order.created', order })
  }

  /** Moves the clock forward, firing every timer due on the way, in due order. */
  advance(ms: number): void {
    this.advanceTo(this.view.now + ms)
  }

  /** Jumps to the next pending timer and fires it. */
  skipToNextTimer(): void {
    const next = this.sortedTimers()[0]
    if (next) this.advanceTo(next.dueAt)
  }

  private advanceTo(time: number): void {
    for (;;) {
      const due = this.sortedTimers()[0]
      if (!due || due.dueAt > time || this.view.status !== 'active') break
      this.timers.delete(due.id)
      this.view = { ...this.view, now: Math.max(this.view.now, due.dueAt) }
      this.addLog('timer-fired', `Timer fired after ${describeDelay(due.delayMs)}`)
      this.send(due.event)
    }
    this.view = { ...this.view, now: Math.max(this.view.now, time), timers: this.sortedTimers() }
  }

  private sortedTimers(): TimerSet[] {
    return [...this.timers.values()].sort((a, b) => a.dueAt - b.dueAt || a.id.localeCompare(b.id))
  }

  private send(event: FlowEventInput): void {
    if (!this.snapshot || this.view.status !== 'active') return
    this.apply(step(this.machine, this.snapshot, event, { now: this.view.now }))
  }

  private apply(result: StepResult): void {
    this.snapshot = result.snapshot
    for (const id of result.timers.cancel) {
      if (this.timers.delete(id)) this.addLog('timer-cancel', 'Timer cancelled')
    }
    for (const timer of result.timers.set) {
      this.timers.set(timer.id, timer)
      this.addLog('timer-set', `Timer set: ${describeDelay(timer.delayMs)}`)
    }
    this.view = {
      ...this.view,
      status: result.status,
      outcome: result.outcome,
      activeNodeIds: result.activeNodeIds,
      timers: this.sortedTimers(),
    }
    const answers: { nodeId: string; ok: boolean; data?: unknown }[] = []
    for (const effect of result.effects) {
      this.describeEffect(effect)
      const answer = sampleEffectResult(effect)
      if (answer) answers.push({ nodeId: effect.nodeId, ...answer })
    }
    if (result.status === 'done') {
      this.timers.clear()
      this.view = { ...this.view, timers: [] }
      this.addLog('done', `Run ended: ${result.outcome ?? 'completed'}`)
    }
    for (const answer of answers) this.send({ type: 'effect.result', ...answer })
  }

  private describeEffect(effect: Effect): void {
    switch (effect.type) {
      case 'send':
        this.addMessage('bot', effect.message, effect.nodeId)
        this.addLog(
          'send',
          `Sent (${effect.purpose})${effect.template ? ` · template ${effect.template.name}` : ''}: ${effect.message.text.slice(0, 60)}`,
        )
        break
      case 'escalate':
        this.addMessage('system', { text: `Handed to the ${effect.queue} team` })
        this.addLog(
          'escalate',
          `Escalated to ${effect.queue}${effect.summary ? ` — ${effect.summary.replaceAll('\n', '; ')}` : ''}`,
        )
        break
      case 'incentive.offered':
        this.addLog('effect', `Discount offered: ${effect.code}`)
        break
      case 'order.lookup':
        this.addLog(
          'effect',
          `Order looked up${effect.orderNumber ? ` (#${effect.orderNumber})` : ''}: sample order #1042`,
        )
        break
      case 'product.answer':
        this.addLog('effect', 'Product question answered from the sample catalogue')
        break
      case 'http.request':
        this.addLog('effect', `${effect.method} ${effect.url} → sample 200 OK`)
        break
    }
  }

  private addMessage(from: ChatMessage['from'], message: OutboundMessage, nodeId?: string): void {
    const entry: ChatMessage = { id: this.nextId++, from, at: this.view.now, message }
    if (nodeId) entry.nodeId = nodeId
    this.view = { ...this.view, messages: [...this.view.messages, entry] }
  }

  private addLog(kind: LogEntry['kind'], text: string): void {
    this.view = {
      ...this.view,
      log: [...this.view.log, { id: this.nextId++, at: this.view.now, kind, text }],
    }
  }
}
