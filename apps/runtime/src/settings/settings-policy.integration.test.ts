// Acceptance 2 (issue 11): settings saved through the Settings API change what the runtime does. Quiet hours
// defer a marketing send due at 02:00 to their end; the 4th marketing message in 24 h is skipped frequency_cap;
// "ABMELDEN" opts out once German keywords are on; the monthly template budget stops template sends.
import type { CreatedApiKey, FlowDetail, Settings, SettingsInput, SettingsResponse } from '@parley/api'
import type { ChannelKind } from '@parley/db'
import { testDatabases } from '@parley/db/testing'
import { edge, node } from '@parley/flow/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import type { InboundMessage } from '../channels/types.ts'
import { processInboundMessage } from '../engine/inbound.ts'
import {
  cartUpdated,
  publishFlowDocument,
  RecordingAdapter,
  seedChannel,
} from '../testing/engine-fixtures.ts'
import { type SignedIn, signIn } from '../testing/sign-in.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** Any message opens the window; 25 hours later (outside it) a utility template goes, then the run ends. */
const templateAfterWindowFlow = {
  version: 1,
  name: 'Follow-up',
  nodes: [
    node('start', 'trigger-message', { match: 'any', keywords: [] }),
    node('wait', 'wait-for-reply', { branches: [], timeout: { amount: 25, unit: 'hours' } }),
    node('follow-up', 'send-message', {
      text: 'Your order is on its way.',
      purpose: 'transactional',
      whatsappTemplate: { name: 'order_update', language: 'en', category: 'utility', params: [] },
    }),
    node('done', 'end', { outcome: 'sent' }),
  ],
  edges: [edge('start', 'wait'), edge('wait', 'follow-up', 'timeout'), edge('follow-up', 'done')],
}

describe.each(testDatabases())('settings change runtime behaviour on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  const webchat = new RecordingAdapter('webchat')
  const whatsapp = new RecordingAdapter('whatsapp')

  beforeAll(async () => {
    t = await createTestDeps(kind, { channels: { webchat, whatsapp } })
    app = createApp(t.deps)
  }, 120_000)
  afterAll(() => t.close())

  async function setUp(channelKind: ChannelKind = 'webchat') {
    const merchant = await seedMerchant(t.deps.db)
    const owner = await signIn(app, merchant)
    const channel = await seedChannel(t.deps.db, merchant.merchantId, channelKind)
    const keyRes = await app.request('/api/api-keys', {
      method: 'POST',
      headers: owner.write,
      body: JSON.stringify({ name: 'store' }),
    })
    const { key } = (await keyRes.json()) as CreatedApiKey
    return { merchant, owner, channel, key }
  }

  async function publishStarter(owner: SignedIn, starterFlowId: string) {
    const created = await app.request('/api/flows', {
      method: 'POST',
      headers: owner.write,
      body: JSON.stringify({ starterFlowId }),
    })
    const flow = (await created.json()) as FlowDetail
    const published = await app.request(`/api/flows/${flow.id}/publish`, {
      method: 'POST',
      headers: owner.write,
    })
    expect(published.status).toBe(201)
  }

  /** Reads the settings, applies `change`, saves them through PUT /api/settings. */
  async function changeSettings(owner: SignedIn, change: (s: Settings) => SettingsInput) {
    const current = (await (
      await app.request('/api/settings', { headers: owner.read })
    ).json()) as SettingsResponse
    const res = await app.request('/api/settings', {
      method: 'PUT',
      headers: owner.write,
      body: JSON.stringify(change(current.settings)),
    })
    expect(res.status, await res.clone().text()).toBe(200)
    return (await res.json()) as SettingsResponse
  }

  const postEvent = (key: string, body: unknown) =>
    app.request('/api/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })

  async function advance(owner: SignedIn, ms: number) {
    const res = await app.request('/api/dev/clock/advance', {
      method: 'POST',
      headers: owner.write,
      body: JSON.stringify({ ms }),
    })
    expect(res.status).toBe(200)
  }

  /** Moves the clock to the next instant (after now) whose UTC time of day is `hour:minute`. */
  async function advanceToUtc(owner: SignedIn, hour: number, minute: number) {
    const now = t.clock.now()
    const today = new Date(now)
    let target = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate(), hour, minute)
    while (target <= now) target += DAY
    await advance(owner, target - now)
  }

  const outbound = (merchantId: string) =>
    t.deps.db
      .selectFrom('messages')
      .select(['body', 'status', 'skip_reason', 'created_at', 'contact_id', 'template_name'])
      .where('merchant_id', '=', merchantId)
      .where('direction', '=', 'out')
      .orderBy('created_at')
      .orderBy('seq')
      .execute()

  it('defers a marketing send due at 02:00 in the shopper’s zone to the end of quiet hours', async () => {
    const { merchant, owner, channel, key } = await setUp()
    await publishStarter(owner, 'cart-recovery')
    // The store is in New York; the shopper says Berlin: quiet hours apply in the shopper's zone.
    const saved = await changeSettings(owner, (s) => ({
      ...s,
      timeZone: 'America/New_York',
      quietHours: { start: '21:00', end: '08:00' },
    }))
    expect(saved.settings.quietHours).toEqual({ start: '21:00', end: '08:00' })

    // The cart goes quiet at 00:30 Berlin (23:30 UTC in winter): abandoned at 01:00, the reminder due at 02:00.
    await advanceToUtc(owner, 23, 30)
    const visitor = `visitor-quiet-${kind}`
    const res = await postEvent(
      key,
      cartUpdated({
        id: `evt-quiet-${kind}`,
        channelId: channel.id,
        visitorId: visitor,
        token: `c-q-${kind}`,
        timezone: 'Europe/Berlin',
      }),
    )
    expect(res.status).toBe(202)
    const dueAt = t.clock.now() + 90 * MINUTE
    expect(new Date(dueAt).toISOString()).toMatch(/T01:00:00/)

    await advance(owner, 90 * MINUTE)
    // Queued, not sent, and not dropped.
    expect(await outbound(merchant.merchantId)).toMatchObject([{ status: 'queued' }])
    expect(webchat.sends.filter((s) => s.payload.to === visitor)).toHaveLength(0)
    // 07:59 Berlin: still quiet.
    await advance(owner, 6 * HOUR - MINUTE)
    expect(webchat.sends.filter((s) => s.payload.to === visitor)).toHaveLength(0)
    // 08:00 Berlin = 07:00 UTC: sent.
    await advance(owner, MINUTE)
    expect(webchat.sends.filter((s) => s.payload.to === visitor)).toHaveLength(1)
    expect(await outbound(merchant.merchantId)).toMatchObject([{ status: 'sent' }])
    expect(new Date(t.clock.now()).toISOString()).toMatch(/T07:00:00/)
  })

  it('skips the 4th marketing message in 24 hours with frequency_cap, and a higher cap lets the next through', async () => {
    const { merchant, owner, channel, key } = await setUp()
    await publishStarter(owner, 'cart-recovery')
    await changeSettings(owner, (s) => ({
      ...s,
      quietHours: null,
      frequencyCap: { messages: 3, windowHours: 24 },
    }))
    await advanceToUtc(owner, 10, 0)
    const visitor = `visitor-cap-${kind}`
    // Four carts of the same shopper, a minute apart: four first reminders an hour after each goes quiet.
    for (let i = 1; i <= 4; i++) {
      const res = await postEvent(
        key,
        cartUpdated({
          id: `evt-cap-${kind}-${i}`,
          channelId: channel.id,
          visitorId: visitor,
          token: `c-cap-${kind}-${i}`,
        }),
      )
      expect(res.status).toBe(202)
      await advance(owner, MINUTE)
    }
    await advance(owner, 2 * HOUR)
    const messages = await outbound(merchant.merchantId)
    expect(messages.map((m) => [m.status, m.skip_reason])).toEqual([
      ['sent', null],
      ['sent', null],
      ['sent', null],
      ['skipped', 'frequency_cap'],
    ])
    expect(webchat.sends.filter((s) => s.payload.to === visitor)).toHaveLength(3)

    // Four a day is allowed now: a fifth cart's reminder goes out.
    await changeSettings(owner, (s) => ({ ...s, frequencyCap: { messages: 4, windowHours: 24 } }))
    await postEvent(
      key,
      cartUpdated({
        id: `evt-cap-${kind}-5`,
        channelId: channel.id,
        visitorId: visitor,
        token: `c-cap-${kind}-5`,
      }),
    )
    await advance(owner, 2 * HOUR)
    expect((await outbound(merchant.merchantId)).map((m) => m.status)).toEqual([
      'sent',
      'sent',
      'sent',
      'skipped',
      'sent',
    ])
  })

  it('opts out on "ABMELDEN" only once German keywords are on, with the merchant’s confirmation text', async () => {
    const { merchant, owner, channel } = await setUp()
    let n = 0
    const say = (text: string, visitor: string): InboundMessage => ({
      merchantId: merchant.merchantId,
      channelId: channel.id,
      externalId: `m-kw-${kind}-${++n}`,
      sender: { externalId: visitor, name: 'Jonas' },
      text,
    })
    const optedOut = async (visitor: string) => {
      const row = await t.deps.db
        .selectFrom('contacts')
        .innerJoin('contact_identities', (j) =>
          j
            .onRef('contact_identities.merchant_id', '=', 'contacts.merchant_id')
            .onRef('contact_identities.contact_id', '=', 'contacts.id'),
        )
        .select('contacts.opted_out_at')
        .where('contacts.merchant_id', '=', merchant.merchantId)
        .where('contact_identities.external_id', '=', visitor)
        .executeTakeFirstOrThrow()
      return row.opted_out_at !== null
    }

    expect((await processInboundMessage(t.deps, say('ABMELDEN', 'jonas-1'))).route).not.toBe('opt_out')
    expect(await optedOut('jonas-1')).toBe(false)

    const saved = await changeSettings(owner, (s) => ({
      ...s,
      keywords: { ...s.keywords, languages: ['en', 'de'], optOutConfirmation: 'Du bist abgemeldet.' },
    }))
    expect(saved.settings.keywords.languages).toEqual(['en', 'de'])
    const result = await processInboundMessage(t.deps, say('Abmelden!', 'jonas-2'))
    expect(result.route).toBe('opt_out')
    expect(await optedOut('jonas-2')).toBe(true)
    const texts = (await outbound(merchant.merchantId)).map((m) => (m.body as { text: string }).text)
    expect(texts).toContain('Du bist abgemeldet.')
    // STOP still works with German on.
    expect((await processInboundMessage(t.deps, say('stop', 'jonas-3'))).route).toBe('opt_out')
  })

  it('stops template sends when the monthly budget is spent, at the merchant’s own price', async () => {
    const { merchant, owner, channel } = await setUp('whatsapp')
    await publishFlowDocument(t.deps.db, merchant.merchantId, templateAfterWindowFlow)
    // List price of a utility template in USD is 0.004; at the merchant's 0.03, a 0.05 budget pays for one.
    const saved = await changeSettings(owner, (s) => ({
      ...s,
      templates: {
        currency: 'USD',
        prices: { ...s.templates.prices, utility: 0.03 },
        monthlyBudget: 0.05,
      },
    }))
    expect(saved.spend).toMatchObject({ amount: 0, currency: 'USD' })
    await advanceToUtc(owner, 9, 0)
    let n = 0
    for (const shopper of ['4915100000001', '4915100000002']) {
      await processInboundMessage(t.deps, {
        merchantId: merchant.merchantId,
        channelId: channel.id,
        externalId: `wamid.budget-${kind}-${++n}`,
        sender: { externalId: shopper, name: 'Lea' },
        text: 'hello',
      })
    }
    await advance(owner, 26 * HOUR)
    const messages = await outbound(merchant.merchantId)
    expect(messages.map((m) => [m.status, m.skip_reason, m.template_name])).toEqual([
      ['sent', null, 'order_update'],
      ['skipped', 'template_budget', null],
    ])
    // Both follow-ups came due at once: whichever went first was paid for, the other refused, never sent.
    expect(whatsapp.sends.filter((s) => s.payload.to.startsWith('49151000000'))).toHaveLength(1)
    const after = (await (
      await app.request('/api/settings', { headers: owner.read })
    ).json()) as SettingsResponse
    expect(after.spend.amount).toBeCloseTo(0.03)
  })
})
