// Channel secrets at rest: sealed in channels.config (no token readable in the database, on both backends),
// opened for webhook verification and provider calls, sealed at start-up when written in plain text,
// re-sealed under a new key by rotation, and never in any GET answer.
import { testDatabases } from '@parley/db/testing'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { Keyring, parseEncryptionKeys } from '../security/keyring.ts'
import { signWhatsAppBody } from '../security/signatures.ts'
import { signIn } from '../testing/sign-in.ts'
import { createTestDeps, type SeededMerchant, seedMerchant, type TestDeps } from '../testing/test-deps.ts'
import {
  describeChannelConfig,
  openChannelConfig,
  readChannelConfig,
  resealChannelSecrets,
  sealChannelConfig,
} from './channel-secrets.ts'
import { createChannel, ensureConversation } from './testing/channel-fixtures.ts'
import { whatsAppChannelConfig } from './whatsapp/whatsapp-config.ts'

const WHATSAPP = {
  phoneNumberId: '1000200030004000',
  accessToken: 'EAAGwhatsappAccessToken9d8c7b6a',
  appSecret: 'meta-app-secret-5f4e3d2c1b0a',
  verifyToken: 'verify-me',
}
const TELEGRAM = {
  botToken: '123456:ABC-telegram-bot-token-xyz9',
  webhookSecret: 'telegram-webhook-secret-q1w2',
}
const SHOPIFY = { webhookSecret: 'shopify-client-secret-z9y8x7' }
const SECRETS = [
  WHATSAPP.accessToken,
  WHATSAPP.appSecret,
  TELEGRAM.botToken,
  TELEGRAM.webhookSecret,
  SHOPIFY.webhookSecret,
]

const key = (byte: number) => Buffer.alloc(32, byte).toString('base64')

async function rawConfigs(t: TestDeps, merchantId: string): Promise<string> {
  const { rows } = await sql<{ config: string }>`
    select config::text as config from channels where merchant_id = ${merchantId}`.execute(t.deps.db)
  return rows.map((r) => r.config).join('\n')
}

describe.each(testDatabases())('channel secrets at rest on %s', (kind) => {
  let t: TestDeps
  let owner: SeededMerchant
  let whatsappId: string
  beforeAll(async () => {
    t = await createTestDeps(kind)
    owner = await seedMerchant(t.deps.db)
    whatsappId = (await createChannel(t.deps, owner.merchantId, 'whatsapp', WHATSAPP)).id
    await createChannel(t.deps, owner.merchantId, 'telegram', TELEGRAM)
    await createChannel(t.deps, owner.merchantId, 'shopify', SHOPIFY)
  })
  afterAll(() => t?.close())

  it('stores no secret in plain text: the raw column holds only sealed values', async () => {
    const raw = await rawConfigs(t, owner.merchantId)
    for (const secret of SECRETS) expect(raw).not.toContain(secret)
    // Not even a recognisable part of one (beyond the 4 characters kept for display).
    for (const secret of SECRETS) expect(raw).not.toContain(secret.slice(0, 12))
    expect(raw.match(/enc:v1:/g)).toHaveLength(5)
    // Settings that are not secrets stay readable.
    expect(raw).toContain(WHATSAPP.phoneNumberId)
  })

  it('opens them where a webhook is verified: a correctly signed WhatsApp delivery is accepted', async () => {
    const app = createApp(t.deps)
    const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [] })
    const signed = await app.request(`/webhooks/whatsapp/${whatsappId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': signWhatsAppBody(body, WHATSAPP.appSecret),
      },
      body,
    })
    expect(signed.status).toBe(200)
    const forged = await app.request(`/webhooks/whatsapp/${whatsappId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': signWhatsAppBody(body, 'enc:v1:guess'),
      },
      body,
    })
    expect(forged.status).toBe(401)
  })

  it('seals plain-text secrets (rows written by hand) at start-up, and they keep working', async () => {
    const m = await seedMerchant(t.deps.db)
    const plain = await createChannel(t.deps.db, m.merchantId, 'whatsapp', WHATSAPP)
    await createChannel(t.deps.db, m.merchantId, 'telegram', TELEGRAM)
    expect(await rawConfigs(t, m.merchantId)).toContain(WHATSAPP.accessToken)

    const outcome = await resealChannelSecrets(t.deps.db, t.deps.config.keyring)
    expect(outcome.sealed).toBeGreaterThanOrEqual(4)
    const raw = await rawConfigs(t, m.merchantId)
    for (const secret of SECRETS.slice(0, 4)) expect(raw).not.toContain(secret)

    const row = await t.deps.db
      .selectFrom('channels')
      .selectAll()
      .where('id', '=', plain.id)
      .executeTakeFirstOrThrow()
    const read = readChannelConfig(t.deps, row, whatsAppChannelConfig)
    expect(read.success && read.data.accessToken).toBe(WHATSAPP.accessToken)
    // A second start has nothing left to do.
    expect((await resealChannelSecrets(t.deps.db, t.deps.config.keyring)).sealed).toBe(0)
  })

  it('rotates: re-seals every secret under the newest key, after which the old key can go', async () => {
    // Its own database, so every sealed value in it is under k1.
    const own = await createTestDeps(kind)
    try {
      const k1 = new Keyring(parseEncryptionKeys(`k1:${key(1)}`))
      const rotated = new Keyring(parseEncryptionKeys(`k2:${key(2)},k1:${key(1)}`))
      const k2Only = new Keyring(parseEncryptionKeys(`k2:${key(2)}`))
      const m = await seedMerchant(own.deps.db)
      const before = { db: own.deps.db, config: { ...own.deps.config, keyring: k1 } }
      const telegram = await createChannel(before, m.merchantId, 'telegram', TELEGRAM)
      await createChannel(before, m.merchantId, 'whatsapp', WHATSAPP)
      expect(() => openChannelConfig(k2Only, telegram)).toThrow(/key "k1", which is not configured/)

      const outcome = await resealChannelSecrets(own.deps.db, rotated, { rotate: true })
      expect(outcome).toMatchObject({ channels: 2, resealed: 4, sealed: 0 })
      const raw = await rawConfigs(own, m.merchantId)
      expect(raw).not.toContain('enc:v1:k1:')
      expect(raw.match(/enc:v1:k2:/g)).toHaveLength(4)
      for (const secret of SECRETS.slice(0, 4)) expect(raw).not.toContain(secret)
      const after = await own.deps.db
        .selectFrom('channels')
        .selectAll()
        .where('id', '=', telegram.id)
        .executeTakeFirstOrThrow()
      expect(openChannelConfig(k2Only, after)).toMatchObject(TELEGRAM)
      // Running it again changes nothing.
      expect(await resealChannelSecrets(own.deps.db, rotated, { rotate: true })).toMatchObject({
        resealed: 0,
      })
    } finally {
      await own.close()
    }
  })

  it('never returns a secret, nor its sealed form, from any GET of the API', async () => {
    const app = createApp(t.deps)
    const session = await signIn(app, owner)
    const { conversationId } = await ensureConversation(
      t.deps.db,
      owner.merchantId,
      whatsappId,
      '4915100000000',
    )
    const doc = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, object> }
    const params: Record<string, string> = {
      id: conversationId,
      channelId: whatsappId,
      messageId: conversationId,
      index: '0',
    }
    const paths = Object.entries(doc.paths)
      .filter(([, methods]) => 'get' in methods)
      .map(([path]) => path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? 'x'))
    expect(paths).toEqual(
      expect.arrayContaining(['/api/conversations', `/api/conversations/${conversationId}`]),
    )
    let seen = 0
    for (const path of [...paths, '/openapi.json']) {
      const res = await app.request(path, { headers: session.read })
      const text = await res.text()
      if (res.status === 200) seen += 1
      for (const secret of SECRETS) expect(text, path).not.toContain(secret)
      expect(text, path).not.toContain('enc:v1:')
    }
    expect(seen).toBeGreaterThan(3)
  })
})

describe('describeChannelConfig', () => {
  it('shows each secret as set with its last 4 characters, and never the value or the ciphertext', () => {
    const keyring = new Keyring(parseEncryptionKeys(`k1:${key(1)}`))
    const stored = sealChannelConfig(keyring, { id: 'c1', kind: 'whatsapp' }, WHATSAPP)
    const shown = describeChannelConfig({ kind: 'whatsapp', config: stored })
    expect(shown).toEqual({
      phoneNumberId: WHATSAPP.phoneNumberId,
      verifyToken: WHATSAPP.verifyToken,
      accessToken: { set: true, last4: WHATSAPP.accessToken.slice(-4) },
      appSecret: { set: true, last4: WHATSAPP.appSecret.slice(-4) },
    })
    expect(JSON.stringify(shown)).not.toContain('enc:v1:')
    // A short secret shows nothing of itself.
    const short = sealChannelConfig(keyring, { id: 'c2', kind: 'shopify' }, { webhookSecret: 'abc123' })
    expect(describeChannelConfig({ kind: 'shopify', config: short })).toEqual({
      webhookSecret: { set: true, last4: '' },
    })
  })
})
