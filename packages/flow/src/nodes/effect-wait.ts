// The shape shared by kinds whose effect needs the outside world (HTTP request, order lookup, product
// answer): emit the effect, then wait for the host's `effect.result` addressed to this node, or give up.
import type { EffectResultEvent } from '../events.ts'
import type { ActionSpec, CompileContext, NodeStateSpec } from './types.ts'

/** How long a node waits for the host to answer an effect when the kind has no timeout of its own. */
export const EFFECT_RESULT_TIMEOUT_MS = 5 * 60 * 1000
/** Extra time past an HTTP request's own timeout before the machine stops waiting for its result. */
export const EFFECT_RESULT_GRACE_MS = 30 * 1000

export interface EffectWaitSpec {
  entry: ActionSpec[]
  okHandle: string
  failHandle: string
  /** Actions when the result is ok (e.g. store `event.data` in a variable). */
  onOk: ActionSpec[]
  timeoutMs: number
}

export function resultData(args: { event: unknown }): unknown {
  return (args.event as EffectResultEvent).data ?? null
}

export function effectWaitState(spec: EffectWaitSpec, ctx: CompileContext): NodeStateSpec {
  const nodeId = ctx.nodeId
  return {
    entry: spec.entry,
    on: {
      'effect.result': [
        {
          guard: { type: 'effectResultFor', params: { nodeId, ok: true } },
          target: ctx.target(spec.okHandle),
          actions: spec.onOk,
        },
        {
          guard: { type: 'effectResultFor', params: { nodeId, ok: false } },
          target: ctx.target(spec.failHandle),
        },
      ],
    },
    after: {
      [ctx.delay('result', () => spec.timeoutMs)]: [{ target: ctx.target(spec.failHandle) }],
    },
  }
}
