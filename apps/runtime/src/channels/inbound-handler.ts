// How channel routes hand a verified, normalised message to the engine. Injected so routes are testable on
// their own; the app wires the engine's processInboundMessage.
import type { RuntimeDeps } from '../deps.ts'
import type { RateLimitCheck } from '../security/rate-limits.ts'
import type { InboundMessage } from './types.ts'

/**
 * `limits`: counted (in order, as RateLimits.hit counts them) before the message is processed; over one, the
 * handler throws RateLimitedError and processes nothing.
 */
export type InboundHandler = (
  deps: RuntimeDeps,
  message: InboundMessage,
  limits?: readonly RateLimitCheck[],
) => Promise<unknown>
