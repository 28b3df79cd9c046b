// Fixtures for the engine's suites: a channel, a published flow version written straight to the database,
// a channel adapter that records what it was asked to send (and answers as told), and store events.
import type { ChannelKind, Database } from '@parley/db'

import { type FlowDocument, getNodeKind, parseFlowDocument } from '@parley/flow'
import { edge, node } from '@parley/flow/test-support'
import type { Kysely } from 'kysely'
import type { ChannelAdapter, InboundMessage, OutboundPayload, SendResult } from '../channels/types.ts'
import { seedMerchant } from './test-deps.ts'

export async function seedChannel(db: Kysely<Database>, merchantId: string, kind: ChannelKind = 'webchat') {
  return db
    .insertInto('channels')
    .values({ merchant_id: merchantId, kind, name: `Test ${kind}`, config: {} })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/**
 * An older bot send still waiting in the outbox: its transcript row queued and its outbox row tried once, due
 * again a minute after `at` (a retry), so the relay sends it only when that comes. Returns the message id.
 */
export async function insertRetryingSend(
  db: Kysely<Database>,
  send: { merchantId: string; conversationId: string; contactId: string; channelId: string; to: string },
  text: string,
  at: Date,
): Promise<string> {
  const id = crypto.randomUUID()
  await db
    .insertInto('messages')
    .values({
      merchant_id: send.merchantId,
      id,
      conversation_id: send.conversationId,
      contact_id: send.contactId,
      direction: 'out',
      author: 'bot',
      body: { text },
      status: 'queued',
      created_at: at,
      updated_at: at,
    })
    .execute()
  await db
    .insertInto('outbox')
    .values({
      merchant_id: send.merchantId,
      message_id: id,
      conversation_id: send.conversationId,
      channel_id: send.channelId,
      payload: {
        kind: 'message',
        to: send.to,
        message: { text },
        messageId: id,
        purpose: 'service',
        exemption: 'none',
        mode: 'free_form',
      },
      attempts: 1,
      next_attempt_at: new Date(at.getTime() + 60_000),
      created_at: at,
      updated_at: at,
    })
    .execute()
  return id
}

/**
 * A shopper's conversation on a new web-chat channel and an empty cart-recovery flow version, written straight
 * to the tables, with `insertRun` for that shopper's runs: for suites that write runs, visits and rollups by hand
 * rather than through the engine.
 */
export async function seedRecoveryConversation(db: Kysely<Database>, merchantId: string) {
  const channel = await seedChannel(db, merchantId)
  const contact = await db
    .insertInto('contacts')
    .values({ merchant_id: merchantId, name: 'Shopper' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const conversation = await db
    .insertInto('conversations')
    .values({ merchant_id: merchantId, contact_id: contact.id, channel_id: channel.id })
    .returning('id')
    .executeTakeFirstOrThrow()
  const document = { version: 2, name: 'Recovery', nodes: [], edges: [], settings: {} }
  const flow = await db
    .insertInto('flows')
    .values({ merchant_id: merchantId, name: 'Recovery', document })
    .returning('id')
    .executeTakeFirstOrThrow()
  const version = await db
    .insertInto('flow_versions')
    .values({
      merchant_id: merchantId,
      flow_id: flow.id,
      version: 1,
      document,
      trigger_kinds: ['cart.abandoned'],
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  /** A run of that flow for the shopper, resting at a wait, as the engine would have started it. */
  const insertRun = async (correlationKey: string, startedAt: Date): Promise<string> => {
    const run = await db
      .insertInto('runs')
      .values({
        merchant_id: merchantId,
        flow_id: flow.id,
        flow_version_id: version.id,
        contact_id: contact.id,
        conversation_id: conversation.id,
        trigger_kind: 'cart.abandoned',
        correlation_key: correlationKey,
        snapshot: { value: 'wait' },
        started_at: startedAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return run.id
  }
  return {
    contactId: contact.id,
    conversationId: conversation.id,
    flowId: flow.id,
    versionId: version.id,
    insertRun,
  }
}

/**
 * A merchant (with seedMerchant's burst window) with a channel and `flows` published, and `message`: an inbound
 * message from `visitor` on that channel, its provider id numbered unless given (sender named `senderName`).
 */
export async function seedShop(
  db: Kysely<Database>,
  options: {
    flows?: unknown[]
    channelKind?: ChannelKind
    burstWindowMs?: number
    senderName?: string
  } = {},
) {
  const merchant = await seedMerchant(db, { burstWindowMs: options.burstWindowMs })
  const { merchantId } = merchant
  const channel = await seedChannel(db, merchantId, options.channelKind)
  const published = []
  for (const flow of options.flows ?? []) published.push(await publishFlowDocument(db, merchantId, flow))
  let n = 0
  const message = (visitor: string, text: string, externalId = `m-${++n}`): InboundMessage => ({
    merchantId,
    channelId: channel.id,
    externalId,
    sender: options.senderName ? { externalId: visitor, name: options.senderName } : { externalId: visitor },
    text,
  })
  return { ...merchant, channel, published, message }
}

/** Publishes `doc` as the next version of a flow (a new flow unless `flowId` is given). */
export async function publishFlowDocument(
  db: Kysely<Database>,
  merchantId: string,
  doc: FlowDocument | unknown,
  flowId?: string,
): Promise<{ flowId: string; versionId: string; version: number }> {
  const parsed = parseFlowDocument(JSON.parse(JSON.stringify(doc)))
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
  const triggerKinds = [
    ...new Set(
      parsed.doc.nodes.flatMap((n) => {
        const trigger = getNodeKind(n.kind)?.facts(n.config).trigger
        return trigger ? [trigger.event] : []
      }),
    ),
  ]
  const document = JSON.parse(JSON.stringify(parsed.doc))
  const id =
    flowId ??
    (
      await db
        .insertInto('flows')
        .values({ merchant_id: merchantId, name: parsed.doc.name, document })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
  const last = await db
    .selectFrom('flow_versions')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('merchant_id', '=', merchantId)
    .where('flow_id', '=', id)
    .executeTakeFirst()
  const version = Number(last?.v ?? 0) + 1
  const row = await db
    .insertInto('flow_versions')
    .values({
      merchant_id: merchantId,
      flow_id: id,
      version,
      document,
      trigger_kinds: triggerKinds,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .updateTable('flows')
    .set({ published_version_id: row.id })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .execute()
  return { flowId: id, versionId: row.id, version }
}

export interface RecordedSend {
  channelId: string
  payload: OutboundPayload
}

/** An adapter that records sends; `results` answers them in order (then 'sent'). */
export class RecordingAdapter implements ChannelAdapter {
  readonly sends: RecordedSend[] = []
  readonly results: SendResult[] = []
  #n = 0
  constructor(readonly kind: ChannelAdapter['kind'] = 'webchat') {}
  async send(channel: { id: string }, payload: OutboundPayload): Promise<SendResult> {
    this.sends.push({ channelId: channel.id, payload })
    return this.results.shift() ?? { status: 'sent', providerMessageId: `provider-${++this.#n}` }
  }
}

export function cartUpdated(opts: {
  id: string
  channelId: string
  visitorId: string
  token: string
  consent?: boolean
  name?: string
  timezone?: string
}) {
  return {
    id: opts.id,
    type: 'cart.updated' as const,
    contact: {
      channelId: opts.channelId,
      externalId: opts.visitorId,
      name: opts.name ?? 'Maya Lind',
      timezone: opts.timezone ?? 'Europe/Berlin',
      consent: opts.consent ?? true,
    },
    cart: {
      token: opts.token,
      items: [
        {
          title: 'Linen Overshirt',
          image: 'https://cdn.example/linen-overshirt.jpg',
          price: 89,
          quantity: 1,
          url: 'https://shop.example/p/linen-overshirt',
          productId: 'p-linen',
        },
      ],
      value: 89,
      currency: 'EUR',
      checkoutUrl: `https://shop.example/cart/${opts.token}`,
    },
  }
}

/** Any message → 1 h → send `text` → end ('reminded'). */
export function reminderFlow(text: string, purpose: 'service' | 'marketing' = 'service') {
  return {
    version: 1,
    name: `Reminder ${text}`,
    nodes: [
      node('start', 'trigger-message', { match: 'any', keywords: [] }),
      node('wait', 'delay', { mode: 'duration', duration: { amount: 1, unit: 'hours' } }),
      node('remind', 'send-message', { text, purpose }),
      node('done', 'end', { outcome: 'reminded' }),
    ],
    edges: [edge('start', 'wait'), edge('wait', 'remind'), edge('remind', 'done')],
  }
}

/** Any message: echo it, wait for the next one, echo that, end (the engine suites' simplest conversation). */
export const echoFlow = {
  version: 1,
  name: 'Echo',
  nodes: [
    node('start', 'trigger-message', { match: 'any', keywords: [] }),
    node('echo', 'send-message', { text: 'You said: {{reply}}' }),
    node('wait', 'wait-for-reply', { branches: [], timeout: null }),
    node('again', 'send-message', { text: 'And then: {{reply}}' }),
    node('done', 'end', { outcome: 'echoed' }),
  ],
  edges: [
    edge('start', 'echo'),
    edge('echo', 'wait'),
    edge('wait', 'again', 'anything'),
    edge('again', 'done'),
  ],
}

/** A message row's text. */
export const textOf = (m: { body: unknown }) => (m.body as { text: string }).text

/**
 * The rows the engine suites assert on, read by run or conversation. `db()` is asked at each read, so a suite can
 * take these before its beforeAll made the database.
 */
export function engineReads(db: () => Kysely<Database>) {
  /** A conversation's transcript, in order. */
  const transcriptOf = (conversationId: string) =>
    db()
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('created_at')
      .orderBy('seq')
      .execute()
  return {
    runOf: (runId: string) =>
      db().selectFrom('runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow(),
    timersOf: (runId: string) =>
      db().selectFrom('timers').selectAll().where('run_id', '=', runId).orderBy('timer_id').execute(),
    outboxOf: (runId: string) => db().selectFrom('outbox').selectAll().where('run_id', '=', runId).execute(),
    transcriptOf,
    /** A conversation's transcript as [direction, text] pairs. */
    linesOf: async (conversationId: string) =>
      (await transcriptOf(conversationId)).map((m) => [m.direction, textOf(m)]),
    conversationOf: (id: string) =>
      db().selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
  }
}

/** How many rows of `table` the merchant has. */
export async function countRows(
  db: Kysely<Database>,
  table: 'runs' | 'inbound_bursts' | 'timers' | 'messages',
  merchantId: string,
): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('merchant_id', '=', merchantId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
