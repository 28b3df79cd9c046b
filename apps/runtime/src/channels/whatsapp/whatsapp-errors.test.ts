// Meta's documented Cloud API error codes through the outbox relay, against a fake Graph API on loopback that
// answers each error exactly as Meta's "WhatsApp error codes" page shows it ({ error: { message, type, code,
// error_data: { messaging_product, details }, fbtrace_id } }). The decision follows `error.code`, not the HTTP
// status: a throttled send that came back as 400 is retried, an unknown code follows the status.

import { testDatabases } from '@parley/db/testing'
import type { TemplateRef } from '@parley/flow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../app.ts'
import { openConversation, upsertContactByIdentity } from '../../contacts/contact-repository.ts'
import { relayOutbox } from '../../delivery/outbox-relay.ts'
import { queueSend } from '../../effects/send.ts'
import { inStepTransaction } from '../../engine/step-transaction.ts'
import { signWhatsAppBody } from '../../security/signatures.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../../testing/test-deps.ts'
import { createChannel } from '../testing/channel-fixtures.ts'
import { type FakeProvider, startFakeProvider } from '../testing/fake-provider.ts'
import { createWhatsAppAdapter } from './whatsapp-adapter.ts'
import { ECOSYSTEM_RETRY_MS } from './whatsapp-errors.ts'

const plainConfig = { phoneNumberId: '1098765', accessToken: 'EAAG-token', appSecret: 's', verifyToken: 'v' }
const template: TemplateRef = { name: 'order_update', language: 'en_US', category: 'utility', params: [] }

/** A Graph API error body as Meta documents it. */
function graphError(code: number, title: string, details: string) {
  return {
    error: {
      message: `(#${code}) ${title}`,
      type: 'OAuthException',
      code,
      error_data: { messaging_product: 'whatsapp', details },
      fbtrace_id: 'AgQvYl2cXzAU7mFH0SVSjyT',
    },
  }
}

const accepted = (n: number) => ({
  status: 200,
  body: {
    messaging_product: 'whatsapp',
    contacts: [{ input: '4915112345678', wa_id: '4915112345678' }],
    messages: [{ id: `wamid.HBgLNDkxNTExMjM0NTY3OBUCABEYEjQ${n}` }],
  },
})

type Expect =
  | { kind: 'retried'; afterMs?: number }
  | { kind: 'failed' }
  | { kind: 'skipped'; reason: string; consent?: false }
  | { kind: 'template' }

interface Case {
  name: string
  status: number
  body: unknown
  withTemplate?: boolean
  /** The window is closed: the send goes out as the template from the start. */
  closedWindow?: boolean
  purpose?: 'marketing' | 'transactional'
  expected: Expect
}

const cases: Case[] = [
  {
    name: '130429 rate limit hit, as HTTP 400',
    status: 400,
    body: graphError(130429, 'Rate limit hit', 'Cloud API message throughput has been reached.'),
    expected: { kind: 'retried' },
  },
  {
    name: '130429 rate limit hit, as HTTP 429',
    status: 429,
    body: graphError(130429, 'Rate limit hit', 'Cloud API message throughput has been reached.'),
    expected: { kind: 'retried' },
  },
  {
    name: '131056 pair rate limit hit',
    status: 400,
    body: graphError(
      131056,
      '(Business Account, Consumer Account) pair rate limit hit',
      'Too many messages sent from the sender phone number to the same recipient phone number in a short period of time.',
    ),
    expected: { kind: 'retried' },
  },
  {
    name: '80007 WABA rate limit',
    status: 400,
    body: graphError(80007, 'Rate limit issues', 'The WhatsApp Business Account has reached its rate limit.'),
    expected: { kind: 'retried' },
  },
  {
    name: '131049 healthy ecosystem: not retried before a day',
    status: 400,
    body: graphError(
      131049,
      'This message was not delivered to maintain healthy ecosystem engagement.',
      'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
    ),
    purpose: 'marketing',
    withTemplate: true,
    closedWindow: true,
    expected: { kind: 'retried', afterMs: ECOSYSTEM_RETRY_MS },
  },
  {
    name: '131026 message undeliverable: not retried',
    status: 400,
    body: graphError(131026, 'Message Undeliverable', 'Unable to deliver message.'),
    expected: { kind: 'failed' },
  },
  {
    name: '131047 re-engagement, with a template fallback',
    status: 400,
    body: graphError(
      131047,
      'Re-engagement message',
      'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
    ),
    withTemplate: true,
    expected: { kind: 'template' },
  },
  {
    name: '131047 re-engagement, without a template',
    status: 400,
    body: graphError(
      131047,
      'Re-engagement message',
      'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
    ),
    expected: { kind: 'skipped', reason: 'outside_window_no_template' },
  },
  {
    name: '131050 user stopped marketing messages',
    status: 400,
    body: graphError(
      131050,
      'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.',
      'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.',
    ),
    purpose: 'marketing',
    expected: { kind: 'skipped', reason: 'no_consent', consent: false },
  },
  {
    name: 'unknown code 100 at HTTP 400 follows the status: failed',
    status: 400,
    body: graphError(100, 'Invalid parameter', 'Parameter value is not valid'),
    expected: { kind: 'failed' },
  },
  {
    name: 'unknown code 131000 at HTTP 500 follows the status: retried',
    status: 500,
    body: graphError(131000, 'Something went wrong', 'Message failed to send due to an unknown error.'),
    expected: { kind: 'retried' },
  },
]

describe.each(testDatabases())('WhatsApp error codes through the relay on %s', (kind) => {
  let t: TestDeps
  let graph: FakeProvider
  let sent = 0
  beforeAll(async () => {
    t = await createTestDeps(kind)
    t.deps.channels.whatsapp = createWhatsAppAdapter(t.deps, { timeoutMs: 10_000 })
    graph = await startFakeProvider(() => accepted(++sent))
  }, 120_000)
  afterAll(async () => {
    await graph.close()
    await t.close()
  })

  async function queued(c: Case) {
    const db = t.deps.db
    const { merchantId } = await seedMerchant(db)
    const channel = await createChannel(t.deps, merchantId, 'whatsapp', plainConfig, graph.url)
    const waId = `49151${Math.floor(Math.random() * 1e8)}`
    return inStepTransaction(t.deps, async (trx, ctx) => {
      const contact = await upsertContactByIdentity(
        trx,
        merchantId,
        channel.id,
        waId,
        { marketingConsent: true },
        ctx.now,
      )
      const conversation = await openConversation(trx, merchantId, contact.id, channel.id, ctx.now)
      // The runtime believes the window is open (unless the case closes it): the send goes out free-form.
      await trx
        .updateTable('conversations')
        .set({ last_inbound_at: c.closedWindow ? null : new Date(ctx.now) })
        .where('id', '=', conversation.id)
        .execute()
      const outcome = await queueSend(trx, ctx, {
        merchantId,
        conversationId: conversation.id,
        runId: null,
        nodeId: null,
        message: { text: 'Your cart is waiting' },
        purpose: c.purpose ?? 'transactional',
        exemption: 'none',
        ...(c.withTemplate ? { template } : {}),
      })
      if (outcome.status !== 'queued') throw new Error(`not queued: ${JSON.stringify(outcome)}`)
      return { messageId: outcome.messageId, contactId: contact.id, waId, merchantId }
    })
  }

  it.each(cases)('$name', async (c) => {
    const q = await queued(c)
    const row = () =>
      t.deps.db
        .selectFrom('outbox')
        .selectAll()
        .where('message_id', '=', q.messageId)
        .executeTakeFirstOrThrow()
    const message = () =>
      t.deps.db.selectFrom('messages').selectAll().where('id', '=', q.messageId).executeTakeFirstOrThrow()
    const callsTo = () => graph.requests.filter((r) => (r.body as { to?: string } | undefined)?.to === q.waId)
    graph.script({ status: c.status, body: c.body })
    const startedAt = t.clock.now()
    await relayOutbox(t.deps)
    expect(callsTo()).toHaveLength(1)
    const e = c.expected
    if (e.kind === 'retried') {
      const outbox = await row()
      expect(outbox).toMatchObject({ status: 'pending', attempts: 1 })
      expect(outbox.last_error).toContain(`[${(c.body as { error: { code: number } }).error.code}]`)
      const due = outbox.next_attempt_at.getTime()
      expect(due).toBeGreaterThan(startedAt)
      if (e.afterMs) {
        expect(due).toBeGreaterThanOrEqual(startedAt + e.afterMs)
        t.clock.advance(e.afterMs - 60_000)
        await relayOutbox(t.deps)
        expect(callsTo()).toHaveLength(1)
      }
      t.clock.set(due)
      await relayOutbox(t.deps)
      expect(callsTo()).toHaveLength(2)
      expect(await message()).toMatchObject({ status: 'sent' })
    } else if (e.kind === 'failed') {
      expect(await row()).toMatchObject({ status: 'failed' })
      expect(await message()).toMatchObject({ status: 'failed' })
      t.clock.advance(2 * ECOSYSTEM_RETRY_MS)
      await relayOutbox(t.deps)
      expect(callsTo()).toHaveLength(1)
    } else if (e.kind === 'skipped') {
      expect(await message()).toMatchObject({ status: 'skipped', skip_reason: e.reason })
      expect(await row()).toMatchObject({ status: 'failed', last_error: `skipped: ${e.reason}` })
      if (e.consent === false) {
        const contact = await t.deps.db
          .selectFrom('contacts')
          .select('marketing_consent')
          .where('id', '=', q.contactId)
          .executeTakeFirstOrThrow()
        expect(contact.marketing_consent).toBe(false)
      }
      await relayOutbox(t.deps)
      expect(callsTo()).toHaveLength(1)
    } else {
      // The same transcript row goes out again, now as the approved template, charged as one.
      await relayOutbox(t.deps)
      const calls = callsTo()
      expect(calls).toHaveLength(2)
      expect(calls[0]!.body).toMatchObject({ type: 'text' })
      expect(calls[1]!.body).toMatchObject({ type: 'template', template: { name: 'order_update' } })
      const sentMessage = await message()
      expect(sentMessage).toMatchObject({ status: 'sent', template_name: 'order_update' })
      expect(Number(sentMessage.cost)).toBeGreaterThan(0)
    }
  })

  it('the user_preferences "stop" webhook ends marketing consent: the next marketing send is skipped, no call', async () => {
    const c: Case = {
      name: 'marketing',
      status: 200,
      body: {},
      purpose: 'marketing',
      expected: { kind: 'failed' },
    }
    const first = await queued(c)
    await relayOutbox(t.deps)
    const channel = await t.deps.db
      .selectFrom('contact_identities')
      .select('channel_id')
      .where('external_id', '=', first.waId)
      .executeTakeFirstOrThrow()
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            {
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550783881', phone_number_id: plainConfig.phoneNumberId },
                contacts: [{ wa_id: first.waId, profile: { name: 'Sheena Nelson' } }],
                user_preferences: [
                  {
                    wa_id: first.waId,
                    detail: 'User requested to stop marketing messages',
                    category: 'marketing_messages',
                    value: 'stop',
                    timestamp: 1731705721,
                  },
                ],
              },
              field: 'user_preferences',
            },
          ],
        },
      ],
    })
    const res = await createApp(t.deps).request(`/webhooks/whatsapp/${channel.channel_id}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': signWhatsAppBody(body, plainConfig.appSecret),
      },
      body,
    })
    expect(res.status).toBe(200)
    const contact = await t.deps.db
      .selectFrom('contacts')
      .select('marketing_consent')
      .where('id', '=', first.contactId)
      .executeTakeFirstOrThrow()
    expect(contact.marketing_consent).toBe(false)
    const calls = graph.requests.filter((r) => (r.body as { to?: string }).to === first.waId).length
    const conversation = await t.deps.db
      .selectFrom('conversations')
      .select('id')
      .where('contact_id', '=', first.contactId)
      .executeTakeFirstOrThrow()
    const again = await inStepTransaction(t.deps, (trx, ctx) =>
      queueSend(trx, ctx, {
        merchantId: first.merchantId,
        conversationId: conversation.id,
        runId: null,
        nodeId: null,
        message: { text: 'New arrivals!' },
        purpose: 'marketing',
        exemption: 'none',
      }),
    )
    expect(again).toMatchObject({ status: 'skipped', reason: 'no_consent' })
    await relayOutbox(t.deps)
    expect(graph.requests.filter((r) => (r.body as { to?: string }).to === first.waId)).toHaveLength(calls)
  })

  it('a failed status webhook carrying 131050 ends marketing consent too (Meta reports it there, after the send)', async () => {
    const first = await queued({
      name: 'marketing',
      status: 200,
      body: {},
      purpose: 'marketing',
      expected: { kind: 'failed' },
    })
    await relayOutbox(t.deps)
    const { channel_id: channelId } = await t.deps.db
      .selectFrom('contact_identities')
      .select('channel_id')
      .where('external_id', '=', first.waId)
      .executeTakeFirstOrThrow()
    const sentRow = await t.deps.db
      .selectFrom('messages')
      .select(['provider_message_id', 'status'])
      .where('id', '=', first.messageId)
      .executeTakeFirstOrThrow()
    expect(sentRow.status).toBe('sent')
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            {
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550783881', phone_number_id: plainConfig.phoneNumberId },
                statuses: [
                  {
                    id: sentRow.provider_message_id,
                    status: 'failed',
                    timestamp: '1731705721',
                    recipient_id: first.waId,
                    errors: [
                      {
                        code: 131050,
                        title:
                          'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.',
                        error_data: { details: 'Unable to deliver the message.' },
                      },
                    ],
                  },
                ],
              },
              field: 'messages',
            },
          ],
        },
      ],
    })
    const consent = async () =>
      (
        await t.deps.db
          .selectFrom('contacts')
          .select('marketing_consent')
          .where('id', '=', first.contactId)
          .executeTakeFirstOrThrow()
      ).marketing_consent
    expect(await consent()).toBe(true)
    const res = await createApp(t.deps).request(`/webhooks/whatsapp/${channelId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': signWhatsAppBody(body, plainConfig.appSecret),
      },
      body,
    })
    expect(res.status).toBe(200)
    expect(await consent()).toBe(false)
    const failed = await t.deps.db
      .selectFrom('messages')
      .select(['status', 'error'])
      .where('id', '=', first.messageId)
      .executeTakeFirstOrThrow()
    expect(failed.status).toBe('failed')
    expect(failed.error).toContain('131050')
  })
})
