// Runtime configuration from the environment, validated once at start-up with a message that names the variable.
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
    /** Merchant HTTP-request jobs in flight at once per merchant, across all replicas (their own lane). */
    HTTP_JOBS_PER_MERCHANT: z.coerce.number().int().min(1).max(100).default(4),
    /** HTTP-request jobs in flight at once in this process, all merchants together. */
    HTTP_JOBS_IN_FLIGHT: z.coerce.number().int().min(1).max(1000).default(64),
    WHATSAPP_GRAPH_URL: z.string().url().default('https://graph.facebook.com/v21.0'),
    TELEGRAM_API_URL: z.string().url().default('https://api.telegram.org'),
    STATIC_DIR: z.string().optional(),
    /** The built web-chat widget served at /widget.js; defaults to apps/widget/dist/widget.js in the checkout. */
    WIDGET_FILE: z.string().optional(),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
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
