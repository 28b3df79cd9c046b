// Channel secrets at rest. The provider credentials in channels.config (tokens, app and webhook secrets) are
// stored sealed (AES-256-GCM, security/keyring.ts), bound to their channel and field, and opened only where a
// provider is called or a webhook verified (readChannelConfig). Anything shown to staff goes through
// describeChannelConfig: a secret is "set, ending in 1a2b", never its value or its ciphertext.
import type { Channel, ChannelKind, Database } from '@parley/db'
import type { Kysely } from 'kysely'
import type { z } from 'zod'
import type { RuntimeConfig } from '../config.ts'
import { isSealed, type Keyring } from '../security/keyring.ts'

/** Which config fields of each kind are secrets. Typed complete: a new kind must say (even "none"). */
export const CHANNEL_SECRET_FIELDS = {
  webchat: [],
  // verifyToken stays readable: the merchant pastes it into Meta's dashboard, and it only answers a handshake.
  whatsapp: ['accessToken', 'appSecret'],
  telegram: ['botToken', 'webhookSecret'],
  // accessToken: the Admin API token given when the store is connected from the Channels screen.
  shopify: ['webhookSecret', 'accessToken'],
} as const satisfies { [K in ChannelKind]: readonly string[] }

/** Where the last characters of each secret are kept for display (the secret itself is never decrypted for it). */
const HINTS = 'secretHints'
/** Secrets shorter than this show no characters at all. */
const MIN_LENGTH_FOR_HINT = 12

type ChannelRef = Pick<Channel, 'id' | 'kind'>
type Config = Record<string, unknown>

function secretFields(kind: ChannelKind): readonly string[] {
  return CHANNEL_SECRET_FIELDS[kind] ?? []
}

/** The authenticated context of a sealed field: a value moved to another channel or field does not open. */
function context(channel: ChannelRef, field: string): string {
  return `channel:${channel.id}:${field}`
}

/**
 * The config to store: every secret field sealed under the current key, with its last 4 characters kept aside
 * for display. Already-sealed values are kept as they are. Give the channel's id before inserting it.
 * @example insertInto('channels').values({ id, kind, config: sealChannelConfig(keyring, { id, kind }, input) })
 */
export function sealChannelConfig(keyring: Keyring, channel: ChannelRef, config: Config): Config {
  const sealed: Config = { ...config }
  const hints: Record<string, string> = { ...((config[HINTS] as Record<string, string> | undefined) ?? {}) }
  for (const field of secretFields(channel.kind)) {
    const value = config[field]
    if (typeof value !== 'string' || isSealed(value)) continue
    sealed[field] = keyring.seal(value, context(channel, field))
    hints[field] = value.length >= MIN_LENGTH_FOR_HINT ? value.slice(-4) : ''
  }
  if (Object.keys(hints).length > 0) sealed[HINTS] = hints
  return sealed
}

/**
 * The stored config with its secrets opened. A plain-text secret (a row written by hand or before encryption;
 * sealed at the next start) is taken as it is. Throws when a sealed value does not open (its key is not
 * configured, or it was altered).
 */
export function openChannelConfig(
  keyring: Keyring,
  channel: Pick<Channel, 'id' | 'kind' | 'config'>,
): Config {
  const stored = (channel.config ?? {}) as Config
  const opened: Config = { ...stored }
  delete opened[HINTS]
  for (const field of secretFields(channel.kind)) {
    const value = stored[field]
    if (isSealed(value)) opened[field] = keyring.open(value, context(channel, field))
  }
  return opened
}

/**
 * The channel's provider config, secrets opened and checked against the kind's schema, in safeParse's shape:
 * `success: false` when it is incomplete or its secrets cannot be opened (the error says which).
 */
export function readChannelConfig<T>(
  deps: { config: Pick<RuntimeConfig, 'keyring'> },
  channel: Pick<Channel, 'id' | 'kind' | 'config'>,
  schema: z.ZodType<T>,
):
  | { success: true; data: T }
  | { success: false; reason: 'not_configured' | 'undecryptable'; error: string } {
  let opened: Config
  try {
    opened = openChannelConfig(deps.config.keyring, channel)
  } catch (error) {
    return {
      success: false,
      reason: 'undecryptable',
      error: `The channel's secrets cannot be decrypted: ${(error as Error).message}`,
    }
  }
  const parsed = schema.safeParse(opened)
  return parsed.success
    ? { success: true, data: parsed.data }
    : { success: false, reason: 'not_configured', error: 'The channel is not configured' }
}

export interface SecretDescription {
  set: true
  /** The last 4 characters, or '' for a short secret. */
  last4: string
}

/**
 * The config as staff may see it: plain settings as stored, each secret as `{ set: true, last4 }`. Never opens
 * a secret. Every API answer that shows a channel's config goes through this.
 */
export function describeChannelConfig(channel: Pick<Channel, 'kind' | 'config'>): Record<string, unknown> {
  const stored = (channel.config ?? {}) as Config
  const hints = (stored[HINTS] as Record<string, string> | undefined) ?? {}
  const shown: Record<string, unknown> = { ...stored }
  delete shown[HINTS]
  for (const field of secretFields(channel.kind)) {
    const value = stored[field]
    if (typeof value !== 'string') continue
    const last4 = isSealed(value)
      ? (hints[field] ?? '')
      : value.length >= MIN_LENGTH_FOR_HINT
        ? value.slice(-4)
        : ''
    shown[field] = { set: true, last4 } satisfies SecretDescription
  }
  return shown
}

export interface ResealOutcome {
  /** Channels looked at. */
  channels: number
  /** Plain-text secrets sealed. */
  sealed: number
  /** Secrets re-sealed under the current key (rotation). */
  resealed: number
}

/**
 * Seals every plain-text channel secret, and with `rotate` re-seals every secret not under the current key.
 * Runs at start-up (plain values only: rows written by hand or before encryption existed) and from
 * rotate-key.ts. Each changed row is re-read under a row lock in its own transaction, so a concurrent edit is
 * never overwritten and two replicas starting together only repeat each other's work.
 */
export async function resealChannelSecrets(
  db: Kysely<Database>,
  keyring: Keyring,
  options: { rotate?: boolean } = {},
): Promise<ResealOutcome> {
  const outcome: ResealOutcome = { channels: 0, sealed: 0, resealed: 0 }
  const kinds = (Object.keys(CHANNEL_SECRET_FIELDS) as ChannelKind[]).filter(
    (k) => secretFields(k).length > 0,
  )
  // A maintenance pass over every merchant's channels (like the timer poller, not a tenant request).
  const rows = await db
    .selectFrom('channels')
    .select(['id', 'kind', 'config'])
    .where('kind', 'in', kinds)
    .execute()
  outcome.channels = rows.length
  const needsWork = (row: Pick<Channel, 'kind' | 'config'>) =>
    secretFields(row.kind).some((field) => {
      const value = (row.config as Config | null)?.[field]
      if (typeof value !== 'string') return false
      return !isSealed(value) || (options.rotate === true && keyring.keyIdOf(value) !== keyring.currentKeyId)
    })
  for (const candidate of rows.filter(needsWork)) {
    await db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('channels')
        .select(['id', 'kind', 'config'])
        .where('id', '=', candidate.id)
        .forUpdate()
        .executeTakeFirst()
      if (!row || !needsWork(row)) return
      const stored = (row.config ?? {}) as Config
      const next: Config = { ...stored }
      for (const field of secretFields(row.kind)) {
        const value = stored[field]
        if (typeof value !== 'string') continue
        if (!isSealed(value)) {
          outcome.sealed += 1
        } else if (options.rotate && keyring.keyIdOf(value) !== keyring.currentKeyId) {
          next[field] = keyring.open(value, context(row, field))
          outcome.resealed += 1
        }
      }
      // Opened values are plain again here; sealChannelConfig seals them under the current key.
      const sealed = sealChannelConfig(keyring, row, next)
      await trx.updateTable('channels').set({ config: sealed }).where('id', '=', row.id).execute()
    })
  }
  return outcome
}
