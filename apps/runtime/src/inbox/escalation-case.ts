// The case behind an escalation, for the inbox's context panel: the order the bot handed over (a return's
// items, return window and days since delivery) and the shopper's photos, found in the transcript so staff
// open them through the same media route as any message the shopper sent.
import type { InboxContext } from '@parley/api'
import type { Database } from '@parley/db'
import type { Kysely } from 'kysely'

type Db = Kysely<Database>
type Escalation = NonNullable<InboxContext['escalation']>

/** How far back the transcript is searched for the case's photos (they were sent just before the hand-over). */
const PHOTO_SEARCH_MESSAGES = 200

export function escalationOrder(details: Record<string, unknown> | null): Escalation['order'] {
  const order = details?.order
  if (!order || typeof order !== 'object') return null
  const o = order as Record<string, unknown>
  if (typeof o.name !== 'string') return null
  const items = Array.isArray(o.items)
    ? o.items.flatMap((item) => {
        const i = (item ?? {}) as Record<string, unknown>
        return typeof i.title === 'string'
          ? [{ title: i.title, quantity: typeof i.quantity === 'number' ? i.quantity : 1 }]
          : []
      })
    : []
  return {
    name: o.name,
    items,
    returnable: typeof o.returnable === 'boolean' ? o.returnable : null,
    returnBy: typeof o.returnBy === 'string' ? o.returnBy : null,
    daysSinceDelivery: typeof o.daysSinceDelivery === 'number' ? o.daysSinceDelivery : null,
  }
}

/** The transcript media (message, index) holding the photos the escalation lists, oldest first. */
export async function escalationPhotos(
  db: Db,
  merchantId: string,
  conversationId: string,
  details: Record<string, unknown> | null,
): Promise<Escalation['photos']> {
  const refs = Array.isArray(details?.photos)
    ? details.photos.filter((p): p is string => typeof p === 'string')
    : []
  if (refs.length === 0) return []
  const wanted = new Set(refs)
  const messages = await db
    .selectFrom('messages')
    .select(['id', 'body'])
    .where('merchant_id', '=', merchantId)
    .where('conversation_id', '=', conversationId)
    .where('direction', '=', 'in')
    .orderBy('created_at', 'desc')
    .limit(PHOTO_SEARCH_MESSAGES)
    .execute()
  const found: Escalation['photos'] = []
  for (const message of messages.reverse()) {
    const media = (message.body as { media?: { url?: unknown }[] }).media
    media?.forEach((m, index) => {
      if (typeof m?.url === 'string' && wanted.has(m.url)) found.push({ messageId: message.id, index })
    })
  }
  return found
}
