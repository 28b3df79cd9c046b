// Connecting, changing, checking and disconnecting a merchant's channels. Provider checks run before anything
// is written (a refused token writes nothing); secrets are sealed on the way in (sealChannelConfig) and only
// described on the way out (describeChannelConfig).
import { randomBytes, randomUUID } from 'node:crypto'
import type {
  ChannelSetup,
  ChannelSummary,
  ConnectChannelRequest,
  UpdateChannelRequest,
  WhatsAppTemplate,
} from '@parley/api'
import type { Channel, ChannelKind } from '@parley/db'
import type { RuntimeDeps } from '../../deps.ts'
import { badRequest, notFound } from '../../http/errors.ts'
import {
  findMerchantChannel,
  insertChannel,
  lastMessageTimes,
  listMerchantChannels,
  updateChannelRow,
} from '../channel-repository.ts'
import { describeChannelConfig, openChannelConfig, sealChannelConfig } from '../channel-secrets.ts'
import { ProviderRejectedError } from './provider-call.ts'
import { readShop, registerShopifyWebhooks } from './shopify-setup.ts'
import { deleteTelegramWebhook, setTelegramWebhook, telegramBotUsername } from './telegram-setup.ts'
import {
  fetchWhatsAppTemplates,
  pacingForThroughput,
  readWhatsAppNumber,
  sendWhatsAppTestMessage,
} from './whatsapp-setup.ts'

type Deps = Pick<RuntimeDeps, 'db' | 'egress' | 'config' | 'clock' | 'logger'>
type Config = Record<string, unknown>

/** The fields the owner sets, per kind (what `settings` shows); the rest of the config is what we learnt. */
const SETTINGS: { [K in ChannelKind]: readonly string[] } = {
  whatsapp: ['wabaId', 'phoneNumberId', 'accessToken', 'appSecret'],
  telegram: ['botToken'],
  webchat: ['allowedOrigins', 'brandColor', 'greeting', 'avatarUrl'],
  shopify: ['shopDomain', 'accessToken', 'webhookSecret'],
}

/** Where the provider reaches this runtime: PUBLIC_URL, else the origin the owner's request came to. */
export function webhookUrl(publicBase: string, channel: Pick<Channel, 'id' | 'kind'>): string {
  return `${publicBase.replace(/\/+$/, '')}/webhooks/${channel.kind}/${channel.id}`
}

export function embedSnippet(publicBase: string, channelId: string): string {
  return `<script src="${publicBase.replace(/\/+$/, '')}/widget.js" data-channel="${channelId}" async></script>`
}

const token = (bytes: number) => randomBytes(bytes).toString('base64url')

/**
 * The config to store for `input` over `previous` (the opened config of an existing channel): the provider
 * checked and, where it has one, the webhook registered. Throws ProviderRejectedError with the provider's words.
 */
async function prepareConfig(
  deps: Deps,
  channel: Pick<Channel, 'id' | 'kind'>,
  input: Config,
  previous: Config,
  publicBase: string,
): Promise<Config> {
  const merged: Config = { ...previous }
  for (const [key, value] of Object.entries(input)) if (value !== undefined) merged[key] = value
  delete merged.kind
  delete merged.name
  switch (channel.kind) {
    case 'whatsapp': {
      const credentials = {
        phoneNumberId: String(merged.phoneNumberId ?? ''),
        accessToken: String(merged.accessToken ?? ''),
      }
      const number = await readWhatsAppNumber(deps, credentials)
      const pacing = pacingForThroughput(number.throughput)
      return {
        ...merged,
        // Kept across edits: Meta's dashboard already holds it.
        verifyToken: typeof previous.verifyToken === 'string' ? previous.verifyToken : token(24),
        ...number,
        ...(pacing ? { pacing } : {}),
      }
    }
    case 'telegram': {
      const botToken = String(merged.botToken ?? '')
      const botUsername = await telegramBotUsername(deps, botToken)
      const webhookSecret = typeof previous.webhookSecret === 'string' ? previous.webhookSecret : token(32)
      await setTelegramWebhook(deps, botToken, {
        url: webhookUrl(publicBase, channel),
        secretToken: webhookSecret,
      })
      return { ...merged, botUsername, webhookSecret }
    }
    case 'shopify': {
      if (typeof input.clientSecret === 'string') merged.webhookSecret = input.clientSecret
      delete merged.clientSecret
      const credentials = {
        shopDomain: String(merged.shopDomain ?? ''),
        accessToken: String(merged.accessToken ?? ''),
      }
      const shop = await readShop(deps, credentials)
      const topics = await registerShopifyWebhooks(deps, credentials, webhookUrl(publicBase, channel))
      return { ...merged, shopName: shop.name, webhookTopics: topics }
    }
    case 'webchat':
      return merged
  }
}

function defaultName(kind: ChannelKind, config: Config): string {
  switch (kind) {
    case 'whatsapp':
      return `WhatsApp ${String(config.displayPhoneNumber ?? config.phoneNumberId ?? '')}`.trim()
    case 'telegram':
      return `Telegram @${String(config.botUsername ?? 'bot')}`
    case 'webchat':
      return 'Web chat'
    case 'shopify':
      return `Shopify ${String(config.shopName ?? config.shopDomain ?? '')}`.trim()
  }
}

export async function connectChannel(
  deps: Deps,
  merchantId: string,
  input: ConnectChannelRequest,
  publicBase: string,
): Promise<Channel> {
  const id = randomUUID()
  const ref = { id, kind: input.kind }
  const config = await prepareConfig(deps, ref, input as Config, {}, publicBase)
  return insertChannel(deps.db, {
    id,
    merchantId,
    kind: input.kind,
    name: input.name ?? defaultName(input.kind, config),
    config: sealChannelConfig(deps.config.keyring, ref, config),
    now: new Date(deps.clock.now()),
  })
}

async function loadChannel(deps: Deps, merchantId: string, id: string): Promise<Channel> {
  const channel = await findMerchantChannel(deps.db, merchantId, id)
  if (!channel) throw notFound('Channel')
  return channel
}

/** Fields given that the channel's kind does not have. */
function foreignFields(kind: ChannelKind, input: UpdateChannelRequest): string[] {
  const own = new Set<string>([...SETTINGS[kind], 'name', ...(kind === 'shopify' ? ['clientSecret'] : [])])
  return Object.keys(input).filter((key) => !own.has(key) && (input as Config)[key] !== undefined)
}

export async function updateChannel(
  deps: Deps,
  merchantId: string,
  id: string,
  input: UpdateChannelRequest,
  publicBase: string,
): Promise<Channel> {
  const channel = await loadChannel(deps, merchantId, id)
  const foreign = foreignFields(channel.kind, input)
  if (foreign.length > 0) {
    throw badRequest(
      'These settings belong to another kind of channel',
      foreign.map((path) => ({ path, message: 'not a setting of this channel' })),
    )
  }
  const previous = openChannelConfig(deps.config.keyring, channel)
  const config = await prepareConfig(deps, channel, input as Config, previous, publicBase)
  const now = new Date(deps.clock.now())
  return updateChannelRow(deps.db, merchantId, id, {
    ...(input.name === undefined ? {} : { name: input.name }),
    config: sealChannelConfig(deps.config.keyring, channel, config),
    enabled: true,
    providerError: null,
    checkedAt: now,
    now,
  })
}

/**
 * Asks the provider again whether the credentials work. A refusal is recorded (needs attention, the provider's
 * words) rather than answered as an error: the check itself succeeded.
 */
export async function verifyChannel(deps: Deps, merchantId: string, id: string): Promise<Channel> {
  const channel = await loadChannel(deps, merchantId, id)
  const config = openChannelConfig(deps.config.keyring, channel)
  let learnt: Config = {}
  let providerError: string | null = null
  try {
    learnt = await checkWithProvider(deps, channel.kind, config)
  } catch (error) {
    if (!(error instanceof ProviderRejectedError)) throw error
    providerError = error.message
  }
  const now = new Date(deps.clock.now())
  return updateChannelRow(deps.db, merchantId, id, {
    config: sealChannelConfig(deps.config.keyring, channel, { ...config, ...learnt }),
    providerError,
    checkedAt: now,
    now,
  })
}

async function checkWithProvider(deps: Deps, kind: ChannelKind, config: Config): Promise<Config> {
  switch (kind) {
    case 'whatsapp': {
      const number = await readWhatsAppNumber(deps, {
        phoneNumberId: String(config.phoneNumberId ?? ''),
        accessToken: String(config.accessToken ?? ''),
      })
      const pacing = pacingForThroughput(number.throughput)
      return { ...number, ...(pacing ? { pacing } : {}) }
    }
    case 'telegram':
      return { botUsername: await telegramBotUsername(deps, String(config.botToken ?? '')) }
    case 'shopify': {
      const shop = await readShop(deps, {
        shopDomain: String(config.shopDomain ?? ''),
        accessToken: String(config.accessToken ?? ''),
      })
      return { shopName: shop.name }
    }
    case 'webchat':
      return {}
  }
}

/**
 * Stops the channel: nothing is sent on it and its webhooks answer 404. Telegram is asked to stop posting
 * (deleteWebhook); if Telegram cannot be reached the channel is disconnected anyway and the failure logged.
 */
export async function disconnectChannel(deps: Deps, merchantId: string, id: string): Promise<Channel> {
  const channel = await loadChannel(deps, merchantId, id)
  if (channel.kind === 'telegram' && channel.enabled) {
    const config = openChannelConfig(deps.config.keyring, channel)
    try {
      await deleteTelegramWebhook(deps, String(config.botToken ?? ''))
    } catch (error) {
      deps.logger.warn('telegram: deleteWebhook failed while disconnecting', { channelId: id, error })
    }
  }
  const now = new Date(deps.clock.now())
  return updateChannelRow(deps.db, merchantId, id, { enabled: false, providerError: null, now })
}

function requireWhatsApp(channel: Channel): void {
  if (channel.kind !== 'whatsapp') throw badRequest('Only a WhatsApp channel has message templates')
}

export async function syncWhatsAppTemplates(deps: Deps, merchantId: string, id: string): Promise<Channel> {
  const channel = await loadChannel(deps, merchantId, id)
  requireWhatsApp(channel)
  const config = openChannelConfig(deps.config.keyring, channel)
  const templates: WhatsAppTemplate[] = await fetchWhatsAppTemplates(deps, {
    wabaId: String(config.wabaId ?? ''),
    accessToken: String(config.accessToken ?? ''),
  })
  const now = new Date(deps.clock.now())
  return updateChannelRow(deps.db, merchantId, id, {
    config: sealChannelConfig(deps.config.keyring, channel, {
      ...config,
      templates,
      templatesSyncedAt: now.toISOString(),
    }),
    now,
  })
}

export async function sendTestMessage(
  deps: Deps,
  merchantId: string,
  id: string,
  to: string,
): Promise<string> {
  const channel = await loadChannel(deps, merchantId, id)
  if (channel.kind !== 'whatsapp') throw badRequest('Test messages are sent from a WhatsApp channel')
  const config = openChannelConfig(deps.config.keyring, channel)
  return sendWhatsAppTestMessage(
    deps,
    { phoneNumberId: String(config.phoneNumberId ?? ''), accessToken: String(config.accessToken ?? '') },
    to,
  )
}

export async function listChannels(deps: Deps, merchantId: string): Promise<Channel[]> {
  return listMerchantChannels(deps.db, merchantId)
}

/** The API's view of channels: state, message times, settings (secrets described), set-up facts. */
export async function toChannelSummaries(
  deps: Deps,
  merchantId: string,
  channels: readonly Channel[],
  publicBase: string,
): Promise<ChannelSummary[]> {
  const times = await lastMessageTimes(
    deps.db,
    merchantId,
    channels.map((c) => c.id),
  )
  return channels.map((channel) => {
    const described = describeChannelConfig(channel)
    const settings: Config = {}
    for (const field of SETTINGS[channel.kind]) {
      if (described[field] === undefined) continue
      // The owner knows it as the app's client secret; it signs webhooks.
      settings[channel.kind === 'shopify' && field === 'webhookSecret' ? 'clientSecret' : field] =
        described[field]
    }
    const time = times.get(channel.id)
    return {
      id: channel.id,
      kind: channel.kind,
      name: channel.name,
      state: !channel.enabled ? 'disconnected' : channel.provider_error ? 'needs_attention' : 'connected',
      problem: channel.enabled ? channel.provider_error : channel.disconnected_reason,
      checkedAt: channel.checked_at?.toISOString() ?? null,
      lastInboundAt: time?.lastInboundAt?.toISOString() ?? null,
      lastOutboundAt: time?.lastOutboundAt?.toISOString() ?? null,
      settings,
      setup: setupOf(channel, described, publicBase),
      createdAt: channel.created_at.toISOString(),
    }
  })
}

function setupOf(channel: Channel, config: Config, publicBase: string): ChannelSetup {
  const text = (key: string) => (typeof config[key] === 'string' ? (config[key] as string) : undefined)
  switch (channel.kind) {
    case 'whatsapp':
      return {
        webhookUrl: webhookUrl(publicBase, channel),
        verifyToken: text('verifyToken'),
        displayPhoneNumber: text('displayPhoneNumber'),
        verifiedName: text('verifiedName'),
        qualityRating: text('qualityRating'),
        throughput: text('throughput'),
        templates: Array.isArray(config.templates) ? (config.templates as WhatsAppTemplate[]) : [],
        templatesSyncedAt: text('templatesSyncedAt'),
      }
    case 'telegram':
      return { webhookUrl: webhookUrl(publicBase, channel), botUsername: text('botUsername') }
    case 'webchat':
      return { snippet: embedSnippet(publicBase, channel.id) }
    case 'shopify':
      return {
        webhookUrl: webhookUrl(publicBase, channel),
        shopName: text('shopName'),
        webhookTopics: Array.isArray(config.webhookTopics) ? (config.webhookTopics as string[]) : [],
      }
  }
}
