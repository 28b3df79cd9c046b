// The simulator's host: runs the draft in the browser through packages/flow's `WorldSimulation` — the same
// stepper, effect handlers and policy rules as the runtime — in the store's world (`GET /api/simulation-world`:
// the merchant's catalogue, carts, orders and send-policy settings), and keeps a view for the panel: the chat
// with the reason a send was held back or skipped, the timers, what staff can do, and a log in plain words.

import {
  type FlowDocument,
  getNodeKind,
  localTime,
  type OrderEventPayload,
  type OutboundMessage,
  type SendChannelKind,
  type SimulatedDelivery,
  type SimulationWorld,
  type StepResult,
  type TimerSet,
  WorldSimulation,
} from '@parley/flow'
import { endingWords } from './ending-words.ts'

export interface ChatMessage {
  id: number
  from: 'bot' | 'shopper' | 'system'
  at: number
  message: OutboundMessage
  nodeId?: string
  /** Bot messages: sent, held back by quiet hours, or not sent, with the reason in words. */
  delivery?: SimulatedDelivery
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
  /** Who has the chat: the bot, or the team after an escalation (which they hand back or resolve). */
  conversation: 'bot' | 'waiting' | 'assigned' | 'resolved'
}

/** Which cart, order or first message the run starts with. */
export interface SimulatorStart {
  triggerNodeId: string
  cart?: number
  order?: number
  text?: string
}

const HOUR = 60 * 60 * 1000

function describeDelay(ms: number): string {
  if (ms % HOUR === 0) return `${ms / HOUR} h`
  if (ms % 60_000 === 0) return `${ms / 60_000} min`
  return `${Math.round(ms / 1000)} s`
}

/**
 * The instant a day's local time falls on in a zone (e.g. 20:30 in the shopper's zone, on the day of `day`).
 * @example atLocalTime(Date.UTC(2026, 0, 5), 20 * 60 + 30, 'Europe/Berlin') // Date.UTC(2026, 0, 5, 19, 30)
 */
export function atLocalTime(day: number, minuteOfDay: number, timeZone: string): number {
  const midnight = day - (day % (24 * HOUR))
  let at = midnight + minuteOfDay * 60_000
  // Two corrections settle daylight-saving edges: the zone's offset at the guess, then at the corrected time.
  for (let i = 0; i < 2; i++) {
    const local = localTime(at, timeZone)
    let diff = local.minuteOfDay - minuteOfDay
    if (diff > 720) diff -= 1440
    if (diff < -720) diff += 1440
    at -= diff * 60_000
  }
  return at
}

/** What the trigger of a node starts on: the simulator offers carts, orders or a first message accordingly. */
export function triggerEventOf(doc: FlowDocument, triggerNodeId: string): string | null {
  const node = doc.nodes.find((n) => n.id === triggerNodeId)
  return (node && getNodeKind(node.kind)?.facts(node.config).trigger?.event) || null
}

export class SimulatorHost {
  private readonly sim: WorldSimulation
  private nextId = 1
  private seenMessages = 0
  private seenNotes = 0
  private cart = 0
  view: SimulatorView

  constructor(
    private readonly doc: FlowDocument,
    private readonly world: SimulationWorld,
    options: { channel: SendChannelKind; startAt: number },
  ) {
    this.sim = new WorldSimulation(doc, world, {
      channel: options.channel,
      startAt: options.startAt,
      onStep: (result) => this.onStep(result),
      onTimerFired: (timer) => {
        this.view = { ...this.view, now: timer.dueAt }
        this.addLog('timer-fired', `Timer fired after ${describeDelay(timer.delayMs)}`)
      },
    })
    this.view = {
      now: options.startAt,
      startedAt: options.startAt,
      status: 'idle',
      outcome: null,
      activeNodeIds: [],
      timers: [],
      messages: [],
      log: [],
      conversation: 'bot',
    }
  }

  /** Starts a run at a trigger with the world's cart, order or the shopper's first message. */
  start(from: SimulatorStart): void {
    this.addLog('event', 'Run started')
    this.cart = from.cart ?? 0
    this.sim.start(from)
    this.sync()
  }

  /** The shopper writes, or taps a quick-reply button. */
  reply(text: string, buttonId?: string): void {
    this.sim.reply(text, buttonId)
    this.sync()
  }

  /** The shopper sends a sample photo. */
  sendPhoto(): void {
    this.sim.sendPhoto()
    this.sync()
  }

  /** The store reports an order for the run's cart. */
  placeOrder(): void {
    const cart = this.world.carts[this.cart]?.vars as
      | { token?: string; total?: number; currency?: string }
      | undefined
    const order: OrderEventPayload = {
      id: 'simulated-order',
      number: 'simulated',
      total: cart?.total ?? 0,
      currency: cart?.currency ?? 'USD',
      ...(cart?.token ? { cartToken: cart.token } : {}),
    }
    this.addSystem(`The shopper placed an order (${order.total.toFixed(2)} ${order.currency})`)
    this.addLog('event', 'Store event: order created')
    this.sim.orderCreated(order)
    this.sync()
  }

  /** Staff hand the chat back to the bot: the flow carries on from its escalation step. */
  handBack(): void {
    this.sim.handBack()
    this.sync()
  }

  /** Staff close the conversation: a flow waiting on its escalation ends. */
  resolve(): void {
    this.sim.resolve()
    this.sync()
  }

  /** Moves the clock forward, firing every timer due on the way, in due order. */
  advance(ms: number): void {
    this.sim.advanceTo(this.view.now + ms)
    this.sync()
  }

  /** Jumps to the next pending timer and fires it. */
  skipToNextTimer(): void {
    const next = this.sim.timers[0]
    if (next) {
      this.sim.advanceTo(next.dueAt)
      this.sync()
    }
  }

  get shopperTimeZone(): string {
    return this.world.contact.timeZone
  }

  get flow(): FlowDocument {
    return this.doc
  }

  private onStep(result: StepResult): void {
    for (const id of result.timers.cancel) {
      if (this.sim.timers.some((t) => t.id === id)) this.addLog('timer-cancel', 'Timer cancelled')
    }
    for (const timer of result.timers.set) {
      this.addLog('timer-set', `Timer set: ${describeDelay(timer.delayMs)}`)
    }
  }

  /** Copies what the simulation recorded since the last sync into the view, in order. */
  private sync(): void {
    const messages = this.sim.messages.slice(this.seenMessages)
    this.seenMessages = this.sim.messages.length
    const notes = this.sim.notes.slice(this.seenNotes)
    this.seenNotes = this.sim.notes.length
    const added: ChatMessage[] = messages.map((m) => {
      const entry: ChatMessage = {
        id: this.nextId++,
        from: m.from === 'staff' ? 'system' : m.from,
        at: m.at,
        message: m.message,
      }
      if (m.nodeId) entry.nodeId = m.nodeId
      if (m.delivery) entry.delivery = m.delivery
      if (m.from === 'bot') this.addLog('send', sendLog(m.message, m.delivery))
      return entry
    })
    for (const note of notes) {
      if (note.kind === 'escalated' || note.kind === 'handed-back' || note.kind === 'resolved') {
        added.push({ id: this.nextId++, from: 'system', at: note.at, message: { text: note.text } })
      }
      this.addLog(note.kind === 'escalated' ? 'escalate' : 'effect', note.text)
    }
    added.sort((a, b) => a.at - b.at || a.id - b.id)
    const status = this.sim.status
    // Logged here, after what staff did to end it (a hand-back is noted before the step it causes).
    if (status === 'done' && this.view.status !== 'done') {
      this.addLog('done', endingWords(this.sim.outcome))
    }
    this.view = {
      ...this.view,
      now: this.sim.clock,
      status,
      outcome: this.sim.outcome,
      activeNodeIds: status === 'done' ? [] : this.sim.activeNodeIds,
      timers: this.sim.timers,
      messages: [...this.view.messages, ...added],
      conversation: this.sim.conversationStatus,
    }
  }

  private addSystem(text: string): void {
    this.view = {
      ...this.view,
      messages: [
        ...this.view.messages,
        { id: this.nextId++, from: 'system', at: this.sim.clock, message: { text } },
      ],
    }
  }

  private addLog(kind: LogEntry['kind'], text: string): void {
    this.view = {
      ...this.view,
      log: [...this.view.log, { id: this.nextId++, at: this.sim.clock, kind, text }],
    }
  }
}

function sendLog(message: OutboundMessage, delivery: SimulatedDelivery | undefined): string {
  const text = message.text.slice(0, 60)
  if (delivery?.kind === 'skipped') return `Not sent: ${text} — ${delivery.reason}`
  if (delivery?.kind === 'deferred' || delivery?.kind === 'held')
    return `Held back: ${text} — ${delivery.reason}`
  return `Sent: ${text}`
}

/** When a message goes out, in the shopper's time zone. */
export function shopperClock(at: number, timeZone: string): string {
  return new Date(at).toLocaleString('en-GB', {
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
  })
}
