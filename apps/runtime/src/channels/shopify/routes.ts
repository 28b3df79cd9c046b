// Shopify webhooks: POST /webhooks/shopify/:channelId, verified by X-Shopify-Hmac-Sha256 (base64 HMAC of the
// raw body with the app secret) before parsing; deduplicated on X-Shopify-Webhook-Id and on a key from the
// signed body, stale deliveries skipped (shopify-delivery.ts); the topic header picks the translation into a
// store event, which the engine processes exactly like POST /api/events.
import { Hono } from 'hono'
import {
  handleShopifyProductWebhook,
  isShopifyProductTopic,
} from '../../catalogue/shopify-product-webhooks.ts'
import type { StoreEvent } from '../../commerce/store-event-schema.ts'
import { processStoreEvent } from '../../commerce/store-events.ts'
import type { RuntimeDeps } from '../../deps.ts'
import { NotFoundError } from '../../domain-errors.ts'
import type { AppEnv } from '../../http/app-env.ts'
import { AppError, badRequest, unauthorized } from '../../http/errors.ts'
import { verifyShopifySignature } from '../../security/signatures.ts'
import { findPublicChannel } from '../channel-lookup.ts'
import { readChannelConfig } from '../channel-secrets.ts'
import { parseVerifiedJson, readRawBody, webhookBodyLimit } from '../webhook-body.ts'
import { handleShopifyCompliance, isShopifyComplianceTopic } from './shopify-compliance.ts'
import { shopifyChannelConfig } from './shopify-config.ts'
import { isStaleShopifyDelivery, shopifyDeliveryKey } from './shopify-delivery.ts'
import { translateShopifyWebhook } from './shopify-events.ts'

/** The engine's processStoreEvent; `source` namespaces receipts so webhook ids never collide with API ids. */
export type StoreEventHandler = (
  deps: RuntimeDeps,
  merchantId: string,
  event: StoreEvent,
  source: string,
  alsoDedupeOn: readonly string[],
) => Promise<{ duplicate: boolean }>

export function shopifyReceiptSource(channelId: string): string {
  return `shopify:${channelId}`
}

export function shopifyRoutes(
  options: { handleStoreEvent: StoreEventHandler } = { handleStoreEvent: processStoreEvent },
): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.post('/webhooks/shopify/:channelId', webhookBodyLimit, async (c) => {
    const deps = c.get('deps')
    // Privacy webhooks keep coming after app/uninstalled disabled the channel (shop/redact 48 hours later).
    const channel = await findPublicChannel(deps.db, c.req.param('channelId'), 'shopify', {
      includeDisabled: isShopifyComplianceTopic(c.req.header('x-shopify-topic') ?? ''),
    })
    const raw = await readRawBody(c.req.raw)
    const config = readChannelConfig(deps, channel, shopifyChannelConfig)
    if (
      !config.success ||
      !verifyShopifySignature(raw, c.req.header('x-shopify-hmac-sha256'), config.data.webhookSecret)
    ) {
      throw unauthorized('The webhook signature is missing or wrong')
    }
    // Counted once the sender is proven: forged deliveries cannot spend a merchant's budget.
    await deps.rateLimits.hit(['webhooksPerChannel', channel.id])
    const webhookId = c.req.header('x-shopify-webhook-id')
    const topic = c.req.header('x-shopify-topic')
    if (!webhookId || !topic) throw badRequest('X-Shopify-Webhook-Id and X-Shopify-Topic are required')
    const triggeredAt = c.req.header('x-shopify-triggered-at')
    if (isStaleShopifyDelivery(triggeredAt, deps.clock.now())) {
      // 200, not 4xx: Shopify would retry a refusal for hours and then delete the subscription.
      deps.logger.warn('shopify: stale delivery skipped', {
        channelId: channel.id,
        topic,
        webhookId,
        triggeredAt,
      })
      return c.json({ ok: true, ignored: 'stale delivery' })
    }
    const payload = parseVerifiedJson(raw, deps.logger, { provider: 'shopify', channelId: channel.id })
    // A redelivery of the same event can come under a new webhook id; X-Shopify-Event-Id stays the same.
    const eventId = c.req.header('x-shopify-event-id')
    const eventKey = eventId ? [`event:${eventId}`] : []
    if (isShopifyComplianceTopic(topic)) {
      const result = await handleShopifyCompliance(deps, channel, topic, payload, {
        source: shopifyReceiptSource(channel.id),
        keys: [webhookId, ...eventKey],
      })
      return c.json({ ok: true, topic, duplicate: result.duplicate })
    }
    const bodyKey = shopifyDeliveryKey(topic, payload)
    if (isShopifyProductTopic(topic)) {
      // The catalogue, not the engine: products/* keep the synced products current.
      const result = await handleShopifyProductWebhook(deps, channel, topic, payload, raw, {
        source: shopifyReceiptSource(channel.id),
        keys: [webhookId, ...eventKey, ...(bodyKey === undefined ? [] : [bodyKey])],
      })
      return c.json({ ok: true, topic, ...result })
    }
    const translation = translateShopifyWebhook(topic, webhookId, payload)
    if ('ignored' in translation) {
      // Answered 200: Shopify retries anything else for 48 hours, and a retry cannot change the answer.
      deps.logger.info('shopify: webhook ignored', {
        channelId: channel.id,
        topic,
        webhookId,
        reason: translation.ignored,
      })
      return c.json({ ok: true, ignored: translation.ignored })
    }
    try {
      const result = await options.handleStoreEvent(
        deps,
        channel.merchant_id,
        translation.event,
        shopifyReceiptSource(channel.id),
        [...eventKey, ...(bodyKey === undefined ? [] : [bodyKey])],
      )
      return c.json({ ok: true, type: translation.event.type, duplicate: result.duplicate })
    } catch (error) {
      if (error instanceof NotFoundError) {
        // e.g. a fulfillment for an order the runtime never saw: nothing to do, and retrying will not help.
        return c.json({ ok: true, ignored: error.message })
      }
      deps.logger.error('shopify: webhook processing failed; Shopify will redeliver', {
        channelId: channel.id,
        error,
      })
      throw new AppError(500, 'internal', 'The webhook could not be processed')
    }
  })

  return app
}
