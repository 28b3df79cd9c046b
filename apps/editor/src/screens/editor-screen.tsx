// The flow editor: top bar, palette, canvas with issues and analysis, and the inspector / simulator /
// history panel on the right.
import { ApiError } from '@parley/api'
import type { RawFlowDocument } from '@parley/flow'
import { ReactFlowProvider, useReactFlow, useStore } from '@xyflow/react'
import { lazy, type ReactNode, Suspense, useCallback, useEffect, useState } from 'react'
import { FlowNumbersBar, ShowNumbersToggle } from '../analytics/flow-numbers-bar.tsx'
import { api, errorMessage } from '../api/api.ts'
import { FlowCanvas } from '../canvas/flow-canvas.tsx'
import { Palette } from '../canvas/palette.tsx'
import {
  ConnectedChannelsProvider,
  publishWarnings,
  useConnectedChannels,
} from '../channels/connected-channels.ts'
import { IssuesBar } from '../editor/issues-bar.tsx'
import { ReadOnlyContext, useReadOnly } from '../editor/read-only.ts'
import { type PublishState, TopBar } from '../editor/top-bar.tsx'
import { useAutosave } from '../editor/use-autosave.ts'
import { runValidation, useLiveValidation } from '../editor/use-live-validation.ts'
import { useEditorShortcuts } from '../editor/use-shortcuts.ts'
import type { VersionPreviewState } from '../editor/version-preview.tsx'
import { VersionsPanel } from '../editor/versions-panel.tsx'
import { InspectorPanel } from '../inspector/inspector-panel.tsx'
import { roleNames } from '../shell/screens.tsx'
import { useCan, useSession } from '../shell/session-context.ts'
import { editorStore, useEditor } from '../store/editor-store.ts'

type Tab = 'inspect' | 'simulate' | 'history'

// The version preview (a second, read-only canvas with the diff) loads when a version is first opened.
const VersionPreviewCanvas = lazy(() =>
  import('../editor/version-preview.tsx').then((m) => ({ default: m.VersionPreviewCanvas })),
)

// The simulator (and the flow interpreter with XState behind it) loads when its tab is first opened.
const SimulatorPanel = lazy(() =>
  import('../simulator/simulator-panel.tsx').then((m) => ({ default: m.SimulatorPanel })),
)

export function EditorScreen({ flowId }: { flowId: string }) {
  const [status, setStatus] = useState<'loading' | 'ready' | { error: string }>('loading')
  const [liveVersion, setLiveVersion] = useState<number | null>(null)
  const [paused, setPaused] = useState(false)
  /** Never saved since it was created (e.g. fresh from a template): the canvas arranges it on open. */
  const [untouched, setUntouched] = useState(false)
  // Support agents read flows (to know what the bot told a shopper); they do not change them.
  const readOnly = !useCan('owner', 'editor')

  const load = useCallback(async () => {
    try {
      const flow = await api.flows.get(flowId)
      editorStore.getState().load(flowId, flow.document as unknown as RawFlowDocument)
      setLiveVersion(flow.publishedVersion)
      setPaused(flow.paused)
      setUntouched(flow.createdAt === flow.updatedAt)
      setStatus('ready')
    } catch (e) {
      setStatus({
        error: e instanceof ApiError && e.status === 404 ? 'This flow no longer exists.' : errorMessage(e),
      })
    }
  }, [flowId])
  useEffect(() => {
    load()
  }, [load])

  if (status === 'loading') return <div className="splash">Opening flow…</div>
  if (typeof status === 'object') {
    return (
      <div className="splash">
        <p>{status.error}</p>
        <a className="button" href="#/flows">
          Back to flows
        </a>
      </div>
    )
  }
  return (
    <ReactFlowProvider>
      <ReadOnlyContext.Provider value={readOnly}>
        <EditorLayout
          flowId={flowId}
          untouched={untouched}
          liveVersion={liveVersion}
          setLiveVersion={setLiveVersion}
          paused={paused}
          setPaused={setPaused}
          reload={load}
        />
      </ReadOnlyContext.Provider>
    </ReactFlowProvider>
  )
}

function EditorLayout({
  flowId,
  untouched,
  liveVersion,
  setLiveVersion,
  paused,
  setPaused,
  reload,
}: {
  flowId: string
  untouched: boolean
  liveVersion: number | null
  setLiveVersion(v: number | null): void
  paused: boolean
  setPaused(paused: boolean): void
  reload(): Promise<void>
}) {
  const readOnly = useReadOnly()
  const canReadNumbers = useCan('owner', 'editor')
  useLiveValidation()
  useEditorShortcuts(!readOnly)
  const autosave = useAutosave(flowId, !readOnly)
  const [tab, setTab] = useState<Tab>('inspect')
  const [publishMessage, setPublishMessage] = useState<PublishState['message']>(null)
  const [publishing, setPublishing] = useState(false)
  // Asked once for the screen (the inspector's channel switches read it too), after the canvas is drawn.
  const connected = useConnectedChannels({ when: 'idle' })
  const [versionsKey, setVersionsKey] = useState(0)
  const [showMap, setShowMap] = useState(false)
  const [versionPreview, setVersionPreview] = useState<VersionPreviewState | null>(null)
  const selectedCount = useEditor((s) => s.nodes.reduce((n, node) => n + (node.selected ? 1 : 0), 0))

  useEffect(() => {
    // A plain success goes away by itself; one with warnings stays until read.
    if (publishMessage?.kind !== 'ok' || publishMessage.reasons || publishMessage.overlaps) return
    const t = setTimeout(() => setPublishMessage(null), 4000)
    return () => clearTimeout(t)
  }, [publishMessage])

  useEffect(() => {
    if (selectedCount > 0) setTab((t) => (t === 'history' ? 'inspect' : t))
  }, [selectedCount])

  // The preview belongs to the history tab: leaving it puts the draft back on the canvas.
  useEffect(() => {
    if (tab !== 'history') setVersionPreview(null)
  }, [tab])

  const togglePause = async () => {
    try {
      const flow = paused ? await api.flows.resume(flowId) : await api.flows.pause(flowId)
      setPaused(flow.paused)
      setPublishMessage({
        kind: 'ok',
        text: flow.paused
          ? 'Paused: no new conversations start. Those already going carry on.'
          : 'Resumed: new conversations start again.',
      })
    } catch (e) {
      setPublishMessage({ kind: 'error', text: errorMessage(e) })
    }
  }

  const publish = async (anyway = false) => {
    runValidation()
    const errors = editorStore.getState().issues.filter((i) => i.severity === 'error')
    if (errors.length > 0) {
      setPublishMessage({
        kind: 'error',
        text: 'Fix these before publishing:',
        reasons: errors.map((i) => i.message),
      })
      return
    }
    setPublishing(true)
    setPublishMessage(null)
    try {
      await autosave.save()
      if (!anyway) {
        // Other live flows starting on the same words or event: say so, and let the merchant decide.
        const { overlaps } = await api.flows.validate(flowId)
        if (overlaps.length > 0) {
          setPublishMessage({
            kind: 'warning',
            text:
              overlaps.length === 1 ? 'Another flow starts the same way' : 'Other flows start the same way',
            overlaps,
            confirm: true,
          })
          return
        }
      }
      const result = await api.flows.publish(flowId)
      setLiveVersion(result.version.version)
      setVersionsKey((k) => k + 1)
      const warnings = connected
        ? publishWarnings(editorStore.getState().meta.settings.channels, connected)
        : []
      setPublishMessage({
        kind: 'ok',
        text: result.flow.paused
          ? `Published v${result.version.version}. The flow is still paused.`
          : `Published v${result.version.version}`,
        ...(warnings.length > 0 ? { reasons: warnings } : {}),
        ...(result.overlaps.length > 0 ? { overlaps: result.overlaps } : {}),
      })
    } catch (e) {
      const details =
        e instanceof ApiError ? (e.details as { issues?: { message: string }[] } | undefined) : undefined
      setPublishMessage({
        kind: 'error',
        text:
          e instanceof ApiError && e.code === 'flow_invalid'
            ? 'Fix these before publishing:'
            : errorMessage(e),
        ...(details?.issues ? { reasons: details.issues.map((i) => i.message) } : {}),
      })
    } finally {
      setPublishing(false)
    }
  }

  return (
    <ConnectedChannelsProvider connected={connected}>
      <div className="editor">
        <TopBar
          save={autosave.state}
          onRetrySave={() => autosave.save().catch(() => {})}
          publish={{ busy: publishing, message: publishMessage, liveVersion, paused }}
          onPublish={publish}
          onDismissPublish={() => setPublishMessage(null)}
          onTogglePause={togglePause}
        />
        {readOnly ? <ReadOnlyBanner /> : null}
        <div className="editor-body">
          {readOnly ? null : <Palette />}
          <div className="canvas-column">
            <FlowNumbersBar />
            <div className="canvas-stage">
              <FlowCanvas untouched={untouched} showMap={showMap} />
              <EmptyCanvasHint />
              {versionPreview ? (
                <Suspense fallback={null}>
                  <VersionPreviewCanvas preview={versionPreview} onClose={() => setVersionPreview(null)} />
                </Suspense>
              ) : null}
              <Notice />
            </div>
            {/* Below the canvas, not over it: nothing here ever covers a card. */}
            <div className="canvas-footer">
              <IssuesBar />
              <CanvasToolbar
                showMap={showMap}
                onToggleMap={() => setShowMap((v) => !v)}
                numbers={canReadNumbers ? <ShowNumbersToggle flowId={flowId} /> : null}
              />
            </div>
          </div>
          <aside className="side-panel">
            <div className="tabs" role="tablist">
              {(
                [
                  ['inspect', 'Inspector'],
                  ['simulate', 'Simulator'],
                  ['history', 'History'],
                ] as const
              ).map(([id, label]) => (
                <button
                  key={id}
                  type="button"
                  role="tab"
                  aria-selected={tab === id}
                  className={`tab${tab === id ? ' active' : ''}`}
                  onClick={() => setTab(id)}
                >
                  {label}
                </button>
              ))}
            </div>
            <div className="side-panel-body">
              {tab === 'inspect' ? (
                readOnly ? (
                  <fieldset className="read-only-fields" disabled aria-label="Step settings (view only)">
                    <InspectorPanel />
                  </fieldset>
                ) : (
                  <InspectorPanel />
                )
              ) : null}
              {tab === 'simulate' ? (
                <Suspense fallback={<p className="muted">Loading the simulator…</p>}>
                  <SimulatorPanel />
                </Suspense>
              ) : null}
              {tab === 'history' ? (
                <VersionsPanel
                  flowId={flowId}
                  refreshKey={versionsKey}
                  preview={versionPreview}
                  onPreview={setVersionPreview}
                  onRolledBack={() => {
                    reload().then(() => {
                      autosave.markSaved()
                      setPublishMessage({ kind: 'ok', text: 'Rolled back' })
                    })
                  }}
                />
              ) : null}
            </div>
          </aside>
        </div>
      </div>
    </ConnectedChannelsProvider>
  )
}

function ReadOnlyBanner() {
  const role = useSession().user.role
  return (
    <p className="banner read-only" role="note">
      View only: as {role === 'agent' ? 'a support agent' : roleNames[role].toLowerCase()}, you can read this
      flow and try it in the simulator. An owner or editor makes changes.
    </p>
  )
}

function EmptyCanvasHint() {
  const empty = useEditor((s) => s.nodes.length === 0)
  if (!empty) return null
  return (
    <div className="empty-canvas">
      <h3>Start with a trigger</h3>
      <p>
        Drag <strong>Cart abandoned</strong>, <strong>Message received</strong> or another trigger from the
        left onto the canvas, then add the messages and waits that follow it.
      </p>
    </div>
  )
}

function CanvasToolbar({
  showMap,
  onToggleMap,
  numbers,
}: {
  showMap: boolean
  onToggleMap(): void
  /** The "Show numbers" toggle, for those who may read analytics. */
  numbers: ReactNode
}) {
  const zoom = useStore((s) => Math.round(s.transform[2] * 100))
  const { zoomIn, zoomOut, fitView } = useReactFlow()
  const [arranging, setArranging] = useState(false)
  const readOnly = useReadOnly()
  const arrange = () => {
    setArranging(true)
    editorStore
      .getState()
      .autoLayout()
      .catch(() => editorStore.getState().notify('The steps could not be arranged. Try again.'))
      .finally(() => setArranging(false))
  }
  return (
    <div className="canvas-toolbar" role="toolbar" aria-label="Canvas">
      <button type="button" className="button sm icon" aria-label="Zoom out" onClick={() => zoomOut()}>
        −
      </button>
      <span className="zoom-level" aria-live="polite" data-testid="zoom-level">
        {zoom}%
      </span>
      <button type="button" className="button sm icon" aria-label="Zoom in" onClick={() => zoomIn()}>
        +
      </button>
      <button type="button" className="button sm" onClick={() => fitView({ padding: 0.1, duration: 200 })}>
        Show all
      </button>
      <button type="button" className="button sm" aria-pressed={showMap} onClick={onToggleMap}>
        Map
      </button>
      {numbers}
      {readOnly ? null : (
        <button
          type="button"
          className="button sm"
          onClick={arrange}
          disabled={arranging}
          title="Arrange the steps top to bottom, branches side by side"
        >
          {arranging ? 'Arranging…' : 'Tidy up'}
        </button>
      )}
    </div>
  )
}

function Notice() {
  const notice = useEditor((s) => s.notice)
  const [visible, setVisible] = useState<number | null>(null)
  useEffect(() => {
    if (!notice) return
    setVisible(notice.id)
    const t = setTimeout(() => setVisible(null), 3000)
    return () => clearTimeout(t)
  }, [notice])
  if (!notice || visible !== notice.id) return null
  return (
    <div className="toast" role="status">
      {notice.text}
    </div>
  )
}
