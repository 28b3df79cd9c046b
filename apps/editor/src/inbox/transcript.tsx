// The transcript as the shopper saw it: their messages and the replies (text, picture, product card, buttons with
// the one they tapped), templates, delivery ticks, sends that failed or were held back with the reason in words,
// day separators, and — for staff only — system lines and internal notes.
import type { InboxMessage } from '@parley/api'
import { Fragment } from 'react'
import { SafeImage } from '../ui/safe-image.tsx'
import { dayLabel, deliveryWords } from './inbox-words.ts'

interface Body {
  text?: string
  imageUrl?: string
  product?: { title?: string; imageUrl?: string; price?: number; currency?: string; url?: string }
  buttons?: { id: string; title: string }[]
  buttonId?: string
  media?: { url?: string; mimeType?: string }[]
  note?: boolean
}

const time = (iso: string) =>
  new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })

export function Transcript({
  conversationId,
  messages,
  staffNames,
  now,
}: {
  conversationId: string
  messages: InboxMessage[]
  staffNames: Map<string, string>
  now: number
}) {
  // Which button each shopper tap answered: the tap carries the button's id, the question carries its title.
  const tapped = new Map<string, string>()
  let lastButtons: InboxMessage | null = null
  for (const m of messages) {
    const body = m.body as Body
    if (m.direction === 'out' && body.buttons?.length) lastButtons = m
    if (m.direction === 'in' && body.buttonId && lastButtons) tapped.set(lastButtons.id, body.buttonId)
  }
  if (messages.length === 0) return <p className="inbox-empty-transcript">No messages yet.</p>
  return (
    <ol className="transcript" aria-label="Transcript">
      {messages.map((m, i) => {
        const day = dayLabel(m.createdAt, now)
        const previousDay = i > 0 ? dayLabel(messages[i - 1]!.createdAt, now) : null
        return (
          <Fragment key={m.id}>
            {day !== previousDay ? (
              <li className="transcript-day" aria-label={day}>
                <span>{day}</span>
              </li>
            ) : null}
            <MessageRow
              conversationId={conversationId}
              message={m}
              tappedButtonId={tapped.get(m.id) ?? null}
              staffName={m.authorUserId ? (staffNames.get(m.authorUserId) ?? null) : null}
            />
          </Fragment>
        )
      })}
    </ol>
  )
}

function MessageRow({
  conversationId,
  message: m,
  tappedButtonId,
  staffName,
}: {
  conversationId: string
  message: InboxMessage
  tappedButtonId: string | null
  staffName: string | null
}) {
  const body = m.body as Body
  if (m.author === 'system') {
    if (body.note) {
      return (
        <li className="transcript-note">
          <span className="transcript-note-label">
            Internal note{staffName ? ` by ${staffName}` : ''} · only your team sees this ·{' '}
            {time(m.createdAt)}
          </span>
          <p>{body.text}</p>
        </li>
      )
    }
    return (
      <li className="transcript-system">
        <span>
          {body.text} · {time(m.createdAt)}
        </span>
      </li>
    )
  }
  const who = m.author === 'shopper' ? 'Shopper' : m.author === 'bot' ? 'Assistant' : (staffName ?? 'Team')
  const delivery = m.direction === 'out' ? deliveryWords(m) : null
  const problem = m.status === 'failed' || m.status === 'skipped' || m.status === 'unknown'
  return (
    <li
      className={`transcript-message ${m.direction === 'in' ? 'from-shopper' : `from-${m.author}`}${problem ? ' problem' : ''}`}
    >
      <span className="transcript-author">
        {who} · {time(m.createdAt)}
      </span>
      <div className="transcript-bubble">
        {m.templateName ? <span className="transcript-template">Template: {m.templateName}</span> : null}
        {body.imageUrl ? <SafeImage src={body.imageUrl} className="transcript-image" /> : null}
        {body.media?.map((_media, index) => (
          <img
            // biome-ignore lint/suspicious/noArrayIndexKey: the media of one message never reorder
            key={index}
            className="transcript-image"
            alt="Sent by the shopper"
            src={`/api/conversations/${encodeURIComponent(conversationId)}/messages/${encodeURIComponent(m.id)}/media/${index}`}
          />
        ))}
        {body.text && !(m.direction === 'in' && body.buttonId) ? <p>{body.text}</p> : null}
        {m.direction === 'in' && body.buttonId ? (
          <p className="transcript-tap">Tapped “{body.text}”</p>
        ) : null}
        {body.product ? (
          <div className="transcript-product">
            {body.product.imageUrl ? (
              <SafeImage src={body.product.imageUrl} className="transcript-product-image" />
            ) : null}
            <div>
              <strong>{body.product.title}</strong>
              {body.product.price !== undefined ? (
                <span>
                  {new Intl.NumberFormat(undefined, {
                    style: 'currency',
                    currency: body.product.currency ?? 'USD',
                  }).format(body.product.price)}
                </span>
              ) : null}
            </div>
          </div>
        ) : null}
        {body.buttons?.length ? (
          <ul className="transcript-buttons" aria-label="Buttons offered">
            {body.buttons.map((b) => (
              <li key={b.id} className={b.id === tappedButtonId ? 'tapped' : undefined}>
                {b.title}
                {b.id === tappedButtonId ? <span className="visually-hidden"> (tapped)</span> : null}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      {delivery ? (
        <span className={`transcript-delivery${problem ? ' problem' : ''}`} data-status={m.status}>
          {m.status === 'delivered' || m.status === 'read' ? <span aria-hidden="true">✓✓ </span> : null}
          {m.status === 'sent' ? <span aria-hidden="true">✓ </span> : null}
          {delivery}
          {m.cost && Number(m.cost) > 0 ? ` · cost ${m.cost} ${m.costCurrency ?? ''}` : null}
        </span>
      ) : null}
    </li>
  )
}
