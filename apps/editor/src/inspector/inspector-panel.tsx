// The right-hand inspector: the selected step's name and form (from its kind's editor home), its issues,
// or the flow's own settings when nothing is selected.
import { type ChannelKind, getNodeKind } from '@parley/flow'
import { useCallback, useMemo } from 'react'
import { useConnectedChannels } from '../channels/connected-channels.ts'
import { useReadOnly } from '../editor/read-only.ts'
import { nodeUiOf } from '../nodes/registry.ts'
import { editorStore, useEditor } from '../store/editor-store.ts'
import { Section, TextInput, Toggle } from './fields.tsx'
import { stepVariables, type VariableGroup, VariablesContext } from './variables.ts'

function selectedIdsKey(state: { nodes: { id: string; selected?: boolean }[] }): string {
  let key = ''
  for (const n of state.nodes) if (n.selected) key += key ? `,${n.id}` : n.id
  return key
}

export function InspectorPanel() {
  const key = useEditor(selectedIdsKey)
  const ids = key === '' ? [] : key.split(',')
  const readOnly = useReadOnly()
  if (ids.length === 0) return <FlowSettingsForm />
  if (ids.length > 1) {
    return (
      <div className="inspector-empty">
        <h3>{ids.length} steps selected</h3>
        <p>
          {readOnly
            ? 'Select one step to read its settings.'
            : 'Drag to move them together, copy them with ⌘/Ctrl+C, or delete them.'}
        </p>
        {readOnly ? null : (
          <button
            type="button"
            className="button danger"
            onClick={() => editorStore.getState().deleteSelection()}
          >
            Delete {ids.length} steps
          </button>
        )}
      </div>
    )
  }
  return <NodeInspector nodeId={ids[0]!} />
}

function NodeInspector({ nodeId }: { nodeId: string }) {
  const data = useEditor((s) => s.nodes.find((n) => n.id === nodeId)?.data)
  const issues = useEditor((s) => s.issuesByNode[nodeId])
  // A string key keeps the selector stable: the menu changes only when what is upstream changes.
  const groupsKey = useEditor((s) =>
    JSON.stringify(stepVariables({ nodes: s.nodes, edges: s.edges }, nodeId)),
  )
  const groups = useMemo(() => JSON.parse(groupsKey) as VariableGroup[], [groupsKey])
  const onChange = useCallback(
    (config: unknown) => editorStore.getState().updateConfig(nodeId, config),
    [nodeId],
  )
  const onRename = useCallback((name: string) => editorStore.getState().renameNode(nodeId, name), [nodeId])
  if (!data) return null
  const spec = getNodeKind(data.kind)
  const ui = nodeUiOf(data.kind)
  const Inspector = ui?.Inspector
  return (
    <VariablesContext.Provider value={groups}>
      <div className="inspector">
        <div className={`inspector-head group-${spec?.group ?? 'logic'}`}>
          <span className="flow-card-icon" aria-hidden="true">
            {ui?.icon}
          </span>
          <div>
            <div className="inspector-kind">{spec?.title ?? data.kind}</div>
            <div className="inspector-desc">{spec?.description}</div>
          </div>
        </div>
        <TextInput
          label="Step name"
          value={data.name ?? ''}
          placeholder={spec?.title}
          onChange={onRename}
          maxLength={80}
        />
        {issues && issues.length > 0 ? (
          <ul className="inspector-issues">
            {issues.map((issue) => (
              <li key={`${issue.code}-${issue.message}`} className={issue.severity}>
                {issue.message}
              </li>
            ))}
          </ul>
        ) : null}
        {Inspector ? <Inspector nodeId={nodeId} config={data.config as never} onChange={onChange} /> : null}
      </div>
    </VariablesContext.Provider>
  )
}

const CHANNELS: [ChannelKind, string][] = [
  ['webchat', 'Web chat'],
  ['whatsapp', 'WhatsApp'],
  ['telegram', 'Telegram'],
]

function FlowSettingsForm() {
  const meta = useEditor((s) => s.meta)
  const setMeta = editorStore.getState().setMeta
  const settings = meta.settings
  const connected = useConnectedChannels()
  const recovers = settings.exitEvents.some((e) => e.event === 'order.created')
  return (
    <div className="inspector">
      <div className="inspector-empty-hint">
        Select a step to edit it. These settings apply to the whole flow.
      </div>
      <Section title="Flow settings">
        <TextInput
          label="Description"
          value={settings.description}
          onChange={(description) => setMeta({ settings: { ...settings, description } })}
          placeholder="What this flow is for"
        />
        <div className="field">
          <div className="field-head">
            <span className="label">Channels</span>
          </div>
          {CHANNELS.map(([channel, label]) => (
            <Toggle
              key={channel}
              label={label}
              checked={settings.channels.includes(channel)}
              hint={connected && !connected.has(channel) ? 'Not connected yet (Channels screen).' : undefined}
              onChange={(on) => {
                const channels = on
                  ? [...settings.channels, channel]
                  : settings.channels.filter((c) => c !== channel)
                if (channels.length > 0) setMeta({ settings: { ...settings, channels } })
              }}
            />
          ))}
          <p className="field-hint">Button limits and WhatsApp template checks follow from these.</p>
        </div>
        <Toggle
          label="Stop when the shopper orders (counted as recovered)"
          checked={recovers}
          onChange={(on) =>
            setMeta({
              settings: {
                ...settings,
                exitEvents: on
                  ? [...settings.exitEvents, { event: 'order.created', outcome: 'recovered', sameCart: true }]
                  : settings.exitEvents.filter((e) => e.event !== 'order.created'),
              },
            })
          }
          hint="An order for the same cart ends the run wherever it is, so nobody gets a reminder after buying."
        />
      </Section>
    </div>
  )
}
