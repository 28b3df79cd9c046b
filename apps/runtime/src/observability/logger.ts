// Structured logs on pino: one JSON object per line, with an ISO time, a level name, a message and fields.
// Two things are kept out of every line whatever a call site passes: secrets (tokens, passwords, API keys, channel
// secrets, authorization and cookie headers) and shoppers' message text — censored by key at any depth a log
// field reaches in practice, and scrubbed from error messages and stacks (a provider URL can carry a bot token).
// A request's lines carry its request id: `withContext` puts fields into async-local storage that every line
// logged inside it (by any logger of this process) picks up, so call sites deep in the engine need not pass it.
import { AsyncLocalStorage } from 'node:async_hooks'
import {
  type DestinationStream,
  type Logger as PinoLogger,
  pino,
  stdSerializers,
  stdTimeFunctions,
} from 'pino'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
type Fields = Record<string, unknown>

export interface Logger {
  debug(msg: string, fields?: Fields): void
  info(msg: string, fields?: Fields): void
  warn(msg: string, fields?: Fields): void
  error(msg: string, fields?: Fields): void
  child(fields: Fields): Logger
  /** Runs `fn` with `fields` (e.g. the request id) on every line logged inside it, awaited work included. */
  withContext<T>(fields: Fields, fn: () => T): T
}

/** Keys whose values never reach a log line: secrets, and the text shoppers and staff write. */
export const REDACTED_KEYS = [
  // secrets
  'token',
  'accessToken',
  'access_token',
  'botToken',
  'bot_token',
  'secret',
  'secretToken',
  'appSecret',
  'app_secret',
  'clientSecret',
  'webhookSecret',
  'verifyToken',
  'password',
  'passwordHash',
  'password_hash',
  'apiKey',
  'api_key',
  'authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'x-shopify-hmac-sha256',
  'x-hub-signature-256',
  'x-telegram-bot-api-secret-token',
  // message text and whole message payloads
  'text',
  'caption',
  'body',
  'payload',
] as const
const DEPTH = 4
export const CENSOR = '[redacted]'

/** pino redact paths for every key at depths 0..DEPTH (pino's `*` matches one level). */
function redactPaths(): string[] {
  const paths: string[] = []
  for (const key of REDACTED_KEYS) {
    const leaf = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`
    for (let depth = 0; depth <= DEPTH; depth++) {
      const prefix = '*.'.repeat(depth)
      paths.push(leaf.startsWith('[') ? `${prefix.slice(0, -1)}${leaf}` : `${prefix}${leaf}`)
    }
  }
  return paths.filter((p) => !p.startsWith('['))
}

// Bearer tokens, Telegram bot tokens in API paths (`/bot123456:AA...`), and secrets in query strings.
const SECRET_PATTERNS: [RegExp, string][] = [
  [/(bearer|basic)\s+[\w.~+/=-]+/gi, `$1 ${CENSOR}`],
  [/\bbot\d{5,}:[\w-]{20,}/g, `bot${CENSOR}`],
  [/([?&](?:access_token|token|key|secret|hub\.verify_token)=)[^&\s"]+/gi, `$1${CENSOR}`],
]
export function scrubSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text)
}

function serializeError(value: unknown): unknown {
  if (!(value instanceof Error)) return value
  const serialized = stdSerializers.err(value) as unknown as Record<string, unknown>
  const clean: Record<string, unknown> = {}
  for (const [key, field] of Object.entries(serialized)) {
    // Keep what tells what went wrong; drop own properties a library may hang on errors (requests, configs).
    if (!['type', 'message', 'stack', 'code', 'status', 'cause', 'aggregateErrors'].includes(key)) continue
    clean[key] = typeof field === 'string' ? scrubSecrets(field) : field
  }
  return clean
}

export interface LoggerOptions {
  /** Where lines go (default stdout); tests pass a stream to read them. */
  destination?: DestinationStream
}

/**
 * One logger per process (server.ts); `child` adds fields, and children share the process's request context.
 * @example const logger = createLogger('info'); logger.info('stopped', { reason })
 */
export function createLogger(level: LogLevel | 'silent' = 'info', options: LoggerOptions = {}): Logger {
  const context = new AsyncLocalStorage<Fields>()
  const root = pino(
    {
      level,
      base: undefined,
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => context.getStore() ?? {},
      serializers: { error: serializeError, err: serializeError, cause: serializeError },
      redact: { paths: redactPaths(), censor: CENSOR },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  )
  return wrap(root, context)
}

function wrap(target: PinoLogger, context: AsyncLocalStorage<Fields>): Logger {
  const at = (level: LogLevel) => (msg: string, fields?: Fields) => {
    // pino drops a line below its level, but only after the message was scrubbed (three regexes): the access log
    // alone asks for an `info` line on every request, which production's usual level never writes.
    if (!target.isLevelEnabled(level)) return
    if (fields) target[level](fields, scrubSecrets(msg))
    else target[level](scrubSecrets(msg))
  }
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (fields) => wrap(target.child(fields), context),
    withContext: (fields, fn) => context.run({ ...context.getStore(), ...fields }, fn),
  }
}
