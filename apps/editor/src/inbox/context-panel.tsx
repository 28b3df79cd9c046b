// Beside the conversation: who the shopper is and where they can be reached, their cart and orders, why the
// assistant asked for a person, and what it did before.
import type { InboxContext } from '@parley/api'
import { orderDisplayName, orderStatusText } from '@parley/flow'
import { CHANNEL_WORDS, RUN_WORDS } from './inbox-words.ts'

const money = (amount: string, currency: string) => {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(Number(amount))
  } catch {
    return `${amount} ${currency}`
  }
}
const date = (iso: string) =>
  new Date(iso).toLocaleString(undefined, {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  })

type Escalation = NonNullable<InboxContext['escalation']>

/** The order behind a hand-over, in plain words: what was bought and where it stands in the return window. */
function CaseOrder({ order }: { order: NonNullable<Escalation['order']> }) {
  const days = order.daysSinceDelivery
  const delivered =
    days === null
      ? 'No delivery reported yet'
      : days === 0
        ? 'Delivered today'
        : `Delivered ${days} ${days === 1 ? 'day' : 'days'} ago`
  return (
    <div className="inbox-case-order">
      <p>
        <strong>Order {order.name}</strong>
      </p>
      {order.items.length ? (
        <ul className="inbox-context-list">
          {order.items.map((item, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: an order's lines as the store sent them
            <li key={i}>
              {item.quantity} × {item.title}
            </li>
          ))}
        </ul>
      ) : null}
      <p>{delivered}</p>
      {order.returnable === true ? (
        <p className="pill ok">
          Inside the return window
          {order.returnBy ? ` (until ${new Date(order.returnBy).toLocaleDateString()})` : ''}
        </p>
      ) : order.returnable === false ? (
        <p className="pill warn">
          Past the return window
          {order.returnBy ? ` (it ended ${new Date(order.returnBy).toLocaleDateString()})` : ''}
        </p>
      ) : null}
    </div>
  )
}

/** The shopper's photos as thumbnails; each opens full size in a new tab. */
function CasePhotos({ conversationId, photos }: { conversationId: string; photos: Escalation['photos'] }) {
  return (
    <ul className="inbox-case-photos" aria-label="Photos from the shopper">
      {photos.map((photo, i) => {
        const src = `/api/conversations/${encodeURIComponent(conversationId)}/messages/${encodeURIComponent(photo.messageId)}/media/${photo.index}`
        return (
          <li key={`${photo.messageId}:${photo.index}`}>
            <a href={src} target="_blank" rel="noreferrer" title="Open the photo full size">
              <img src={src} alt={`Sent by the shopper (${i + 1} of ${photos.length})`} loading="lazy" />
            </a>
          </li>
        )
      })}
    </ul>
  )
}

export function ContextPanel({
  conversationId,
  context,
  error,
}: {
  conversationId: string
  context: InboxContext | null
  error: string | null
}) {
  if (error)
    return (
      <aside className="inbox-context" aria-label="About this shopper">
        <p className="banner error" role="alert">
          {error}
        </p>
      </aside>
    )
  if (!context)
    return (
      <aside className="inbox-context" aria-label="About this shopper">
        <p className="muted">Loading the shopper’s details…</p>
      </aside>
    )
  const { contact, cart, orders, escalation, bot } = context
  return (
    <aside className="inbox-context" aria-label="About this shopper">
      <section>
        <h3>Shopper</h3>
        <p className="inbox-context-name">{contact.name || 'Name not known'}</p>
        {contact.email ? <p>{contact.email}</p> : null}
        {contact.phone ? <p>{contact.phone}</p> : null}
        <p className="muted">Time zone: {contact.timezone ?? 'the store’s'}</p>
        <ul className="inbox-context-list">
          {contact.channels.map((ch) => (
            <li key={`${ch.kind}:${ch.name}`}>
              {CHANNEL_WORDS[ch.kind]} ({ch.name})
              {ch.unreachable ? <span className="pill warn"> has blocked the store</span> : null}
            </li>
          ))}
        </ul>
        {contact.optedOut ? (
          <p className="pill warn">Opted out: the assistant sends nothing; your replies still go</p>
        ) : null}
        {!contact.optedOut && !contact.marketingConsent ? (
          <p className="muted">No marketing consent</p>
        ) : null}
      </section>
      {escalation ? (
        <section>
          <h3>{escalation.queue === 'returns' ? 'Return request' : 'Why a person was asked'}</h3>
          {escalation.queue ? <p className="muted">Queue: {escalation.queue}</p> : null}
          {escalation.order ? <CaseOrder order={escalation.order} /> : null}
          {escalation.photos.length ? (
            <CasePhotos conversationId={conversationId} photos={escalation.photos} />
          ) : null}
          {/* The summary keeps the flow's order of its lines (the fields' keys come back sorted): one line each. */}
          {escalation.summary ? <p className="inbox-context-summary">{escalation.summary}</p> : null}
          {!escalation.summary && Object.keys(escalation.fields).length ? (
            <dl className="inbox-context-fields">
              {Object.entries(escalation.fields).map(([k, v]) => (
                <div key={k}>
                  <dt>{k}</dt>
                  <dd>{v}</dd>
                </div>
              ))}
            </dl>
          ) : null}
        </section>
      ) : null}
      <section>
        <h3>Cart</h3>
        {cart ? (
          <>
            <ul className="inbox-context-list">
              {cart.items.map((item, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a cart's lines as the store sent them
                <li key={i}>
                  {item.quantity} × {item.title}
                  {item.price ? ` · ${money(item.price, cart.currency)}` : ''}
                </li>
              ))}
            </ul>
            <p>
              Total <strong>{money(cart.total, cart.currency)}</strong>
              {cart.status === 'abandoned'
                ? ' · left without buying'
                : cart.status === 'recovered'
                  ? ' · bought'
                  : ''}
            </p>
            {cart.link ? (
              <a href={cart.link} target="_blank" rel="noreferrer noopener">
                Open the cart
              </a>
            ) : null}
          </>
        ) : (
          <p className="muted">No cart.</p>
        )}
      </section>
      <section>
        <h3>Orders</h3>
        {orders.length ? (
          <ul className="inbox-context-list">
            {orders.map((o) => (
              <li key={o.number}>
                <strong>{orderDisplayName(o.number)}</strong> · {orderStatusText(o.status)} ·{' '}
                {money(o.total, o.currency)}
                {o.trackingNumber ? (
                  <div className="muted">
                    {o.trackingCarrier ?? 'Tracking'}{' '}
                    {o.trackingUrl ? (
                      <a href={o.trackingUrl} target="_blank" rel="noreferrer noopener">
                        {o.trackingNumber}
                      </a>
                    ) : (
                      o.trackingNumber
                    )}
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No orders.</p>
        )}
      </section>
      <section>
        <h3>What the assistant did</h3>
        {bot ? (
          <>
            <p>
              <a href={`#/flows/${bot.flowId}`} title="Opens the flow to read">
                {bot.flowName}
              </a>{' '}
              (version {bot.version}) · {RUN_WORDS[bot.status] ?? 'Stopped'}
            </p>
            <ol className="inbox-context-steps">
              {bot.steps.map((s, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a step can be visited twice
                <li key={i}>
                  {s.title}
                  {s.detail ? <span className="muted">: “{s.detail}”</span> : null}
                  <span className="muted"> · {date(s.at)}</span>
                </li>
              ))}
            </ol>
          </>
        ) : (
          <p className="muted">The assistant has not run in this conversation.</p>
        )}
      </section>
    </aside>
  )
}
