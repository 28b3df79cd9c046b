// Every kind's editor home, keyed like packages/flow's registry; a kind missing here fails typecheck.
import type { NodeKindId } from '@parley/flow'
import { answerProductQuestionUi } from './answer-product-question.tsx'
import { collectInputUi } from './collect-input.tsx'
import { conditionUi } from './condition.tsx'
import { delayUi } from './delay.tsx'
import { endUi } from './end.tsx'
import { escalateUi } from './escalate.tsx'
import { httpRequestUi } from './http-request.tsx'
import { lookupOrderUi } from './lookup-order.tsx'
import type { NodeUi } from './node-ui.tsx'
import { offerIncentiveUi } from './offer-incentive.tsx'
import { sendMessageUi } from './send-message.tsx'
import { setVariableUi } from './set-variable.tsx'
import { splitUi } from './split.tsx'
import { triggerCartAbandonedUi } from './trigger-cart-abandoned.tsx'
import { triggerManualUi } from './trigger-manual.tsx'
import { triggerMessageUi } from './trigger-message.tsx'
import { triggerOrderCreatedUi } from './trigger-order-created.tsx'
import { triggerOrderDeliveredUi } from './trigger-order-delivered.tsx'
import { triggerOrderDeliveryProblemUi } from './trigger-order-delivery-problem.tsx'
import { triggerOrderShippedUi } from './trigger-order-shipped.tsx'
import { waitForReplyUi } from './wait-for-reply.tsx'

export const nodeUis: { [K in NodeKindId]: NodeUi<K> } = {
  'trigger-cart-abandoned': triggerCartAbandonedUi,
  'trigger-order-created': triggerOrderCreatedUi,
  'trigger-order-shipped': triggerOrderShippedUi,
  'trigger-order-delivered': triggerOrderDeliveredUi,
  'trigger-order-delivery-problem': triggerOrderDeliveryProblemUi,
  'trigger-message': triggerMessageUi,
  'trigger-manual': triggerManualUi,
  'send-message': sendMessageUi,
  delay: delayUi,
  'wait-for-reply': waitForReplyUi,
  'collect-input': collectInputUi,
  condition: conditionUi,
  split: splitUi,
  'set-variable': setVariableUi,
  'http-request': httpRequestUi,
  'lookup-order': lookupOrderUi,
  'answer-product-question': answerProductQuestionUi,
  'offer-incentive': offerIncentiveUi,
  escalate: escalateUi,
  end: endUi,
}

/** The editor home of a kind, typed loosely for code that treats every kind alike. */
export function nodeUiOf(kind: string): NodeUi<NodeKindId> | undefined {
  return (nodeUis as Record<string, NodeUi<NodeKindId>>)[kind]
}
