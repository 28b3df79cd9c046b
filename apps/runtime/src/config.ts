// Runtime configuration from the environment, validated once at start-up with a message that names the variable.
// Safe by default: without an explicit NODE_ENV=development|test the runtime is production and needs real secrets.
import { randomBytes } from 'node:crypto'
import { dirname, resolve } from 'node:path'
import { parseEgressAllowList } from '@parley/flow'
import { z } from 'zod'
import { readOrCreateSecretFile } from './security/dev-secrets.ts'
import {
  type EncryptionKey,
  generateEncryptionKey,
  Keyring,
  parseEncryptionKeys,
} from './security/keyring.ts'

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes')

/** Secrets that once shipped in the source: refused as SECRET everywhere. */
const PUBLISHED_SECRETS = new Set(['parley-development-secret-not-for-production-use'])

export const configSchema = z
  .object({
    /** Unset means production: development and test must be asked for. */
    NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('127.0.0.1'),
    /** Postgres via pg when set; embedded PGlite in DATA_DIR otherwise. */
    DATABASE_URL: z.string().url().optional(),
    DATA_DIR: z.string().default('.data/pglite'),
    /** Postgres connections this process opens at most (steps, background loops, the LISTEN connection). */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(20),
    /**
     * Seconds a pooled connection stays open unused. A new connection prepares and plans every statement again
     * (five plans with the values before a generic one, and each trigger's statements): after pg's default of
     * 10 s, every burst that follows a quiet spell (timers due at one instant) paid that again.
     */
    DATABASE_POOL_IDLE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
    /**
     * Statements run again and again as named prepared statements: parsed once per connection, and planned once
     * (a generic plan) where Postgres finds it no costlier than planning with the values (packages/db
     * prepared-statements.ts; BENCHMARKS.md, session 8). `0` sends every statement unnamed, planned each time.
     */
    DATABASE_PREPARED_STATEMENTS: booleanFromEnv.default(true),
    PUBLIC_URL: z.string().url().optional(),
    /** Signs session cookies and web-chat visitor tokens. Required in production; generated in development. */
    SECRET: z
      .string()
      .min(32, 'SECRET must be at least 32 characters (openssl rand -base64 48)')
      .refine((value) => !PUBLISHED_SECRETS.has(value), {
        message:
          "SECRET is the development secret published in Parley's source, so anyone can forge tokens with it; " +
          'generate your own: openssl rand -base64 48',
      })
      .optional(),
    /** A virtual clock that can be advanced over HTTP: for demos and tests, never production. */
    DEV_CLOCK: booleanFromEnv.optional(),
    /**
     * Where a fresh dev clock starts (ISO instant, e.g. 2026-12-01T10:00:00Z): demos and the browser tests run at
     * a chosen time of day rather than the hour they happen to start. Only moves the clock forward; never production.
     */
    DEV_CLOCK_START: z.iso.datetime({ offset: true }).optional(),
    TIMER_POLL_INTERVAL_MS: z.coerce.number().int().min(10).default(250),
    TIMER_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(200),
    /** Timer batches fired side by side on Postgres (PGlite: always one). */
    TIMER_BATCHES_IN_FLIGHT: z.coerce.number().int().min(1).max(16).default(4),
    /** Inbound messages processed in one transaction at most (group commit); 1 turns batching off. */
    INBOUND_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(64),
    /** Inbound batches processed at once, each on its own database connection. */
    INBOUND_BATCHES_IN_FLIGHT: z.coerce.number().int().min(1).max(32).default(2),
    /**
     * Messages a second (third…) inbound batch needs to start while one runs; fewer wait for the running one and
     * join the next (a lone message on an idle runtime still starts at once). 1: any free slot takes what waits.
     */
    INBOUND_EXTRA_BATCH_MIN: z.coerce.number().int().min(1).max(1000).default(16),
    /**
     * Days a provider's event id is remembered to turn away its redelivery (WhatsApp retries for up to 7 days,
     * Shopify for 48 hours, Telegram for about a day); older receipts are purged.
     */
    RECEIPT_RETENTION_DAYS: z.coerce.number().int().min(7).max(3650).default(30),
    OUTBOX_POLL_INTERVAL_MS: z.coerce.number().int().min(10).default(250),
    OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(100),
    /** How long a claimed send may stay `sending` (database time) before the relay treats its process as dead. */
    OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    /** Merchant HTTP-request jobs in flight at once per merchant, across all replicas (their own lane). */
    HTTP_JOBS_PER_MERCHANT: z.coerce.number().int().min(1).max(100).default(4),
    /** HTTP-request jobs in flight at once in this process, all merchants together. */
    HTTP_JOBS_IN_FLIGHT: z.coerce.number().int().min(1).max(1000).default(64),
    WHATSAPP_GRAPH_URL: z.string().url().default('https://graph.facebook.com/v21.0'),
    TELEGRAM_API_URL: z.string().url().default('https://api.telegram.org'),
    /** Where Shopify Admin API calls go instead of https://<shop domain> (tests: a fake Shopify on loopback). */
    SHOPIFY_ADMIN_URL: z.string().url().optional(),
    STATIC_DIR: z.string().optional(),
    /** The built web-chat widget served at /widget.js; defaults to apps/widget/dist/widget.js in the checkout. */
    WIDGET_FILE: z.string().optional(),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    // ── Abuse limits (README "Security"): defaults a real shop never reaches. ──
    /** Proxies in front of the runtime whose X-Forwarded-For is trusted (0: use the socket address). */
    TRUST_PROXY: z
      .union([z.enum(['true', 'false']).transform((value) => (value === 'true' ? 1 : 0)), z.coerce.number()])
      .pipe(z.number().int().min(0).max(10))
      .default(0),
    /** Wrong passwords for one email before each further try must wait (1 s, 2 s, 4 s ... up to the max). */
    RATE_LIMIT_SIGN_IN_ACCOUNT_FAILURES: z.coerce.number().int().min(1).default(5),
    /** Wrong passwords from one address (any email) before the same growing delay applies to it. */
    RATE_LIMIT_SIGN_IN_IP_FAILURES: z.coerce.number().int().min(1).default(50),
    RATE_LIMIT_SIGN_IN_MAX_DELAY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
    RATE_LIMIT_WEBCHAT_MESSAGES_PER_VISITOR_PER_MINUTE: z.coerce.number().int().min(1).default(30),
    RATE_LIMIT_WEBCHAT_MESSAGES_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).default(300),
    RATE_LIMIT_WEBCHAT_VISITORS_PER_IP_PER_HOUR: z.coerce.number().int().min(1).default(200),
    RATE_LIMIT_WEBCHAT_VISITORS_PER_CHANNEL_PER_MINUTE: z.coerce.number().int().min(1).default(600),
    RATE_LIMIT_WEBHOOKS_PER_CHANNEL_PER_MINUTE: z.coerce.number().int().min(1).default(20_000),
    /** Message-link clicks (/r/<id>) counted per client address (attribution). */
    RATE_LIMIT_LINK_CLICKS_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).default(60),
    /** Live sockets one web-chat visitor may hold (tabs); the oldest is closed past it. */
    WS_SOCKETS_PER_VISITOR: z.coerce.number().int().min(1).default(5),
    /** Live sockets (web chat and inbox together) one address may hold on this replica; more are refused. */
    WS_SOCKETS_PER_IP: z.coerce.number().int().min(1).default(100),
    /** Sockets are pinged this often and closed when the previous ping went unanswered. */
    WS_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    /**
     * Targets merchants' HTTP requests may reach despite the egress rules (internal endpoints of a self-hosted
     * install): host[:port], ip[:port], cidr[:port], [ipv6][:port]; port `*` for any. See README, Security.
     */
    EGRESS_ALLOW_LIST: z
      .string()
      .default('')
      .superRefine((text, ctx) => {
        try {
          parseEgressAllowList(text)
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) })
        }
      }),
    // ── Secrets at rest and metrics (security) ──
    /** Seals channel secrets at rest: one base64 32-byte key (openssl rand -base64 32). */
    ENCRYPTION_KEY: z.string().optional(),
    /** Several keys for rotation, `id:base64key` comma-separated, newest (the one that seals) first. */
    ENCRYPTION_KEYS: z.string().optional(),
    /** Bearer token for GET /metrics. Unset: /metrics is 404 in production and open otherwise. */
    METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
  })
  .superRefine((config, ctx) => {
    if (config.NODE_ENV === 'production' && config.DEV_CLOCK) {
      ctx.addIssue({
        code: 'custom',
        path: ['DEV_CLOCK'],
        message: 'The virtual clock is refused in production',
      })
    }
    if (config.DEV_CLOCK_START && (config.NODE_ENV === 'production' || config.DEV_CLOCK === false)) {
      ctx.addIssue({
        code: 'custom',
        path: ['DEV_CLOCK_START'],
        message:
          config.NODE_ENV === 'production'
            ? 'The virtual clock is refused in production'
            : 'DEV_CLOCK_START needs the dev clock (DEV_CLOCK=false turns it off)',
      })
    }
    const production = config.NODE_ENV === 'production'
    // Said the same way whether NODE_ENV is production or simply unset, since both run as production.
    const why = 'NODE_ENV is production (or unset; set NODE_ENV=development for a local run)'
    if (production && !config.SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['SECRET'],
        message: `Set SECRET (32+ random characters: openssl rand -base64 48): ${why}`,
      })
    }
    if (config.ENCRYPTION_KEY && config.ENCRYPTION_KEYS) {
      ctx.addIssue({
        code: 'custom',
        path: ['ENCRYPTION_KEYS'],
        message: 'Set ENCRYPTION_KEY or ENCRYPTION_KEYS, not both',
      })
    }
    const keys = config.ENCRYPTION_KEYS ?? config.ENCRYPTION_KEY
    if (keys !== undefined) {
      try {
        parseEncryptionKeys(keys)
      } catch (error) {
        const path = config.ENCRYPTION_KEYS ? 'ENCRYPTION_KEYS' : 'ENCRYPTION_KEY'
        ctx.addIssue({ code: 'custom', path: [path], message: (error as Error).message })
      }
    } else if (production) {
      ctx.addIssue({
        code: 'custom',
        path: ['ENCRYPTION_KEY'],
        message: `Set ENCRYPTION_KEY (openssl rand -base64 32) to seal channel secrets: ${why}`,
      })
    }
  })

export type RuntimeConfig = z.infer<typeof configSchema> & {
  devClock: boolean
  /** SECRET, or in development the one kept in the data folder, in tests a random one per process. */
  secret: string
  /** Seals and opens channel secrets (security/keyring.ts). */
  keyring: Keyring
}

/**
 * Reads and checks the environment. In development, a missing SECRET or ENCRYPTION_KEY is generated once into
 * the data folder (the parent of DATA_DIR: `.data/secret`, `.data/encryption-key`, mode 0600) and reused; in
 * tests it is random per process. Throws `Invalid configuration:` with one line per variable.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): RuntimeConfig {
  const parsed = configSchema.safeParse(env)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`)
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`)
  }
  const config = parsed.data
  const dataFolder = dirname(resolve(config.DATA_DIR))
  // Production never reaches the generators: the schema refused it above.
  const generated = (name: string, generate: () => string) =>
    config.NODE_ENV === 'development' ? readOrCreateSecretFile(dataFolder, name, generate) : generate()
  const keyText =
    config.ENCRYPTION_KEYS ??
    config.ENCRYPTION_KEY ??
    generated('encryption-key', () => generateEncryptionKey('dev'))
  const keys: EncryptionKey[] = parseEncryptionKeys(keyText)
  return {
    ...config,
    devClock: config.DEV_CLOCK ?? config.NODE_ENV !== 'production',
    secret: config.SECRET ?? generated('secret', () => randomBytes(48).toString('base64url')),
    keyring: new Keyring(keys),
  }
}
