// Replays of Shopify webhooks. X-Shopify-Webhook-Id and X-Shopify-Triggered-At are not signed (the HMAC covers
// the body only), so whoever holds one signed delivery could resend it under a new webhook id or a fresh time.
//  - Dedupe also on a key from the signed body: topic + resource + updated_at names one state of one resource,
//    whatever the webhook id (two subscriptions to the same topic are deduplicated by it too).
//  - Skip deliveries whose X-Shopify-Triggered-At is older than SHOPIFY_MAX_DELIVERY_AGE_MS.
// Retries keep their original X-Shopify-Triggered-At and come for up to 4 hours (8 attempts with backoff), so
// the age limit must outlast that or an outage of ours would silently lose orders; inside it the body key's
// receipt catches a replay. A stale delivery is answered 2xx: any other status counts as a failed delivery,
// which Shopify retries the same 8 times and, for subscriptions made through the Admin API, ends by deleting
// the subscription.

/** Shopify's last retry (4 hours) plus an hour of margin for clock skew and queueing. */
export const SHOPIFY_MAX_DELIVERY_AGE_MS = 5 * 60 * 60 * 1000

/**
 * The key naming one state of one resource, or undefined when the body lacks an id or updated_at (then only the
 * webhook id dedupes). The GraphQL id is preferred: numeric ids can exceed what a JSON number holds exactly.
 * @example shopifyDeliveryKey('orders/create', { admin_graphql_api_id: 'gid://shopify/Order/1', updated_at: 'T' })
 *   → 'orders/create gid://shopify/Order/1 T'
 */
export function shopifyDeliveryKey(topic: string, payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined
  const body = payload as Record<string, unknown>
  const id =
    typeof body.admin_graphql_api_id === 'string' && body.admin_graphql_api_id !== ''
      ? body.admin_graphql_api_id
      : typeof body.id === 'number' || (typeof body.id === 'string' && body.id !== '')
        ? String(body.id)
        : undefined
  const updatedAt =
    typeof body.updated_at === 'string' && body.updated_at !== '' ? body.updated_at : undefined
  if (id === undefined || updatedAt === undefined) return undefined
  // Spaces never occur in topics, ids or timestamps, and a webhook id (a UUID) never contains one.
  return `${topic} ${id} ${updatedAt}`
}

/**
 * True when X-Shopify-Triggered-At says the event is older than the limit. Without the header, or with one
 * that does not parse, there is no age to judge: the receipts still dedupe.
 */
export function isStaleShopifyDelivery(triggeredAt: string | undefined, now: number): boolean {
  if (!triggeredAt) return false
  const at = Date.parse(triggeredAt)
  return Number.isFinite(at) && now - at > SHOPIFY_MAX_DELIVERY_AGE_MS
}
