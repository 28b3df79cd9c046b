// The store's messaging rules: time zone and business hours, quiet hours and the frequency cap for marketing
// messages, how long to wait for a shopper's follow-up messages, opt-out and opt-in words, WhatsApp template
// prices and the monthly budget. Checked with the same schema the server uses before it is sent; the server's
// field messages show beside the fields too.
import {
  type BudgetCurrency,
  budgetCurrencySchema,
  type KeywordLanguage,
  keywordLanguageSchema,
  keywordPacks,
  type Settings,
  type SettingsResponse,
  settingsSchema,
  type TemplateCategorySetting,
} from '@parley/api'
import { type FormEvent, useEffect, useMemo, useState } from 'react'
import { api, errorMessage } from '../api/api.ts'
import { apiFieldErrors, errorAt, type FieldErrors, zodFieldErrors } from './field-errors.ts'
import { MeasuringResults } from './measuring-results.tsx'
import { Field, FieldMessage } from './settings-field.tsx'
import { WeeklyHoursInput } from './weekly-hours-input.tsx'

const categoryNames: Record<TemplateCategorySetting, string> = {
  marketing: 'Marketing',
  utility: 'Utility (order updates)',
  authentication: 'Authentication (codes)',
}

const timeZones: string[] = (() => {
  try {
    return Intl.supportedValuesOf('timeZone')
  } catch {
    return []
  }
})()

const splitWords = (text: string) =>
  text
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean)

export function RulesForm() {
  const [loaded, setLoaded] = useState<SettingsResponse | null>(null)
  const [draft, setDraft] = useState<Settings | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [status, setStatus] = useState<{ kind: 'saving' | 'saved' | 'error'; text: string } | null>(null)
  // Free text for the word lists, so typing a comma does not jump.
  const [optOutText, setOptOutText] = useState('')
  const [optInText, setOptInText] = useState('')

  useEffect(() => {
    api.settings.get().then(
      (r) => {
        setLoaded(r)
        setDraft(r.settings)
        setOptOutText(r.settings.keywords.optOut.join(', '))
        setOptInText(r.settings.keywords.optIn.join(', '))
      },
      (e) => setLoadError(errorMessage(e)),
    )
  }, [])

  if (loadError) {
    return (
      <p className="banner error" role="alert">
        {loadError}
      </p>
    )
  }
  if (!loaded || !draft) return <p className="muted">Loading settings…</p>

  const change = (next: Settings) => {
    setDraft(next)
    setStatus(null)
  }

  const save = async (event: FormEvent) => {
    event.preventDefault()
    const candidate = {
      ...draft,
      keywords: { ...draft.keywords, optOut: splitWords(optOutText), optIn: splitWords(optInText) },
    }
    const checked = settingsSchema.safeParse(candidate)
    if (!checked.success) {
      setErrors(zodFieldErrors(checked.error))
      setStatus({ kind: 'error', text: 'Some values need a fix: see the messages beside them.' })
      return
    }
    setErrors({})
    setStatus({ kind: 'saving', text: 'Saving…' })
    try {
      const saved = await api.settings.save(candidate)
      setLoaded(saved)
      setDraft(saved.settings)
      setOptOutText(saved.settings.keywords.optOut.join(', '))
      setOptInText(saved.settings.keywords.optIn.join(', '))
      setStatus({ kind: 'saved', text: 'Settings saved' })
    } catch (e) {
      const fields = apiFieldErrors(e)
      if (fields) setErrors(fields)
      setStatus({
        kind: 'error',
        text: fields ? 'Some values need a fix: see the messages beside them.' : errorMessage(e),
      })
    }
  }

  const { defaults } = loaded
  return (
    <form className="settings-form" onSubmit={save} noValidate>
      <fieldset className="settings-group">
        <legend>Store</legend>
        <Field
          label="Time zone"
          error={errorAt(errors, 'timeZone')}
          hint={`Default: ${defaults.timeZone}. Used for reports, business hours and shoppers whose time zone is unknown.`}
        >
          {(id) => (
            <>
              <input
                id={id}
                className="input"
                list="time-zones"
                value={draft.timeZone}
                onChange={(e) => change({ ...draft, timeZone: e.target.value })}
              />
              <datalist id="time-zones">
                {timeZones.map((z) => (
                  <option key={z} value={z} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <BusinessHoursField draft={draft} change={change} errors={errors} />
      </fieldset>

      <fieldset className="settings-group">
        <legend>Marketing messages</legend>
        <QuietHoursField draft={draft} change={change} errors={errors} />
        <div className="field">
          <span className="label">Frequency cap</span>
          <div className="row">
            <span>At most</span>
            <input
              aria-label="Marketing messages per shopper"
              className="input input-sm"
              type="number"
              min={0}
              value={draft.frequencyCap.messages}
              onChange={(e) =>
                change({
                  ...draft,
                  frequencyCap: { ...draft.frequencyCap, messages: e.target.valueAsNumber },
                })
              }
            />
            <span>marketing messages per shopper in</span>
            <input
              aria-label="Frequency cap window in hours"
              className="input input-sm"
              type="number"
              min={1}
              value={draft.frequencyCap.windowHours}
              onChange={(e) =>
                change({
                  ...draft,
                  frequencyCap: { ...draft.frequencyCap, windowHours: e.target.valueAsNumber },
                })
              }
            />
            <span>hours</span>
          </div>
          <FieldMessage error={errorAt(errors, 'frequencyCap')} />
          <p className="field-hint">
            Default: {defaults.frequencyCap.messages} per {defaults.frequencyCap.windowHours} hours. Messages
            over the cap are skipped and counted in analytics; order updates and replies are never capped.
          </p>
        </div>
      </fieldset>

      <fieldset className="settings-group">
        <legend>Returns</legend>
        <div className="field">
          <span className="label">Return window</span>
          <div className="row">
            <span>Accept returns up to</span>
            <input
              aria-label="Days to return an order"
              className="input input-sm"
              type="number"
              min={1}
              max={365}
              value={draft.returnWindowDays}
              onChange={(e) => change({ ...draft, returnWindowDays: e.target.valueAsNumber })}
            />
            <span>days after delivery</span>
          </div>
          <FieldMessage error={errorAt(errors, 'returnWindowDays')} />
          <p className="field-hint">
            Default: {defaults.returnWindowDays} days. The returns flow checks an order against it (from
            delivery, else shipping, else the order date) and hands late requests to your team instead of
            refusing them.
          </p>
        </div>
      </fieldset>

      <fieldset className="settings-group">
        <legend>Quick messages</legend>
        <div className="field">
          <span className="label">Wait for follow-up messages</span>
          <div className="row">
            <span>Wait</span>
            <input
              aria-label="Seconds to wait for follow-up messages"
              className="input input-sm"
              type="number"
              min={0}
              max={10}
              step={0.1}
              value={
                draft.burstWindowMs === undefined || Number.isNaN(draft.burstWindowMs)
                  ? ''
                  : draft.burstWindowMs / 1000
              }
              onChange={(e) => change({ ...draft, burstWindowMs: Math.round(e.target.valueAsNumber * 1000) })}
            />
            <span>seconds for follow-up messages before answering</span>
          </div>
          <FieldMessage error={errorAt(errors, 'burstWindowMs')} />
          <p className="field-hint">
            Default: {(defaults.burstWindowMs ?? 0) / 1000} seconds. A shopper who writes "hi" and then two
            quick questions gets one answer to all of them. In web chat the assistant also waits while the
            shopper is still typing, at most 10 seconds. Taps on buttons are answered at once; 0 answers every
            message at once.
          </p>
        </div>
      </fieldset>

      <fieldset className="settings-group">
        <legend>Unsubscribe and resubscribe words</legend>
        <div className="field">
          <span className="label">Languages</span>
          <div className="checks">
            {keywordLanguageSchema.options.map((language: KeywordLanguage) => {
              const pack = keywordPacks[language]
              const on = draft.keywords.languages.includes(language)
              return (
                <label key={language} className="check">
                  <input
                    type="checkbox"
                    checked={on}
                    onChange={() =>
                      change({
                        ...draft,
                        keywords: {
                          ...draft.keywords,
                          languages: on
                            ? draft.keywords.languages.filter((l) => l !== language)
                            : [...draft.keywords.languages, language],
                        },
                      })
                    }
                  />
                  <span>
                    <strong>{pack.name}</strong>
                    <span className="muted small">
                      {' '}
                      {pack.optOut.join(', ')} · back in: {pack.optIn.join(', ')}
                    </span>
                  </span>
                </label>
              )
            })}
          </div>
          <p className="field-hint">
            Default: English. STOP, UNSUBSCRIBE and START always work. A shopper's whole message must be the
            word.
          </p>
        </div>
        <Field
          label="Your own unsubscribe words"
          error={errorAt(errors, 'keywords.optOut')}
          hint="Separate words with commas."
        >
          {(id) => (
            <input
              id={id}
              className="input"
              value={optOutText}
              onChange={(e) => setOptOutText(e.target.value)}
            />
          )}
        </Field>
        <Field
          label="Your own resubscribe words"
          error={errorAt(errors, 'keywords.optIn')}
          hint="Separate words with commas."
        >
          {(id) => (
            <input
              id={id}
              className="input"
              value={optInText}
              onChange={(e) => setOptInText(e.target.value)}
            />
          )}
        </Field>
        <Field
          label="Reply when a shopper unsubscribes"
          error={errorAt(errors, 'keywords.optOutConfirmation')}
          hint="Sent once on every channel, web chat included."
        >
          {(id) => (
            <textarea
              id={id}
              className="input textarea"
              rows={2}
              value={draft.keywords.optOutConfirmation}
              onChange={(e) =>
                change({ ...draft, keywords: { ...draft.keywords, optOutConfirmation: e.target.value } })
              }
            />
          )}
        </Field>
        <Field
          label="Reply when a shopper resubscribes"
          error={errorAt(errors, 'keywords.optInConfirmation')}
        >
          {(id) => (
            <textarea
              id={id}
              className="input textarea"
              rows={2}
              value={draft.keywords.optInConfirmation}
              onChange={(e) =>
                change({ ...draft, keywords: { ...draft.keywords, optInConfirmation: e.target.value } })
              }
            />
          )}
        </Field>
      </fieldset>

      <TemplateCosts loaded={loaded} draft={draft} change={change} errors={errors} />

      <MeasuringResults defaults={loaded.defaults} draft={draft} change={change} errors={errors} />

      <div className="settings-actions">
        <button type="submit" className="button primary" disabled={status?.kind === 'saving'}>
          Save settings
        </button>
        {status ? (
          <span className={`save-status ${status.kind}`} role={status.kind === 'error' ? 'alert' : 'status'}>
            {status.text}
          </span>
        ) : null}
      </div>
    </form>
  )
}

interface GroupProps {
  draft: Settings
  change(next: Settings): void
  errors: FieldErrors
}

function BusinessHoursField({ draft, change, errors }: GroupProps) {
  const hours = draft.businessHours
  return (
    <div className="field">
      <label className="check">
        <input
          type="checkbox"
          checked={hours !== null}
          onChange={() =>
            change({
              ...draft,
              businessHours: hours
                ? null
                : { days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '09:00', close: '17:00' },
            })
          }
        />
        <span className="label">Business hours</span>
      </label>
      {hours ? (
        <WeeklyHoursInput hours={hours} onChange={(next) => change({ ...draft, businessHours: next })} />
      ) : null}
      <FieldMessage error={errorAt(errors, 'businessHours')} />
      <p className="field-hint">
        Default: not set. The inbox uses them to tell shoppers when someone will answer.
      </p>
    </div>
  )
}

function QuietHoursField({ draft, change, errors }: GroupProps) {
  const quiet = draft.quietHours
  return (
    <div className="field">
      <label className="check">
        <input
          type="checkbox"
          checked={quiet !== null}
          onChange={() => change({ ...draft, quietHours: quiet ? null : { start: '21:00', end: '08:00' } })}
        />
        <span className="label">Quiet hours</span>
      </label>
      {quiet ? (
        <div className="row">
          <span>Hold marketing messages from</span>
          <input
            aria-label="Quiet hours start"
            className="input input-sm"
            type="time"
            value={quiet.start}
            onChange={(e) => change({ ...draft, quietHours: { ...quiet, start: e.target.value } })}
          />
          <span>until</span>
          <input
            aria-label="Quiet hours end"
            className="input input-sm"
            type="time"
            value={quiet.end}
            onChange={(e) => change({ ...draft, quietHours: { ...quiet, end: e.target.value } })}
          />
        </div>
      ) : null}
      <FieldMessage error={errorAt(errors, 'quietHours')} />
      <p className="field-hint">
        Default: none. A marketing message due in quiet hours waits until they end, in the shopper's time zone
        when known, else the store's. Order updates and replies are never held.
      </p>
    </div>
  )
}

function TemplateCosts({ loaded, draft, change, errors }: GroupProps & { loaded: SettingsResponse }) {
  const t = draft.templates
  const listPrices = loaded.rateCard.prices[t.currency]
  const spent = loaded.spend.amount
  const budget = loaded.settings.templates.monthlyBudget
  const share = budget && budget > 0 ? spent / budget : budget === 0 ? 1 : 0
  const money = useMemo(
    () => (amount: number) =>
      new Intl.NumberFormat(undefined, {
        style: 'currency',
        currency: loaded.spend.currency,
        maximumFractionDigits: 4,
      }).format(amount),
    [loaded.spend.currency],
  )
  return (
    <fieldset className="settings-group">
      <legend>WhatsApp template costs</legend>
      <p className="field-hint">
        Meta charges per template message sent outside the 24-hour reply window. Replies inside it are free.
      </p>
      <Field label="Currency" error={errorAt(errors, 'templates.currency')}>
        {(id) => (
          <select
            id={id}
            className="input input-narrow"
            value={t.currency}
            onChange={(e) => {
              const currency = e.target.value as BudgetCurrency
              // Switching currency starts from that currency's list prices.
              change({
                ...draft,
                templates: { ...t, currency, prices: { ...loaded.rateCard.prices[currency] } },
              })
            }}
          >
            {budgetCurrencySchema.options.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="price-grid">
        {(Object.keys(categoryNames) as TemplateCategorySetting[]).map((category) => (
          <Field
            key={category}
            label={`${categoryNames[category]} price`}
            error={errorAt(errors, `templates.prices.${category}`)}
            hint={`Meta's list price: ${listPrices[category]} ${t.currency} (rate card of ${loaded.rateCard.date})`}
          >
            {(id) => (
              <input
                id={id}
                className="input input-sm"
                type="number"
                min={0}
                step="0.0001"
                value={Number.isNaN(t.prices[category]) ? '' : t.prices[category]}
                onChange={(e) =>
                  change({
                    ...draft,
                    templates: { ...t, prices: { ...t.prices, [category]: e.target.valueAsNumber } },
                  })
                }
              />
            )}
          </Field>
        ))}
      </div>
      <Field
        label="Monthly template budget"
        error={errorAt(errors, 'templates.monthlyBudget')}
        hint="Default: no limit. Leave empty for no limit. A warning shows at 80 %; at 100 % template messages stop until next month."
      >
        {(id) => (
          <input
            id={id}
            className="input budget-input"
            type="number"
            min={0}
            step="0.01"
            placeholder="No limit"
            value={t.monthlyBudget ?? ''}
            onChange={(e) =>
              change({
                ...draft,
                templates: { ...t, monthlyBudget: e.target.value === '' ? null : e.target.valueAsNumber },
              })
            }
          />
        )}
      </Field>
      <p className={`budget-usage${share >= 1 ? ' stopped' : share >= 0.8 ? ' warning' : ''}`} role="status">
        Spent this month: {money(spent)}
        {budget !== null ? ` of ${money(budget)}` : ''}
        {share >= 1
          ? '. The budget is used up: template messages are stopped until next month or a higher budget.'
          : share >= 0.8
            ? '. Over 80 % of the budget is used.'
            : '.'}
      </p>
    </fieldset>
  )
}
