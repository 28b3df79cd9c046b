// Test support for node kinds: put one node between a manual trigger and an `end` per handle (whose
// outcome is the handle id), so a test reads which way the node went from the run's outcome.

import { compile } from '../compile.ts'
import type { ChannelKind } from '../document.ts'
import { FLOW_DOCUMENT_VERSION } from '../document.ts'
import { parseFlowDocument } from '../parse.ts'
import type { FlowVars } from '../run-context.ts'
import { SimulatedRun } from '../simulated-run.ts'
import { getNodeKind, type NodeKindId } from './index.ts'
import type { FlowIssue } from './types.ts'

export const T0 = Date.UTC(2025, 5, 2, 8, 0)
export const MINUTE = 60_000
export const HOUR = 60 * MINUTE

/** The kind's defaults with `config` over them, parsed by the kind's schema (throws when invalid). */
export function configOf(kind: NodeKindId, config: Record<string, unknown> = {}): unknown {
  const nodeKind = getNodeKind(kind)!
  return nodeKind.configSchema.parse({ ...(nodeKind.defaults as object), ...config })
}

export function checkNode(
  kind: NodeKindId,
  config: Record<string, unknown>,
  channels: ChannelKind[] = ['webchat', 'whatsapp', 'telegram'],
): FlowIssue[] {
  return getNodeKind(kind)!.check(configOf(kind, config), { nodeId: 'n', nodeLabel: 'Step', channels })
}

/** Runs `start → node → end(<handle>)`, started at T0. */
export function runNode(
  kind: NodeKindId,
  config: Record<string, unknown> = {},
  options: { vars?: FlowVars; seed?: string; unwired?: string[] } = {},
): SimulatedRun {
  const nodeKind = getNodeKind(kind)!
  const handles = nodeKind.handles(configOf(kind, config)).filter((h) => !options.unwired?.includes(h.id))
  const parsed = parseFlowDocument({
    version: FLOW_DOCUMENT_VERSION,
    name: `${kind} test`,
    nodes: [
      { id: 'start', kind: 'trigger-manual', position: { x: 0, y: 0 }, config: {} },
      { id: 'n', kind, name: 'Step', position: { x: 0, y: 100 }, config },
      ...handles.map((h, i) => ({
        id: `to-${h.id}`,
        kind: 'end',
        position: { x: i * 200, y: 200 },
        // An outcome is letters, digits and "_": a handle such as "intent-return" ends as "intent_return".
        config: { outcome: h.id.toLowerCase().replace(/-/g, '_') },
      })),
    ],
    edges: [
      { id: 'e-start', source: 'start', target: 'n' },
      ...handles.map((h) => ({ id: `e-${h.id}`, source: 'n', sourceHandle: h.id, target: `to-${h.id}` })),
    ],
  })
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
  return new SimulatedRun(compile(parsed.doc), { vars: options.vars ?? {}, seed: options.seed ?? 'seed' }, T0)
}
