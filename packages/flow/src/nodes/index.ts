// The node registry: every kind by id. Adding a kind means a module here, a card in the editor and,
// where it has effects, a handler in the runtime (see DESIGN.md, "One node kind, three homes").
import type { RawFlowNode } from '../document.ts'
import { answerProductQuestion } from './answer-product-question.ts'
import { collectInput } from './collect-input.ts'
import { condition } from './condition.ts'
import { delay } from './delay.ts'
import { end } from './end.ts'
import { escalate } from './escalate.ts'
import { httpRequest } from './http-request.ts'
import { lookupOrder } from './lookup-order.ts'
import { offerIncentive } from './offer-incentive.ts'
import { sendMessage } from './send-message.ts'
import { setVariable } from './set-variable.ts'
import { split } from './split.ts'
import { triggerCartAbandoned } from './trigger-cart-abandoned.ts'
import { triggerManual } from './trigger-manual.ts'
import { triggerMessage } from './trigger-message.ts'
import { triggerOrderCreated } from './trigger-order-created.ts'
import { triggerOrderDelivered } from './trigger-order-delivered.ts'
import { triggerOrderDeliveryProblem } from './trigger-order-delivery-problem.ts'
import { triggerOrderShipped } from './trigger-order-shipped.ts'
import type { NodeKind } from './types.ts'
import { waitForReply } from './wait-for-reply.ts'

export const nodeKinds = {
  'trigger-cart-abandoned': triggerCartAbandoned,
  'trigger-order-created': triggerOrderCreated,
  'trigger-order-shipped': triggerOrderShipped,
  'trigger-order-delivered': triggerOrderDelivered,
  'trigger-order-delivery-problem': triggerOrderDeliveryProblem,
  'trigger-message': triggerMessage,
  'trigger-manual': triggerManual,
  'send-message': sendMessage,
  delay,
  'wait-for-reply': waitForReply,
  'collect-input': collectInput,
  condition,
  split,
  'set-variable': setVariable,
  'http-request': httpRequest,
  'lookup-order': lookupOrder,
  'answer-product-question': answerProductQuestion,
  'offer-incentive': offerIncentive,
  escalate,
  end,
} as const

export type NodeKindId = keyof typeof nodeKinds

/** The parsed config of a kind. */
export type NodeConfig<K extends NodeKindId> = (typeof nodeKinds)[K] extends NodeKind<K, infer C> ? C : never

/** A node whose config has been parsed against its kind (see parseFlowDocument). */
export type FlowNode = {
  [K in NodeKindId]: Omit<RawFlowNode, 'kind' | 'config'> & { kind: K; config: NodeConfig<K> }
}[NodeKindId]

export function isNodeKindId(kind: string): kind is NodeKindId {
  return Object.hasOwn(nodeKinds, kind)
}

/** The kind module for an id, typed loosely for code that handles every kind alike. */
export function getNodeKind(kind: string): NodeKind<NodeKindId, unknown> | undefined {
  return isNodeKindId(kind) ? (nodeKinds[kind] as unknown as NodeKind<NodeKindId, unknown>) : undefined
}

export const triggerKindIds = [
  'trigger-cart-abandoned',
  'trigger-order-created',
  'trigger-order-shipped',
  'trigger-order-delivered',
  'trigger-order-delivery-problem',
  'trigger-message',
  'trigger-manual',
] as const satisfies NodeKindId[]

export function isTriggerKind(kind: string): boolean {
  return (triggerKindIds as readonly string[]).includes(kind)
}

export { collectInputButtons } from './collect-input.ts'
export { type CardListConfig, renderCardList } from './message-parts.ts'
export { asksForReply } from './send-message.ts'
export type { NodeKind } from './types.ts'
