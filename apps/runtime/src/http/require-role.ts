// Role guard for staff routes: place after requireSession. Owners can do everything editors can.
import type { UserRole } from '@parley/db'
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from './app-env.ts'
import { forbidden, unauthorized } from './errors.ts'

/**
 * @example createRoute({ ..., middleware: [requireSession, requireRole('owner', 'editor')] })
 */
export function requireRole(...roles: UserRole[]): MiddlewareHandler<AppEnv> {
  const allowed = new Set(roles)
  return async (c, next) => {
    const caller = c.get('caller')
    if (caller?.kind !== 'session') throw unauthorized()
    if (!allowed.has(caller.role)) throw forbidden()
    await next()
  }
}

/** Editors and owners change flows; agents only read them. */
export const canEditFlows = requireRole('owner', 'editor')
/** Only owners manage API keys and channels. */
export const ownerOnly = requireRole('owner')
