// What the host does with each effect, once for every host: the runtime implements the port with its database
// and outbox, the editor's simulator with sample answers. The decisions that are the product's (a send from an
// escalating node is the hand-off note; an answer with no data is a failure; which products a question is
// about) live here, so the simulator runs the same code as production.
import type {
  Effect,
  EffectType,
  EscalateEffect,
  HttpRequestEffect,
  IncentiveOfferedEffect,
  OrderLookupEffect,
  ProductAnswerEffect,
  SendEffect,
} from './effects.ts'
import type { FlowEventInput } from './events.ts'

export type Awaitable<T> = T | Promise<T>

/** The answer fed back to the run as an `effect.result` event. */
export interface EffectAnswer {
  ok: boolean
  data?: unknown
}

/**
 * The host's I/O. `send` and `escalate` record; the look-ups answer (null: nothing found); `requestHttp`
 * queues the call (answered later, after the network) or answers at once when it cannot be queued.
 */
export interface EffectPort {
  /** `handoff`: the note sent by the node that escalates, which staff takeover lets through. */
  send(effect: SendEffect, exemption: 'none' | 'handoff'): Awaitable<void>
  escalate(effect: EscalateEffect): Awaitable<void>
  lookupOrder(effect: OrderLookupEffect): Awaitable<unknown | null>
  /** The answer, null when there is none, or 'queued' when it comes later (an AI answer, after the network). */
  answerProductQuestion(
    effect: ProductAnswerEffect,
    cartProductIds: string[],
  ): Awaitable<unknown | null | 'queued'>
  requestHttp(effect: HttpRequestEffect): Awaitable<'queued' | EffectAnswer>
  offerIncentive(effect: IncentiveOfferedEffect): Awaitable<void>
}

/** The port of a host that answers at once (the simulator): effects are then performed synchronously. */
export type SyncEffectPort = {
  [K in keyof EffectPort]: (...args: Parameters<EffectPort[K]>) => Awaited<ReturnType<EffectPort[K]>>
}

/** What a handler sees of the step besides its effect. */
export interface EffectStep {
  /** Nodes that escalated in this step: their sends are hand-off notes. */
  escalatingNodes: ReadonlySet<string>
  /** The run's variables (`context.vars`), e.g. the cart a product question is about. */
  vars: Record<string, unknown>
}

export type EffectHandler<T extends EffectType> = (
  effect: Extract<Effect, { type: T }>,
  port: EffectPort,
  step: EffectStep,
) => Awaitable<EffectAnswer | null>

/** One handler per effect kind: a kind without one fails typecheck. */
export type EffectHandlers = { [T in EffectType]: EffectHandler<T> }

const answered = (data: unknown): EffectAnswer => ({ ok: data !== null, data })

export const effectHandlers: EffectHandlers = {
  send: (effect, port, step) =>
    then(port.send(effect, step.escalatingNodes.has(effect.nodeId) ? 'handoff' : 'none'), () => null),
  escalate: (effect, port) => then(port.escalate(effect), () => null),
  'order.lookup': (effect, port) => then(port.lookupOrder(effect), answered),
  'product.answer': (effect, port, step) =>
    then(port.answerProductQuestion(effect, cartProductIds(step.vars)), (answer) =>
      answer === 'queued' ? null : answered(answer),
    ),
  'http.request': (effect, port) =>
    then(port.requestHttp(effect), (queued) => (queued === 'queued' ? null : queued)),
  'incentive.offered': (effect, port) => then(port.offerIncentive(effect), () => null),
}

/**
 * Performs a step's effects in order through `port`; returns the `effect.result` events that answer them now.
 * Synchronous when every port call is (the simulator), a promise otherwise (the runtime).
 * @example const answers = await performEffects(result.effects, port, vars)
 */
export function performEffects(
  effects: readonly Effect[],
  port: EffectPort,
  vars: Record<string, unknown>,
  handlers: EffectHandlers = effectHandlers,
): Awaitable<FlowEventInput[]> {
  const step: EffectStep = {
    escalatingNodes: new Set(effects.filter((e) => e.type === 'escalate').map((e) => e.nodeId)),
    vars,
  }
  const answers: FlowEventInput[] = []
  const perform = (index: number): Awaitable<FlowEventInput[]> => {
    for (let i = index; i < effects.length; i++) {
      const effect = effects[i] as Effect
      const handler = handlers[effect.type] as EffectHandler<EffectType>
      const record = (answer: EffectAnswer | null) => {
        if (answer) answers.push({ type: 'effect.result', nodeId: effect.nodeId, ...answer })
      }
      const answer = handler(effect, port, step)
      // The first effect whose I/O is asynchronous: the rest follow it, in order.
      if (answer instanceof Promise) return answer.then(record).then(() => perform(i + 1))
      record(answer)
    }
    return answers
  }
  return perform(0)
}

/** `performEffects` for a port that answers at once. */
export function performEffectsNow(
  effects: readonly Effect[],
  port: SyncEffectPort,
  vars: Record<string, unknown>,
): FlowEventInput[] {
  const answers = performEffects(effects, port, vars)
  if (answers instanceof Promise) throw new Error('performEffectsNow: the port answered asynchronously')
  return answers
}

/** The run's variables as a persisted snapshot holds them (`context.vars`). */
export function snapshotVars(snapshot: Record<string, unknown>): Record<string, unknown> {
  const vars = (snapshot.context as { vars?: unknown } | undefined)?.vars
  return vars !== null && typeof vars === 'object' ? (vars as Record<string, unknown>) : {}
}

/** The product ids of the run's cart (`vars.cart.items[].productId`). */
export function cartProductIds(vars: Record<string, unknown>): string[] {
  const items = (vars.cart as { items?: unknown } | undefined)?.items
  if (!Array.isArray(items)) return []
  return items.flatMap((item) => {
    const id = (item as { productId?: unknown } | null)?.productId
    return typeof id === 'string' ? [id] : []
  })
}

function then<A, B>(value: Awaitable<A>, next: (a: A) => B): Awaitable<B> {
  return value instanceof Promise ? value.then(next) : next(value)
}
