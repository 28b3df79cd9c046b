// A step's machine snapshot as the run stores it: what XState's `getPersistedSnapshot` gives, as plain JSON data
// (`toJsonValue`), key for key and in the same key order. Built here directly because XState's version copies the
// snapshot with an object rest (slow in V8), walks the context for actor references, and the JSON copy then
// walked the whole context again: together two thirds of a timer firing's stepper time besides the transition.
// Given the snapshot the step started from, the context's unchanged parts are kept rather than copied
// (json-value.ts `toJsonValueFrom`).
import type { initialTransition } from 'xstate'
import type { FlowMachine } from './compile.ts'
import { toJsonValue, toJsonValueFrom } from './json-value.ts'

type Snapshot = ReturnType<typeof initialTransition<FlowMachine>>[0]

/**
 * `toJsonValue(machine.getPersistedSnapshot(snapshot))`, sharing with `before` (the stored snapshot the step
 * resumed, JSON data) the objects the step did not change.
 * @example const stored = persistSnapshot(machine, next, run.snapshot)
 */
export function persistSnapshot(machine: FlowMachine, snapshot: Snapshot, before?: unknown): unknown {
  // Invoked or spawned actors (a compiled flow has none) are persisted by XState, as it does.
  if (Object.keys(snapshot.children).length > 0) return toJsonValue(machine.getPersistedSnapshot(snapshot))
  // XState's keys in XState's order: the snapshot's own (`output` and `error` dropped when undefined), then these.
  const persisted = {
    status: snapshot.status,
    output: snapshot.output,
    error: snapshot.error,
    value: snapshot.value,
    historyValue: historyIds(snapshot.historyValue),
    context: snapshot.context,
    children: {},
  }
  return before === undefined ? toJsonValue(persisted) : toJsonValueFrom(persisted, before)
}

/** XState's `serializeHistoryValue`: the remembered state nodes by id. */
function historyIds(historyValue: unknown): Record<string, { id: string }[]> {
  const ids: Record<string, { id: string }[]> = {}
  if (typeof historyValue !== 'object' || historyValue === null) return ids
  for (const [key, nodes] of Object.entries(historyValue)) {
    if (Array.isArray(nodes)) ids[key] = nodes.map((node: { id: string }) => ({ id: node.id }))
  }
  return ids
}
