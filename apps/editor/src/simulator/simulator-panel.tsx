// The simulator: a phone-style chat running the current draft in the browser with a simulated clock.
import { isTriggerKind, parseFlowDocument } from '@parley/flow'
import { useReactFlow } from '@xyflow/react'
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react'
import { editorStore, selectDocument, useEditor } from '../store/editor-store.ts'
import { SafeImage } from '../ui/safe-image.tsx'
import { SimulatorHost, type SimulatorView } from './simulator-host.ts'

const HOUR = 60 * 60 * 1000
/** The simulated clock starts on a Monday morning, so time-of-day delays read naturally. */
const SIM_START = Date.UTC(2025, 4, 5, 8, 0)

function elapsed(view: SimulatorView): string {
  const ms = view.now - view.startedAt
  const h = Math.floor(ms / HOUR)
  const m = Math.floor((ms % HOUR) / 60_000)
  return h >= 24
    ? `+${Math.floor(h / 24)} d ${h % 24} h${m ? ` ${m} min` : ''}`
    : `+${h} h${m ? ` ${m} min` : ''}`
}

function clockText(at: number): string {
  return new Date(at).toLocaleString(undefined, {
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
  })
}

export function SimulatorPanel() {
  const triggersKey = useEditor((s) =>
    s.nodes
      .filter((n) => isTriggerKind(n.data.kind))
      .map((n) => `${n.id}\t${n.data.name ?? n.data.kind}`)
      .join('\n'),
  )
  const triggers = useMemo(
    () => (triggersKey ? triggersKey.split('\n').map((line) => line.split('\t') as [string, string]) : []),
    [triggersKey],
  )
  const [triggerId, setTriggerId] = useState<string>('')
  const [view, setView] = useState<SimulatorView | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [text, setText] = useState('')
  const host = useRef<SimulatorHost | null>(null)
  const chatEnd = useRef<HTMLDivElement>(null)

  const selectedTrigger = triggers.some(([id]) => id === triggerId) ? triggerId : (triggers[0]?.[0] ?? '')

  const { getNode, getZoom, setCenter } = useReactFlow()
  const activeKey = view?.activeNodeIds.join(',') ?? ''
  useEffect(() => {
    const ids = activeKey ? activeKey.split(',') : []
    editorStore.getState().setActiveNodes(ids)
    // Follow the run on the canvas, at the zoom the merchant chose.
    const node = ids[0] ? getNode(ids[0]) : undefined
    if (node) {
      const x = node.position.x + (node.measured?.width ?? 260) / 2
      const y = node.position.y + (node.measured?.height ?? 100) / 2
      setCenter(x, y, { zoom: getZoom(), duration: 300 })
    }
  }, [activeKey, getNode, getZoom, setCenter])
  useEffect(() => () => editorStore.getState().setActiveNodes([]), [])
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll when messages arrive
  useEffect(() => {
    // Scroll the chat itself, not the panel around it.
    const chat = chatEnd.current?.parentElement
    if (chat) chat.scrollTop = chat.scrollHeight
  }, [view?.messages.length])

  const run = (action: (h: SimulatorHost) => void) => {
    if (!host.current) return
    action(host.current)
    setView(host.current.view)
  }

  const startRun = () => {
    const parsed = parseFlowDocument(selectDocument(editorStore.getState()))
    if (!parsed.ok) {
      setError(`Fix these first: ${parsed.issues.map((i) => i.message).join('; ')}`)
      return
    }
    setError(null)
    host.current = new SimulatorHost(parsed.doc, SIM_START)
    run((h) => h.start(selectedTrigger))
  }

  const sendText = (e: FormEvent) => {
    e.preventDefault()
    if (!text.trim()) return
    run((h) => h.reply(text.trim()))
    setText('')
  }

  const lastBot = view?.messages.filter((m) => m.from === 'bot').at(-1)
  const buttons = view?.status === 'active' ? (lastBot?.message.buttons ?? []) : []

  return (
    <div className="simulator">
      <div className="sim-controls">
        <select
          className="input"
          aria-label="Trigger"
          value={selectedTrigger}
          onChange={(e) => setTriggerId(e.target.value)}
        >
          {triggers.length === 0 ? <option value="">Add a trigger first</option> : null}
          {triggers.map(([id, label]) => (
            <option key={id} value={id}>
              {label}
            </option>
          ))}
        </select>
        <button type="button" className="button primary sm" onClick={startRun} disabled={!selectedTrigger}>
          {view ? 'Restart' : 'Start'}
        </button>
      </div>
      {error ? <p className="banner error">{error}</p> : null}
      <div className="phone">
        <div className="phone-head">
          <div className="phone-avatar">N</div>
          <div>
            <div className="phone-title">North Thread</div>
            <div className="phone-sub">
              {view ? `${clockText(view.now)} · ${elapsed(view)}` : 'Sample shopper: Maya, 2 items in cart'}
            </div>
          </div>
        </div>
        <div className="phone-chat" data-testid="sim-chat">
          {!view ? (
            <p className="sim-empty">
              Start a run to see what Maya receives. Time is simulated: skip ahead to each timer.
            </p>
          ) : null}
          {view?.messages.map((m) => (
            <div key={m.id} className={`sim-msg ${m.from}`}>
              <SafeImage src={m.message.imageUrl ?? ''} />
              <p>{m.message.text}</p>
              {m.message.product ? (
                <div className="product-card small">
                  <div className="product-title">{m.message.product.title}</div>
                  {m.message.product.price !== undefined ? (
                    <div className="product-price">
                      {m.message.product.price} {m.message.product.currency}
                    </div>
                  ) : null}
                </div>
              ) : null}
              {m.from !== 'system' ? <time>{clockText(m.at)}</time> : null}
            </div>
          ))}
          {view?.status === 'done' ? <div className="sim-msg system">Run ended · {view.outcome}</div> : null}
          <div ref={chatEnd} />
        </div>
        {buttons.length > 0 ? (
          <div className="quick-replies sim-buttons">
            {buttons.map((b) => (
              <button
                type="button"
                key={b.id}
                className="quick-reply"
                onClick={() => run((h) => h.reply(b.title, b.id))}
              >
                {b.title}
              </button>
            ))}
          </div>
        ) : null}
        <form className="phone-input" onSubmit={sendText}>
          <input
            className="input"
            aria-label="Reply as the shopper"
            placeholder={view?.status === 'active' ? 'Reply as Maya…' : 'Start a run to reply'}
            disabled={view?.status !== 'active'}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <button type="submit" className="button sm" disabled={view?.status !== 'active'}>
            Send
          </button>
        </form>
      </div>
      <div className="sim-time">
        <button
          type="button"
          className="button sm"
          disabled={!view?.timers.length}
          onClick={() => run((h) => h.skipToNextTimer())}
        >
          Skip to next timer
        </button>
        <button
          type="button"
          className="button sm"
          disabled={view?.status !== 'active'}
          onClick={() => run((h) => h.advance(HOUR))}
        >
          +1 h
        </button>
        <button
          type="button"
          className="button sm"
          disabled={view?.status !== 'active'}
          onClick={() => run((h) => h.advance(24 * HOUR))}
        >
          +24 h
        </button>
        <button
          type="button"
          className="button sm"
          disabled={view?.status !== 'active'}
          onClick={() => run((h) => h.placeOrder())}
        >
          Order placed
        </button>
      </div>
      {view && view.timers.length > 0 ? (
        <p className="field-hint">
          Next timer in {Math.round(((view.timers[0]!.dueAt - view.now) / HOUR) * 10) / 10} h
        </p>
      ) : null}
      <div className="sim-log">
        <div className="panel-title small">Effects</div>
        {view?.log.length ? null : <p className="muted small">Sends, escalations and timers appear here.</p>}
        <ul>
          {view?.log
            .slice()
            .reverse()
            .map((entry) => (
              <li key={entry.id} className={`log-${entry.kind}`}>
                <span className="log-time">{elapsed({ ...view, now: entry.at })}</span>
                {entry.text}
              </li>
            ))}
        </ul>
      </div>
    </div>
  )
}
