// How fast the relay may send on a channel: the provider's published limits by default, overridable per
// channel in `channels.config.pacing`. WhatsApp Cloud API: 80 messages/s per business phone number (the
// default throughput tier; higher tiers are granted by Meta). Telegram Bot API: about 30 messages/s per bot,
// and no more than one per second in one chat ("short bursts" tolerated). Web chat is our own socket: unpaced.
import type { Channel, ChannelKind } from '@parley/db'
import { z } from 'zod'

/** A rate with the burst it may take at once (a token bucket of `burst` tokens refilled at `perSecond`). */
export const rateSchema = z.object({
  perSecond: z.number().positive().max(10_000),
  burst: z.number().int().min(1).max(1_000),
})
export type Rate = z.infer<typeof rateSchema>

export const pacingSchema = z.object({
  /** The whole channel (a WhatsApp phone number, a Telegram bot); null: unpaced. */
  channel: rateSchema.nullable().optional(),
  /** Each chat on the channel; null: unpaced. */
  chat: rateSchema.nullable().optional(),
})
export type PacingConfig = z.infer<typeof pacingSchema>

export interface Pacing {
  channel: Rate | null
  chat: Rate | null
}

/**
 * The defaults. A burst lets one claim take a few sends at once (fewer round trips) while no one-second
 * window holds more than `perSecond + burst`: 8 at WhatsApp's 80/s is a tenth of a second's worth.
 */
export const defaultPacing = {
  whatsapp: { channel: { perSecond: 80, burst: 8 }, chat: null },
  telegram: { channel: { perSecond: 30, burst: 3 }, chat: { perSecond: 1, burst: 3 } },
  webchat: { channel: null, chat: null },
  // A store, not a chat channel: nothing is sent on it.
  shopify: { channel: null, chat: null },
} as const satisfies Record<ChannelKind, Pacing>

/**
 * The channel's pacing: its `config.pacing` over the defaults of its kind; a malformed override is ignored
 * (the defaults hold) rather than letting a typo unpace a channel.
 * @example channelPacing({ kind: 'whatsapp', config: { pacing: { channel: { perSecond: 250, burst: 25 } } } })
 */
export function channelPacing(channel: Pick<Channel, 'kind' | 'config'>): Pacing {
  const defaults: Pacing = defaultPacing[channel.kind]
  const parsed = pacingSchema.safeParse((channel.config as { pacing?: unknown } | null)?.pacing ?? {})
  if (!parsed.success) return defaults
  return {
    channel: parsed.data.channel === undefined ? defaults.channel : parsed.data.channel,
    chat: parsed.data.chat === undefined ? defaults.chat : parsed.data.chat,
  }
}
