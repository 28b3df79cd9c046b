// Test helpers for channel suites: channels, a stand-in for the engine's inbound step (contact, identity,
// conversation, transcript row), and a harness app with the same error shape as the real one.
import { randomUUID } from 'node:crypto'
import type { ChannelKind, Database, JsonObject } from '@parley/db'
import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import type { RuntimeDeps } from '../../deps.ts'
import type { AppEnv } from '../../http/app-env.ts'
import { toErrorResponse } from '../../http/errors.ts'
import type { RateLimitCheck } from '../../security/rate-limits.ts'
import { sealChannelConfig } from '../channel-secrets.ts'
import type { InboundMessage } from '../types.ts'

/**
 * A channel row. Given deps (not just a db), its secrets are sealed with deps' keyring, as the product stores
 * them; given a db, the config is written as it is (a row written by hand, plain text).
 */
export async function createChannel(
  target: Kysely<Database> | Pick<RuntimeDeps, 'db' | 'config'>,
  merchantId: string,
  kind: ChannelKind,
  config: Record<string, unknown> = {},
  baseUrl: string | null = null,
) {
  const deps = 'config' in target && 'db' in target ? target : undefined
  const db = deps ? deps.db : (target as Kysely<Database>)
  const id = randomUUID()
  const stored = deps ? sealChannelConfig(deps.config.keyring, { id, kind }, config) : config
  return db
    .insertInto('channels')
    .values({ id, merchant_id: merchantId, kind, name: `${kind} test`, config: stored, base_url: baseUrl })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** A Hono app that puts deps on the context and maps errors like the real app does. */
export function harnessApp(deps: RuntimeDeps, ...routes: Hono<AppEnv>[]): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.use('*', async (c, next) => {
    c.set('deps', deps)
    c.set('requestId', 'test')
    await next()
  })
  for (const route of routes) app.route('/', route)
  app.onError((err, c) => toErrorResponse(err, c))
  return app
}

/**
 * What the engine's inbound step writes, minus running flows: contact + identity + conversation on first
 * contact, then the shopper's transcript row. Records every call (dedupe by externalId like receipts do); a
 * message's limits are counted first, one message at a time, and a refused one is neither recorded nor written.
 */
export function fakeInbound() {
  const received: InboundMessage[] = []
  const handle = async (
    deps: RuntimeDeps,
    message: InboundMessage,
    limits: readonly RateLimitCheck[] = [],
  ) => {
    if (limits.length > 0) await deps.rateLimits.hit(...limits)
    if (received.some((m) => m.channelId === message.channelId && m.externalId === message.externalId)) {
      return { duplicate: true }
    }
    received.push(message)
    const conversation = await ensureConversation(
      deps.db,
      message.merchantId,
      message.channelId,
      message.sender.externalId,
    )
    const row = await deps.db
      .insertInto('messages')
      .values({
        merchant_id: message.merchantId,
        conversation_id: conversation.conversationId,
        contact_id: conversation.contactId,
        direction: 'in',
        author: 'shopper',
        body: { text: message.text, ...(message.buttonId ? { buttonId: message.buttonId } : {}) },
        status: 'delivered',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return { duplicate: false, messageId: row.id, ...conversation }
  }
  return { received, handle }
}

export async function ensureConversation(
  db: Kysely<Database>,
  merchantId: string,
  channelId: string,
  externalId: string,
): Promise<{ contactId: string; conversationId: string }> {
  const identity = await db
    .selectFrom('contact_identities')
    .select('contact_id')
    .where('merchant_id', '=', merchantId)
    .where('channel_id', '=', channelId)
    .where('external_id', '=', externalId)
    .executeTakeFirst()
  let contactId = identity?.contact_id
  if (!contactId) {
    const contact = await db
      .insertInto('contacts')
      .values({ merchant_id: merchantId })
      .returning('id')
      .executeTakeFirstOrThrow()
    contactId = contact.id
    await db
      .insertInto('contact_identities')
      .values({
        merchant_id: merchantId,
        contact_id: contactId,
        channel_id: channelId,
        external_id: externalId,
      })
      .execute()
  }
  let conversation = await db
    .selectFrom('conversations')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('contact_id', '=', contactId)
    .where('channel_id', '=', channelId)
    .executeTakeFirst()
  conversation ??= await db
    .insertInto('conversations')
    .values({ merchant_id: merchantId, contact_id: contactId, channel_id: channelId })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { contactId, conversationId: conversation.id }
}

/** A bot (or staff) message as the engine queues it: status queued, waiting for the outbox relay. */
export async function queueOutboundMessage(
  db: Kysely<Database>,
  ids: { merchantId: string; conversationId: string; contactId: string },
  body: JsonObject,
  author: 'bot' | 'staff' = 'bot',
) {
  return db
    .insertInto('messages')
    .values({
      merchant_id: ids.merchantId,
      conversation_id: ids.conversationId,
      contact_id: ids.contactId,
      direction: 'out',
      author,
      body,
      status: 'queued',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}
