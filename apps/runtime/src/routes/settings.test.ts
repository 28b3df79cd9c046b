// The Settings API: defaults on a new store, a round trip, clear messages for bad values, owner only.
import type { SettingsResponse } from '@parley/api'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { DEFAULT_SETTINGS } from '../settings/merchant-settings.ts'
import { signIn } from '../testing/sign-in.ts'
import { createTestDeps, seedMerchant, seedUser, type TestDeps } from '../testing/test-deps.ts'

describe.each(testDatabases())('settings API on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  beforeAll(async () => {
    t = await createTestDeps(kind)
    app = createApp(t.deps)
  }, 120_000)
  afterAll(() => t.close())

  it('shows the defaults on a new store and saves every group', async () => {
    const m = await seedMerchant(t.deps.db, { burstWindowMs: 'default' })
    const owner = await signIn(app, m)
    const fresh = (await (
      await app.request('/api/settings', { headers: owner.read })
    ).json()) as SettingsResponse
    expect(fresh.settings).toEqual(DEFAULT_SETTINGS)
    expect(fresh.defaults).toEqual(DEFAULT_SETTINGS)
    expect(fresh.rateCard.prices.EUR).toMatchObject({ marketing: 0.0537 })
    expect(fresh.spend).toEqual({ month: '2026-01-01', amount: 0, currency: 'USD' })

    const wanted = {
      timeZone: 'Europe/Berlin',
      businessHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '09:00', close: '17:30' },
      quietHours: { start: '22:00', end: '08:00' },
      frequencyCap: { messages: 2, windowHours: 72 },
      keywords: {
        languages: ['de', 'en'],
        optOut: ['  keine  werbung '],
        optIn: [],
        optOutConfirmation: 'Abgemeldet.',
        optInConfirmation: DEFAULT_SETTINGS.keywords.optInConfirmation,
      },
      templates: {
        currency: 'EUR',
        prices: { marketing: 0.06, utility: 0.02, authentication: 0.03 },
        monthlyBudget: 40,
      },
      returnWindowDays: 14,
      measurement: { holdoutPercent: 20, attributionWindowDays: 14 },
      burstWindowMs: 1500,
    }
    const res = await app.request('/api/settings', {
      method: 'PUT',
      headers: owner.write,
      body: JSON.stringify(wanted),
    })
    expect(res.status).toBe(200)
    const saved = (await res.json()) as SettingsResponse
    expect(saved.settings).toEqual({ ...wanted, keywords: { ...wanted.keywords, optOut: ['KEINE WERBUNG'] } })
    const row = await t.deps.db
      .selectFrom('merchants')
      .selectAll()
      .where('id', '=', m.merchantId)
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      timezone: 'Europe/Berlin',
      quiet_hours_start_minute: 22 * 60,
      quiet_hours_end_minute: 8 * 60,
      frequency_cap_count: 2,
      frequency_cap_window_minutes: 72 * 60,
      keyword_languages: ['de', 'en'],
      opt_in_confirmation: null,
      budget_currency: 'EUR',
      return_window_days: 14,
      holdout_percent: 20,
      attribution_window_days: 14,
      burst_window_ms: 1500,
    })
    expect(Number(row.monthly_template_budget)).toBe(40)
  })

  it('keeps the measurement settings when a document leaves them out, and refuses them out of range', async () => {
    const m = await seedMerchant(t.deps.db)
    const owner = await signIn(app, m)
    const put = (body: object) =>
      app.request('/api/settings', { method: 'PUT', headers: owner.write, body: JSON.stringify(body) })
    const { measurement: _, ...withoutMeasurement } = DEFAULT_SETTINGS
    expect(
      (await put({ ...DEFAULT_SETTINGS, measurement: { holdoutPercent: 0, attributionWindowDays: 30 } }))
        .status,
    ).toBe(200)
    const kept = (await (await put(withoutMeasurement)).json()) as SettingsResponse
    expect(kept.settings.measurement).toEqual({ holdoutPercent: 0, attributionWindowDays: 30 })

    const refused = await put({
      ...DEFAULT_SETTINGS,
      measurement: { holdoutPercent: 51, attributionWindowDays: 0 },
    })
    expect(refused.status).toBe(400)
    const body = (await refused.json()) as { error: { details: { path: string; message: string }[] } }
    expect(Object.fromEntries(body.error.details.map((d) => [d.path, d.message]))).toMatchObject({
      'measurement.holdoutPercent': 'At most 50 %',
      'measurement.attributionWindowDays': 'At least 1 day',
    })
    const row = await t.deps.db
      .selectFrom('merchants')
      .select(['holdout_percent', 'attribution_window_days'])
      .where('id', '=', m.merchantId)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ holdout_percent: 0, attribution_window_days: 30 })
  })

  it('keeps the wait for follow-up messages when a document leaves it out, and refuses it out of range', async () => {
    const m = await seedMerchant(t.deps.db, { burstWindowMs: 'default' })
    const owner = await signIn(app, m)
    const put = (body: object) =>
      app.request('/api/settings', { method: 'PUT', headers: owner.write, body: JSON.stringify(body) })
    const { burstWindowMs: _, ...withoutBurst } = DEFAULT_SETTINGS
    expect((await put({ ...DEFAULT_SETTINGS, burstWindowMs: 0 })).status).toBe(200)
    const kept = (await (await put(withoutBurst)).json()) as SettingsResponse
    expect(kept.settings.burstWindowMs).toBe(0)
    for (const [value, message] of [
      [10_500, 'Wait at most 10 seconds'],
      [-100, 'Use 0 (answer at once) or more'],
      [1250, 'Use tenths of a second, such as 2.5 seconds'],
    ] as const) {
      const refused = await put({ ...DEFAULT_SETTINGS, burstWindowMs: value })
      expect(refused.status).toBe(400)
      const body = (await refused.json()) as { error: { details: { path: string; message: string }[] } }
      expect(body.error.details).toContainEqual(expect.objectContaining({ path: 'burstWindowMs', message }))
    }
    const row = await t.deps.db
      .selectFrom('merchants')
      .select('burst_window_ms')
      .where('id', '=', m.merchantId)
      .executeTakeFirstOrThrow()
    expect(row.burst_window_ms).toBe(0)
  })

  it('answers bad values with a message per field and writes nothing', async () => {
    const m = await seedMerchant(t.deps.db)
    const owner = await signIn(app, m)
    const { settings } = (await (
      await app.request('/api/settings', { headers: owner.read })
    ).json()) as SettingsResponse
    const res = await app.request('/api/settings', {
      method: 'PUT',
      headers: owner.write,
      body: JSON.stringify({
        ...settings,
        timeZone: 'Mars/Olympus',
        quietHours: { start: '25:00', end: '08:00' },
        frequencyCap: { messages: -1, windowHours: 24 },
        templates: { ...settings.templates, monthlyBudget: -5 },
      }),
    })
    expect(res.status).toBe(400)
    const body = (await res.json()) as {
      error: { code: string; details: { path: string; message: string }[] }
    }
    expect(body.error.code).toBe('validation_failed')
    const byPath = Object.fromEntries(body.error.details.map((d) => [d.path, d.message]))
    expect(byPath).toMatchObject({
      timeZone: expect.stringMatching(/Unknown time zone/),
      'quietHours.start': expect.stringMatching(/24-hour time/),
      'frequencyCap.messages': expect.stringMatching(/0 or more/),
      'templates.monthlyBudget': expect.stringMatching(/cannot be negative/),
    })
    const row = await t.deps.db
      .selectFrom('merchants')
      .select('timezone')
      .where('id', '=', m.merchantId)
      .executeTakeFirstOrThrow()
    expect(row.timezone).toBe('UTC')
  })

  it('is for owners only', async () => {
    const m = await seedMerchant(t.deps.db)
    for (const role of ['editor', 'agent'] as const) {
      const user = await seedUser(t.deps.db, m.merchantId, { role })
      const session = await signIn(app, user)
      const res = await app.request('/api/settings', { headers: session.read })
      expect(res.status).toBe(403)
    }
  })
})
