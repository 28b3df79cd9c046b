// The simulator's host: runs a compiled flow in the browser through packages/flow's `SimulatedRun` (its timer
// table and simulated clock) with a port that answers effects from sample data. The effects themselves go
// through the same handlers as the runtime's (`effectHandlers`): only the answers are samples.
import {
  compile,
  type Effect,
  type EffectAnswer,
  type FlowDocument,
  type FlowEventInput,
  type FlowMachine,
  type FlowVars,
  type OrderEventPayload,
  type OutboundMessage,
  SimulatedRun,
  type StepResult,
  type SyncEffectPort,
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
  private run: SimulatedRun | null = null
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
    this.addLog('event', 'Run started')
    this.run = new SimulatedRun(
      this.machine,
      { triggerNodeId, vars, seed: 'simulator', cartToken: SAMPLE_CART_TOKEN },
      this.view.now,
      {
        port: this.port,
        onStep: (result) => this.onStep(result),
        onTimerFired: (timer) => {
          this.view = { ...this.view, now: this.run?.now ?? timer.dueAt }
          this.addLog('timer-fired', `Timer fired after ${describeDelay(timer.delayMs)}`)
        },
      },
    )
    this.sync()
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
    if (this.run && this.view.status === 'active') this.run.advanceTo(time)
    this.view = { ...this.view, now: Math.max(this.view.now, time) }
    this.sync()
  }

  private sortedTimers(): TimerSet[] {
    return [...(this.run?.timers.values() ?? [])].sort(
      (a, b) => a.dueAt - b.dueAt || a.id.localeCompare(b.id),
    )
  }

  private send(event: FlowEventInput): void {
    if (!this.run || this.view.status !== 'active') return
    this.run.now = this.view.now
    this.run.send(event)
    this.sync()
  }

  private sync(): void {
    this.view = { ...this.view, timers: this.sortedTimers() }
  }

  private onStep(result: StepResult): void {
    for (const id of result.timers.cancel) {
      if (this.run?.timers.has(id)) this.addLog('timer-cancel', 'Timer cancelled')
    }
    for (const timer of result.timers.set) {
      this.addLog('timer-set', `Timer set: ${describeDelay(timer.delayMs)}`)
    }
    this.view = {
      ...this.view,
      status: result.status,
      outcome: result.outcome,
      activeNodeIds: result.activeNodeIds,
    }
    if (result.status === 'done') this.addLog('done', `Run ended: ${result.outcome ?? 'completed'}`)
  }

  /** Effects as the shopper and the team would see them; look-ups and requests answered with samples. */
  private readonly port: SyncEffectPort = {
    send: (effect) => {
      this.addMessage('bot', effect.message, effect.nodeId)
      this.addLog(
        'send',
        `Sent (${effect.purpose})${effect.template ? ` · template ${effect.template.name}` : ''}: ${effect.message.text.slice(0, 60)}`,
      )
    },
    escalate: (effect) => {
      this.addMessage('system', { text: `Handed to the ${effect.queue} team` })
      this.addLog(
        'escalate',
        `Escalated to ${effect.queue}${effect.summary ? ` — ${effect.summary.replaceAll('\n', '; ')}` : ''}`,
      )
    },
    offerIncentive: (effect) => this.addLog('effect', `Discount offered: ${effect.code}`),
    lookupOrder: (effect) => {
      this.addLog(
        'effect',
        `Order looked up${effect.orderNumber ? ` (#${effect.orderNumber})` : ''}: sample order #1042`,
      )
      return sampleEffectResult(effect)?.data ?? null
    },
    answerProductQuestion: (effect) => {
      this.addLog('effect', 'Product question answered from the sample catalogue')
      return sampleEffectResult(effect)?.data ?? null
    },
    requestHttp: (effect) => {
      this.addLog('effect', `${effect.method} ${effect.url} → sample 200 OK`)
      return sampleEffectResult(effect) as EffectAnswer
    },
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
