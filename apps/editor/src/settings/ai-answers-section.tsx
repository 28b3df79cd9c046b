// "AI answers" in Settings (owners): an OpenAI-compatible endpoint that words product answers from the catalogue
// facts, off by default. The key is write-only: the form shows "saved, ending in 1a2b" and sends a key only when
// one is typed. "Test connection" makes one small call with the form as it is and says what happened.
import {
  type AiAnswersResponse,
  type AiAnswersSettingsInput,
  type AiAnswersTestResult,
  type AiAnswersUsage,
  aiAnswersSettingsInputSchema,
  type BudgetCurrency,
  budgetCurrencySchema,
} from '@parley/api'
import { type FormEvent, useEffect, useState } from 'react'
import { api, errorMessage } from '../api/api.ts'
import { apiFieldErrors, errorAt, type FieldErrors, zodFieldErrors } from './field-errors.ts'
import { Field } from './settings-field.tsx'

interface Draft {
  enabled: boolean
  baseUrl: string
  model: string
  /** Typed here only; '' keeps the saved key. */
  apiKey: string
  inputPricePer1k: number
  outputPricePer1k: number
  currency: BudgetCurrency
  stream: boolean
}

function draftOf(r: AiAnswersResponse): Draft {
  const { apiKey: _shown, ...rest } = r.settings
  return { ...rest, apiKey: '' }
}

function inputOf(draft: Draft): AiAnswersSettingsInput {
  const { apiKey, ...rest } = draft
  return { ...rest, ...(apiKey.trim() ? { apiKey: apiKey.trim() } : {}) }
}

const money = (amount: number, currency: string) =>
  new Intl.NumberFormat(undefined, { style: 'currency', currency, maximumFractionDigits: 4 }).format(amount)

export function AiAnswersSection() {
  const [loaded, setLoaded] = useState<AiAnswersResponse | null>(null)
  const [draft, setDraft] = useState<Draft | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [status, setStatus] = useState<{ kind: 'saving' | 'saved' | 'error'; text: string } | null>(null)
  const [testing, setTesting] = useState(false)
  const [test, setTest] = useState<AiAnswersTestResult | { ok: false; message: string } | null>(null)

  useEffect(() => {
    api.settings.aiAnswers.get().then(
      (r) => {
        setLoaded(r)
        setDraft(draftOf(r))
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
  if (!loaded || !draft) return <p className="muted">Loading AI answers settings…</p>

  const change = (next: Partial<Draft>) => {
    setDraft({ ...draft, ...next })
    setStatus(null)
  }
  const keySaved = loaded.settings.apiKey.set

  const save = async (event: FormEvent) => {
    event.preventDefault()
    const candidate = inputOf(draft)
    const checked = aiAnswersSettingsInputSchema.safeParse(candidate)
    if (!checked.success) {
      setErrors(zodFieldErrors(checked.error))
      setStatus({ kind: 'error', text: 'Some values need a fix: see the messages beside them.' })
      return
    }
    if (candidate.enabled && !candidate.apiKey && !keySaved) {
      setErrors({ apiKey: 'Enter the API key' })
      setStatus({ kind: 'error', text: 'Some values need a fix: see the messages beside them.' })
      return
    }
    setErrors({})
    setStatus({ kind: 'saving', text: 'Saving…' })
    try {
      const saved = await api.settings.aiAnswers.save(candidate)
      setLoaded(saved)
      setDraft(draftOf(saved))
      setStatus({ kind: 'saved', text: 'AI answers settings saved' })
    } catch (e) {
      const fields = apiFieldErrors(e)
      if (fields) setErrors(fields)
      setStatus({
        kind: 'error',
        text: fields ? 'Some values need a fix: see the messages beside them.' : errorMessage(e),
      })
    }
  }

  const runTest = async () => {
    setTesting(true)
    setTest(null)
    try {
      setTest(
        await api.settings.aiAnswers.test({
          baseUrl: draft.baseUrl.trim(),
          model: draft.model.trim(),
          stream: draft.stream,
          ...(draft.apiKey.trim() ? { apiKey: draft.apiKey.trim() } : {}),
        }),
      )
    } catch (e) {
      setTest({ ok: false, message: errorMessage(e) })
    } finally {
      setTesting(false)
    }
  }

  const number = (value: number) => (Number.isNaN(value) ? '' : value)
  const { usage } = loaded
  return (
    <form className="settings-form" onSubmit={save} noValidate aria-label="AI answers">
      <p className="muted">
        Product questions are always answered from your catalogue. With AI answers on, a language model of
        your choice words that answer more naturally. It is sent only the products the question is about and
        your return policy, never the shopper’s name, contact details or conversation. If it is slow (over 2
        seconds), down, or states a price or stock level your catalogue does not have, the shopper gets the
        catalogue answer instead.
      </p>
      <fieldset className="settings-group">
        <legend>Endpoint</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={draft.enabled}
            onChange={(e) => change({ enabled: e.target.checked })}
          />
          <span>Answer product questions with AI</span>
        </label>
        <Field
          label="Endpoint address"
          error={errorAt(errors, 'baseUrl')}
          hint="Any OpenAI-compatible API, e.g. https://api.openai.com/v1 (Parley adds /chat/completions)."
        >
          {(id) => (
            <input
              id={id}
              className="input"
              type="url"
              placeholder="https://api.openai.com/v1"
              value={draft.baseUrl}
              onChange={(e) => change({ baseUrl: e.target.value })}
            />
          )}
        </Field>
        <Field
          label="Model"
          error={errorAt(errors, 'model')}
          hint="The model name your provider uses, e.g. gpt-4o-mini."
        >
          {(id) => (
            <input
              id={id}
              className="input"
              placeholder="gpt-4o-mini"
              value={draft.model}
              onChange={(e) => change({ model: e.target.value })}
            />
          )}
        </Field>
        <Field
          label="API key"
          error={errorAt(errors, 'apiKey')}
          hint={
            keySaved
              ? `A key is saved${loaded.settings.apiKey.last4 ? `, ending in ${loaded.settings.apiKey.last4}` : ''}. Type a new one to replace it; leave empty to keep it.`
              : 'Stored encrypted and never shown again.'
          }
        >
          {(id) => (
            <input
              id={id}
              className="input"
              type="password"
              autoComplete="off"
              placeholder={keySaved ? 'Saved (leave empty to keep)' : 'sk-…'}
              value={draft.apiKey}
              onChange={(e) => change({ apiKey: e.target.value })}
            />
          )}
        </Field>
        <label className="check">
          <input
            type="checkbox"
            checked={draft.stream}
            onChange={(e) => change({ stream: e.target.checked })}
          />
          <span>Ask for a streamed answer (turn off if your provider does not support streaming)</span>
        </label>
        <div className="row">
          <button
            type="button"
            className="button"
            disabled={testing || draft.baseUrl.trim() === '' || draft.model.trim() === ''}
            onClick={runTest}
          >
            {testing ? 'Testing…' : 'Test connection'}
          </button>
          {test ? (
            <p className={`banner ${test.ok ? 'success' : 'error'} ai-test-result`} role="status">
              {test.ok ? 'Connected. ' : 'Not working. '}
              {test.message}
            </p>
          ) : null}
        </div>
      </fieldset>

      <fieldset className="settings-group">
        <legend>Cost</legend>
        <p className="field-hint">
          Your provider’s prices per 1,000 tokens, so Parley can show what AI answers cost you. Parley records
          the tokens of every answer.
        </p>
        <Field label="Currency" error={errorAt(errors, 'currency')}>
          {(id) => (
            <select
              id={id}
              className="input input-sm"
              value={draft.currency}
              onChange={(e) => change({ currency: e.target.value as BudgetCurrency })}
            >
              {budgetCurrencySchema.options.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Price per 1,000 input tokens" error={errorAt(errors, 'inputPricePer1k')}>
          {(id) => (
            <input
              id={id}
              className="input input-sm"
              type="number"
              min={0}
              step="any"
              value={number(draft.inputPricePer1k)}
              onChange={(e) => change({ inputPricePer1k: e.target.valueAsNumber })}
            />
          )}
        </Field>
        <Field label="Price per 1,000 output tokens" error={errorAt(errors, 'outputPricePer1k')}>
          {(id) => (
            <input
              id={id}
              className="input input-sm"
              type="number"
              min={0}
              step="any"
              value={number(draft.outputPricePer1k)}
              onChange={(e) => change({ outputPricePer1k: e.target.valueAsNumber })}
            />
          )}
        </Field>
        <p className="ai-usage">{usageWords(usage)}</p>
      </fieldset>

      <div className="settings-actions">
        <button type="submit" className="button primary" disabled={status?.kind === 'saving'}>
          Save AI answers
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

/** The month's AI use in a sentence: answers, replies read for what the shopper meant, tokens and cost. */
export function usageWords(usage: AiAnswersUsage): string {
  if (usage.attempts === 0 && usage.intentChecks === 0) return 'No AI answers this month yet.'
  const parts: string[] = []
  if (usage.attempts > 0)
    parts.push(
      `${usage.attempts} ${usage.attempts === 1 ? 'question' : 'questions'} sent to the AI, ${usage.answered} answered by it, ${usage.fallbacks} answered from the catalogue instead`,
    )
  if (usage.intentChecks > 0)
    parts.push(
      `${usage.intentChecks} ${usage.intentChecks === 1 ? 'reply' : 'replies'} read by the AI to tell what the shopper meant`,
    )
  return `This month: ${parts.join('; ')}; ${usage.inputTokens.toLocaleString()} input and ${usage.outputTokens.toLocaleString()} output tokens, ${money(usage.cost, usage.currency)}.`
}
