// Flow documents v1 → v2: quick-reply buttons of a Send message became its outputs. In v1 a message
// with buttons went on at once through "Then", and a following Wait for reply branched on the tap.
// Never change this function once released: saved v1 documents are read through it forever.

type Json = Record<string, unknown>

const ONE_DAY = { amount: 1, unit: 'days' }

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function buttonsOf(node: Json): { id: string; title: string }[] {
  const config = isObject(node.config) ? node.config : {}
  if (!Array.isArray(config.buttons)) return []
  return config.buttons.filter(
    (b): b is { id: string; title: string } =>
      isObject(b) && typeof b.id === 'string' && typeof b.title === 'string',
  )
}

function edgeId(source: string, handle: string, target: string, taken: Set<string>): string {
  const base = `${source}-${handle}-${target}`.slice(0, 120)
  let id = base
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`
  taken.add(id)
  return id
}

/**
 * For each Send message with buttons and a "Then" edge:
 * - followed by a Wait for reply: each button leads where the wait's branch for it (or its "Anything
 *   else") led, "Anything else" and "No reply" lead where the wait's did, and the message waits as long
 *   as the wait did. The wait is removed when nothing else leads into it.
 * - followed by anything else: every answer, and no answer within a day, leads to that step.
 * A message with buttons and no "Then" keeps its buttons unconnected (validation asks to connect them).
 */
export function upgradeV1ToV2(doc: Json): Json {
  // A broken envelope is the parser's to explain, not this function's to repair.
  if (!Array.isArray(doc.nodes) || !Array.isArray(doc.edges)) return { ...doc, version: 2 }
  const nodes = doc.nodes.filter(isObject)
  const edges = doc.edges.filter(isObject)
  const byId = new Map(nodes.map((n) => [n.id, n]))
  const takenIds = new Set(edges.map((e) => String(e.id)))
  const removedEdges = new Set<Json>()
  const added: Json[] = []
  const newConfigs = new Map<Json, Json>()
  const foldedWaits = new Set<unknown>()

  const outgoing = (nodeId: unknown, handle: string) =>
    edges.find((e) => e.source === nodeId && (e.sourceHandle ?? 'next') === handle && !removedEdges.has(e))

  for (const node of nodes) {
    if (node.kind !== 'send-message') continue
    const buttons = buttonsOf(node)
    if (buttons.length === 0) continue
    const then = outgoing(node.id, 'next')
    const config = isObject(node.config) ? node.config : {}
    if (!then) {
      newConfigs.set(node, { ...config, replyTimeout: ONE_DAY })
      continue
    }
    removedEdges.add(then)
    const link = (handle: string, target: unknown) => {
      if (typeof target !== 'string') return
      added.push({
        id: edgeId(String(node.id), handle, target, takenIds),
        source: node.id,
        sourceHandle: handle,
        target,
      })
    }
    const next = byId.get(then.target)
    if (next?.kind === 'wait-for-reply') {
      const wait = isObject(next.config) ? next.config : {}
      const branches = Array.isArray(wait.branches) ? wait.branches.filter(isObject) : []
      const anything = outgoing(next.id, 'anything')?.target
      for (const button of buttons) {
        const branch = branches.find((b) => b.id === button.id || b.title === button.title)
        const target = branch ? outgoing(next.id, String(branch.id))?.target : undefined
        link(button.id, target ?? anything)
      }
      link('anything', anything)
      const timeout = wait.timeout === undefined ? ONE_DAY : wait.timeout
      if (timeout !== null) link('timeout', outgoing(next.id, 'timeout')?.target)
      newConfigs.set(node, { ...config, replyTimeout: timeout })
      const otherWaysIn = edges.some((e) => e.target === next.id && e !== then && !removedEdges.has(e))
      if (!otherWaysIn) foldedWaits.add(next.id)
    } else {
      for (const button of buttons) link(button.id, then.target)
      link('anything', then.target)
      link('timeout', then.target)
      newConfigs.set(node, { ...config, replyTimeout: ONE_DAY })
    }
  }

  return {
    ...doc,
    version: 2,
    nodes: doc.nodes
      .filter((n) => !(isObject(n) && foldedWaits.has(n.id)))
      .map((n) => (isObject(n) && newConfigs.has(n) ? { ...n, config: newConfigs.get(n) } : n)),
    edges: [
      ...doc.edges.filter((e) => !(isObject(e) && (removedEdges.has(e) || foldedWaits.has(e.source)))),
      ...added,
    ],
  }
}
