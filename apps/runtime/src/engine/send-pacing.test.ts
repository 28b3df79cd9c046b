// Issue 9, pacing and fairness: a burst of 500 sends on one WhatsApp phone number leaves at the channel's
// configured rate (no one-second window of the provider's clock holds more than rate + burst), none dropped;
// and a merchant's backlog never holds up another merchant's single send. Time is the injected clock: the
// fake provider stamps each request with it, and it only moves between relay batches, so the figures do not
// depend on how fast this machine is.
import type { ChannelKind } from '@parley/db'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChannel } from '../channels/testing/channel-fixtures.ts'
import { type FakeProvider, startFakeProvider } from '../channels/testing/fake-provider.ts'
import { createWhatsAppAdapter } from '../channels/whatsapp/whatsapp-adapter.ts'
import { queueSend } from '../effects/send.ts'
import { RecordingAdapter } from '../testing/engine-fixtures.ts'
import { createTestDeps, seedMerchant, type TestDeps } from '../testing/test-deps.ts'
import { openConversation, upsertContactByIdentity } from './contacts.ts'
import { relayOutbox } from './outbox-relay.ts'
import { inStepTransaction } from './step-transaction.ts'

const BURST = 500
const rate = { perSecond: 100, burst: 10 }
const whatsappConfig = {
  phoneNumberId: '1055501234',
  accessToken: 'token',
  appSecret: 'app-secret',
  verifyToken: 'verify',
}

describe.each(testDatabases())('send pacing on %s', (kind) => {
  let t: TestDeps
  let provider: FakeProvider
  /** The injected clock's time at each request the provider received, and to whom. */
  const stamps: { at: number; to: string }[] = []
  const webchat = new RecordingAdapter('webchat')

  beforeAll(async () => {
    t = await createTestDeps(kind)
    t.deps.channels.whatsapp = createWhatsAppAdapter(t.deps)
    t.deps.channels.webchat = webchat
    provider = await startFakeProvider((request) => {
      const to = (request.body as { to: string }).to
      stamps.push({ at: t.clock.now(), to })
      return { status: 200, body: { messages: [{ id: `wamid.${stamps.length}` }] } }
    })
  })
  afterAll(async () => {
    await provider?.close()
    await t?.close()
  })

  /** `count` service messages queued on one channel of a new merchant, each to its own shopper. */
  async function queueBurst(channelKind: ChannelKind, count: number, config: Record<string, unknown> = {}) {
    const { merchantId } = await seedMerchant(t.deps.db)
    const channel = await createChannel(t.deps.db, merchantId, channelKind, config, provider.url)
    await inStepTransaction(t.deps, async (trx, ctx) => {
      for (let i = 0; i < count; i++) {
        const contact = await upsertContactByIdentity(
          trx,
          merchantId,
          channel.id,
          `${merchantId.slice(0, 8)}-${i}`,
          {},
          ctx.now,
        )
        const conversation = await openConversation(trx, merchantId, contact.id, channel.id, ctx.now)
        // Inside WhatsApp's 24-hour window: free-form sends are allowed.
        await trx
          .updateTable('conversations')
          .set({ last_inbound_at: new Date(ctx.now) })
          .where('merchant_id', '=', merchantId)
          .where('id', '=', conversation.id)
          .execute()
        const outcome = await queueSend(trx, ctx, {
          merchantId,
          conversationId: conversation.id,
          runId: null,
          nodeId: null,
          message: { text: `message ${i}` },
          purpose: 'transactional',
          exemption: 'none',
        })
        if (outcome.status !== 'queued') throw new Error(`not queued: ${JSON.stringify(outcome)}`)
      }
    })
    return { merchantId, channel }
  }

  it('sends a burst of 500 to one WhatsApp number at the configured rate, none dropped', async () => {
    const { merchantId } = await queueBurst('whatsapp', BURST, {
      ...whatsappConfig,
      pacing: { channel: rate },
    })
    stamps.length = 0
    for (let round = 0; stamps.length < BURST && round < 5_000; round++) {
      await relayOutbox(t.deps)
      t.clock.advance(100)
    }

    expect(new Set(stamps.map((s) => s.to)).size).toBe(BURST)
    expect(stamps).toHaveLength(BURST)
    const sent = await t.deps.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('merchant_id', '=', merchantId)
      .where('status', '=', 'sent')
      .executeTakeFirstOrThrow()
    expect(Number(sent.n)).toBe(BURST)

    // The most requests in any one second of the provider's clock.
    const at = stamps.map((s) => s.at).sort((a, b) => a - b)
    let most = 0
    for (let i = 0, j = 0; i < at.length; i++) {
      while (at[j]! <= at[i]! - 1000) j++
      most = Math.max(most, i - j + 1)
    }
    expect(most).toBeLessThanOrEqual(rate.perSecond + rate.burst)
    // And at that rate, not slower: 500 at 100/s take 4.9 s after the first burst (steps of 100 ms).
    const took = at.at(-1)! - at[0]!
    expect(took).toBeGreaterThanOrEqual(((BURST - rate.burst) / rate.perSecond) * 1000 - 100)
    expect(took).toBeLessThanOrEqual((BURST / rate.perSecond) * 1000 + 500)
  }, 600_000)

  it("never makes one merchant's single send wait behind another's backlog", async () => {
    // A paced WhatsApp backlog and an unpaced web-chat one, both queued before the other merchant's send.
    await queueBurst('whatsapp', 150, whatsappConfig)
    const webBacklog = await queueBurst('webchat', 150)
    t.clock.advance(1)
    const single = await queueBurst('webchat', 1)

    webchat.sends.length = 0
    await relayOutbox(t.deps)
    const sentTo = new Set(webchat.sends.map((s) => s.channelId))
    expect(sentTo.has(single.channel.id)).toBe(true)
    expect(sentTo.has(webBacklog.channel.id)).toBe(true)
  }, 600_000)
})
