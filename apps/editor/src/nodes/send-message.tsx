// Send message: the text (with variables), image, product card, quick-reply buttons and WhatsApp fallback.
import { compactTemplate } from '@parley/flow'
import { OptionalDuration, SelectInput, TemplateInput } from '../inspector/fields.tsx'
import { MessagePreview } from '../inspector/message-preview.tsx'
import {
  ButtonsEditor,
  CardListEditor,
  LinkButtonEditor,
  ProductCardEditor,
  TemplateFallbackEditor,
} from './message-fields.tsx'
import type { NodeUi } from './node-ui.tsx'

export const PURPOSES = [
  ['marketing', 'Marketing (respects quiet hours and consent)'],
  ['transactional', 'Transactional (order updates)'],
  ['service', 'Service (answering the shopper)'],
] as const

export function MessageSummary({
  text,
  extras,
  buttons,
}: {
  text: string
  extras?: string[]
  buttons?: readonly { id: string; title: string }[]
}) {
  return (
    <>
      {text.trim() ? (
        <p className="card-text">{compactTemplate(text)}</p>
      ) : (
        <p className="card-text muted">No message yet</p>
      )}
      {buttons && buttons.length > 0 ? (
        <div className="card-chips">
          {buttons.map((b) => (
            <span key={b.id} className="chip">
              {b.title || b.id}
            </span>
          ))}
        </div>
      ) : null}
      {extras && extras.length > 0 ? <div className="card-meta">{extras.join(' · ')}</div> : null}
    </>
  )
}

export const sendMessageUi: NodeUi<'send-message'> = {
  icon: '✉',
  Summary: ({ config }) => (
    <MessageSummary
      text={config.text}
      buttons={config.buttons}
      extras={[
        config.imageUrl ? 'Image' : '',
        config.product ? 'Product card' : '',
        config.cards ? 'Product cards' : '',
        config.link ? `“${config.link.title}” button` : '',
        config.whatsappTemplate ? 'WhatsApp template' : '',
      ].filter(Boolean)}
    />
  ),
  Inspector: ({ config, onChange }) => (
    <div className="form">
      <TemplateInput
        label="Message"
        multiline
        value={config.text}
        onChange={(text) => onChange({ ...config, text })}
        placeholder="Hi! You left something in your cart…"
      />
      <TemplateInput
        label="Image URL"
        value={config.imageUrl}
        onChange={(imageUrl) => onChange({ ...config, imageUrl })}
        placeholder="Optional"
      />
      <ButtonsEditor
        buttons={config.buttons}
        intents
        onChange={(buttons) => onChange({ ...config, buttons })}
        hint={
          config.buttons.length > 0
            ? 'Each button is its own path on the canvas: connect it to what should happen next. A typed answer goes to “Anything else”, unless it says what a button stands for.'
            : undefined
        }
      />
      {config.buttons.length > 0 ? (
        <OptionalDuration
          label="Wait for an answer for"
          toggleLabel="Stop waiting for an answer after a while (“No reply”)"
          value={config.replyTimeout}
          onChange={(replyTimeout) => onChange({ ...config, replyTimeout })}
        />
      ) : null}
      <MessagePreview message={config} />
      <ProductCardEditor product={config.product} onChange={(product) => onChange({ ...config, product })} />
      <CardListEditor cards={config.cards} onChange={(cards) => onChange({ ...config, cards })} />
      <LinkButtonEditor link={config.link} onChange={(link) => onChange({ ...config, link })} />
      <SelectInput
        label="Purpose"
        value={config.purpose}
        options={PURPOSES}
        onChange={(purpose) => onChange({ ...config, purpose })}
      />
      <TemplateFallbackEditor
        template={config.whatsappTemplate}
        onChange={(whatsappTemplate) => onChange({ ...config, whatsappTemplate })}
      />
    </div>
  ),
}
