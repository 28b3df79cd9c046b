// How channel routes hand a verified, normalised message to the engine. Injected so routes are testable on
// their own; the app wires the engine's processInboundMessage.
import type { RuntimeDeps } from '../deps.ts'
import type { InboundMessage } from './types.ts'

export type InboundHandler = (deps: RuntimeDeps, message: InboundMessage) => Promise<unknown>
