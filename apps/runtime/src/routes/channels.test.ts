// The Channels API through app.request against fake Meta, Telegram and Shopify APIs over real HTTP on loopback:
// provider checks before anything is written, webhooks registered, secrets write-only, state and message times.
import type { ChannelList, ChannelSummary } from '@parley/api'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { channelPacing } from '../channels/pacing-config.ts'
import { SHOPIFY_API_VERSION, SHOPIFY_WEBHOOK_TOPICS } from '../channels/setup/shopify-setup.ts'
import { TELEGRAM_ALLOWED_UPDATES } from '../channels/setup/telegram-setup.ts'
import { type FakeGraphApi, graphTemplate, startFakeGraphApi } from '../channels/testing/fake-graph-api.ts'
import { type FakeShopify, startFakeShopify } from '../channels/testing/fake-shopify.ts'
import { type FakeTelegram, startFakeTelegram } from '../channels/testing/fake-telegram.ts'
import { loadConfig } from '../config.ts'
import { signShopifyBody } from '../security/signatures.ts'
import { type SignedIn, signIn } from '../testing/sign-in.ts'
import { createTestDeps, seedMerchant, seedUser, type TestDeps } from '../testing/test-deps.ts'

const BOT_TOKEN = '7012345678:AAFakeTokenForTheBotApiTestsX9kq'
const WA = {
  wabaId: '102290129340398',
  phoneNumberId: '106540352242922',
  accessToken: 'EAAGfakeAccessToken1a2b',
  appSecret: 'app-secret-0f9e8d7c',
}
const SHOP = {
  shopDomain: 'linen-co.myshopify.com',
  accessToken: 'shpat_fakeadmintoken77aa',
  clientSecret: 'shpss_fakeclientsecret42cd',
}

describe.each(testDatabases())('channels API on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  let telegram: FakeTelegram
  let graph: FakeGraphApi
  let shopify: FakeShopify

  beforeAll(async () => {
    telegram = await startFakeTelegram({ botToken: BOT_TOKEN, username: 'linen_co_bot' })
    graph = await startFakeGraphApi({
      ...WA,
      throughput: 'HIGH',
      templates: [
        graphTemplate({
          name: 'cart_reminder',
          language: 'en_US',
          category: 'marketing',
          status: 'APPROVED',
          body: 'Hi {{1}}, your {{2}} is waiting',
        }),
        graphTemplate({
          name: 'draft_offer',
          language: 'en_US',
          category: 'marketing',
          status: 'PENDING',
          body: 'Soon',
        }),
      ],
    })
    shopify = await startFakeShopify({
      accessToken: SHOP.accessToken,
      shopName: 'Linen & Co',
      apiVersion: SHOPIFY_API_VERSION,
    })
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      // The fakes listen on loopback, which the egress policy refuses unless allowed.
      EGRESS_ALLOW_LIST: '127.0.0.1:*',
      TELEGRAM_API_URL: telegram.url,
      WHATSAPP_GRAPH_URL: graph.url,
      SHOPIFY_ADMIN_URL: shopify.url,
    })
    t = await createTestDeps(kind, { config })
    app = createApp(t.deps)
  }, 60_000)
  afterAll(async () => {
    await t?.close()
    await Promise.all([telegram?.close(), graph?.close(), shopify?.close()])
  })

  async function owner(): Promise<{ merchantId: string; session: SignedIn }> {
    const merchant = await seedMerchant(t.deps.db)
    return { merchantId: merchant.merchantId, session: await signIn(app, merchant) }
  }
  const connect = (session: SignedIn, body: unknown) =>
    app.request('/api/channels', { method: 'POST', headers: session.write, body: JSON.stringify(body) })
  const channelCount = async (merchantId: string) =>
    (await t.deps.db.selectFrom('channels').select('id').where('merchant_id', '=', merchantId).execute())
      .length

  it('connects Telegram: getMe names the bot, setWebhook gets our URL, secret token and updates', async () => {
    const { merchantId, session } = await owner()
    const res = await connect(session, { kind: 'telegram', botToken: BOT_TOKEN })
    expect(res.status).toBe(201)
    const text = await res.text()
    expect(text).not.toContain(BOT_TOKEN)
    const channel = JSON.parse(text) as ChannelSummary
    expect(channel).toMatchObject({
      kind: 'telegram',
      name: 'Telegram @linen_co_bot',
      state: 'connected',
      problem: null,
      settings: { botToken: { set: true, last4: BOT_TOKEN.slice(-4) } },
      setup: { botUsername: 'linen_co_bot', webhookUrl: `http://localhost/webhooks/telegram/${channel.id}` },
    })
    expect(telegram.webhook).toMatchObject({
      url: `http://localhost/webhooks/telegram/${channel.id}`,
      allowedUpdates: [...TELEGRAM_ALLOWED_UPDATES],
    })
    // The stored row holds no secret in clear.
    const row = await t.deps.db
      .selectFrom('channels')
      .selectAll()
      .where('id', '=', channel.id)
      .executeTakeFirstOrThrow()
    expect(JSON.stringify(row.config)).not.toContain(BOT_TOKEN)
    expect(JSON.stringify(row.config)).not.toContain(telegram.webhook!.secretToken)
    // Telegram's deliveries carrying the secret token are accepted; the channel is live.
    const update = await app.request(`/webhooks/telegram/${channel.id}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-telegram-bot-api-secret-token': telegram.webhook!.secretToken,
      },
      body: JSON.stringify({
        update_id: 1,
        message: {
          message_id: 1,
          date: 0,
          chat: { id: 42, type: 'private' },
          from: { id: 42, first_name: 'Ana' },
          text: 'hi',
        },
      }),
    })
    expect(update.status).toBe(200)
    const listed = (await (
      await app.request('/api/channels', { headers: session.read })
    ).json()) as ChannelList
    expect(listed.channels).toHaveLength(1)
    expect(listed.channels[0]!.lastInboundAt).not.toBeNull()
    expect(await channelCount(merchantId)).toBe(1)

    // Disconnect: Telegram is told to stop posting, and our webhook stops answering.
    const gone = await app.request(`/api/channels/${channel.id}`, {
      method: 'DELETE',
      headers: session.write,
    })
    expect(gone.status).toBe(200)
    expect(((await gone.json()) as ChannelSummary).state).toBe('disconnected')
    expect(telegram.webhook).toBeNull()
    const after = await app.request(`/webhooks/telegram/${channel.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'x' },
      body: '{}',
    })
    expect(after.status).toBe(404)
  })

  it("refuses a bot token Telegram refuses, in Telegram's words, and writes nothing", async () => {
    const { merchantId, session } = await owner()
    const res = await connect(session, {
      kind: 'telegram',
      botToken: '7012345678:AAWrongTokenWrongTokenWrongToken',
    })
    expect(res.status).toBe(422)
    expect(await res.json()).toEqual({
      error: { code: 'provider_rejected', message: 'Telegram said: Unauthorized' },
    })
    expect(await channelCount(merchantId)).toBe(0)
  })

  it('connects WhatsApp: reads the number, pacing from its tier, verify token for the handshake, templates, a test message', async () => {
    const { session } = await owner()
    const res = await connect(session, { kind: 'whatsapp', ...WA })
    expect(res.status).toBe(201)
    const text = await res.text()
    expect(text).not.toContain(WA.accessToken)
    expect(text).not.toContain(WA.appSecret)
    const channel = JSON.parse(text) as ChannelSummary
    expect(channel).toMatchObject({
      state: 'connected',
      name: 'WhatsApp +44 7700 900123',
      settings: {
        wabaId: WA.wabaId,
        phoneNumberId: WA.phoneNumberId,
        accessToken: { set: true, last4: '1a2b' },
        appSecret: { set: true, last4: '8d7c' },
      },
      setup: {
        displayPhoneNumber: '+44 7700 900123',
        verifiedName: 'Linen & Co',
        qualityRating: 'GREEN',
        throughput: 'HIGH',
      },
    })
    const verifyToken = channel.setup.verifyToken!
    expect(verifyToken.length).toBeGreaterThanOrEqual(24)
    // Meta's subscription handshake with the shown token echoes the challenge.
    const handshake = await app.request(
      `/webhooks/whatsapp/${channel.id}?hub.mode=subscribe&hub.verify_token=${verifyToken}&hub.challenge=1158201444`,
    )
    expect(handshake.status).toBe(200)
    expect(await handshake.text()).toBe('1158201444')
    // The HIGH tier paces the number at 1,000 messages a second.
    const row = await t.deps.db
      .selectFrom('channels')
      .selectAll()
      .where('id', '=', channel.id)
      .executeTakeFirstOrThrow()
    expect(channelPacing(row).channel).toEqual({ perSecond: 1000, burst: 100 })

    const synced = await app.request(`/api/channels/${channel.id}/templates/sync`, {
      method: 'POST',
      headers: session.write,
    })
    expect(synced.status).toBe(200)
    expect(((await synced.json()) as ChannelSummary).setup.templates).toEqual([
      {
        name: 'cart_reminder',
        language: 'en_US',
        category: 'marketing',
        status: 'APPROVED',
        body: 'Hi {{1}}, your {{2}} is waiting',
        parameters: 2,
      },
      {
        name: 'draft_offer',
        language: 'en_US',
        category: 'marketing',
        status: 'PENDING',
        body: 'Soon',
        parameters: 0,
      },
    ])

    const test = await app.request(`/api/channels/${channel.id}/test-message`, {
      method: 'POST',
      headers: session.write,
      body: JSON.stringify({ to: '+44 7700 900456' }),
    })
    expect(test.status).toBe(200)
    expect(await test.json()).toEqual({ messageId: expect.stringMatching(/^wamid\./) })
    expect(graph.sent.at(-1)).toEqual({
      messaging_product: 'whatsapp',
      to: '447700900456',
      type: 'template',
      template: { name: 'hello_world', language: { code: 'en_US' } },
    })
  })

  it("shows a channel Meta refuses as needing attention, with Meta's own error", async () => {
    const { session } = await owner()
    const channel = (await (await connect(session, { kind: 'whatsapp', ...WA })).json()) as ChannelSummary
    graph.script({
      status: 401,
      body: {
        error: {
          message: 'Error validating access token: Session has expired',
          type: 'OAuthException',
          code: 190,
        },
      },
    })
    const res = await app.request(`/api/channels/${channel.id}/verify`, {
      method: 'POST',
      headers: session.write,
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      state: 'needs_attention',
      problem: 'Meta said: Error validating access token: Session has expired (code 190)',
    })
    // A new token fixes it.
    const fixed = await app.request(`/api/channels/${channel.id}`, {
      method: 'PUT',
      headers: session.write,
      body: JSON.stringify({ accessToken: WA.accessToken }),
    })
    expect(fixed.status).toBe(200)
    expect(await fixed.json()).toMatchObject({ state: 'connected', problem: null })
  })

  it('connects Shopify: the shop query, every webhook topic at our URL, and webhooks signed with the client secret pass', async () => {
    const { session } = await owner()
    const res = await connect(session, { kind: 'shopify', ...SHOP })
    expect(res.status).toBe(201)
    const text = await res.text()
    expect(text).not.toContain(SHOP.accessToken)
    expect(text).not.toContain(SHOP.clientSecret)
    const channel = JSON.parse(text) as ChannelSummary
    const hook = `http://localhost/webhooks/shopify/${channel.id}`
    expect(channel).toMatchObject({
      name: 'Shopify Linen & Co',
      settings: {
        shopDomain: SHOP.shopDomain,
        accessToken: { set: true, last4: '77aa' },
        clientSecret: { set: true, last4: '42cd' },
      },
      setup: { webhookUrl: hook, shopName: 'Linen & Co', webhookTopics: [...SHOPIFY_WEBHOOK_TOPICS] },
    })
    expect([...shopify.subscriptions.keys()].sort()).toEqual([...SHOPIFY_WEBHOOK_TOPICS].sort())
    expect(new Set(shopify.subscriptions.values())).toEqual(new Set([hook]))
    const body = JSON.stringify({ id: 1, name: '#1', total_price: '1.00', currency: 'EUR', line_items: [] })
    const delivery = await app.request(`/webhooks/shopify/${channel.id}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'orders/create',
        'x-shopify-webhook-id': 'w-1',
        'x-shopify-hmac-sha256': signShopifyBody(body, SHOP.clientSecret),
      },
      body,
    })
    expect(delivery.status).toBe(200)
  })

  it('connects web chat with its look, changes it, and refuses a bad colour with a clear error', async () => {
    const { merchantId, session } = await owner()
    const res = await connect(session, {
      kind: 'webchat',
      allowedOrigins: ['https://linen.example'],
      brandColor: '#2f4858',
      greeting: 'Hi! Ask us anything.',
    })
    expect(res.status).toBe(201)
    const channel = (await res.json()) as ChannelSummary
    expect(channel.setup.snippet).toBe(
      `<script src="http://localhost/widget.js" data-channel="${channel.id}" async></script>`,
    )
    const changed = await app.request(`/api/channels/${channel.id}`, {
      method: 'PUT',
      headers: session.write,
      body: JSON.stringify({ brandColor: '#aa3300', avatarUrl: 'https://cdn.linen.example/ana.png' }),
    })
    expect(changed.status).toBe(200)
    expect(((await changed.json()) as ChannelSummary).settings).toEqual({
      allowedOrigins: ['https://linen.example'],
      brandColor: '#aa3300',
      greeting: 'Hi! Ask us anything.',
      avatarUrl: 'https://cdn.linen.example/ana.png',
    })
    // The widget reads the look from the public appearance route, under the channel's allowed sites.
    const look = await app.request(`/api/webchat/${channel.id}/appearance`, {
      headers: { origin: 'https://linen.example' },
    })
    expect(look.status).toBe(200)
    expect(await look.json()).toEqual({
      brandColor: '#aa3300',
      greeting: 'Hi! Ask us anything.',
      avatarUrl: 'https://cdn.linen.example/ana.png',
    })
    const elsewhere = await app.request(`/api/webchat/${channel.id}/appearance`, {
      headers: { origin: 'https://other-shop.example' },
    })
    expect(elsewhere.status).toBe(403)
    const bad = await app.request(`/api/channels/${channel.id}`, {
      method: 'PUT',
      headers: session.write,
      body: JSON.stringify({ brandColor: 'blue' }),
    })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({
      error: {
        code: 'validation_failed',
        details: [{ path: 'brandColor', message: 'The brand colour is written like #2f4858' }],
      },
    })
    const foreign = await app.request(`/api/channels/${channel.id}`, {
      method: 'PUT',
      headers: session.write,
      body: JSON.stringify({ botToken: BOT_TOKEN }),
    })
    expect(foreign.status).toBe(400)
    expect(await channelCount(merchantId)).toBe(1)
  })

  it('lets editors list channels but only owners change them; another merchant sees 404', async () => {
    const { merchantId, session } = await owner()
    const channel = (await (await connect(session, { kind: 'webchat' })).json()) as ChannelSummary
    const editor = await signIn(app, await seedUser(t.deps.db, merchantId, { role: 'editor' }))
    expect((await app.request('/api/channels', { headers: editor.read })).status).toBe(200)
    expect((await connect(editor, { kind: 'webchat' })).status).toBe(403)
    expect(
      (await app.request(`/api/channels/${channel.id}`, { method: 'DELETE', headers: editor.write })).status,
    ).toBe(403)
    const other = await owner()
    expect(
      (await app.request(`/api/channels/${channel.id}`, { method: 'DELETE', headers: other.session.write }))
        .status,
    ).toBe(404)
    expect(await channelCount(merchantId)).toBe(1)
  })
})
