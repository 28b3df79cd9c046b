// The compiler: a parsed flow document becomes an XState v5 machine with one root-level state per
// node. Effects are named actions the host interprets; delays are `after` timers the host stores.
import { assign, setup } from 'xstate'
import type { Effect } from './effects.ts'
import type { FlowEvent } from './events.ts'
import { machineGuards } from './machine-guards.ts'
import { isTriggerKind, nodeKinds } from './nodes/index.ts'
import type { CompileContext, NodeKind, NodeStateSpec, TransitionSpec } from './nodes/types.ts'
import type { FlowDocument } from './parse.ts'
import type { FlowContext, FlowInput, FlowOutput, MachineArgs } from './run-context.ts'

/** Reserved state keys; node ids cannot contain "@", so they never collide. */
export const DISPATCH_STATE = '@dispatch'
export const EXIT_STATE = '@exit'
export const DEAD_END_STATE = '@dead-end'

export const OPTED_OUT = 'opted_out'
export const NO_TRIGGER = 'no_trigger'
export const DEAD_END_OUTCOME = 'completed'

type DelayFn = (args: MachineArgs) => number

function flowSetup(delays: Record<string, DelayFn>) {
  return setup({
    types: {} as {
      context: FlowContext
      events: FlowEvent
      input: FlowInput
      output: FlowOutput
    },
    actions: {
      /** Marks the node as entered; the stepper reports these as the step's visits. */
      visit: (_args, _params: { nodeId: string }) => {},
      /** An effect for the host; the stepper collects the resolved params. */
      emit: (_args, _params: Effect) => {},
      setVar: assign(({ context }, params: { name: string; value: unknown }) => ({
        vars: { ...context.vars, [params.name]: params.value },
      })),
      setOutcome: assign((_args, params: { outcome: string }) => ({ outcome: params.outcome })),
      countRetry: assign(({ context }, params: { nodeId: string }) => ({
        retries: { ...context.retries, [params.nodeId]: (context.retries[params.nodeId] ?? 0) + 1 },
      })),
      resetRetries: assign(({ context }, params: { nodeId: string }) => {
        const { [params.nodeId]: _dropped, ...retries } = context.retries
        return { retries }
      }),
    },
    guards: machineGuards as unknown as {
      [K in keyof typeof machineGuards]: (
        args: { context: FlowContext; event: FlowEvent },
        params: Parameters<(typeof machineGuards)[K]>[1],
      ) => boolean
    },
    delays: delays as Record<string, (args: { context: FlowContext; event: FlowEvent }) => number>,
  })
}

export type FlowMachine = ReturnType<ReturnType<typeof flowSetup>['createMachine']>

function toTransition(spec: TransitionSpec) {
  return {
    ...(spec.target === undefined ? {} : { target: spec.target, reenter: true }),
    ...(spec.guard ? { guard: spec.guard } : {}),
    ...(spec.actions ? { actions: spec.actions } : {}),
  }
}

function toState(nodeId: string, spec: NodeStateSpec) {
  return {
    ...(spec.final ? { type: 'final' as const } : {}),
    entry: [{ type: 'visit', params: { nodeId } }, ...(spec.entry ?? [])],
    ...(spec.always ? { always: spec.always.map(toTransition) } : {}),
    ...(spec.on
      ? { on: Object.fromEntries(Object.entries(spec.on).map(([type, ts]) => [type, ts.map(toTransition)])) }
      : {}),
    ...(spec.after
      ? {
          after: Object.fromEntries(
            Object.entries(spec.after).map(([delay, ts]) => [delay, ts.map(toTransition)]),
          ),
        }
      : {}),
  }
}

function cartTokenOf(input: FlowInput): string | undefined {
  if (typeof input.cartToken === 'string') return input.cartToken
  const cart = input.vars.cart
  const token = typeof cart === 'object' && cart !== null ? (cart as { token?: unknown }).token : undefined
  return typeof token === 'string' ? token : undefined
}

/**
 * Compiles a parsed flow document to its machine. Pure and deterministic: the same document always
 * yields a machine that behaves the same, so a run can be stepped by any replica.
 * @example const machine = compile(parsed.doc); const first = start(machine, input, { now })
 */
export function compile(doc: FlowDocument): FlowMachine {
  const delays: Record<string, DelayFn> = {}
  const nodeIds = new Set(doc.nodes.map((n) => n.id))
  const wiring = new Map<string, string>()
  for (const edge of doc.edges) {
    const key = `${edge.source}\u0000${edge.sourceHandle}`
    // The first edge out of a handle wins; validate reports the others.
    if (nodeIds.has(edge.target) && !wiring.has(key)) wiring.set(key, edge.target)
  }

  const states: Record<string, unknown> = {}
  const triggers = doc.nodes.filter((n) => isTriggerKind(n.kind))
  states[DISPATCH_STATE] = {
    always: [
      ...triggers.map((t, i) => ({
        guard: { type: 'isStartNode', params: { nodeId: t.id, first: i === 0 } },
        target: `#flow.${t.id}`,
      })),
      { target: `#flow.${EXIT_STATE}`, actions: [{ type: 'setOutcome', params: { outcome: NO_TRIGGER } }] },
    ],
  }
  for (const node of doc.nodes) {
    const kind = nodeKinds[node.kind] as unknown as NodeKind<string, unknown>
    const ctx: CompileContext = {
      nodeId: node.id,
      settings: doc.settings,
      target: (handleId) => {
        const target = wiring.get(`${node.id}\u0000${handleId}`)
        return target === undefined ? `#flow.${DEAD_END_STATE}` : `#flow.${target}`
      },
      isWired: (handleId) => wiring.has(`${node.id}\u0000${handleId}`),
      exitTarget: `#flow.${EXIT_STATE}`,
      delay: (name, ms) => {
        const key = `${node.id}.${name}`
        delays[key] = (args) => {
          const value = ms(args)
          return Number.isFinite(value) && value > 0 ? value : 0
        }
        return key
      },
    }
    states[node.id] = toState(node.id, kind.compile(node.config, ctx))
  }
  states[EXIT_STATE] = { type: 'final' }
  states[DEAD_END_STATE] = {
    type: 'final',
    entry: [{ type: 'setOutcome', params: { outcome: DEAD_END_OUTCOME } }],
  }

  const exitTo = (outcome: string, sameCart: boolean) => ({
    target: `#flow.${EXIT_STATE}`,
    ...(sameCart ? { guard: 'isSameCart' } : {}),
    actions: [{ type: 'setOutcome', params: { outcome } }],
  })
  const on: Record<string, ReturnType<typeof exitTo>[]> = {}
  for (const exit of doc.settings.exitEvents) {
    if (exit.event === 'contact.opted_out') continue
    const list = on[exit.event] ?? []
    list.push(exitTo(exit.outcome, exit.sameCart))
    on[exit.event] = list
  }
  // Opting out ends every run, whatever the flow says.
  on['contact.opted_out'] = [exitTo(OPTED_OUT, false)]

  return flowSetup(delays).createMachine({
    id: 'flow',
    context: ({ input }) => {
      const cartToken = cartTokenOf(input)
      return {
        vars: { ...input.vars },
        seed: input.seed,
        retries: {},
        outcome: null,
        triggerNodeId: input.triggerNodeId ?? null,
        ...(cartToken === undefined ? {} : { cartToken }),
        startedAt: input.now,
      }
    },
    initial: DISPATCH_STATE,
    on: on as never,
    states: states as never,
    output: ({ context }) => ({ outcome: context.outcome ?? DEAD_END_OUTCOME }),
  })
}
