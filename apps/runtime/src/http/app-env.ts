// The Hono environment every route module shares: what middleware puts on the context.
import type { UserRole } from '@parley/db'
import type { RuntimeDeps } from '../deps.ts'

/** Who is calling: a signed-in staff member (cookie) or a store (API key). */
export type Caller =
  | {
      kind: 'session'
      merchantId: string
      userId: string
      role: UserRole
      sessionId: string
      csrfToken: string
      expiresAt: Date
    }
  | { kind: 'apikey'; merchantId: string; apiKeyId: string }

export interface AppEnv {
  Variables: {
    deps: RuntimeDeps
    requestId: string
    /** Set by requireSession / requireApiKey; read it through getTenant / getSessionCaller. */
    caller?: Caller
    /** The CSP nonce for this response's inline script (only /demo has one; http/security-headers.ts). */
    secureHeadersNonce?: string
  }
}
