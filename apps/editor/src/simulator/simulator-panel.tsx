// The simulator: a phone-style chat running the current draft in the browser with a simulated clock, in the
// store's world (its catalogue, carts, orders and send rules), showing why a send would be held back or skipped.

import type { SimulationWorldResponse } from '@parley/api'
import { type FlowDocument, getNodeKind, isTriggerKind, parseFlowDocument } from '@parley/flow'
import { useReactFlow } from '@xyflow/react'
import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react'
import { editorStore, selectDocument, useEditor } from '../store/editor-store.ts'
import { SafeImage } from '../ui/safe-image.tsx'
import { endingWords } from './ending-words.ts'
import { chatChannels, useSimulationWorld } from './simulation-world.ts'
import {
  atLocalTime,
  type ChatMessage,
  SimulatorHost,
  type SimulatorView,
  shopperClock,
  triggerEventOf,
} from './simulator-host.ts'

const HOUR = 60 * 60 * 1000

function elapsed(view: SimulatorView): string {
  const ms = view.now - view.startedAt
  const h = Math.floor(ms / HOUR)
  const m = Math.floor((ms % HOUR) / 60_000)
  return h >= 24
    ? `+${Math.floor(h / 24)} d ${h % 24} h${m ? ` ${m} min` : ''}`
    : `+${h} h${m ? ` ${m} min` : ''}`
}

/** The shopper's first words for a message trigger: its first keyword, else a greeting. */
function firstMessageFor(doc: FlowDocument | null, triggerNodeId: string): string {
  const node = doc?.nodes.find((n) => n.id === triggerNodeId)
  const trigger = node ? getNodeKind(node.kind)?.facts(node.config).trigger : undefined
  return trigger?.event === 'message.received' && trigger.match === 'keyword' && trigger.keywords[0]
    ? trigger.keywords[0]
    : 'Hi'
}

function minuteOfDay(value: string): number {
  const [h, m] = value.split(':').map(Number)
  return (h ?? 0) * 60 + (m ?? 0)
}

/** The triggers that start a run with an order in `order`: the simulator offers the store's orders for them. */
function startsWithOrder(event: string | null | undefined): boolean {
  return (
    event === 'order.created' ||
    event === 'order.shipped' ||
    event === 'order.delivered' ||
    event === 'order.delivery_problem'
  )
}

export function SimulatorPanel() {
  const world = useSimulationWorld()
  if (world.kind === 'loading') {
    return (
      <div className="simulator">
        <p className="muted small" role="status">
          Loading your store's products, carts and orders…
        </p>
      </div>
    )
  }
  if (world.kind === 'error') {
    return (
      <div className="simulator">
        <p className="banner error">
          Your store's data could not be loaded for the simulator: {world.message}
        </p>
        <button type="button" className="button sm" onClick={world.retry}>
          Try again
        </button>
      </div>
    )
  }
  return <WorldSimulator world={world.world} />
}

function WorldSimulator({ world }: { world: SimulationWorldResponse }) {
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
  const channels = chatChannels(world)
  const [channel, setChannel] = useState(channels[0]?.kind ?? 'webchat')
  const [cart, setCart] = useState(0)
  const [order, setOrder] = useState(0)
  const [firstMessage, setFirstMessage] = useState<string | null>(null)
  const [startTime, setStartTime] = useState('10:00')
  const idPrefix = useId()
  const ids = {
    channel: `${idPrefix}-channel`,
    startTime: `${idPrefix}-start`,
    cart: `${idPrefix}-cart`,
    order: `${idPrefix}-order`,
    firstMessage: `${idPrefix}-first`,
  }
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

  // biome-ignore lint/correctness/useExhaustiveDependencies: the triggers are what the start controls read
  const draft = useMemo(() => {
    const parsed = parseFlowDocument(selectDocument(editorStore.getState()))
    return parsed.ok ? parsed.doc : null
  }, [triggersKey])
  const triggerEvent = draft && selectedTrigger ? triggerEventOf(draft, selectedTrigger) : null
  const opening = firstMessage ?? firstMessageFor(draft, selectedTrigger)
  const zone = world.contact.timeZone

  const startRun = () => {
    const parsed = parseFlowDocument(selectDocument(editorStore.getState()))
    if (!parsed.ok) {
      setError(`Fix these first: ${parsed.issues.map((i) => i.message).join('; ')}`)
      return
    }
    setError(null)
    // Today, at the chosen time of the shopper's day: quiet hours and time-of-day delays read as they would live.
    const startAt = atLocalTime(Date.now(), minuteOfDay(startTime), zone)
    host.current = new SimulatorHost(parsed.doc, world, { channel, startAt })
    run((h) =>
      h.start({
        triggerNodeId: selectedTrigger,
        ...(triggerEvent === 'cart.abandoned' ? { cart } : {}),
        ...(startsWithOrder(triggerEvent) ? { order } : {}),
        ...(triggerEvent === 'message.received' ? { text: opening } : {}),
      }),
    )
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
      <div className="sim-world">
        {channels.length > 1 ? (
          <div className="field-inline">
            <label htmlFor={ids.channel}>Channel</label>
            <select
              id={ids.channel}
              className="input"
              value={channel}
              onChange={(e) => setChannel(e.target.value as typeof channel)}
            >
              {channels.map((c) => (
                <option key={c.kind} value={c.kind}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field-inline">
          <label htmlFor={ids.startTime}>Starts at (shopper's time)</label>
          <input
            id={ids.startTime}
            className="input"
            type="time"
            value={startTime}
            onChange={(e) => setStartTime(e.target.value || '10:00')}
          />
        </div>
        {triggerEvent === 'cart.abandoned' ? (
          world.carts.length > 0 ? (
            <div className="field-inline">
              <label htmlFor={ids.cart}>Cart</label>
              <select
                id={ids.cart}
                className="input"
                value={cart}
                onChange={(e) => setCart(Number(e.target.value))}
              >
                {world.carts.map((c, i) => (
                  <option key={c.label + String(i)} value={i}>
                    {c.label}
                  </option>
                ))}
              </select>
            </div>
          ) : (
            <p className="muted small">
              Your store has no carts or products yet: the run starts with an empty cart.
            </p>
          )
        ) : null}
        {startsWithOrder(triggerEvent) ? (
          world.orders.length > 0 ? (
            <div className="field-inline">
              <label htmlFor={ids.order}>Order</label>
              <select
                id={ids.order}
                className="input"
                value={order}
                onChange={(e) => setOrder(Number(e.target.value))}
              >
                {world.orders.map((o, i) => (
                  <option key={o.number} value={i}>
                    {o.label}
                  </option>
                ))}
              </select>
            </div>
          ) : (
            <p className="muted small">Your store has no orders yet: the run starts without order details.</p>
          )
        ) : null}
        {triggerEvent === 'message.received' ? (
          <div className="field-inline">
            <label htmlFor={ids.firstMessage}>Shopper's first message</label>
            <input
              id={ids.firstMessage}
              className="input"
              value={opening}
              onChange={(e) => setFirstMessage(e.target.value)}
            />
          </div>
        ) : null}
      </div>
      {error ? <p className="banner error">{error}</p> : null}
      <div className="phone">
        <div className="phone-head">
          <div className="phone-avatar" aria-hidden="true">
            {world.store.name.slice(0, 1).toUpperCase()}
          </div>
          <div>
            <div className="phone-title">{world.store.name}</div>
            <div className="phone-sub">
              {view
                ? `${shopperClock(view.now, zone)} · ${elapsed(view)}`
                : `${world.contact.label}${world.contact.anonymised ? ' (names hidden)' : ''}`}
            </div>
          </div>
        </div>
        <div className="phone-chat" data-testid="sim-chat">
          {!view ? (
            <p className="sim-empty">
              Start a run to see what {world.contact.anonymised ? 'a shopper' : world.contact.label} would
              receive from your store. Time is simulated: skip ahead to each timer.
            </p>
          ) : null}
          {view?.messages.map((m) => (
            <div key={m.id} className={`sim-msg ${m.from}${deliveryClass(m)}`}>
              <SafeImage src={m.message.imageUrl ?? ''} />
              <p>{m.message.text}</p>
              {[...(m.message.product ? [m.message.product] : []), ...(m.message.products ?? [])].map(
                (product, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a message's cards never reorder
                  <div key={i} className="product-card small">
                    <div className="product-title">{product.title}</div>
                    {product.price !== undefined ? (
                      <div className="product-price">
                        {product.price} {product.currency}
                      </div>
                    ) : null}
                  </div>
                ),
              )}
              {m.message.link ? <span className="preview-link-button">{m.message.link.title}</span> : null}
              {m.delivery && m.delivery.kind !== 'sent' ? (
                <p className="sim-reason">{m.delivery.reason}</p>
              ) : null}
              {m.from !== 'system' ? <time>{shopperClock(m.at, zone)}</time> : null}
            </div>
          ))}
          {view?.status === 'done' ? <div className="sim-msg system">{endingWords(view.outcome)}</div> : null}
          <div ref={chatEnd} />
        </div>
        {view?.status === 'active' &&
        (view.conversation === 'waiting' || view.conversation === 'assigned') ? (
          <fieldset className="sim-staff">
            <legend className="small">Your team has this chat now. Play what they do:</legend>
            <button type="button" className="button sm" onClick={() => run((h) => h.handBack())}>
              Hand back to the bot
            </button>
            <button type="button" className="button sm" onClick={() => run((h) => h.resolve())}>
              Mark resolved
            </button>
          </fieldset>
        ) : null}
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
            placeholder={view?.status === 'active' ? 'Reply as the shopper…' : 'Start a run to reply'}
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

function deliveryClass(m: ChatMessage): string {
  if (m.delivery?.kind === 'skipped') return ' skipped'
  if (m.delivery?.kind === 'deferred' || m.delivery?.kind === 'held') return ' held'
  return ''
}
