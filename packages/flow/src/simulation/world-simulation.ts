// A simulated run in the store's world: `SimulatedRun` (the stepper, its timer table and the shared effect
// handlers) with a port that answers from the merchant's simulation world with the runtime's own rules — order
// look-up (`findOrder`), catalogue answers (`answerFromCatalogue`) and the send policy (`decideSend`: WhatsApp
// window, quiet hours, frequency cap, consent, staff takeover). It keeps the conversation the way the runtime's
// conversations row does (who has it, when the shopper last wrote), so escalation plays through to hand-back
// and resolve, and records the shopper's transcript with the reason a send was skipped or deferred.
import { compile, type FlowMachine } from '../compile.ts'
import type { SyncEffectPort } from '../effect-handlers.ts'
import type { OutboundMessage, SendEffect } from '../effects.ts'
import type { FlowEventInput, OrderEventPayload } from '../events.ts'
import {
  acknowledgementText,
  defaultQueueFor,
  fallbackText,
  type QueueWords,
} from '../handoff/queue-words.ts'
import { getNodeKind } from '../nodes/index.ts'
import type { FlowDocument } from '../parse.ts'
import type { FlowVars } from '../run-context.ts'
import {
  decideSend,
  type SendChannelKind,
  type SendConversationStatus,
  type SendExemption,
  type SkipReason,
} from '../send-policy/send-policy.ts'
import { describeDeferral, describeHold, describeSkip } from '../send-policy/send-reasons.ts'
import { SimulatedRun } from '../simulated-run.ts'
import type { StepResult, TimerSet } from '../stepper.ts'
import { answerFromCatalogue } from '../store-answers/catalogue-answer.ts'
import { findOrder } from '../store-answers/order-lookup.ts'
import { messageTriggerVars } from '../trigger-vars.ts'
import type { SimulationWorld } from './simulation-world.ts'

/** What became of a bot message: sent (now), deferred by quiet hours, or skipped by policy; with the reason. */
export type SimulatedDelivery =
  | { kind: 'sent'; mode: 'free_form' | 'template' }
  | { kind: 'deferred'; until: number; mode: 'free_form' | 'template'; reason: string }
  | { kind: 'skipped'; skipReason: SkipReason; reason: string }
  /** A marketing send paused while staff have the chat. */
  | { kind: 'held'; mode: 'free_form' | 'template'; reason: string }

export interface SimulatedMessage {
  from: 'shopper' | 'bot' | 'staff'
  at: number
  message: OutboundMessage
  nodeId?: string
  /** Bot messages only. */
  delivery?: SimulatedDelivery
  /** The approved template it goes out as, outside WhatsApp's window. */
  template?: string
}

/** What happened besides messages, for the simulator's log. */
export interface SimulatedNote {
  at: number
  kind:
    | 'escalated'
    | 'handed-back'
    | 'resolved'
    | 'taken-over'
    | 'unclaimed'
    | 'order-lookup'
    | 'product-answer'
    | 'incentive'
  text: string
}

export interface WorldSimulationOptions {
  channel: SendChannelKind
  /** The run starts at this instant (the simulated clock). */
  startAt: number
  /** Seeds A/B splits, as the run id does live. */
  seed?: string
  onStep?: (result: StepResult) => void
  onTimerFired?: (timer: TimerSet) => void
}

/** Which world data a run starts with: the trigger decides (a cart for cart flows, an order for order flows). */
export interface WorldStart {
  triggerNodeId: string
  /** Index into `world.carts` (cart-abandoned triggers); default the first. */
  cart?: number
  /** Index into `world.orders` (order triggers); default the first. */
  order?: number
  /** The shopper's first message (message triggers). */
  text?: string
  buttonId?: string
}

const MINUTE = 60_000
/** The triggers that start with an order in `order`. */
const ORDER_TRIGGERS: ReadonlySet<string> = new Set([
  'order.created',
  'order.shipped',
  'order.delivered',
  'order.delivery_problem',
])

export class WorldSimulation {
  readonly machine: FlowMachine
  readonly messages: SimulatedMessage[] = []
  readonly notes: SimulatedNote[] = []
  conversationStatus: SendConversationStatus = 'bot'
  lastInboundAt: number | null
  private readonly marketingSentAt: number[]
  private run: SimulatedRun | null = null
  private now: number
  /** When an escalation nobody took goes back to the bot (the queue's unclaimed timeout, as the runtime's). */
  private unclaimedAt: number | null = null
  private unclaimedQueue: QueueWords | null = null

  constructor(
    readonly doc: FlowDocument,
    readonly world: SimulationWorld,
    private readonly options: WorldSimulationOptions,
  ) {
    this.machine = compile(doc)
    this.now = options.startAt
    const { contact } = world
    this.lastInboundAt = contact.lastInboundAt === null ? null : Date.parse(contact.lastInboundAt)
    this.marketingSentAt = contact.marketingSentAt.map((at) => Date.parse(at))
  }

  get clock(): number {
    return this.run?.now ?? this.now
  }

  get status(): 'idle' | StepResult['status'] {
    return this.run ? this.run.status : 'idle'
  }

  get outcome(): string | null {
    return this.run?.outcome ?? null
  }

  get timers(): TimerSet[] {
    return [...(this.run?.timers.values() ?? [])].sort(
      (a, b) => a.dueAt - b.dueAt || a.id.localeCompare(b.id),
    )
  }

  get activeNodeIds(): string[] {
    return this.run?.last.activeNodeIds ?? []
  }

  /**
   * Starts the run with the variables the runtime gives a run of this trigger: the shopper, the store, and the
   * cart, order or message that triggered it.
   */
  start(from: WorldStart): void {
    const node = this.doc.nodes.find((n) => n.id === from.triggerNodeId)
    const trigger = node ? getNodeKind(node.kind)?.facts(node.config).trigger : undefined
    const vars: FlowVars = { contact: structuredClone(this.world.contact.vars) }
    let cartToken: string | undefined
    if (trigger?.event === 'cart.abandoned') {
      const cart = this.world.carts[from.cart ?? 0]
      if (cart) {
        vars.cart = structuredClone(cart.vars)
        cartToken = typeof cart.vars.token === 'string' ? cart.vars.token : undefined
      }
    }
    if (trigger && ORDER_TRIGGERS.has(trigger.event)) {
      const order = this.world.orders[from.order ?? 0]
      if (order) vars.order = structuredClone(order.vars)
    }
    vars.store = {
      name: this.world.store.name,
      ...(this.world.store.returnWindowDays === undefined
        ? {}
        : { returnWindowDays: this.world.store.returnWindowDays }),
    }
    if (trigger?.event === 'message.received') {
      const text = from.text ?? ''
      this.inbound(text)
      vars.trigger = messageTriggerVars(text, from.buttonId ?? null)
    }
    const { onStep, onTimerFired } = this.options
    this.run = new SimulatedRun(
      this.machine,
      {
        triggerNodeId: from.triggerNodeId,
        vars,
        seed: this.options.seed ?? 'simulator',
        ...(cartToken ? { cartToken } : {}),
      },
      this.now,
      {
        port: this.port,
        ...(onStep ? { onStep } : {}),
        ...(onTimerFired ? { onTimerFired } : {}),
      },
    )
  }

  /** The shopper writes or taps a quick-reply button; staff holding the chat keep the bot out of it. */
  reply(text: string, buttonId?: string): void {
    this.inbound(text)
    if (this.conversationStatus === 'waiting' || this.conversationStatus === 'assigned') return
    this.send(buttonId ? { type: 'message.received', text, buttonId } : { type: 'message.received', text })
  }

  /** The store reports an order (e.g. for the run's cart: a cart-recovery run ends recovered). */
  orderCreated(order: OrderEventPayload): void {
    this.send({ type: 'order.created', order })
  }

  /** A team member takes the chat: the bot's own sends are held back from now on. */
  takeOver(): void {
    this.conversationStatus = 'assigned'
    this.unclaimedAt = null
    this.note('taken-over', 'Your team took over the chat')
  }

  /** Staff hand the chat back to the bot: a flow waiting on its escalation carries on. */
  handBack(note?: string): void {
    if (this.conversationStatus !== 'waiting' && this.conversationStatus !== 'assigned') return
    this.conversationStatus = 'bot'
    this.unclaimedAt = null
    this.note('handed-back', 'Your team handed the chat back to the bot')
    this.send(note ? { type: 'staff.handback', note } : { type: 'staff.handback' })
  }

  /** Staff close the conversation: a flow waiting on its escalation ends as resolved. */
  resolve(): void {
    if (this.conversationStatus === 'resolved') return
    this.conversationStatus = 'resolved'
    this.unclaimedAt = null
    this.note('resolved', 'Your team marked the conversation resolved')
    this.send({ type: 'conversation.resolved' })
  }

  /** Moves the clock to `time`, firing every timer due on the way. */
  advanceTo(time: number): void {
    const unclaimedAt = this.unclaimedAt
    if (unclaimedAt !== null && unclaimedAt <= time && this.conversationStatus === 'waiting') {
      if (this.run) this.run.advanceTo(unclaimedAt)
      this.now = Math.max(this.now, unclaimedAt)
      this.fireUnclaimed()
    }
    if (this.run) this.run.advanceTo(time)
    this.now = Math.max(this.now, time)
  }

  /** Nobody took the escalation in time: the fallback, the bot has the chat again, the run's "No one answered". */
  private fireUnclaimed(): void {
    const queue = this.unclaimedQueue
    this.unclaimedAt = null
    if (!queue || this.conversationStatus !== 'waiting') return
    this.conversationStatus = 'bot'
    this.note('unclaimed', `Nobody took the chat within ${queue.unclaimedTimeoutMinutes} minutes`)
    this.port.send(
      { type: 'send', nodeId: '', purpose: 'service', message: { text: fallbackText(queue) } },
      'none',
    )
    this.send({ type: 'staff.unclaimed' })
  }

  advance(ms: number): void {
    this.advanceTo(this.clock + ms)
  }

  private send(event: FlowEventInput): void {
    const run = this.run
    if (run?.status !== 'active') return
    run.now = this.clock
    run.send(event)
  }

  private inbound(text: string): void {
    this.now = this.clock
    this.lastInboundAt = this.now
    // A resolved conversation reopens for the bot when the shopper writes again, as it does live.
    if (this.conversationStatus === 'resolved') this.conversationStatus = 'bot'
    this.messages.push({ from: 'shopper', at: this.now, message: { text } })
  }

  private note(kind: SimulatedNote['kind'], text: string): void {
    this.notes.push({ at: this.clock, kind, text })
  }

  /** The policy's decision for a bot send, from the world's settings and the conversation as it stands. */
  private deliver(effect: SendEffect, exemption: SendExemption): SimulatedDelivery {
    const now = this.clock
    const { policy, contact } = this.world
    const windowStart = now - policy.frequencyCap.windowMinutes * MINUTE
    const decision = decideSend({
      purpose: effect.purpose,
      exemption,
      channelKind: this.options.channel,
      optedOut: contact.optedOut,
      marketingConsent: contact.marketingConsent,
      conversationStatus: this.conversationStatus,
      quietHours: policy.quietHours ? { ...policy.quietHours, timeZone: contact.timeZone } : null,
      lastInboundAt: this.lastInboundAt === null ? null : new Date(this.lastInboundAt),
      hasTemplate: effect.template !== undefined,
      frequencyCap: {
        limit: policy.frequencyCap.limit,
        sentInWindow: this.marketingSentAt.filter((at) => at >= windowStart).length,
      },
      now,
    })
    if (decision.kind === 'skip') {
      return { kind: 'skipped', skipReason: decision.reason, reason: describeSkip(decision.reason) }
    }
    if (decision.kind === 'hold') return { kind: 'held', mode: decision.mode, reason: describeHold() }
    if (effect.purpose === 'marketing') this.marketingSentAt.push(now)
    if (decision.sendAt > now) {
      return {
        kind: 'deferred',
        until: decision.sendAt,
        mode: decision.mode,
        reason: describeDeferral(decision.sendAt, contact.timeZone),
      }
    }
    return { kind: 'sent', mode: decision.mode }
  }

  /** The runtime's port, answered from the world. */
  private readonly port: SyncEffectPort = {
    send: (effect, exemption) => {
      const delivery = this.deliver(effect, exemption)
      const entry: SimulatedMessage = {
        from: 'bot',
        at: this.clock,
        message: effect.message,
        nodeId: effect.nodeId,
        delivery,
      }
      if (delivery.kind !== 'skipped' && delivery.mode === 'template' && effect.template) {
        entry.template = effect.template.name
      }
      this.messages.push(entry)
    },
    escalate: (effect) => {
      // As the runtime's escalation: staff now hold the chat (unless someone already took it).
      const alreadyWithSomeone = this.conversationStatus === 'assigned'
      if (!alreadyWithSomeone) this.conversationStatus = 'waiting'
      this.note('escalated', `Handed to the ${effect.queue} team`)
      // The runtime's handoff rules with the built-in queue settings (the simulation world has no queues).
      const queue = defaultQueueFor(effect.queue)
      const store = { business_hours: null, timezone: this.world.store.timeZone }
      this.port.send(
        {
          type: 'send',
          nodeId: effect.nodeId,
          purpose: 'service',
          message: { text: acknowledgementText(queue, store, this.clock) },
        },
        'handoff',
      )
      if (!alreadyWithSomeone) {
        this.unclaimedAt = this.clock + queue.unclaimedTimeoutMinutes * 60_000
        this.unclaimedQueue = queue
      }
    },
    lookupOrder: (effect) => {
      const order = findOrder(this.world.orders, effect.orderNumber)
      const asked = effect.orderNumber ? `#${effect.orderNumber.replace(/^#/, '')}` : 'their latest order'
      this.note('order-lookup', order ? `Found order ${asked}` : `No order ${asked} in your store`)
      return order
    },
    answerProductQuestion: (effect, cartProductIds) => {
      const answer = answerFromCatalogue(effect.question, this.world.products, cartProductIds)
      // The simulator never calls the network: with AI answers on, shoppers would get the AI's wording of this
      // answer (or this very answer when the AI is slow or down), so the catalogue answer stands in for it.
      const ai =
        answer && this.world.store.aiAnswers
          ? ' (AI answers are on: the simulator does not call your AI, so this is the catalogue answer it would reword)'
          : ''
      this.note(
        'product-answer',
        answer ? `Answered from your catalogue${ai}` : 'Your catalogue has no answer to this question',
      )
      return answer
    },
    // The simulator does not call the merchant's endpoints: a sample success stands in for the answer.
    requestHttp: () => ({ ok: true, data: { status: 200, body: { ok: true } } }),
    offerIncentive: (effect) => this.note('incentive', `Discount code ${effect.code} offered`),
  }
}
