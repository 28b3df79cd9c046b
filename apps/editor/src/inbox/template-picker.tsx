// Outside WhatsApp's 24-hour window a free-form reply is refused: the agent picks an approved template, fills its
// parameters and sees what it costs before sending. The refusal may list the templates with their prices
// (`details.templates`); otherwise the store's approved templates are offered with their price category.
import type { WhatsAppTemplate } from '@parley/api'
import { useState } from 'react'
import { useApprovedTemplates } from '../channels/whatsapp-templates.ts'

export interface WindowClosed {
  message: string
  details: unknown
  /** What the agent had typed: the first parameter starts as it. */
  text: string
}

export interface TemplateChoice {
  name: string
  language: string
  parameters: string[]
}

interface PricedTemplate
  extends Pick<WhatsAppTemplate, 'name' | 'language' | 'category' | 'body' | 'parameters'> {
  cost?: { amount: number | string; currency: string }
}

function templatesFrom(details: unknown): PricedTemplate[] | null {
  const list = (details as { templates?: unknown } | undefined)?.templates
  return Array.isArray(list) ? (list as PricedTemplate[]) : null
}

const CATEGORY_WORDS: Record<string, string> = {
  marketing: 'marketing',
  utility: 'service update',
  authentication: 'sign-in code',
}

export function TemplatePicker({
  closed,
  busy,
  onSend,
  onCancel,
}: {
  closed: WindowClosed
  busy: boolean
  onSend(choice: TemplateChoice): void
  onCancel(): void
}) {
  const approved = useApprovedTemplates()
  const templates = templatesFrom(closed.details) ?? approved
  const [chosen, setChosen] = useState<PricedTemplate | null>(null)
  const [params, setParams] = useState<string[]>([])
  const choose = (t: PricedTemplate) => {
    setChosen(t)
    setParams(Array.from({ length: t.parameters }, (_, i) => (i === 0 ? closed.text : '')))
  }
  const preview = chosen?.body?.replace(/\{\{(\d+)\}\}/g, (_, n: string) => params[Number(n) - 1] || `[${n}]`)
  return (
    <section className="inbox-window-closed" aria-label="Reply with a template">
      <p className="banner warning" role="alert">
        {closed.message}
      </p>
      {templates === null ? (
        <p className="muted">Loading the approved templates…</p>
      ) : templates.length === 0 ? (
        <p className="muted">
          There are no approved WhatsApp templates. The store’s owner can get them from Meta under Channels.
        </p>
      ) : (
        <>
          <fieldset className="inbox-dialog-choices">
            <legend className="visually-hidden">Approved templates</legend>
            {templates.map((t) => (
              <button
                key={`${t.name}:${t.language}`}
                type="button"
                aria-pressed={chosen?.name === t.name && chosen.language === t.language}
                className="button"
                onClick={() => choose(t)}
              >
                {t.name.replaceAll('_', ' ')} ({t.language})
              </button>
            ))}
          </fieldset>
          {chosen ? (
            <form
              className="inbox-template-form"
              onSubmit={(e) => {
                e.preventDefault()
                onSend({ name: chosen.name, language: chosen.language, parameters: params })
              }}
            >
              {params.map((value, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: parameter n fills {{n}}: the position is its identity
                <label key={i} className="field">
                  <span>Fills {`{{${i + 1}}}`}</span>
                  <input
                    value={value}
                    required
                    onChange={(e) => setParams((p) => p.map((v, j) => (j === i ? e.target.value : v)))}
                  />
                </label>
              ))}
              {preview ? <p className="inbox-template-preview">{preview}</p> : null}
              <p>
                Cost:{' '}
                {chosen.cost
                  ? `${chosen.cost.amount} ${chosen.cost.currency}`
                  : `the store’s price for a ${CATEGORY_WORDS[chosen.category.toLowerCase()] ?? chosen.category} template`}{' '}
                when delivered.
              </p>
              <button type="submit" className="button primary" disabled={busy}>
                Send template
              </button>{' '}
              <button type="button" className="button ghost" onClick={onCancel}>
                Cancel
              </button>
            </form>
          ) : null}
        </>
      )}
    </section>
  )
}
