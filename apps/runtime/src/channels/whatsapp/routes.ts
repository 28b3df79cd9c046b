// WhatsApp Cloud API webhooks:
//   GET  /webhooks/whatsapp/:channelId   subscription handshake (hub.verify_token → echo hub.challenge)
//   POST /webhooks/whatsapp/:channelId   messages and delivery statuses, verified by X-Hub-Signature-256
//                                        (hex HMAC-SHA256 of the raw body with the app secret) before parsing.
import { Hono } from 'hono'
import { stopMarketingByIdentity } from '../../contacts/marketing-stop.ts'
import { processInboundMessage } from '../../engine/inbound.ts'
import type { AppEnv } from '../../http/app-env.ts'
import { AppError, forbidden, unauthorized } from '../../http/errors.ts'
import { verifyWhatsAppSignature } from '../../security/signatures.ts'
import { findPublicChannel } from '../channel-lookup.ts'
import { readChannelConfig } from '../channel-secrets.ts'
import { applyDeliveryStatus } from '../delivery-status.ts'
import type { InboundHandler } from '../inbound-handler.ts'
import { secretsMatch } from '../secret-compare.ts'
import { parseVerifiedJson, readRawBody, webhookBodyLimit } from '../webhook-body.ts'
import { whatsAppChannelConfig } from './whatsapp-config.ts'
import { WHATSAPP_MARKETING_STOPPED } from './whatsapp-errors.ts'
import { parseMarketingPreferences } from './whatsapp-preferences.ts'
import { parseWhatsAppWebhook } from './whatsapp-webhook.ts'

export function whatsappRoutes(
  options: { handleInbound: InboundHandler } = { handleInbound: processInboundMessage },
): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/webhooks/whatsapp/:channelId', async (c) => {
    const deps = c.get('deps')
    const channel = await findPublicChannel(deps.db, c.req.param('channelId'), 'whatsapp')
    const config = readChannelConfig(deps, channel, whatsAppChannelConfig)
    const mode = c.req.query('hub.mode')
    const token = c.req.query('hub.verify_token')
    const challenge = c.req.query('hub.challenge')
    if (
      !config.success ||
      mode !== 'subscribe' ||
      token === undefined ||
      challenge === undefined ||
      !secretsMatch(token, config.data.verifyToken)
    ) {
      throw forbidden('The verify token does not match')
    }
    return c.text(challenge, 200)
  })

  app.post('/webhooks/whatsapp/:channelId', webhookBodyLimit, async (c) => {
    const deps = c.get('deps')
    const channel = await findPublicChannel(deps.db, c.req.param('channelId'), 'whatsapp')
    const raw = await readRawBody(c.req.raw)
    const config = readChannelConfig(deps, channel, whatsAppChannelConfig)
    if (
      !config.success ||
      !verifyWhatsAppSignature(raw, c.req.header('x-hub-signature-256'), config.data.appSecret)
    ) {
      throw unauthorized('The webhook signature is missing or wrong')
    }
    // Counted once the sender is proven: forged deliveries cannot spend a merchant's budget.
    await deps.rateLimits.hit(['webhooksPerChannel', channel.id])
    const body = parseVerifiedJson(raw, deps.logger, { provider: 'whatsapp', channelId: channel.id })
    const parsed = parseWhatsAppWebhook(body, {
      merchantId: channel.merchant_id,
      channelId: channel.id,
      phoneNumberId: config.data.phoneNumberId,
    })
    if (parsed.skipped.length > 0) {
      deps.logger.info('whatsapp: skipped unsupported messages', {
        channelId: channel.id,
        skipped: parsed.skipped,
      })
    }
    try {
      // Receipts dedupe by wamid, so a redelivery after a partial failure is safe.
      for (const message of parsed.messages) await options.handleInbound(deps, message)
      for (const status of parsed.statuses) {
        await applyDeliveryStatus(deps, channel.merchant_id, status, deps.clock.now())
        // 131050 usually arrives here, on the failed status, not on the send's answer: the same marketing stop.
        if (status.recipientId && status.errorCodes?.includes(WHATSAPP_MARKETING_STOPPED)) {
          await stopMarketingByIdentity(
            deps.db,
            { merchantId: channel.merchant_id, channelId: channel.id, externalId: status.recipientId },
            deps.clock.now(),
          )
        }
      }
      // "Stop" ends marketing consent; "resume" does not grant it back: consent is the merchant's to collect.
      for (const preference of parseMarketingPreferences(body, config.data.phoneNumberId)) {
        if (!preference.stop) continue
        await stopMarketingByIdentity(
          deps.db,
          { merchantId: channel.merchant_id, channelId: channel.id, externalId: preference.waId },
          deps.clock.now(),
        )
      }
    } catch (error) {
      deps.logger.error('whatsapp: webhook processing failed; the provider will redeliver', {
        channelId: channel.id,
        error,
      })
      throw new AppError(500, 'internal', 'The webhook could not be processed')
    }
    return c.json({ received: parsed.messages.length, statuses: parsed.statuses.length })
  })

  return app
}
