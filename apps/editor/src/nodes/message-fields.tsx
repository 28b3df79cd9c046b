// Editors shared by the kinds that talk to the shopper: quick-reply buttons, a product card and the
// WhatsApp template used outside the 24-hour window.
import type { NodeConfig } from '@parley/flow'
import { useId } from 'react'
import { chooseTemplate, useApprovedTemplates } from '../channels/whatsapp-templates.ts'
import {
  freshId,
  IconButton,
  Section,
  SelectInput,
  TemplateInput,
  TextInput,
  Toggle,
} from '../inspector/fields.tsx'

type Button = { id: string; title: string }
type ProductCardConfig = NonNullable<NodeConfig<'send-message'>['product']>
type LinkButtonConfig = NonNullable<NodeConfig<'send-message'>['link']>
type CardListConfig = NonNullable<NodeConfig<'send-message'>['cards']>
type TemplateFallbackConfig = NonNullable<NodeConfig<'send-message'>['whatsappTemplate']>

export function ButtonsEditor({
  buttons,
  onChange,
  max = 3,
  title = 'Quick-reply buttons',
  hint,
}: {
  buttons: readonly Button[]
  onChange(buttons: Button[]): void
  max?: number
  title?: string
  hint?: string | undefined
}) {
  const set = (i: number, title: string) => onChange(buttons.map((b, j) => (j === i ? { ...b, title } : b)))
  return (
    <Section
      title={title}
      actions={
        buttons.length < max ? (
          <button
            type="button"
            className="link-button"
            onClick={() =>
              onChange([
                ...buttons,
                {
                  id: freshId(
                    'btn',
                    buttons.map((b) => b.id),
                  ),
                  title: `Option ${buttons.length + 1}`,
                },
              ])
            }
          >
            + Add button
          </button>
        ) : null
      }
    >
      {buttons.length === 0 ? <p className="field-hint">No buttons: the shopper answers by typing.</p> : null}
      {buttons.map((button, i) => (
        <div key={button.id} className="list-row">
          <input
            className="input"
            aria-label={`Button ${i + 1} title`}
            value={button.title}
            maxLength={80}
            onChange={(e) => set(i, e.target.value)}
          />
          <span className={`char-count ${[...button.title].length > 20 ? 'over' : ''}`}>
            {[...button.title].length}/20
          </span>
          <IconButton
            label={`Remove button ${i + 1}`}
            onClick={() => onChange(buttons.filter((_, j) => j !== i))}
          >
            ×
          </IconButton>
        </div>
      ))}
      {buttons.length > 0 ? (
        <p className="field-hint">WhatsApp shows up to 3 buttons of 20 characters.</p>
      ) : null}
      {hint ? <p className="field-hint">{hint}</p> : null}
    </Section>
  )
}

const EMPTY_PRODUCT: ProductCardConfig = {
  title: '{{cart.items[0].title}}',
  imageUrl: '{{cart.items[0].imageUrl}}',
  price: '{{cart.items[0].price}}',
  currency: '{{cart.currency}}',
  url: '{{cart.url}}',
  productId: '{{cart.items[0].productId}}',
}

export function ProductCardEditor({
  product,
  onChange,
}: {
  product: ProductCardConfig | null
  onChange(product: ProductCardConfig | null): void
}) {
  const set = (patch: Partial<ProductCardConfig>) => product && onChange({ ...product, ...patch })
  return (
    <Section title="Product card">
      <Toggle
        label="Show a product card"
        checked={product !== null}
        onChange={(on) => onChange(on ? EMPTY_PRODUCT : null)}
      />
      {product ? (
        <>
          <TemplateInput label="Product title" value={product.title} onChange={(title) => set({ title })} />
          <TemplateInput
            label="Product image URL"
            value={product.imageUrl}
            onChange={(imageUrl) => set({ imageUrl })}
          />
          <div className="row">
            <TemplateInput label="Price" value={product.price} onChange={(price) => set({ price })} />
            <TemplateInput
              label="Currency"
              value={product.currency}
              onChange={(currency) => set({ currency })}
            />
          </div>
          <TemplateInput label="Product link" value={product.url} onChange={(url) => set({ url })} />
          <TemplateInput
            label="Which product (from your catalogue)"
            value={product.productId}
            onChange={(productId) => set({ productId })}
          />
          <p className="field-hint">
            When your catalogue has this product, the card shows its current image, price and link; the fields
            above are used otherwise.
          </p>
        </>
      ) : null}
    </Section>
  )
}

const DEFAULT_LINK: LinkButtonConfig = { title: 'Return to cart', url: '{{cart.url}}' }

/** A button that opens a page, e.g. "Return to cart", instead of a raw link in the text. */
export function LinkButtonEditor({
  link,
  onChange,
}: {
  link: LinkButtonConfig | null
  onChange(link: LinkButtonConfig | null): void
}) {
  return (
    <Section title="Link button">
      <Toggle
        label="Add a button that opens a page"
        checked={link !== null}
        onChange={(on) => onChange(on ? DEFAULT_LINK : null)}
        hint="Shoppers tap it instead of a long link. WhatsApp shows it as a button when the message has no quick replies."
      />
      {link ? (
        <>
          <TextInput
            label="Button text"
            value={link.title}
            maxLength={40}
            onChange={(title) => onChange({ ...link, title })}
          />
          <TemplateInput label="Opens" value={link.url} onChange={(url) => onChange({ ...link, url })} />
        </>
      ) : null}
    </Section>
  )
}

const CARD_LISTS = [
  ['cart.items', 'Every item in the cart'],
  ['order.items', 'Every item in the order'],
  ['order.recommendations', 'Suggested products'],
] as const satisfies readonly (readonly [CardListConfig['from'], string])[]

/** A card for each entry of a list: side by side in web chat, one after the other elsewhere. */
export function CardListEditor({
  cards,
  onChange,
}: {
  cards: CardListConfig | null
  onChange(cards: CardListConfig | null): void
}) {
  return (
    <Section title="Product cards from a list">
      <Toggle
        label="Show a card for each product"
        checked={cards !== null}
        onChange={(on) => onChange(on ? { from: 'cart.items', max: 3 } : null)}
        hint="Side by side in web chat; on WhatsApp and Telegram the first picture with every product listed."
      />
      {cards ? (
        <div className="row">
          <SelectInput
            label="Products"
            value={cards.from}
            options={CARD_LISTS}
            onChange={(from) => onChange({ ...cards, from })}
          />
          <SelectInput
            label="At most"
            value={String(cards.max)}
            options={[1, 2, 3, 4, 5, 6, 8, 10].map(
              (n) => [String(n), `${n} card${n === 1 ? '' : 's'}`] as const,
            )}
            onChange={(max) => onChange({ ...cards, max: Number(max) })}
          />
        </div>
      ) : null}
    </Section>
  )
}

const CATEGORIES = [
  ['marketing', 'Marketing'],
  ['utility', 'Utility'],
  ['authentication', 'Authentication'],
] as const

export function TemplateFallbackEditor({
  template,
  onChange,
}: {
  template: TemplateFallbackConfig | null
  onChange(template: TemplateFallbackConfig | null): void
}) {
  const set = (patch: Partial<TemplateFallbackConfig>) => template && onChange({ ...template, ...patch })
  const approved = useApprovedTemplates()
  const chosen = approved?.find((t) => t.name === template?.name && t.language === template?.language)
  const pickId = useId()
  return (
    <Section title="WhatsApp template">
      <Toggle
        label="Use an approved template outside the 24-hour window"
        checked={template !== null}
        onChange={(on) =>
          onChange(on ? { name: '', language: 'en', category: 'marketing', params: [] } : null)
        }
        hint="WhatsApp only lets you message a shopper freely within 24 hours of their last message. After that, only an approved template can be sent (and is charged)."
      />
      {template && approved && approved.length > 0 ? (
        <div className="field">
          <div className="field-head">
            <label htmlFor={pickId}>Approved template</label>
          </div>
          <select
            id={pickId}
            className="input"
            value={chosen ? `${chosen.name}\u0000${chosen.language}` : ''}
            onChange={(e) => {
              const picked = approved.find((t) => `${t.name}\u0000${t.language}` === e.target.value)
              if (picked) onChange(chooseTemplate(picked, template))
            }}
          >
            <option value="">
              {template.name ? `${template.name} (not approved on WhatsApp)` : 'Choose…'}
            </option>
            {approved.map((t) => (
              <option key={`${t.name}-${t.language}`} value={`${t.name}\u0000${t.language}`}>
                {t.name} · {t.language}
              </option>
            ))}
          </select>
          {chosen?.body ? <p className="field-hint">Meta shows: “{chosen.body}”</p> : null}
        </div>
      ) : template && approved?.length === 0 ? (
        <p className="field-hint">
          No approved templates yet: on the Channels screen, “Get templates from Meta” lists them here. You
          can also type the template’s name below.
        </p>
      ) : null}
      {template ? (
        <>
          <div className="row">
            <TextInput
              label="Template name"
              value={template.name}
              onChange={(name) => set({ name })}
              placeholder="cart_reminder"
            />
            <TextInput
              label="Language"
              value={template.language}
              onChange={(language) => set({ language })}
            />
          </div>
          <SelectInput
            label="Category"
            value={template.category}
            options={CATEGORIES}
            onChange={(category) => set({ category })}
          />
          {template.params.map((param, i) => (
            <div key={`param-${i.toString()}`} className="list-row">
              <div className="grow">
                <TemplateInput
                  label={`Parameter {{${i + 1}}}`}
                  value={param}
                  onChange={(v) => set({ params: template.params.map((p, j) => (j === i ? v : p)) })}
                />
              </div>
              <IconButton
                label={`Remove parameter ${i + 1}`}
                onClick={() => set({ params: template.params.filter((_, j) => j !== i) })}
              >
                ×
              </IconButton>
            </div>
          ))}
          <button
            type="button"
            className="link-button"
            onClick={() => set({ params: [...template.params, ''] })}
          >
            + Add parameter
          </button>
        </>
      ) : null}
    </Section>
  )
}
