// SQL for the merchant's channels as the Channels screen and API see them: every query is tenant-scoped.
import type { Channel, ChannelKind, Database } from '@parley/db'
import { type Kysely, sql, type Transaction } from 'kysely'

type Db = Kysely<Database> | Transaction<Database>

export async function listMerchantChannels(db: Db, merchantId: string): Promise<Channel[]> {
  return db
    .selectFrom('channels')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

export async function findMerchantChannel(
  db: Db,
  merchantId: string,
  id: string,
): Promise<Channel | undefined> {
  return db
    .selectFrom('channels')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function insertChannel(
  db: Db,
  row: {
    id: string
    merchantId: string
    kind: ChannelKind
    name: string
    config: Record<string, unknown>
    now: Date
  },
): Promise<Channel> {
  return db
    .insertInto('channels')
    .values({
      id: row.id,
      merchant_id: row.merchantId,
      kind: row.kind,
      name: row.name,
      config: row.config,
      checked_at: row.now,
      created_at: row.now,
      updated_at: row.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function updateChannelRow(
  db: Db,
  merchantId: string,
  id: string,
  changes: {
    name?: string
    config?: Record<string, unknown>
    enabled?: boolean
    providerError?: string | null
    checkedAt?: Date
    now: Date
  },
): Promise<Channel> {
  return db
    .updateTable('channels')
    .set({
      ...(changes.name === undefined ? {} : { name: changes.name }),
      ...(changes.config === undefined ? {} : { config: changes.config }),
      ...(changes.enabled === undefined ? {} : { enabled: changes.enabled }),
      ...(changes.providerError === undefined ? {} : { provider_error: changes.providerError }),
      ...(changes.checkedAt === undefined ? {} : { checked_at: changes.checkedAt }),
      updated_at: changes.now,
    })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export interface MessageTimes {
  lastInboundAt: Date | null
  lastOutboundAt: Date | null
}

/** The newest shopper message and the newest message sent (bot or staff) per channel. */
export async function lastMessageTimes(
  db: Db,
  merchantId: string,
  channelIds: readonly string[],
): Promise<Map<string, MessageTimes>> {
  const times = new Map<string, MessageTimes>()
  if (channelIds.length === 0) return times
  const rows = await db
    .selectFrom('messages')
    .innerJoin('conversations', (j) =>
      j
        .onRef('conversations.merchant_id', '=', 'messages.merchant_id')
        .onRef('conversations.id', '=', 'messages.conversation_id'),
    )
    .select([
      'conversations.channel_id as channelId',
      sql<Date | null>`max(messages.created_at) filter (where messages.direction = 'in')`.as('lastIn'),
      sql<Date | null>`max(messages.created_at) filter (where messages.direction = 'out' and messages.status in ('sent', 'delivered', 'read'))`.as(
        'lastOut',
      ),
    ])
    .where('messages.merchant_id', '=', merchantId)
    .where('conversations.channel_id', 'in', channelIds)
    .groupBy('conversations.channel_id')
    .execute()
  for (const row of rows) {
    times.set(row.channelId, {
      lastInboundAt: row.lastIn ? new Date(row.lastIn) : null,
      lastOutboundAt: row.lastOut ? new Date(row.lastOut) : null,
    })
  }
  return times
}
