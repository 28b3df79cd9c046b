// Abandonment episodes (README "How recovery is counted"): an episode opens when the sweep abandons a cart — with
// the holdout drawn and recorded before any message — and runs until the cart is ordered or 30 days pass. Shopper
// activity on the cart meanwhile (back through the link, checkout updates, edits) does not end it. An order ends
// it with a status decided by one rule (episodeEnding); sent recovery messages are counted by the outbox's
// outcome write (delivery/outbox-outcomes.ts).
import type { CartEpisode, EpisodeStatus } from '@parley/db'
import { sql } from 'kysely'
import type { Db } from '../engine/step-transaction.ts'

/** An episode with no order this long after abandonment expires. */
export const EPISODE_DAYS = 30
const DAY_MS = 24 * 60 * 60_000

/**
 * Whether a newly abandoned cart goes to the control group: `percent` % of draws do.
 * @example drawHoldout(10, Math.random) // true about one time in ten
 */
export function drawHoldout(percent: number, random: () => number): boolean {
  return percent > 0 && random() * 100 < percent
}

/**
 * How an order ends an episode. Credited (`recovered`) only after at least one recovery message and no later
 * than the attribution window after the last one; an order before any message (always so in the holdout) is
 * `ordered_without_messages`; one after the window is `ordered_after_window`.
 * @example episodeEnding({ messages_sent: 1, last_message_at: sentAt }, new Date(+sentAt + 3_600_000), 7) // 'recovered'
 */
export function episodeEnding(
  episode: Pick<CartEpisode, 'messages_sent' | 'last_message_at'>,
  orderedAt: Date,
  windowDays: number,
): Exclude<EpisodeStatus, 'open' | 'expired'> {
  if (episode.messages_sent === 0 || episode.last_message_at === null) return 'ordered_without_messages'
  const windowEnds = episode.last_message_at.getTime() + windowDays * DAY_MS
  return orderedAt.getTime() <= windowEnds ? 'recovered' : 'ordered_after_window'
}

export interface OpenEpisodeInput {
  merchantId: string
  cartId: string
  contactId: string | null
  abandonedAt: Date
  holdoutPercent: number
  random: () => number
}

/**
 * The cart's open episode: the one already running (a cart abandoned again after the shopper came back is the
 * same episode, holdout unchanged), else a new one with its holdout drawn now.
 */
export async function openEpisode(
  trx: Db,
  input: OpenEpisodeInput,
): Promise<Pick<CartEpisode, 'id' | 'holdout'> & { opened: boolean }> {
  const running = await openEpisodeOfCart(trx, input.merchantId, input.cartId)
  if (running) return { ...running, opened: false }
  const episode = await trx
    .insertInto('cart_episodes')
    .values({
      merchant_id: input.merchantId,
      cart_id: input.cartId,
      contact_id: input.contactId,
      abandoned_at: input.abandonedAt,
      expires_at: new Date(input.abandonedAt.getTime() + EPISODE_DAYS * DAY_MS),
      holdout: drawHoldout(input.holdoutPercent, input.random),
    })
    .returning(['id', 'holdout'])
    .executeTakeFirstOrThrow()
  return { ...episode, opened: true }
}

async function openEpisodeOfCart(trx: Db, merchantId: string, cartId: string) {
  return trx
    .selectFrom('cart_episodes')
    .select(['id', 'holdout'])
    .where('merchant_id', '=', merchantId)
    .where('cart_id', '=', cartId)
    .where('status', '=', 'open')
    .forUpdate()
    .executeTakeFirst()
}

export interface EpisodeOrder {
  id: string
  total: string | number
  currency: string
  items: readonly { title?: unknown; productId?: unknown; product_id?: unknown }[]
}

/**
 * Ends the open episode an order belongs to: the order's cart's (by token), else — an order without a known
 * cart — the same shopper's open episode whose cart shares an item with the order (the latest abandoned).
 * Returns the ended episode's status, or null when the order belongs to no open episode.
 */
export async function endEpisodeForOrder(
  trx: Db,
  merchantId: string,
  match: { cartId: string | null; contactId: string | null },
  order: EpisodeOrder,
  orderedAt: Date,
): Promise<EpisodeStatus | null> {
  const episode = match.cartId
    ? await trx
        .selectFrom('cart_episodes')
        .selectAll()
        .where('merchant_id', '=', merchantId)
        .where('cart_id', '=', match.cartId)
        .where('status', '=', 'open')
        .forUpdate()
        .executeTakeFirst()
    : match.contactId
      ? await episodeByOverlappingItems(trx, merchantId, match.contactId, order)
      : undefined
  if (!episode) return null
  const merchant = await trx
    .selectFrom('merchants')
    .select('attribution_window_days')
    .where('id', '=', merchantId)
    .executeTakeFirstOrThrow()
  const status = episodeEnding(episode, orderedAt, merchant.attribution_window_days)
  await trx
    .updateTable('cart_episodes')
    .set({
      status,
      order_id: order.id,
      ordered_at: orderedAt,
      order_total: order.total,
      order_currency: order.currency,
    })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', episode.id)
    .execute()
  return status
}

/** Product ids, else lower-cased titles: what an order and a cart are compared on. */
function itemKeys(items: EpisodeOrder['items']): string[] {
  return items.flatMap((item) => {
    const productId = item.productId ?? item.product_id
    if (typeof productId === 'string' && productId !== '') return [`id:${productId}`]
    return typeof item.title === 'string' ? [`title:${item.title.trim().toLowerCase()}`] : []
  })
}

async function episodeByOverlappingItems(
  trx: Db,
  merchantId: string,
  contactId: string,
  order: EpisodeOrder,
): Promise<CartEpisode | undefined> {
  const wanted = new Set(itemKeys(order.items))
  if (wanted.size === 0) return undefined
  const candidates = await trx
    .selectFrom('cart_episodes')
    .innerJoin('carts', (join) =>
      join
        .onRef('carts.merchant_id', '=', 'cart_episodes.merchant_id')
        .onRef('carts.id', '=', 'cart_episodes.cart_id'),
    )
    .selectAll('cart_episodes')
    .select('carts.items as cartItems')
    .where('cart_episodes.merchant_id', '=', merchantId)
    .where('cart_episodes.contact_id', '=', contactId)
    .where('cart_episodes.status', '=', 'open')
    .orderBy('cart_episodes.abandoned_at', 'desc')
    .forUpdate()
    .execute()
  const hit = candidates.find((c) => itemKeys(c.cartItems).some((key) => wanted.has(key)))
  if (!hit) return undefined
  const { cartItems: _items, ...episode } = hit
  return episode
}

/**
 * Expires open episodes whose 30 days have passed, across merchants, up to `limit` at a time (the abandonment
 * sweep calls it). Returns how many expired.
 */
export async function expireDueEpisodes(db: Db, now: number, limit: number): Promise<number> {
  const expired = await sql`
    update cart_episodes set status = 'expired'
    where (merchant_id, id) in (
      select merchant_id, id from cart_episodes
      where status = 'open' and expires_at <= ${new Date(now)}
      order by expires_at limit ${limit}
      for update skip locked
    ) and status = 'open'`.execute(db)
  return Number(expired.numAffectedRows ?? 0)
}
