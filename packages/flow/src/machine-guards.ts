// The closed set of guards compiled flows use. Each reads only the run's context and the event, so a
// flow's branching is data (conditions, keywords, percentages), never merchant code.
import { evaluateConditionGroup } from './condition.ts'
import type { FlowEvent } from './events.ts'
import { isSkip, parseInput } from './nodes/input-parse.ts'
import { replyIntentOf, replyMatches } from './nodes/reply-match.ts'
import { splitBucket } from './nodes/split.ts'
import type { GuardSpec } from './nodes/types.ts'
import type { MachineArgs } from './run-context.ts'

type GuardParams<T extends GuardSpec['type']> = Extract<GuardSpec, { type: T }>['params']

function messageEvent(args: MachineArgs) {
  return args.event.type === 'message.received'
    ? (args.event as Extract<FlowEvent, { type: 'message.received' }>)
    : null
}

export const machineGuards = {
  /** The dispatch state's choice of trigger: the one named in the input, or the first one. */
  isStartNode: ({ context }: MachineArgs, params: { nodeId: string; first: boolean }) =>
    context.triggerNodeId === params.nodeId || (context.triggerNodeId === null && params.first),
  /** An order event for the cart this run was started for. */
  isSameCart: ({ context, event }: MachineArgs) => {
    if (event.type !== 'order.created' && event.type !== 'order.shipped') return false
    return context.cartToken !== undefined && event.order?.cartToken === context.cartToken
  },
  conditionHolds: ({ context }: MachineArgs, params: GuardParams<'conditionHolds'>) =>
    evaluateConditionGroup(params.group, context.vars),
  replyMatches: (args: MachineArgs, params: GuardParams<'replyMatches'>) => {
    const event = messageEvent(args)
    return event !== null && replyMatches(event, params)
  },
  replyIntentIs: (args: MachineArgs, params: GuardParams<'replyIntentIs'>) => {
    const event = messageEvent(args)
    return event !== null && params.intents.includes(replyIntentOf(event))
  },
  effectResultFor: ({ event }: MachineArgs, params: GuardParams<'effectResultFor'>) =>
    event.type === 'effect.result' &&
    event.nodeId === params.nodeId &&
    (params.ok === undefined || event.ok === params.ok),
  bucketIn: ({ context }: MachineArgs, params: GuardParams<'bucketIn'>) => {
    const bucket = splitBucket(context.seed, params.nodeId)
    return bucket >= params.from && bucket < params.to
  },
  inputValid: (args: MachineArgs, params: GuardParams<'inputValid'>) => {
    const event = messageEvent(args)
    return event !== null && parseInput(params.inputType, event).ok
  },
  inputSkipped: (args: MachineArgs, params: GuardParams<'inputSkipped'>) => {
    const event = messageEvent(args)
    return event !== null && isSkip(params.skipButton, event)
  },
  retriesLeft: ({ context }: MachineArgs, params: GuardParams<'retriesLeft'>) =>
    (context.retries[params.nodeId] ?? 0) < params.max,
}
