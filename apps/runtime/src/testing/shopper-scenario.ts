// Scenario tests of the shopper's jobs (issue 14) go through the HTTP API the way a store and a shopper do: the
// owner creates and publishes starter flows over `/api/flows`, the store posts its events to `/api/events` with
// an API key, the shopper talks over the web-chat API, and time moves through `/api/dev/clock/advance`. What the
// shopper received is read from the recording channel adapters. One world per test file (database start is the
// slow part); each `store()` is a new merchant, so tests never see each other's data.
import type { CreatedApiKey, FlowDetail, Settings, SettingsResponse } from '@parley/api'
import type { ChannelKind, DatabaseKind } from '@parley/db'
import { createApp } from '../app.ts'
import { createChannel } from '../channels/testing/channel-fixtures.ts'
import type { OutboundPayload } from '../channels/types.ts'
import { loadConfig } from '../config.ts'
import { runDueWork } from '../engine/due-work.ts'
import { RecordingAdapter } from './engine-fixtures.ts'
import { type SignedIn, signIn } from './sign-in.ts'
import { createTestDeps, seedMerchant, type TestDeps } from './test-deps.ts'

type ScenarioChannel = 'webchat' | 'whatsapp' | 'telegram'

export interface ScenarioWorld {
  t: TestDeps
  app: ReturnType<typeof createApp>
  adapters: Record<ScenarioChannel, RecordingAdapter>
  /** A new merchant with the given starter flows published and one channel of each kind. */
  store(options?: StoreOptions): Promise<ScenarioStore>
  close(): Promise<void>
}

export interface StoreOptions {
  /** Starter flow ids (`packages/flow/src/starter-flows`), created and published in this order. */
  starterFlows?: string[]
  name?: string
  /** Config of the WhatsApp channel (e.g. approved templates). */
  whatsappConfig?: Record<string, unknown>
}

export interface ScenarioStore {
  merchantId: string
  owner: SignedIn
  apiKey: string
  channels: Record<ScenarioChannel, { id: string }>
  flows: FlowDetail[]
  /** POST /api/events with the store's API key; the response's status and JSON. */
  event(body: unknown): Promise<{ status: number; body: unknown }>
  /** Moves the dev clock (which runs every due timer and delivers what they queued). */
  advance(ms: number): Promise<void>
  /** A web-chat visitor with a session of their own. */
  visitor(): Promise<WebchatVisitor>
  /** Changes some of the store's settings as the owner does: GET /api/settings, then PUT with `patch` applied. */
  updateSettings(patch: Partial<Settings>): Promise<Settings>
}

export interface WebchatVisitor {
  visitorId: string
  token: string
  /** Sends a message the way the widget does; resolves once it was stepped and the replies delivered. */
  say(text: string): Promise<{ status: number; body: unknown }>
  /** The widget's typing signal (POST /api/webchat/:channelId/typing); the response's status. */
  typing(): Promise<number>
  /** Every payload delivered to this visitor, oldest first. */
  received(): OutboundPayload['message'][]
  /** The texts delivered to this visitor, oldest first. */
  texts(): string[]
}

export interface WorldOptions {
  /** Extra runtime configuration, e.g. `EGRESS_ALLOW_LIST` for a fake endpoint on loopback. */
  env?: Record<string, string>
}

export async function createScenarioWorld(
  kind: DatabaseKind,
  options: WorldOptions = {},
): Promise<ScenarioWorld> {
  const adapters: Record<ScenarioChannel, RecordingAdapter> = {
    webchat: new RecordingAdapter('webchat'),
    whatsapp: new RecordingAdapter('whatsapp'),
    telegram: new RecordingAdapter('telegram'),
  }
  const config = options.env
    ? loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...options.env })
    : undefined
  const t = await createTestDeps(kind, { channels: { ...adapters }, ...(config ? { config } : {}) })
  const app = createApp(t.deps)
  let messages = 0

  async function json(res: Response) {
    const text = await res.text()
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined }
  }

  async function store(options: StoreOptions = {}): Promise<ScenarioStore> {
    const merchant = await seedMerchant(t.deps.db, options.name ? { name: options.name } : {})
    const owner = await signIn(app, merchant)
    const channel = (kind: ChannelKind, config: Record<string, unknown> = {}) =>
      createChannel(t.deps, merchant.merchantId, kind, config)
    const channels = {
      webchat: await channel('webchat'),
      whatsapp: await channel('whatsapp', options.whatsappConfig ?? {}),
      telegram: await channel('telegram'),
    }
    const flows: FlowDetail[] = []
    for (const starterFlowId of options.starterFlows ?? []) {
      const created = await app.request('/api/flows', {
        method: 'POST',
        headers: owner.write,
        body: JSON.stringify({ starterFlowId }),
      })
      if (created.status !== 201) throw new Error(`creating ${starterFlowId}: ${await created.text()}`)
      const flow = (await created.json()) as FlowDetail
      const published = await app.request(`/api/flows/${flow.id}/publish`, {
        method: 'POST',
        headers: owner.write,
      })
      if (published.status !== 201) throw new Error(`publishing ${starterFlowId}: ${await published.text()}`)
      flows.push(flow)
    }
    const keyRes = await app.request('/api/api-keys', {
      method: 'POST',
      headers: owner.write,
      body: JSON.stringify({ name: 'store' }),
    })
    const { key: apiKey } = (await keyRes.json()) as CreatedApiKey

    async function advance(ms: number) {
      const res = await app.request('/api/dev/clock/advance', {
        method: 'POST',
        headers: owner.write,
        body: JSON.stringify({ ms }),
      })
      if (res.status !== 200) throw new Error(`advancing the clock: ${await res.text()}`)
      await runDueWork(t.deps)
    }

    async function visitor(): Promise<WebchatVisitor> {
      const session = await app.request(`/api/webchat/${channels.webchat.id}/session`, { method: 'POST' })
      if (session.status !== 201) throw new Error(`web-chat session: ${await session.text()}`)
      const { token, visitorId } = (await session.json()) as { token: string; visitorId: string }
      const received = () =>
        adapters.webchat.sends.filter((s) => s.payload.to === visitorId).map((s) => s.payload.message)
      return {
        visitorId,
        token,
        async say(text: string) {
          messages += 1
          const res = await app.request(`/api/webchat/${channels.webchat.id}/messages`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ clientMessageId: `scenario-${messages}`, text }),
          })
          const answer = await json(res)
          await runDueWork(t.deps)
          return answer
        },
        async typing() {
          const res = await app.request(`/api/webchat/${channels.webchat.id}/typing`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}` },
          })
          return res.status
        },
        received,
        texts: () => received().map((m) => m.text ?? ''),
      }
    }

    async function updateSettings(patch: Partial<Settings>): Promise<Settings> {
      const current = await app.request('/api/settings', { headers: owner.read })
      const { settings } = (await current.json()) as SettingsResponse
      const res = await app.request('/api/settings', {
        method: 'PUT',
        headers: owner.write,
        body: JSON.stringify({ ...settings, ...patch }),
      })
      if (res.status !== 200) throw new Error(`saving settings: ${await res.text()}`)
      return ((await res.json()) as SettingsResponse).settings
    }

    return {
      merchantId: merchant.merchantId,
      owner,
      updateSettings,
      apiKey,
      channels,
      flows,
      event: async (body) =>
        json(
          await app.request('/api/events', {
            method: 'POST',
            headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          }),
        ),
      advance,
      visitor,
    }
  }

  return { t, app, adapters, store, close: () => t.close() }
}
