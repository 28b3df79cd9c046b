// Escalation queues: where the bot hands a chat to a person (sales, support, returns, ...), what the shopper is
// told at once, each queue's hours, and what happens when nobody takes the chat in time. Checked with the same
// schema the server uses; the server's field messages show beside the fields too.
import {
  type EscalationQueueSetting,
  type EscalationQueuesResponse,
  escalationQueuesSchema,
} from '@parley/api'
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react'
import { api, errorMessage } from '../api/api.ts'
import { apiFieldErrors, errorAt, type FieldErrors, zodFieldErrors } from './field-errors.ts'
import { Field, FieldMessage } from './settings-field.tsx'
import { dayNames, WeeklyHoursInput } from './weekly-hours-input.tsx'

function hoursInWords(hours: EscalationQueuesResponse['storeBusinessHours']): string {
  if (!hours) return 'the store has no business hours set, so the team counts as always in'
  return `${hours.days.map((d) => dayNames[d]).join(', ')} ${hours.open}–${hours.close}`
}

export function QueuesSection() {
  const [loaded, setLoaded] = useState<EscalationQueuesResponse | null>(null)
  const [draft, setDraft] = useState<EscalationQueueSetting[] | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [status, setStatus] = useState<{ kind: 'saving' | 'saved' | 'error'; text: string } | null>(null)
  // Stable keys for the queue cards (the flow name of a queue changes as it is typed).
  const [cardKeys, setCardKeys] = useState<number[]>([])
  const nextKey = useRef(0)
  const keysFor = useCallback((count: number) => Array.from({ length: count }, () => nextKey.current++), [])

  useEffect(() => {
    api.settings.queues.get().then(
      (r) => {
        setLoaded(r)
        setDraft(r.queues)
        setCardKeys(keysFor(r.queues.length))
      },
      (e) => setLoadError(errorMessage(e)),
    )
  }, [keysFor])

  if (loadError) {
    return (
      <p className="banner error" role="alert">
        {loadError}
      </p>
    )
  }
  if (!loaded || !draft) return <p className="muted">Loading queues…</p>

  const change = (index: number, next: EscalationQueueSetting) => {
    setDraft(draft.map((q, i) => (i === index ? next : q)))
    setStatus(null)
  }
  const remove = (index: number) => {
    setDraft(draft.filter((_, i) => i !== index))
    setCardKeys(cardKeys.filter((_, i) => i !== index))
    setStatus(null)
  }
  const add = () => {
    const base = loaded.defaults[1] ?? loaded.defaults[0]
    if (!base) return
    setDraft([...draft, { ...base, key: `queue-${draft.length + 1}`, name: 'New queue' }])
    setCardKeys([...cardKeys, ...keysFor(1)])
    setStatus(null)
  }

  const save = async (event: FormEvent) => {
    event.preventDefault()
    const checked = escalationQueuesSchema.safeParse({ queues: draft })
    if (!checked.success) {
      setErrors(zodFieldErrors(checked.error))
      setStatus({ kind: 'error', text: 'Some values need a fix: see the messages beside them.' })
      return
    }
    setErrors({})
    setStatus({ kind: 'saving', text: 'Saving…' })
    try {
      const saved = await api.settings.queues.save({ queues: draft })
      setLoaded(saved)
      setDraft(saved.queues)
      setCardKeys(keysFor(saved.queues.length))
      setStatus({ kind: 'saved', text: 'Queues saved' })
    } catch (e) {
      const fields = apiFieldErrors(e)
      if (fields) setErrors(fields)
      setStatus({
        kind: 'error',
        text: fields ? 'Some values need a fix: see the messages beside them.' : errorMessage(e),
      })
    }
  }

  const defaultOf = (key: string) => loaded.defaults.find((q) => q.key === key) ?? loaded.defaults[1]
  return (
    <form className="settings-form queues-form" onSubmit={save} noValidate>
      <p className="muted">
        When a flow hands a chat to your team, the shopper hears back at once in the queue’s words. Queues
        without their own hours use the store’s ({hoursInWords(loaded.storeBusinessHours)}; time zone{' '}
        {loaded.timezone}). In the texts, {'{{reply_time}}'} becomes e.g. “30 minutes” and {'{{opens_at}}'}{' '}
        “tomorrow at 09:00”.
      </p>
      {errors.queues ? <FieldMessage error={errors.queues} /> : null}
      {draft.map((queue, index) => {
        const path = `queues.${index}`
        const fallback = defaultOf(queue.key)
        const set = (patch: Partial<EscalationQueueSetting>) => change(index, { ...queue, ...patch })
        return (
          <fieldset className="settings-group" key={cardKeys[index] ?? queue.key}>
            <legend>{queue.name || 'Unnamed queue'}</legend>
            <div className="row queue-names">
              <Field label="Name" error={errorAt(errors, `${path}.name`)}>
                {(id) => (
                  <input
                    id={id}
                    className="input"
                    value={queue.name}
                    onChange={(e) => set({ name: e.target.value })}
                  />
                )}
              </Field>
              <Field
                label="Name flows use"
                error={errorAt(errors, `${path}.key`)}
                hint="What an “Escalate to staff” step names, e.g. returns."
              >
                {(id) => (
                  <input
                    id={id}
                    className="input"
                    value={queue.key}
                    onChange={(e) => set({ key: e.target.value })}
                  />
                )}
              </Field>
            </div>
            <Field
              label="Reply promised within (minutes, inside business hours)"
              error={errorAt(errors, `${path}.replyWithinMinutes`)}
              hint={fallback ? `Default: ${fallback.replyWithinMinutes}.` : undefined}
            >
              {(id) => (
                <input
                  id={id}
                  className="input input-sm"
                  type="number"
                  min={1}
                  value={queue.replyWithinMinutes}
                  onChange={(e) => set({ replyWithinMinutes: e.target.valueAsNumber })}
                />
              )}
            </Field>
            <Field
              label="Told at once, inside business hours"
              error={errorAt(errors, `${path}.acknowledgement`)}
              hint={fallback ? `Default: ${fallback.acknowledgement}` : undefined}
            >
              {(id) => (
                <textarea
                  id={id}
                  className="input textarea"
                  rows={2}
                  value={queue.acknowledgement}
                  onChange={(e) => set({ acknowledgement: e.target.value })}
                />
              )}
            </Field>
            <Field
              label="Told at once, outside business hours"
              error={errorAt(errors, `${path}.acknowledgementClosed`)}
              hint={fallback ? `Default: ${fallback.acknowledgementClosed}` : undefined}
            >
              {(id) => (
                <textarea
                  id={id}
                  className="input textarea"
                  rows={2}
                  value={queue.acknowledgementClosed}
                  onChange={(e) => set({ acknowledgementClosed: e.target.value })}
                />
              )}
            </Field>
            <div className="field">
              <label className="check">
                <input
                  type="checkbox"
                  checked={queue.businessHours !== null}
                  onChange={() =>
                    set({
                      businessHours: queue.businessHours
                        ? null
                        : (loaded.storeBusinessHours ?? {
                            days: ['mon', 'tue', 'wed', 'thu', 'fri'],
                            open: '09:00',
                            close: '17:00',
                          }),
                    })
                  }
                />
                <span className="label">Own business hours</span>
              </label>
              {queue.businessHours ? (
                <WeeklyHoursInput
                  hours={queue.businessHours}
                  onChange={(businessHours) => set({ businessHours })}
                />
              ) : null}
              <FieldMessage error={errorAt(errors, `${path}.businessHours`)} />
              <p className="field-hint">Default: the store’s business hours.</p>
            </div>
            <Field
              label="Nobody takes the chat within (minutes)"
              error={errorAt(errors, `${path}.unclaimedTimeoutMinutes`)}
              hint={`Default: ${fallback?.unclaimedTimeoutMinutes ?? 15}. Then the shopper gets the message below and the assistant takes the chat back; marketing held meanwhile goes out if still relevant.`}
            >
              {(id) => (
                <input
                  id={id}
                  className="input input-sm"
                  type="number"
                  min={1}
                  value={queue.unclaimedTimeoutMinutes}
                  onChange={(e) => set({ unclaimedTimeoutMinutes: e.target.valueAsNumber })}
                />
              )}
            </Field>
            <Field
              label="Told when nobody took it"
              error={errorAt(errors, `${path}.fallbackMessage`)}
              hint={fallback ? `Default: ${fallback.fallbackMessage}` : undefined}
            >
              {(id) => (
                <textarea
                  id={id}
                  className="input textarea"
                  rows={2}
                  value={queue.fallbackMessage}
                  onChange={(e) => set({ fallbackMessage: e.target.value })}
                />
              )}
            </Field>
            <button
              type="button"
              className="button"
              onClick={() => remove(index)}
              disabled={draft.length <= 1}
            >
              Remove {queue.name || 'this queue'}
            </button>
          </fieldset>
        )
      })}
      <div className="settings-actions">
        <button type="button" className="button" onClick={add} disabled={draft.length >= 20}>
          Add a queue
        </button>
        <button type="submit" className="button primary" disabled={status?.kind === 'saving'}>
          Save queues
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
