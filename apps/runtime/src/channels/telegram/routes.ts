// Telegram webhook: POST /webhooks/telegram/:channelId, verified by X-Telegram-Bot-Api-Secret-Token (the
// secret given to setWebhook) before the body is parsed. Messages and button taps go to the engine.
import { Hono } from 'hono'
import { markReachable, markUnreachable } from '../../contacts/contact-reachability.ts'
import { processInboundMessage } from '../../engine/inbound.ts'
import type { AppEnv } from '../../http/app-env.ts'
import { AppError, unauthorized } from '../../http/errors.ts'
import { verifyTelegramSecret } from '../../security/signatures.ts'
import { findPublicChannel } from '../channel-lookup.ts'
import { readChannelConfig } from '../channel-secrets.ts'
import type { InboundHandler } from '../inbound-handler.ts'
import { parseVerifiedJson, readRawBody, webhookBodyLimit } from '../webhook-body.ts'
import { createTelegramAdapter, type TelegramAdapter } from './telegram-adapter.ts'
import { telegramChannelConfig } from './telegram-config.ts'
import { parseMembershipChange } from './telegram-membership.ts'
import { parseTelegramUpdate } from './telegram-update.ts'

export function telegramRoutes(
  options: { handleInbound: InboundHandler; adapter?: TelegramAdapter } = {
    handleInbound: processInboundMessage,
  },
): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.post('/webhooks/telegram/:channelId', webhookBodyLimit, async (c) => {
    const deps = c.get('deps')
    const channel = await findPublicChannel(deps.db, c.req.param('channelId'), 'telegram')
    const config = readChannelConfig(deps, channel, telegramChannelConfig)
    if (
      !config.success ||
      !verifyTelegramSecret(c.req.header('x-telegram-bot-api-secret-token'), config.data.webhookSecret)
    ) {
      throw unauthorized('The webhook secret token is missing or wrong')
    }
    // Counted once the sender is proven: forged deliveries cannot spend a merchant's budget.
    await deps.rateLimits.hit(['webhooksPerChannel', channel.id])
    const update = parseVerifiedJson(await readRawBody(c.req.raw), deps.logger, {
      provider: 'telegram',
      channelId: channel.id,
    })
    const membership = parseMembershipChange(update)
    if (membership) {
      // Blocked (kicked) or unblocked the bot: idempotent, so a redelivery needs no receipt.
      const identity = {
        merchantId: channel.merchant_id,
        channelId: channel.id,
        externalId: membership.chatId,
      }
      if (membership.reachable) await markReachable(deps.db, identity)
      else await markUnreachable(deps.db, identity, deps.clock.now())
      return c.json({ ok: true })
    }
    const parsed = parseTelegramUpdate(update, {
      merchantId: channel.merchant_id,
      channelId: channel.id,
    })
    if (parsed.message) {
      try {
        await options.handleInbound(deps, parsed.message)
      } catch (error) {
        deps.logger.error('telegram: update processing failed; Telegram will redeliver', {
          channelId: channel.id,
          error,
        })
        throw new AppError(500, 'internal', 'The update could not be processed')
      }
    }
    if (parsed.callbackQueryId) {
      const registered = deps.channels.telegram
      const adapter =
        options.adapter ??
        (registered && 'answerCallbackQuery' in registered
          ? (registered as TelegramAdapter)
          : createTelegramAdapter(deps))
      // Not awaited: the step has committed, and a slow Telegram must not hold the webhook answer. A failure
      // only leaves the button's spinner on for a few seconds.
      void adapter.answerCallbackQuery(channel, parsed.callbackQueryId).catch((error: unknown) => {
        deps.logger.warn('telegram: answerCallbackQuery failed', { channelId: channel.id, error })
      })
    }
    return c.json({ ok: true })
  })

  return app
}
