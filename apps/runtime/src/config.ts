// Runtime configuration from the environment, validated once at start-up with a message that names the variable.
import { parseEgressAllowList } from '@parley/flow'
import { z } from 'zod'

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes')

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('127.0.0.1'),
    /** Postgres via pg when set; embedded PGlite in DATA_DIR otherwise. */
    DATABASE_URL: z.string().url().optional(),
    DATA_DIR: z.string().default('.data/pglite'),
    /** Postgres connections this process opens at most (steps, background loops, the LISTEN connection). */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(20),
    PUBLIC_URL: z.string().url().optional(),
    /** Signs session cookies and web-chat visitor tokens. Required in production. */
    SECRET: z.string().min(32).optional(),
    /** A virtual clock that can be advanced over HTTP: for demos and tests, never production. */
    DEV_CLOCK: booleanFromEnv.optional(),
    TIMER_POLL_INTERVAL_MS: z.coerce.number().int().min(10).default(250),
    TIMER_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(200),
    /** Timer batches fired side by side on Postgres (PGlite: always one). */
    TIMER_BATCHES_IN_FLIGHT: z.coerce.number().int().min(1).max(16).default(4),
    /** Inbound messages processed in one transaction at most (group commit); 1 turns batching off. */
    INBOUND_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(64),
    /** Inbound batches processed at once, each on its own database connection. */
    INBOUND_BATCHES_IN_FLIGHT: z.coerce.number().int().min(1).max(32).default(2),
    OUTBOX_POLL_INTERVAL_MS: z.coerce.number().int().min(10).default(250),
    OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(100),
    /** How long a claimed send may stay `sending` (database time) before the relay treats its process as dead. */
    OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    WHATSAPP_GRAPH_URL: z.string().url().default('https://graph.facebook.com/v21.0'),
    TELEGRAM_API_URL: z.string().url().default('https://api.telegram.org'),
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
  })
  .superRefine((config, ctx) => {
    if (config.NODE_ENV === 'production' && config.DEV_CLOCK) {
      ctx.addIssue({
        code: 'custom',
        path: ['DEV_CLOCK'],
        message: 'The virtual clock is refused in production',
      })
    }
    if (config.NODE_ENV === 'production' && !config.SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SECRET'], message: 'Set SECRET (32+ characters) in production' })
    }
  })

export type RuntimeConfig = z.infer<typeof configSchema> & { devClock: boolean; secret: string }

const DEVELOPMENT_SECRET = 'parley-development-secret-not-for-production-use'

export function loadConfig(env: Record<string, string | undefined> = process.env): RuntimeConfig {
  const parsed = configSchema.safeParse(env)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`)
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`)
  }
  const config = parsed.data
  return {
    ...config,
    devClock: config.DEV_CLOCK ?? config.NODE_ENV !== 'production',
    secret: config.SECRET ?? DEVELOPMENT_SECRET,
  }
}
