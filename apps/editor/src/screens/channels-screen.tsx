// Channels: connect WhatsApp, Telegram, web chat and Shopify; see each one's state and last messages; copy what
// the provider needs (callback URL, verify token, the web-chat snippet); change, check again, disconnect.
import '../channels/channels.css'
import {
  ApiError,
  type ChannelKindName,
  type ChannelSummary,
  type FieldIssue,
  type SecretHint,
} from '@parley/api'
import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react'
import { api, errorMessage } from '../api/api.ts'
import { KIND_ORDER, KINDS, STATE_WORDS } from '../channels/channel-kinds.ts'
import { CopyField } from '../channels/copy-field.tsx'
import { WebchatPreview } from '../channels/webchat-preview.tsx'
import { relativeTime } from '../ui/relative-time.ts'

type Values = Record<string, string>

/** The channel of each kind to show: an enabled one first, else the newest. */
function pick(channels: ChannelSummary[], kind: ChannelKindName): ChannelSummary | undefined {
  const mine = channels.filter((c) => c.kind === kind)
  return mine.find((c) => c.state !== 'disconnected') ?? mine.at(-1)
}

export function ChannelsScreen() {
  const [channels, setChannels] = useState<ChannelSummary[] | null>(null)
  const [error, setError] = useState<string | null>(null)

  const load = useCallback(() => {
    setError(null)
    api.channels.list().then(
      (r) => setChannels(r.channels),
      (e) => setError(errorMessage(e)),
    )
  }, [])
  useEffect(load, [load])

  const replace = (channel: ChannelSummary) =>
    setChannels((list) => [...(list ?? []).filter((c) => c.id !== channel.id), channel])

  const connected = channels?.filter((c) => c.state !== 'disconnected') ?? []
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Channels</h1>
          <p className="muted">
            Where shoppers reach you, and where your store tells Parley about carts and orders.
          </p>
        </div>
      </div>
      {error ? (
        <div className="banner error" role="alert">
          {error}{' '}
          <button type="button" className="button sm" onClick={load}>
            Try again
          </button>
        </div>
      ) : null}
      {channels === null ? (
        error ? null : (
          <div className="channel-grid" aria-busy="true">
            {KIND_ORDER.map((k) => (
              <div key={k} className="flow-row skeleton" />
            ))}
          </div>
        )
      ) : (
        <>
          {connected.length === 0 ? (
            <div className="notice" role="note">
              <strong>Nothing is connected yet.</strong> Web chat takes a minute: connect it and paste one
              line into your store. WhatsApp, Telegram and Shopify need a few keys from their own settings;
              each form says where to find them.
            </div>
          ) : null}
          <div className="channel-grid">
            {KIND_ORDER.map((kind) => (
              <ChannelCard key={kind} kind={kind} channel={pick(channels, kind)} onChange={replace} />
            ))}
          </div>
        </>
      )}
    </>
  )
}

function ChannelCard(props: {
  kind: ChannelKindName
  channel: ChannelSummary | undefined
  onChange: (channel: ChannelSummary) => void
}) {
  const { kind, channel } = props
  const spec = KINDS[kind]
  const headingId = useId()
  const [open, setOpen] = useState(false)
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const state = channel?.state ?? 'none'
  // The owner pressed Disconnect: focus goes to the safe answer of the question that appeared.
  const keepRef = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    if (confirming) keepRef.current?.focus()
  }, [confirming])
  const live = channel !== undefined && channel.state !== 'disconnected'

  const run = async (work: () => Promise<ChannelSummary>) => {
    setBusy(true)
    setError(null)
    try {
      props.onChange(await work())
      return true
    } catch (e) {
      setError(errorMessage(e))
      return false
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="channel-card" aria-labelledby={headingId}>
      <div className="channel-card-head">
        <div className="grow">
          <h2 id={headingId}>
            {spec.title}
            <span className={`channel-state ${state}`}>{STATE_WORDS[state]}</span>
          </h2>
          <p className="muted">{live && channel ? describe(channel) : spec.description}</p>
          {channel && live ? (
            <p className="channel-meta">
              Last message in: {channel.lastInboundAt ? relativeTime(channel.lastInboundAt) : 'none yet'} ·
              Last message out: {channel.lastOutboundAt ? relativeTime(channel.lastOutboundAt) : 'none yet'}
            </p>
          ) : null}
        </div>
        <div className="channel-actions">
          {live && channel ? (
            <>
              <button type="button" className="button" aria-expanded={open} onClick={() => setOpen(!open)}>
                {open ? 'Close' : 'Settings'}
              </button>
              {kind !== 'webchat' ? (
                <button
                  type="button"
                  className="button"
                  disabled={busy}
                  onClick={() => run(() => api.channels.verify(channel.id))}
                >
                  Check now
                </button>
              ) : null}
              <button type="button" className="button ghost danger" onClick={() => setConfirming(true)}>
                Disconnect
              </button>
            </>
          ) : (
            <button
              type="button"
              className="button primary"
              aria-expanded={open}
              onClick={() => setOpen(!open)}
            >
              {open ? 'Cancel' : `Connect ${spec.title}`}
            </button>
          )}
        </div>
      </div>
      {channel?.state === 'needs_attention' && channel.problem ? (
        <p className="channel-problem" role="status">
          {channel.problem}. Check the keys under Settings, then press Check now.
        </p>
      ) : null}
      {confirming && channel ? (
        <div className="confirm-row" role="alertdialog" aria-label={`Disconnect ${spec.title}?`}>
          <p>
            Disconnect {spec.title}? {disconnectConsequence(kind)}
          </p>
          <button
            type="button"
            className="button danger"
            disabled={busy}
            onClick={async () => {
              if (await run(() => api.channels.disconnect(channel.id))) {
                setConfirming(false)
                setOpen(false)
              }
            }}
          >
            Disconnect
          </button>
          <button type="button" className="button ghost" onClick={() => setConfirming(false)} ref={keepRef}>
            Keep it
          </button>
        </div>
      ) : null}
      {error && !open ? (
        <p className="banner error" role="alert">
          {error}
        </p>
      ) : null}
      {open ? (
        <ChannelForm
          kind={kind}
          // A disconnected channel is connected anew (its settings offered again, its secrets typed again).
          channel={live ? channel : undefined}
          previous={channel}
          busy={busy}
          setBusy={setBusy}
          onSaved={(saved) => {
            props.onChange(saved)
          }}
        />
      ) : null}
      {!open && live && channel ? <SetupFacts channel={channel} /> : null}
    </section>
  )
}

function describe(channel: ChannelSummary): string {
  const s = channel.setup
  switch (channel.kind) {
    case 'whatsapp':
      return [s.verifiedName, s.displayPhoneNumber].filter(Boolean).join(' · ') || channel.name
    case 'telegram':
      return s.botUsername ? `Shoppers write to @${s.botUsername}` : channel.name
    case 'shopify':
      return s.shopName ? `${s.shopName}: carts, orders and shipping updates arrive here` : channel.name
    case 'webchat':
      return 'The chat button on your store'
  }
}

function disconnectConsequence(kind: ChannelKindName): string {
  switch (kind) {
    case 'shopify':
      return 'Parley stops hearing about carts and orders; running reminders finish without new ones.'
    case 'webchat':
      return 'The chat button stops answering on your store. Conversations so far stay in the inbox.'
    default:
      return 'Messages from shoppers stop reaching Parley and nothing more is sent. Conversations so far stay in the inbox.'
  }
}

/** What the owner pastes on the provider's side, visible without opening the form. */
function SetupFacts({ channel }: { channel: ChannelSummary }) {
  const s = channel.setup
  if (channel.kind === 'webchat' && s.snippet) {
    return (
      <div className="channel-body single">
        <CopyField
          label="Embed snippet"
          value={s.snippet}
          multiline
          hint="Paste it before </body> on every page of your store (in Shopify: Online Store → Themes → Edit code → theme.liquid)."
        />
      </div>
    )
  }
  if (channel.kind === 'whatsapp') {
    return (
      <div className="channel-body">
        {s.webhookUrl ? (
          <CopyField
            label="Callback URL"
            value={s.webhookUrl}
            hint="Meta app → WhatsApp → Configuration → Webhook."
          />
        ) : null}
        {s.verifyToken ? (
          <CopyField label="Verify token" value={s.verifyToken} hint="Paste it next to the callback URL." />
        ) : null}
      </div>
    )
  }
  return null
}

function initialValues(kind: ChannelKindName, channel: ChannelSummary | undefined): Values {
  const settings = channel?.settings ?? {}
  const values: Values = {}
  for (const field of KINDS[kind].fields) {
    const value = settings[field.name]
    values[field.name] = typeof value === 'string' ? value : ''
  }
  if (kind === 'webchat') {
    values.allowedOrigins = Array.isArray(settings.allowedOrigins) ? settings.allowedOrigins.join('\n') : ''
    values.brandColor = typeof settings.brandColor === 'string' ? settings.brandColor : '#2f4858'
    values.greeting = typeof settings.greeting === 'string' ? settings.greeting : 'Hi! How can we help?'
    values.avatarUrl = typeof settings.avatarUrl === 'string' ? settings.avatarUrl : ''
  }
  return values
}

/** The request body: changed secrets only (an empty secret keeps the saved one), web-chat lists split. */
function requestBody(kind: ChannelKindName, values: Values, existing: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {}
  for (const field of KINDS[kind].fields) {
    const value = values[field.name]?.trim() ?? ''
    if (field.secret && existing && value === '') continue
    if (existing && field.name === 'shopDomain') continue
    body[field.name] = value
  }
  if (kind === 'webchat') {
    body.allowedOrigins = (values.allowedOrigins ?? '')
      .split(/[\n,]/)
      .map((o) => o.trim())
      .filter(Boolean)
    body.brandColor = values.brandColor
    body.greeting = values.greeting
    body.avatarUrl = values.avatarUrl?.trim() ?? ''
  }
  return body
}

function ChannelForm(props: {
  kind: ChannelKindName
  channel: ChannelSummary | undefined
  /** Where the form's first values come from: the channel, or the one connected before. */
  previous: ChannelSummary | undefined
  busy: boolean
  setBusy: (busy: boolean) => void
  onSaved: (channel: ChannelSummary) => void
}) {
  const { kind, channel } = props
  const existing = channel !== undefined
  const formId = useId()
  const [values, setValues] = useState<Values>(() => initialValues(kind, props.previous))
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({})
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState(false)
  const set = (name: string, value: string) => {
    setValues((v) => ({ ...v, [name]: value }))
    setFieldErrors((e) => ({ ...e, [name]: '' }))
    setSaved(false)
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    props.setBusy(true)
    setError(null)
    setFieldErrors({})
    try {
      const body = requestBody(kind, values, existing)
      const result = channel
        ? await api.channels.update(channel.id, body)
        : await api.channels.connect({ kind, ...body } as Parameters<typeof api.channels.connect>[0])
      props.onSaved(result)
      // Secrets typed leave the page with the request: the fields show "saved, ending in ..." instead.
      setValues(initialValues(kind, result))
      setSaved(true)
    } catch (e) {
      if (e instanceof ApiError && Array.isArray(e.details)) {
        const byField: Record<string, string> = {}
        for (const issue of e.details as FieldIssue[]) byField[issue.path.split('.')[0] ?? ''] = issue.message
        setFieldErrors(byField)
        setError('Please correct the fields marked above.')
      } else {
        setError(errorMessage(e))
      }
    } finally {
      props.setBusy(false)
    }
  }

  const spec = KINDS[kind]
  return (
    <div className={kind === 'webchat' || kind === 'whatsapp' ? 'channel-body' : 'channel-body single'}>
      <form id={formId} onSubmit={submit} noValidate aria-label={`${spec.title} settings`}>
        {spec.fields.map((field) => (
          <TextField
            key={field.name}
            name={field.name}
            label={field.label}
            hint={
              field.secret && channel && isSecret(channel.settings[field.name])
                ? `Saved, ending in ${(channel.settings[field.name] as SecretHint).last4 || '••••'}. Leave empty to keep it.`
                : field.hint
            }
            placeholder={field.placeholder}
            type={field.secret ? 'password' : 'text'}
            value={values[field.name] ?? ''}
            error={fieldErrors[field.name]}
            disabled={existing && field.name === 'shopDomain'}
            onChange={(v) => set(field.name, v)}
          />
        ))}
        {kind === 'webchat' ? (
          <>
            <TextField
              name="greeting"
              label="Greeting"
              hint="The first thing shoppers read when they open the chat."
              value={values.greeting ?? ''}
              error={fieldErrors.greeting}
              onChange={(v) => set('greeting', v)}
            />
            <div className="row">
              <TextField
                name="brandColor"
                label="Brand colour"
                hint="Written like #2f4858."
                value={values.brandColor ?? ''}
                error={fieldErrors.brandColor}
                onChange={(v) => set('brandColor', v)}
              />
              <div className="field" style={{ flex: 'none' }}>
                <label htmlFor={`${formId}-picker`}>Pick</label>
                <input
                  id={`${formId}-picker`}
                  type="color"
                  className="input"
                  style={{ width: 48, padding: 2 }}
                  value={/^#[0-9a-fA-F]{6}$/.test(values.brandColor ?? '') ? values.brandColor : '#2f4858'}
                  onChange={(e) => set('brandColor', e.target.value)}
                />
              </div>
            </div>
            <TextField
              name="avatarUrl"
              label="Avatar picture (web address)"
              hint="Optional: a square picture, e.g. your logo or a team member."
              placeholder="https://"
              value={values.avatarUrl ?? ''}
              error={fieldErrors.avatarUrl}
              onChange={(v) => set('avatarUrl', v)}
            />
            <TextField
              name="allowedOrigins"
              label="Sites the chat may run on"
              hint="One per line, like https://your-store.com. Leave empty to allow any site."
              multiline
              value={values.allowedOrigins ?? ''}
              error={fieldErrors.allowedOrigins}
              onChange={(v) => set('allowedOrigins', v)}
            />
          </>
        ) : null}
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="row">
          <button type="submit" className="button primary" disabled={props.busy}>
            {props.busy
              ? kind === 'webchat'
                ? 'Saving…'
                : `Checking with ${kind === 'whatsapp' ? 'Meta' : spec.title}…`
              : existing
                ? 'Save changes'
                : `Connect ${spec.title}`}
          </button>
          {saved ? (
            <span className="field-hint" role="status">
              Saved.
            </span>
          ) : null}
        </div>
      </form>
      {kind === 'webchat' ? (
        <div>
          <WebchatPreview
            brandColor={values.brandColor ?? ''}
            greeting={values.greeting ?? ''}
            avatarUrl={values.avatarUrl ?? ''}
            title="Chat with us"
          />
          {channel?.setup.snippet ? (
            <CopyField
              label="Embed snippet"
              value={channel.setup.snippet}
              multiline
              hint="Paste it before </body> on every page of your store."
            />
          ) : null}
        </div>
      ) : null}
      {kind === 'whatsapp' && channel ? <WhatsAppTools channel={channel} onChange={props.onSaved} /> : null}
      {kind === 'telegram' && channel?.setup.botUsername ? (
        <p className="field-hint">
          Telegram sends this bot's messages to Parley (webhook set for you). Shoppers find it at t.me/
          {channel.setup.botUsername}.
        </p>
      ) : null}
      {kind === 'shopify' && channel?.setup.webhookTopics?.length ? (
        <p className="field-hint">
          Parley registered {channel.setup.webhookTopics.length} webhooks in your store (carts, orders,
          shipping, products, and uninstall).
        </p>
      ) : null}
    </div>
  )
}

const isSecret = (value: unknown): value is SecretHint =>
  typeof value === 'object' && value !== null && (value as SecretHint).set === true

function TextField(props: {
  name: string
  label: string
  value: string
  onChange: (value: string) => void
  hint?: string
  error?: string
  placeholder?: string
  type?: 'text' | 'password'
  multiline?: boolean
  disabled?: boolean
}) {
  const id = useId()
  const describedBy = `${id}-hint`
  const common = {
    id,
    name: props.name,
    className: 'input',
    value: props.value,
    placeholder: props.placeholder,
    disabled: props.disabled,
    'aria-invalid': props.error ? true : undefined,
    'aria-describedby': describedBy,
  }
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.multiline ? (
        <textarea {...common} rows={3} onChange={(e) => props.onChange(e.target.value)} />
      ) : (
        <input
          {...common}
          type={props.type ?? 'text'}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
      <span id={describedBy} className={props.error ? 'field-error' : 'field-hint'}>
        {props.error || props.hint}
      </span>
    </div>
  )
}

function WhatsAppTools(props: { channel: ChannelSummary; onChange: (channel: ChannelSummary) => void }) {
  const { channel } = props
  const [to, setTo] = useState('')
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null)
  const [busy, setBusy] = useState(false)
  const act = async (work: () => Promise<string>) => {
    setBusy(true)
    setNote(null)
    try {
      setNote({ ok: true, text: await work() })
    } catch (e) {
      setNote({ ok: false, text: errorMessage(e) })
    } finally {
      setBusy(false)
    }
  }
  const templates = channel.setup.templates ?? []
  return (
    <div>
      {channel.setup.webhookUrl ? <CopyField label="Callback URL" value={channel.setup.webhookUrl} /> : null}
      {channel.setup.verifyToken ? (
        <CopyField label="Verify token" value={channel.setup.verifyToken} />
      ) : null}
      <h3>Send a test message</h3>
      <form
        className="copy-field"
        onSubmit={(e) => {
          e.preventDefault()
          act(async () => {
            await api.channels.sendTestMessage(channel.id, { to })
            return `Sent Meta's "hello_world" message to ${to}.`
          })
        }}
      >
        <input
          className="input"
          aria-label="Phone number for the test message"
          placeholder="+44 7700 900123"
          value={to}
          onChange={(e) => setTo(e.target.value)}
        />
        <button type="submit" className="button" disabled={busy || to.trim() === ''}>
          Send test
        </button>
      </form>
      <h3 style={{ marginTop: 16 }}>Message templates</h3>
      <p className="field-hint">
        Messages sent more than 24 hours after a shopper last wrote must use a template Meta approved. Flows
        pick approved templates by name.
      </p>
      <button
        type="button"
        className="button sm"
        disabled={busy}
        onClick={() =>
          act(async () => {
            const synced = await api.channels.syncTemplates(channel.id)
            props.onChange(synced)
            return `Found ${synced.setup.templates?.length ?? 0} templates.`
          })
        }
      >
        Get templates from Meta
      </button>
      {note ? (
        <p className={note.ok ? 'field-hint' : 'form-error'} role={note.ok ? 'status' : 'alert'}>
          {note.text}
        </p>
      ) : null}
      {templates.length > 0 ? (
        <table className="template-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Language</th>
              <th>Kind</th>
              <th>Meta's review</th>
            </tr>
          </thead>
          <tbody>
            {templates.map((t) => (
              <tr key={`${t.name}/${t.language}`}>
                <td>{t.name}</td>
                <td>{t.language}</td>
                <td>{t.category}</td>
                <td>{t.status === 'APPROVED' ? 'Approved' : t.status.toLowerCase()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  )
}
