// Finding the channel a public URL names (/webhooks/<kind>/:channelId, /api/webchat/:channelId). These routes
// carry no session, so the channel id is the only tenant key: anything not an enabled channel of that kind is 404.
import type { Channel, ChannelKind, Database } from '@parley/db'
import type { Kysely } from 'kysely'
import { NotFoundError } from '../domain-errors.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * The enabled channel with this id and kind, or a NotFoundError (also for ids that are not uuids).
 * `includeDisabled`: also a disabled one (Shopify's privacy webhooks keep coming after the app is uninstalled).
 */
export async function findPublicChannel(
  db: Kysely<Database>,
  channelId: string,
  kind: ChannelKind,
  options: { includeDisabled?: boolean } = {},
): Promise<Channel> {
  if (!UUID.test(channelId)) throw new NotFoundError('Channel')
  const channel = await db
    .selectFrom('channels')
    .selectAll()
    .where('id', '=', channelId)
    .where('kind', '=', kind)
    .$if(!options.includeDisabled, (q) => q.where('enabled', '=', true))
    .executeTakeFirst()
  if (!channel) throw new NotFoundError('Channel')
  return channel
}

export function isUuid(value: string): boolean {
  return UUID.test(value)
}
