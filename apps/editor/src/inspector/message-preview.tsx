// How a message will look to the shopper, rendered with packages/flow's renderTemplate against sample
// data (Maya, a cart with a Linen Overshirt and a Merino Beanie).
import {
  type CardListConfig,
  type FlowVars,
  formatMoney,
  parseTemplate,
  renderCardList,
  renderTemplate,
} from '@parley/flow'
import { previewVars } from '../simulator/sample-data.ts'
import { SafeImage } from '../ui/safe-image.tsx'

export interface PreviewMessage {
  text: string
  imageUrl?: string
  product?: { title: string; imageUrl: string; price: string; currency: string; url: string } | null
  cards?: CardListConfig | null
  buttons?: readonly { id: string; title: string }[]
  link?: { title: string; url: string } | null
}

function render(template: string, vars: FlowVars): string {
  return template === '' ? '' : renderTemplate(template, vars)
}

export function MessagePreview({ message, vars }: { message: PreviewMessage; vars?: FlowVars }) {
  const scope = vars ?? previewVars()
  const syntax = [message.text, message.imageUrl ?? ''].map((t) => parseTemplate(t)).find((p) => !p.ok)
  const text = render(message.text, scope)
  const image = render(message.imageUrl ?? '', scope).trim()
  const product = message.product
  const price = product ? Number(render(product.price, scope)) : Number.NaN
  const currency = product ? render(product.currency, scope).trim() : ''
  const cards = message.cards ? renderCardList(message.cards, scope) : []
  return (
    <div className="preview">
      <div className="preview-label">Preview · as Maya will see it</div>
      <div className="preview-phone">
        <div className="bubble bubble-bot">
          <SafeImage className="bubble-image" src={image} />
          {text ? (
            <p className="bubble-text">{text}</p>
          ) : (
            <p className="bubble-text muted">Nothing to say yet</p>
          )}
          {product ? (
            <div className="product-card">
              <SafeImage src={render(product.imageUrl, scope)} />
              <div>
                <div className="product-title">{render(product.title, scope) || 'Product'}</div>
                {Number.isFinite(price) && currency ? (
                  <div className="product-price">{formatMoney(price, currency)}</div>
                ) : null}
              </div>
            </div>
          ) : null}
          {cards.length > 0 ? (
            <div className="preview-carousel">
              {cards.map((card, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a preview list, rebuilt on every change
                <div key={i} className="product-card">
                  <SafeImage src={card.imageUrl ?? ''} />
                  <div>
                    <div className="product-title">{card.title}</div>
                    {card.price !== undefined && card.currency ? (
                      <div className="product-price">{formatMoney(card.price, card.currency)}</div>
                    ) : null}
                  </div>
                </div>
              ))}
            </div>
          ) : null}
          {message.link?.title ? <span className="preview-link-button">{message.link.title}</span> : null}
        </div>
        {message.buttons && message.buttons.length > 0 ? (
          <div className="quick-replies">
            {message.buttons.map((b) => (
              <span key={b.id} className="quick-reply">
                {b.title || '(no title)'}
              </span>
            ))}
          </div>
        ) : null}
      </div>
      {syntax && !syntax.ok ? <p className="field-error">{syntax.error.message}</p> : null}
    </div>
  )
}
