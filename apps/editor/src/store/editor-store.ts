// The editor's state: the flow being edited as React Flow nodes and edges, its history, clipboard,
// live validation and the simulator's highlight. Edits go through graph-ops.ts; every edit that changes
// the document records a snapshot first, so undo / redo restore the document exactly.
import type { FlowIssue, RawFlowDocument } from '@parley/flow'
import { upgradeFlowDocument } from '@parley/flow'
import {
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type EdgeChange,
  type NodeChange,
  type XYPosition,
} from '@xyflow/react'
import { useStore } from 'zustand'
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { FlowAnalysisSummary } from '../editor/check-document.ts'
import {
  DEFAULT_SETTINGS,
  docToGraph,
  type EditorGraph,
  type FlowCanvasEdge,
  type FlowCanvasNode,
  type FlowMeta,
  graphToDoc,
} from './convert.ts'
import { loadElk } from './elk-loader.ts'
import { estimateLargeFlow, withoutEstimate } from './estimated-size.ts'
import * as ops from './graph-ops.ts'
import { emptyHistory, type History, record, redo, undo } from './history.ts'
import {
  applyLayout,
  computeLayout,
  DEFAULT_CARD_HEIGHT,
  type ElkEngine,
  type LayoutResult,
  matchesLayout,
} from './layout.ts'
import { belowOutput, findFreeSpot, makeRoomBelow } from './placement.ts'

export interface EditorState {
  flowId: string | null
  meta: FlowMeta
  nodes: FlowCanvasNode[]
  edges: FlowCanvasEdge[]
  history: History<RawFlowDocument>
  /** True between the first and last position change of a drag: the whole drag is one undo step. */
  dragging: boolean
  clipboard: ops.Clipboard | null
  /** Bumped on every change to the document; autosave and validation watch it. */
  revision: number
  /** A short explanation of the last refused edit (e.g. an edge into a trigger), for a toast. */
  notice: { id: number; text: string } | null
  issues: FlowIssue[]
  issuesByNode: Record<string, FlowIssue[]>
  analysis: FlowAnalysisSummary | null
  /** Nodes the simulator is resting on. */
  activeNodeIds: string[]
  /** What the last layout reported about the arrangement on the canvas (null before any layout). */
  layoutReport: { crossings: number } | null

  load(flowId: string | null, doc: RawFlowDocument): void
  onNodesChange(changes: NodeChange<FlowCanvasNode>[]): void
  onEdgesChange(changes: EdgeChange<FlowCanvasEdge>[]): void
  onConnect(connection: Connection): void
  /** Adds a step at (or, when taken, near) a position. */
  addNode(kind: string, position: XYPosition): string
  /** Adds a step in free space below an output and leads the output to it. */
  addStepAfter(sourceId: string, sourceHandle: string, kind: string): string | null
  /** Adds a "Collect input" asking for the order number before a "Look up order" and points it there. */
  askForOrderNumber(lookupNodeId: string): void
  deleteElements(nodeIds: string[], edgeIds: string[]): void
  deleteSelection(): void
  copy(): void
  paste(): void
  undo(): void
  redo(): void
  updateConfig(nodeId: string, config: unknown): void
  renameNode(nodeId: string, name: string): void
  setFlowName(name: string): void
  setMeta(meta: Partial<FlowMeta>): void
  /** Replaces the whole draft (e.g. with a published version restored from history) as one undo step. */
  replaceDocument(doc: RawFlowDocument): void
  /** Arranges every step with ELK, as one undo step. */
  autoLayout(): Promise<void>
  /**
   * After a flow opens and its cards are measured: a flow nobody has arranged yet (fresh from a template)
   * is shown arranged (saved with the first edit); a flow already in the layout's arrangement gets the
   * layout's edge routes. Anything else is left exactly as the merchant placed it.
   */
  arrangeOnOpen(untouched: boolean): Promise<void>
  selectNodes(nodeIds: string[]): void
  selectEdges(edgeIds: string[]): void
  setValidation(issues: FlowIssue[], analysis: FlowAnalysisSummary | null): void
  setActiveNodes(nodeIds: string[]): void
  notify(text: string): void
}

export interface EditorStoreOptions {
  newId?: ops.IdFactory
  now?: () => number
  /** The layout engine (loaded on first use). */
  elk?: () => Promise<ElkEngine>
}

/** Space above and below a step inserted into a path. */
const INSERT_GAP = 80

/** Edits of the same field within this long of each other share one undo step. */
export const COALESCE_MS = 1000

const EMPTY_META: FlowMeta = { name: 'Untitled flow', settings: DEFAULT_SETTINGS }

function graphOf(state: Pick<EditorState, 'nodes' | 'edges'>): EditorGraph {
  return { nodes: state.nodes, edges: state.edges }
}

/** The current document (cached per nodes / edges / meta identity, so selectors stay cheap). */
const docCache = new WeakMap<object, { nodes: object; meta: object; doc: RawFlowDocument }>()
export function selectDocument(state: Pick<EditorState, 'nodes' | 'edges' | 'meta'>): RawFlowDocument {
  const hit = docCache.get(state.edges)
  if (hit && hit.nodes === state.nodes && hit.meta === state.meta) return hit.doc
  const doc = graphToDoc(state.meta, graphOf(state))
  docCache.set(state.edges, { nodes: state.nodes, meta: state.meta, doc })
  return doc
}

/** Restores a snapshot, keeping what React Flow measured and what is selected, by node id. */
function restore(state: EditorState, doc: RawFlowDocument): Partial<EditorState> {
  const previous = new Map(state.nodes.map((n) => [n.id, n]))
  const graph = docToGraph(doc)
  return {
    meta: { name: doc.name, settings: doc.settings },
    nodes: graph.nodes.map((n) => {
      const before = previous.get(n.id)
      return before ? { ...n, measured: before.measured, selected: before.selected } : n
    }),
    edges: graph.edges,
  }
}

export function createEditorStore(options: EditorStoreOptions = {}): StoreApi<EditorState> {
  const newId = options.newId ?? ops.randomId
  let noticeId = 0
  const now = options.now ?? Date.now
  const elk = options.elk ?? loadElk
  /** Typing into a field is one undo step per burst, not per keystroke. */
  let lastEdit: { key: string; at: number } | null = null

  return createStore<EditorState>()((set, get) => {
    /** Applies a document-changing edit as one undo step. */
    const commit = (next: Partial<EditorState>, coalesceKey?: string) => {
      const state = get()
      const at = now()
      const coalesce =
        coalesceKey !== undefined && lastEdit?.key === coalesceKey && at - lastEdit.at < COALESCE_MS
      lastEdit = coalesceKey === undefined ? null : { key: coalesceKey, at }
      set({
        ...next,
        ...(coalesce ? {} : { history: record(state.history, selectDocument(state)) }),
        revision: state.revision + 1,
      })
    }

    /** Lays out the graph as it is now; null when it changed while ELK was working. */
    const layoutNow = async (): Promise<LayoutResult | null> => {
      const before = get()
      const layout = await computeLayout(graphOf(before), await elk())
      const after = get()
      return after.nodes === before.nodes && after.edges === before.edges ? layout : null
    }

    return {
      flowId: null,
      meta: EMPTY_META,
      nodes: [],
      edges: [],
      history: emptyHistory(),
      dragging: false,
      clipboard: null,
      revision: 0,
      notice: null,
      issues: [],
      issuesByNode: {},
      analysis: null,
      activeNodeIds: [],
      layoutReport: null,

      load(flowId, saved) {
        // Documents saved by an older editor are brought to the current version (explicit upgrades).
        const upgraded = upgradeFlowDocument(saved)
        const doc = upgraded.ok ? (upgraded.json as RawFlowDocument) : saved
        const graph = docToGraph(doc)
        set({
          flowId,
          meta: { name: doc.name, settings: doc.settings ?? DEFAULT_SETTINGS },
          nodes: estimateLargeFlow(graph.nodes),
          edges: graph.edges,
          history: emptyHistory(),
          dragging: false,
          revision: 0,
          issues: [],
          issuesByNode: {},
          analysis: null,
          activeNodeIds: [],
          layoutReport: null,
        })
      },

      onNodesChange(changes) {
        // Deletion goes through deleteElements (one undo step for nodes and their edges together).
        const applicable = changes.filter((c) => c.type !== 'remove')
        if (applicable.length === 0) return
        const state = get()
        const moves = applicable.filter((c) => c.type === 'position')
        let nodes = applyNodeChanges(applicable, state.nodes)
        // A card measured for real no longer needs the estimate it opened with (estimated-size.ts).
        const measured = new Set(applicable.filter((c) => c.type === 'dimensions').map((c) => c.id))
        if (measured.size > 0) nodes = nodes.map((n) => (measured.has(n.id) ? withoutEstimate(n) : n))
        if (moves.length === 0) {
          set({ nodes })
          return
        }
        const dragging = moves.some((c) => c.type === 'position' && c.dragging === true)
        const startsDrag = !state.dragging
        set({
          nodes,
          dragging,
          revision: state.revision + 1,
          // The snapshot before the first move of a drag is the one undo goes back to.
          ...(startsDrag ? { history: record(state.history, selectDocument(state)) } : {}),
        })
      },

      onEdgesChange(changes) {
        const applicable = changes.filter((c) => c.type !== 'remove')
        if (applicable.length > 0) set({ edges: applyEdgeChanges(applicable, get().edges) })
      },

      onConnect(connection) {
        const result = ops.connect(graphOf(get()), connection, newId)
        if (!result.ok) {
          get().notify(result.reason)
          return
        }
        commit(result.graph)
      },

      addNode(kind, position) {
        const graph = graphOf(get())
        const node = ops.createNode(kind, findFreeSpot(graph, position), newId)
        commit(ops.addNode(graph, node))
        return node.id
      },

      addStepAfter(sourceId, sourceHandle, kind) {
        let graph = graphOf(get())
        const below = belowOutput(graph, sourceId, sourceHandle)
        if (!below) return null
        const inserting = graph.edges.some(
          (e) => e.source === sourceId && (e.sourceHandle ?? 'next') === sourceHandle,
        )
        // Into an existing path: the steps below move down a row to make room for it.
        if (inserting)
          graph = makeRoomBelow(graph, below.y - INSERT_GAP / 2, DEFAULT_CARD_HEIGHT + INSERT_GAP)
        const node = ops.createNode(kind, findFreeSpot(graph, below), newId)
        const result = ops.insertAfter(graph, sourceId, sourceHandle, node, newId)
        if (!result.ok) {
          get().notify(result.reason)
          return null
        }
        commit(result.graph)
        return node.id
      },

      askForOrderNumber(lookupNodeId) {
        const graph = graphOf(get())
        const lookup = graph.nodes.find((n) => n.id === lookupNodeId)
        if (!lookup) return
        const question = ops.createNode('collect-input', lookup.position, newId)
        question.data = {
          ...question.data,
          name: 'Ask for the order number',
          config: {
            ...(question.data.config as object),
            prompt: "What's your order number? You'll find it in your confirmation email.",
            inputType: 'order_number',
            variable: 'order_number',
            retryText: "That doesn't look like an order number. Could you check your confirmation email?",
          },
        }
        const inserted = ops.insertBefore(graph, lookupNodeId, question, newId)
        commit(
          ops.updateNodeConfig(inserted, lookupNodeId, {
            ...(lookup.data.config as object),
            source: 'variable',
            variable: 'order_number',
          }),
        )
      },

      deleteElements(nodeIds, edgeIds) {
        if (nodeIds.length === 0 && edgeIds.length === 0) return
        commit(ops.deleteElements(graphOf(get()), nodeIds, edgeIds))
      },

      deleteSelection() {
        const state = get()
        const nodeIds = state.nodes.filter((n) => n.selected).map((n) => n.id)
        const edgeIds = state.edges.filter((e) => e.selected).map((e) => e.id)
        state.deleteElements(nodeIds, edgeIds)
      },

      copy() {
        const clipboard = ops.copySelection(graphOf(get()))
        if (clipboard) set({ clipboard })
      },

      paste() {
        const { clipboard } = get()
        if (!clipboard) return
        const { graph } = ops.paste(graphOf(get()), clipboard, newId)
        commit(graph)
        // Pasting again offsets from the last paste instead of stacking copies on top of each other.
        set({
          clipboard: {
            ...clipboard,
            nodes: clipboard.nodes.map((n) => ({
              ...n,
              position: { x: n.position.x + ops.PASTE_OFFSET, y: n.position.y + ops.PASTE_OFFSET },
            })),
          },
        })
      },

      undo() {
        const state = get()
        const result = undo(state.history, selectDocument(state))
        if (!result) return
        lastEdit = null
        set({
          ...restore(state, result.state),
          history: result.history,
          revision: state.revision + 1,
          dragging: false,
        })
      },

      redo() {
        const state = get()
        const result = redo(state.history, selectDocument(state))
        if (!result) return
        lastEdit = null
        set({
          ...restore(state, result.state),
          history: result.history,
          revision: state.revision + 1,
          dragging: false,
        })
      },

      updateConfig(nodeId, config) {
        commit(ops.updateNodeConfig(graphOf(get()), nodeId, config), `config:${nodeId}`)
      },

      renameNode(nodeId, name) {
        commit(ops.renameNode(graphOf(get()), nodeId, name), `name:${nodeId}`)
      },

      setFlowName(name) {
        commit({ meta: { ...get().meta, name } }, 'flow-name')
      },

      setMeta(meta) {
        commit({ meta: { ...get().meta, ...meta } })
      },

      replaceDocument(doc) {
        const upgraded = upgradeFlowDocument(doc)
        commit(restore(get(), upgraded.ok ? (upgraded.json as RawFlowDocument) : doc))
      },

      async autoLayout() {
        const layout = await layoutNow()
        if (!layout) return
        commit(applyLayout(graphOf(get()), layout))
        set({ layoutReport: { crossings: layout.crossings } })
      },

      async arrangeOnOpen(untouched) {
        // Cards still being measured change the graph under ELK: try again, unless the merchant edited it.
        let layout: LayoutResult | null = null
        for (let attempt = 0; attempt < 3 && !layout; attempt++) {
          const revision = get().revision
          layout = await layoutNow()
          if (!layout && get().revision !== revision) return
        }
        if (!layout) return
        const graph = graphOf(get())
        if (!untouched && !matchesLayout(graph, layout)) return
        // Not an edit: nothing to undo and nothing to save until the merchant changes something.
        set({ ...applyLayout(graph, layout), layoutReport: { crossings: layout.crossings } })
      },

      selectNodes(nodeIds) {
        set(ops.selectOnly(graphOf(get()), nodeIds))
      },

      selectEdges(edgeIds) {
        const ids = new Set(edgeIds)
        const { nodes, edges } = get()
        set({
          nodes: nodes.some((n) => n.selected)
            ? nodes.map((n) => (n.selected ? { ...n, selected: false } : n))
            : nodes,
          edges: edges.map((e) =>
            Boolean(e.selected) === ids.has(e.id) ? e : { ...e, selected: ids.has(e.id) },
          ),
        })
      },

      setValidation(issues, analysis) {
        const issuesByNode: Record<string, FlowIssue[]> = {}
        for (const issue of issues) {
          if (!issue.nodeId) continue
          const list = issuesByNode[issue.nodeId] ?? []
          list.push(issue)
          issuesByNode[issue.nodeId] = list
        }
        set({ issues, issuesByNode, analysis })
      },

      setActiveNodes(nodeIds) {
        set({ activeNodeIds: nodeIds })
      },

      notify(text) {
        noticeId += 1
        set({ notice: { id: noticeId, text } })
      },
    }
  })
}

/** The editor's one store instance. */
export const editorStore = createEditorStore()

/** Subscribe to a narrow slice of the editor state. */
export function useEditor<T>(selector: (state: EditorState) => T): T {
  return useStore(editorStore, selector)
}
