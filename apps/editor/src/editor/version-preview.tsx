// A published version on the canvas, read-only, with what differs from the draft (or from the version
// before it) highlighted: steps added green, removed red and ghosted, changed amber, and the changes in
// words beside it. Loaded only when a version is opened from the history, so the editor's first load
// does not carry it.
import {
  diffFlows,
  type FlowDiff,
  getNodeKind,
  isTriggerKind,
  type RawFlowDocument,
  type StepChange,
} from '@parley/flow'
import {
  Background,
  BackgroundVariant,
  type Edge,
  Handle,
  MarkerType,
  type Node,
  type NodeProps,
  type NodeTypes,
  Position,
  ReactFlow,
  ReactFlowProvider,
} from '@xyflow/react'
import { memo, useMemo } from 'react'
import { nodeUiOf } from '../nodes/registry.ts'

export interface VersionPreviewState {
  version: number
  document: RawFlowDocument
  /** 'draft': what restoring this version would change in the draft; 'previous': what this version changed. */
  against: 'draft' | 'previous'
  /** The document compared with: the draft, or the version before (null for version 1: everything is new). */
  base: RawFlowDocument | null
}

type PreviewNodeData = {
  kind: string
  name?: string
  config: unknown
  change: StepChange | null
}
type PreviewNode = Node<PreviewNodeData, 'preview'>

const CHANGE_WORDS: Record<StepChange, string> = { added: 'Added', removed: 'Removed', changed: 'Changed' }

const PreviewCard = memo(function PreviewCard({ data }: NodeProps<PreviewNode>) {
  const spec = getNodeKind(data.kind)
  const ui = nodeUiOf(data.kind)
  const Summary = ui?.Summary
  return (
    <div
      className={`flow-card group-${spec?.group ?? 'unknown'} preview-card${data.change ? ` diff-${data.change}` : ''}`}
      data-diff={data.change ?? 'same'}
    >
      {isTriggerKind(data.kind) ? null : (
        <Handle type="target" position={Position.Top} className="handle handle-in" isConnectable={false} />
      )}
      <div className="flow-card-head">
        <span className="flow-card-icon" aria-hidden="true">
          {ui?.icon ?? '?'}
        </span>
        <span className="flow-card-kind">{spec?.title ?? data.kind}</span>
        {data.change ? (
          <span className={`diff-badge ${data.change}`}>{CHANGE_WORDS[data.change]}</span>
        ) : null}
      </div>
      {data.name ? <div className="flow-card-name">{data.name}</div> : null}
      <div className="flow-card-body">
        {Summary ? <Summary config={data.config as never} /> : <span className="muted">Unknown step</span>}
      </div>
      <Handle type="source" position={Position.Bottom} className="handle handle-out" isConnectable={false} />
    </div>
  )
})

const previewNodeTypes: NodeTypes = { preview: PreviewCard }

function outputLabel(doc: RawFlowDocument, source: string, handle: string): string | undefined {
  const node = doc.nodes.find((n) => n.id === source)
  if (!node) return undefined
  try {
    const handles = getNodeKind(node.kind)?.handles(node.config as never) ?? []
    if (handles.length === 1 && handles[0]!.id === 'next') return undefined
    return handles.find((h) => h.id === handle)?.label
  } catch {
    return undefined
  }
}

/** The version's steps and connections, plus the ghosts of those only the compared document has. */
export function previewGraph(preview: VersionPreviewState, diff: FlowDiff) {
  const { document: after, base } = preview
  const before = base ?? { ...after, nodes: [], edges: [] }
  const nodes: PreviewNode[] = after.nodes.map((n) => ({
    id: n.id,
    type: 'preview',
    position: n.position,
    data: {
      kind: n.kind,
      ...(n.name ? { name: n.name } : {}),
      config: n.config,
      change: diff.status[n.id] ?? null,
    },
  }))
  for (const n of before.nodes) {
    if (diff.status[n.id] !== 'removed') continue
    nodes.push({
      id: n.id,
      type: 'preview',
      position: n.position,
      data: { kind: n.kind, ...(n.name ? { name: n.name } : {}), config: n.config, change: 'removed' },
    })
  }
  const key = (e: { source: string; sourceHandle?: string; target: string }) =>
    `${e.source}|${e.sourceHandle ?? 'next'}|${e.target}`
  const afterKeys = new Set(after.edges.map(key))
  const beforeKeys = new Set(before.edges.map(key))
  const edge = (
    e: RawFlowDocument['edges'][number],
    doc: RawFlowDocument,
    kind: 'same' | 'added' | 'removed',
  ): Edge => {
    const label = outputLabel(doc, e.source, e.sourceHandle ?? 'next')
    return {
      id: `${kind}:${e.id}`,
      source: e.source,
      target: e.target,
      type: 'smoothstep',
      className: `preview-edge diff-${kind}`,
      ...(label ? { label } : {}),
      markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
      focusable: false,
    }
  }
  const edges: Edge[] = [
    ...after.edges.map((e) => edge(e, after, base && !beforeKeys.has(key(e)) ? 'added' : 'same')),
    ...before.edges.filter((e) => !afterKeys.has(key(e))).map((e) => edge(e, before, 'removed')),
  ]
  return { nodes, edges }
}

export function useVersionDiff(preview: VersionPreviewState): FlowDiff {
  return useMemo(
    () => diffFlows(preview.base ?? { ...preview.document, nodes: [], edges: [] }, preview.document),
    [preview],
  )
}

function PreviewCanvas({ preview }: { preview: VersionPreviewState }) {
  const diff = useVersionDiff(preview)
  const { nodes, edges } = useMemo(() => previewGraph(preview, diff), [preview, diff])
  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={previewNodeTypes}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable={false}
      nodesFocusable={false}
      edgesFocusable={false}
      fitView
      fitViewOptions={{ padding: 0.12, maxZoom: 1 }}
      minZoom={0.2}
      proOptions={{ hideAttribution: true }}
    >
      <Background variant={BackgroundVariant.Dots} gap={20} size={1} />
    </ReactFlow>
  )
}

/** Over the editing canvas while a version is open: the version, read-only, with the differences marked. */
export function VersionPreviewCanvas({
  preview,
  onClose,
}: {
  preview: VersionPreviewState
  onClose(): void
}) {
  return (
    <section className="version-preview" aria-label={`Version ${preview.version}, read-only preview`}>
      <div className="version-preview-bar">
        <strong>Version {preview.version}</strong>
        <span className="muted">
          read-only ·{' '}
          {preview.against === 'draft'
            ? 'compared with your draft'
            : preview.base
              ? `what changed from version ${preview.version - 1}`
              : 'the first version'}
        </span>
        <span className="diff-legend" aria-hidden="true">
          <span className="diff-badge added">Added</span>
          <span className="diff-badge removed">Removed</span>
          <span className="diff-badge changed">Changed</span>
        </span>
        <span className="spacer" />
        <button type="button" className="button sm" onClick={onClose}>
          Back to the draft
        </button>
      </div>
      <div className="version-preview-canvas">
        <ReactFlowProvider>
          <PreviewCanvas preview={preview} />
        </ReactFlowProvider>
      </div>
    </section>
  )
}

/** The differences in words, for the side panel. */
export function VersionChanges({ preview }: { preview: VersionPreviewState }) {
  const diff = useVersionDiff(preview)
  const draft = preview.against === 'draft'
  const empty = diff.added.length + diff.removed.length + diff.changed.length + diff.flow.length === 0
  return (
    <div className="version-changes" aria-live="polite">
      <h4>
        {draft
          ? `If you restore version ${preview.version}`
          : preview.base
            ? `What version ${preview.version} changed`
            : 'Version 1: the first published flow'}
      </h4>
      {empty ? (
        <p className="muted small">
          {draft ? 'Nothing: your draft does the same as this version.' : 'No changes in what the flow does.'}
        </p>
      ) : null}
      {diff.flow.length > 0 ? (
        <ul className="change-list">
          {diff.flow.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      ) : null}
      {diff.added.length > 0 ? (
        <>
          <h5 className="diff-heading added">{draft ? 'Steps it adds to your draft' : 'Steps added'}</h5>
          <ul className="change-list">
            {diff.added.map((s) => (
              <li key={s.nodeId} className="diff-added">
                {s.name}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {diff.removed.length > 0 ? (
        <>
          <h5 className="diff-heading removed">
            {draft ? 'Steps of your draft it removes' : 'Steps removed'}
          </h5>
          <ul className="change-list">
            {diff.removed.map((s) => (
              <li key={s.nodeId} className="diff-removed">
                {s.name}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {diff.changed.length > 0 ? (
        <>
          <h5 className="diff-heading changed">Steps changed</h5>
          <ul className="change-list">
            {diff.changed.map((s) => (
              <li key={s.nodeId} className="diff-changed">
                <strong>{s.name}</strong>
                <ul>
                  {s.changes.map((c) => (
                    <li key={c}>{c}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  )
}
