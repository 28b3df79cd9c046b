// Rate limits from the outside, through the whole app: each limit answers 429 rate_limited with Retry-After and
// writes nothing, while the legitimate user next to the abuser (another account, address, visitor or channel)
// is still served. Addresses come from X-Forwarded-For (TRUST_PROXY=1), as behind a load balancer.
import { errorBodySchema } from '@parley/api'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { createChannel } from '../channels/testing/channel-fixtures.ts'
import { loadConfig } from '../config.ts'
import { signShopifyBody, signWhatsAppBody } from '../security/signatures.ts'
import { snapshotDatabase } from '../testing/db-snapshot.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'

const limits = {
  RATE_LIMIT_SIGN_IN_ACCOUNT_FAILURES: '5',
  RATE_LIMIT_SIGN_IN_IP_FAILURES: '20',
  RATE_LIMIT_WEBCHAT_MESSAGES_PER_VISITOR_PER_MINUTE: '4',
  RATE_LIMIT_WEBCHAT_MESSAGES_PER_IP_PER_MINUTE: '6',
  RATE_LIMIT_WEBCHAT_VISITORS_PER_IP_PER_HOUR: '3',
  RATE_LIMIT_WEBCHAT_VISITORS_PER_CHANNEL_PER_MINUTE: '5',
  RATE_LIMIT_WEBHOOKS_PER_CHANNEL_PER_MINUTE: '3',
}

let addressCounter = 0
/** A fresh client address per use, so tests do not share per-address budgets. */
const newAddress = () => `198.51.100.${++addressCounter}`

/** A refusal: 429, the JSON error shape with rate_limited, and a Retry-After of whole seconds. */
async function expectRefused(res: Response): Promise<number> {
  expect(res.status).toBe(429)
  const body = errorBodySchema.parse(await res.json())
  expect(body.error.code).toBe('rate_limited')
  const retryAfter = Number(res.headers.get('retry-after'))
  expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true)
  return retryAfter
}

describe.each(testDatabases())('rate limits on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>

  beforeAll(async () => {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', TRUST_PROXY: '1', ...limits })
    t = await createTestDeps(kind, { config })
    app = createApp(t.deps)
  })
  afterAll(() => t?.close())

  const signInFrom = (address: string, email: string, password: string) =>
    app.request('/api/auth/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.9, ${address}` },
      body: JSON.stringify({ email, password }),
    })

  describe('sign-in', () => {
    it('slows 200 wrong passwords to a handful of checked guesses; another account is still served', async () => {
      const victim = await seedMerchant(t.deps.db)
      const other = await seedMerchant(t.deps.db)
      const address = newAddress()
      const before = await snapshotDatabase(t.deps.db)
      const statuses: number[] = []
      const waits: number[] = []
      for (let i = 0; i < 200; i++) {
        const res = await signInFrom(address, victim.email, `guess-${i}`)
        statuses.push(res.status)
        if (res.status === 429) waits.push(await expectRefused(res))
        else expect(res.status).toBe(401)
      }
      // 5 free guesses, then each further one must wait 1 s, 2 s, 4 s...: however slow this machine, only a
      // few more passwords were ever checked.
      const checked = statuses.filter((status) => status === 401).length
      expect(checked).toBeGreaterThanOrEqual(6)
      expect(checked).toBeLessThan(12)
      expect(statuses.slice(0, 6)).toEqual([401, 401, 401, 401, 401, 401])
      expect(statuses[6]).toBe(429)
      expect(Math.max(...waits)).toBeGreaterThanOrEqual(1)
      // Even the right password waits out the delay, and a refused sign-in creates no session.
      await expectRefused(await signInFrom(address, victim.email, victim.password))
      expect(await snapshotDatabase(t.deps.db)).toEqual(before)
      // Another account, from the very same address, signs in.
      expect((await signInFrom(address, other.email, other.password)).status).toBe(200)
    })

    it('a correct password resets the account count', async () => {
      const user = await seedMerchant(t.deps.db)
      const address = newAddress()
      for (let i = 0; i < 4; i++) expect((await signInFrom(address, user.email, 'wrong')).status).toBe(401)
      expect((await signInFrom(address, user.email, user.password)).status).toBe(200)
      // Five more free guesses after the reset, where the count would otherwise have run out.
      for (let i = 0; i < 5; i++) expect((await signInFrom(address, user.email, 'wrong')).status).toBe(401)
      expect((await signInFrom(address, user.email, 'wrong')).status).toBe(401)
      await expectRefused(await signInFrom(address, user.email, 'wrong'))
    })

    it('slows one address guessing many accounts; another address is still served', async () => {
      const user = await seedMerchant(t.deps.db)
      const address = newAddress()
      // 21 wrong guesses spread over unknown emails: no account reaches its own count, the address does.
      for (let i = 0; i < 21; i++) {
        const res = await signInFrom(address, `nobody-${i}-${address}@test.parley.dev`, 'wrong')
        expect(res.status).toBe(401)
      }
      await expectRefused(await signInFrom(address, user.email, user.password))
      expect((await signInFrom(newAddress(), user.email, user.password)).status).toBe(200)
    })
  })

  describe('web chat', () => {
    let channelId: string
    let otherChannelId: string

    beforeAll(async () => {
      const { merchantId } = await seedMerchant(t.deps.db)
      channelId = (await createChannel(t.deps.db, merchantId, 'webchat')).id
      otherChannelId = (await createChannel(t.deps.db, merchantId, 'webchat')).id
    })

    const startSession = (channel: string, address: string, token?: string) =>
      app.request(`/api/webchat/${channel}/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
        body: JSON.stringify(token ? { token } : {}),
      })
    const visitor = async (channel: string, address: string) => {
      const res = await startSession(channel, address)
      expect(res.status).toBe(201)
      return ((await res.json()) as { token: string }).token
    }
    let messageCounter = 0
    const say = (channel: string, address: string, token: string) =>
      app.request(`/api/webchat/${channel}/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'x-forwarded-for': address,
        },
        body: JSON.stringify({ clientMessageId: `m${++messageCounter}`, text: 'hello' }),
      })

    it('messages per visitor, then per address; another visitor and another address are still served', async () => {
      const address = newAddress()
      const alice = await visitor(otherChannelId, address)
      const bob = await visitor(otherChannelId, address)
      for (let i = 0; i < 4; i++) expect((await say(otherChannelId, address, alice)).status).toBe(202)
      const before = await snapshotDatabase(t.deps.db)
      await expectRefused(await say(otherChannelId, address, alice))
      expect(await snapshotDatabase(t.deps.db)).toEqual(before)
      // Bob at the same address still talks: Alice's refused message did not spend the address budget (6).
      expect((await say(otherChannelId, address, bob)).status).toBe(202)
      expect((await say(otherChannelId, address, bob)).status).toBe(202)
      await expectRefused(await say(otherChannelId, address, bob))
      // A visitor at another address is served.
      const carol = await visitor(otherChannelId, newAddress())
      expect((await say(otherChannelId, newAddress(), carol)).status).toBe(202)
    })

    it('new visitors per address and per channel; refreshing a token is not counted', async () => {
      const first = newAddress()
      const tokens = [
        await visitor(channelId, first),
        await visitor(channelId, first),
        await visitor(channelId, first),
      ]
      await expectRefused(await startSession(channelId, first))
      // The visitors it has keep their sessions.
      expect((await startSession(channelId, first, tokens[0])).status).toBe(200)
      // Another address still gets a visitor, until the channel's 5 a minute are spent...
      const second = newAddress()
      await visitor(channelId, second)
      await visitor(channelId, second)
      await expectRefused(await startSession(channelId, newAddress()))
      // ...which is per channel: the merchant's other channel has its own budget.
      expect((await startSession(otherChannelId, newAddress())).status).toBe(201)
    })
  })

  describe('webhooks per channel', () => {
    const whatsappConfig = {
      phoneNumberId: 'pn-1',
      accessToken: 'token',
      appSecret: 'app-secret',
      verifyToken: 'v',
    }
    const telegramConfig = { botToken: '123456:ABC-DEF', webhookSecret: 'hook-secret' }
    const shopifyConfig = { webhookSecret: 'shpss_secret' }
    const deliveries = {
      whatsapp: {
        config: whatsappConfig,
        send: (channelId: string, n: number) => {
          const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [], n })
          return app.request(`/webhooks/whatsapp/${channelId}`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-hub-signature-256': signWhatsAppBody(body, whatsappConfig.appSecret),
            },
            body,
          })
        },
      },
      telegram: {
        config: telegramConfig,
        send: (channelId: string, n: number) =>
          app.request(`/webhooks/telegram/${channelId}`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-telegram-bot-api-secret-token': telegramConfig.webhookSecret,
            },
            body: JSON.stringify({ update_id: n }),
          }),
      },
      shopify: {
        config: shopifyConfig,
        send: (channelId: string, n: number) => {
          const body = JSON.stringify({ id: n })
          return app.request(`/webhooks/shopify/${channelId}`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-shopify-topic': 'shop/update',
              'x-shopify-webhook-id': `wh-${n}`,
              'x-shopify-hmac-sha256': signShopifyBody(body, shopifyConfig.webhookSecret),
            },
            body,
          })
        },
      },
    } as const

    it.each(Object.keys(deliveries) as (keyof typeof deliveries)[])(
      '%s: past the budget 429, another channel still served, forged deliveries not counted',
      async (channelKind) => {
        const { config, send } = deliveries[channelKind]
        const { merchantId } = await seedMerchant(t.deps.db)
        const busy = (await createChannel(t.deps.db, merchantId, channelKind, config)).id
        const quiet = (await createChannel(t.deps.db, merchantId, channelKind, config)).id
        for (let n = 1; n <= 3; n++) expect((await send(busy, n)).status).toBe(200)
        const before = await snapshotDatabase(t.deps.db)
        await expectRefused(await send(busy, 4))
        expect(await snapshotDatabase(t.deps.db)).toEqual(before)
        expect((await send(quiet, 5)).status).toBe(200)
        // Unsigned deliveries are refused 401 and spend nothing of the quiet channel's budget.
        for (let n = 0; n < 5; n++) {
          const forged = await app.request(`/webhooks/${channelKind}/${quiet}`, {
            method: 'POST',
            body: '{}',
          })
          expect(forged.status).toBe(401)
        }
        expect((await send(quiet, 6)).status).toBe(200)
      },
    )
  })
})
