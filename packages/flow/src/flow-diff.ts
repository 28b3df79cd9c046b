// What changed between two versions of a flow, in the merchant's words: steps added, removed and changed (and
// how), matched by step id. Moving a step on the canvas is not a change: it does not change what the flow does.
import type { RawFlowDocument } from './document.ts'
import { getNodeKind } from './nodes/index.ts'

type Doc = Pick<RawFlowDocument, 'nodes' | 'edges'> & Partial<Pick<RawFlowDocument, 'name' | 'settings'>>
type Node = Doc['nodes'][number]

export type StepChange = 'added' | 'removed' | 'changed'

export interface DiffStep {
  nodeId: string
  /** The step's name, or its kind's title ("Send message"). */
  name: string
}

export interface ChangedStep extends DiffStep {
  /** What changed, one sentence each: "The message text changed", "“No reply” now goes to “Reminder”". */
  changes: string[]
}

export interface FlowDiff {
  added: DiffStep[]
  removed: DiffStep[]
  changed: ChangedStep[]
  /** Flow-wide changes (name, channels, when a run stops). */
  flow: string[]
  /** Step id → how it changed, for highlighting the canvas. */
  status: Record<string, StepChange>
}

/** Config fields in words; anything unlisted is split from its camelCase name ("retryText" → "retry text"). */
const FIELD_WORDS: Record<string, string> = {
  text: 'The message text',
  imageUrl: 'The image',
  product: 'The product card',
  buttons: 'The buttons',
  purpose: 'What the message is for',
  whatsappTemplate: 'The WhatsApp template',
  replyTimeout: 'How long it waits for a reply',
  timeout: 'How long it waits',
  duration: 'How long it waits',
  keywords: 'The keywords',
  match: 'What it starts on',
  outcome: 'How the ending is counted',
  prompt: 'The question',
  inputType: 'The kind of answer',
  retries: 'How often it asks again',
  retryText: 'What it says when the answer does not fit',
  queue: 'Which team it goes to',
  note: 'The note for your team',
  url: 'The web address',
  method: 'The request method',
  headers: 'The request headers',
  body: 'The request body',
  conditions: 'The conditions',
  branches: 'The branches',
  paths: 'The split',
  discount: 'The discount',
  code: 'The discount code',
  name: 'The variable',
  value: 'The value',
}

function fieldWords(key: string): string {
  const known = FIELD_WORDS[key]
  if (known) return known
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase()
  return `The ${words}`
}

function stepName(node: Node): string {
  return node.name?.trim() || getNodeKind(node.kind)?.title || 'Step'
}

const quoted = (s: string) => `“${s}”`

/** Stable JSON (keys sorted), so key order never reads as a change. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/** The label of a node's output ("No reply", a button title), from its kind in the version it belongs to. */
function outputLabel(node: Node | undefined, handle: string): string {
  if (!node) return handle
  try {
    const label = getNodeKind(node.kind)
      ?.handles(node.config as never)
      .find((h) => h.id === handle)?.label
    if (label) return label
  } catch {
    // A config the kind cannot read still gets a name: the handle's.
  }
  return handle === 'next' ? 'Then' : handle
}

function configChanges(before: Node, after: Node): string[] {
  const changes: string[] = []
  if (before.kind !== after.kind) changes.push('It became a different kind of step')
  if ((before.name ?? '') !== (after.name ?? '') && before.name?.trim() && after.name?.trim()) {
    changes.push(`Renamed from ${quoted(before.name.trim())}`)
  }
  const a = (before.config ?? {}) as Record<string, unknown>
  const b = (after.config ?? {}) as Record<string, unknown>
  if (typeof a !== 'object' || typeof b !== 'object') {
    if (canonical(a) !== canonical(b)) changes.push('Its settings changed')
    return changes
  }
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()
  for (const key of keys) {
    if (canonical(a[key]) !== canonical(b[key])) changes.push(`${fieldWords(key)} changed`)
  }
  return changes
}

/** "Then" leads to A, per source node: output handle → target ids. */
function outgoing(doc: Doc): Map<string, Map<string, Set<string>>> {
  const bySource = new Map<string, Map<string, Set<string>>>()
  for (const edge of doc.edges) {
    const handle = edge.sourceHandle ?? 'next'
    const handles = bySource.get(edge.source) ?? new Map<string, Set<string>>()
    bySource.set(edge.source, handles)
    const targets = handles.get(handle) ?? new Set<string>()
    handles.set(handle, targets)
    targets.add(edge.target)
  }
  return bySource
}

function settingsChanges(before: Doc, after: Doc): string[] {
  const changes: string[] = []
  if (before.name !== undefined && after.name !== undefined && before.name !== after.name) {
    changes.push(`Renamed from ${quoted(before.name)} to ${quoted(after.name)}`)
  }
  const a = before.settings
  const b = after.settings
  if (a && b) {
    if (canonical(a.channels) !== canonical(b.channels)) changes.push('The channels it runs on changed')
    if (canonical(a.exitEvents) !== canonical(b.exitEvents)) changes.push('What stops a conversation changed')
    if ((a.description ?? '') !== (b.description ?? '')) changes.push('The description changed')
  }
  return changes
}

/**
 * How `after` differs from `before` (e.g. the draft from the live version).
 * @example diffFlows(v3, draft).status // → { n_reminder: 'changed', n_new: 'added', n_old: 'removed' }
 */
export function diffFlows(before: Doc, after: Doc): FlowDiff {
  const beforeNodes = new Map(before.nodes.map((n) => [n.id, n]))
  const afterNodes = new Map(after.nodes.map((n) => [n.id, n]))
  const diff: FlowDiff = {
    added: [],
    removed: [],
    changed: [],
    flow: settingsChanges(before, after),
    status: {},
  }
  const beforeOut = outgoing(before)
  const afterOut = outgoing(after)
  const nameIn = (id: string) => {
    const node = afterNodes.get(id) ?? beforeNodes.get(id)
    return node ? stepName(node) : 'a step'
  }

  for (const node of after.nodes) {
    const old = beforeNodes.get(node.id)
    if (!old) {
      diff.added.push({ nodeId: node.id, name: stepName(node) })
      diff.status[node.id] = 'added'
      continue
    }
    const changes = configChanges(old, node)
    const was = beforeOut.get(node.id) ?? new Map<string, Set<string>>()
    const now = afterOut.get(node.id) ?? new Map<string, Set<string>>()
    for (const handle of [...new Set([...was.keys(), ...now.keys()])]) {
      const from = [...(was.get(handle) ?? [])].sort()
      const to = [...(now.get(handle) ?? [])].sort()
      if (from.join('\n') === to.join('\n')) continue
      const label = quoted(outputLabel(now.has(handle) ? node : old, handle))
      if (to.length === 0) changes.push(`${label} no longer leads anywhere (the conversation ends there)`)
      else changes.push(`${label} now leads to ${to.map((id) => quoted(nameIn(id))).join(' and ')}`)
    }
    if (changes.length > 0) {
      diff.changed.push({ nodeId: node.id, name: stepName(node), changes })
      diff.status[node.id] = 'changed'
    }
  }
  for (const node of before.nodes) {
    if (afterNodes.has(node.id)) continue
    diff.removed.push({ nodeId: node.id, name: stepName(node) })
    diff.status[node.id] = 'removed'
  }
  return diff
}

/** True when the two versions do the same thing. */
export function isEmptyDiff(diff: FlowDiff): boolean {
  return diff.added.length + diff.removed.length + diff.changed.length + diff.flow.length === 0
}
