// The card every node kind shares on the canvas: header (kind, name), the kind's summary, its issues and
// its output handles labelled from the kind's handles(config), each with a "+" that opens the step menu
// there (add a step after it, or lead it to an existing step: connecting without a mouse). One memoised
// component for all kinds.
import { getNodeKind, isTriggerKind, type NodeGroup, type OutputHandle } from '@parley/flow'
import { Handle, type NodeProps, Position } from '@xyflow/react'
import { memo } from 'react'
import { StepNumbers } from '../analytics/flow-numbers-bar.tsx'
import { useReadOnly } from '../editor/read-only.ts'
import { nodeUiOf } from '../nodes/registry.ts'
import type { FlowCanvasNode } from '../store/convert.ts'
import { useEditor } from '../store/editor-store.ts'
import { connectedOutputs, hasSingleNext, outputsOf, stepName } from '../store/step-words.ts'
import { openStepMenu } from './step-menu-store.ts'

function AddStepButton({
  nodeId,
  output,
  connected,
  stepLabel,
}: {
  nodeId: string
  output: OutputHandle
  connected: boolean
  stepLabel: string
}) {
  if (useReadOnly()) return null
  const what = output.id === 'next' ? `after '${stepLabel}'` : `after '${stepLabel}' when ${output.label}`
  return (
    <button
      type="button"
      className={`add-step nodrag nopan${connected ? ' connected' : ''}`}
      aria-label={connected ? `Insert a step or change where it goes ${what}` : `Add a step ${what}`}
      title={connected ? 'Insert a step here, or lead this to another step' : 'Add the next step'}
      aria-haspopup="dialog"
      onClick={(e) => openStepMenu(nodeId, output.id, e.currentTarget)}
    >
      +
    </button>
  )
}

export const FlowNodeCard = memo(function FlowNodeCard({ id, data, selected }: NodeProps<FlowCanvasNode>) {
  const spec = getNodeKind(data.kind)
  const ui = nodeUiOf(data.kind)
  const issues = useEditor((s) => s.issuesByNode[id])
  const active = useEditor((s) => s.activeNodeIds.includes(id))
  const group: NodeGroup | 'unknown' = spec?.group ?? 'unknown'
  const outputs = outputsOf({ data })
  const connected = useEditor((s) => [...(connectedOutputs(s.edges, id) ?? [])].join('\n'))
  const isConnected = (handle: string) => connected.split('\n').includes(handle)
  const label = stepName({ data })
  const errors = issues?.filter((i) => i.severity === 'error') ?? []
  const warnings = issues?.filter((i) => i.severity === 'warning') ?? []
  const firstIssue = errors[0] ?? warnings[0]
  const single = hasSingleNext(outputs)
  const Summary = ui?.Summary

  return (
    <div
      className={`flow-card group-${group}${selected ? ' is-selected' : ''}${active ? ' is-active' : ''}${errors.length ? ' has-errors' : ''}`}
      data-testid={`node-${id}`}
    >
      {isTriggerKind(data.kind) ? null : (
        <Handle type="target" position={Position.Top} className="handle handle-in" />
      )}
      <div className="flow-card-head">
        <span className="flow-card-icon" aria-hidden="true">
          {ui?.icon ?? '?'}
        </span>
        <span className="flow-card-kind">{spec?.title ?? data.kind}</span>
        {errors.length + warnings.length > 0 ? (
          <span
            className={`issue-badge ${errors.length ? 'error' : 'warning'}`}
            title={(issues ?? []).map((i) => i.message).join('\n')}
          >
            {errors.length + warnings.length}
          </span>
        ) : null}
      </div>
      {data.name ? <div className="flow-card-name">{data.name}</div> : null}
      <div className="flow-card-body">
        {Summary ? <Summary config={data.config as never} /> : <span className="muted">Unknown step</span>}
      </div>
      {firstIssue ? (
        <div className={`flow-card-issue ${firstIssue.severity}`}>{firstIssue.message}</div>
      ) : null}
      <StepNumbers nodeId={id} />
      {single ? (
        <div className="output-single">
          <Handle type="source" position={Position.Bottom} id="next" className="handle handle-out" />
          <AddStepButton nodeId={id} output={outputs[0]!} connected={isConnected('next')} stepLabel={label} />
        </div>
      ) : outputs.length > 0 ? (
        <div className="flow-card-outputs">
          {outputs.map((output) => (
            <div key={output.id} className={`output output-${output.id}`}>
              <span className="output-label">{output.label}</span>
              <Handle type="source" position={Position.Bottom} id={output.id} className="handle handle-out" />
              <AddStepButton
                nodeId={id}
                output={output}
                connected={isConnected(output.id)}
                stepLabel={label}
              />
            </div>
          ))}
        </div>
      ) : null}
    </div>
  )
})
