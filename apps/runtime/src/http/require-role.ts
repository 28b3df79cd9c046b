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
    if (!allowed.has(caller.role)) throw forbidden(refusal(roles, caller.role))
    await next()
  }
}

const roleWords: Record<UserRole, { one: string; many: string }> = {
  owner: { one: 'an owner', many: 'owners' },
  editor: { one: 'an editor', many: 'editors' },
  agent: { one: 'a support agent', many: 'support agents' },
}

/** @example refusal(['owner'], 'agent') // 'Only owners can do this. You are signed in as a support agent.' */
export function refusal(roles: readonly UserRole[], role: UserRole): string {
  const names = roles.map((r) => roleWords[r].many)
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0]
  return `Only ${list} can do this. You are signed in as ${roleWords[role].one}; the store's owner can change your role.`
}

/** Editors and owners change flows; agents only read them. */
export const canEditFlows = requireRole('owner', 'editor')
/** Recovery and revenue reports: not for support agents (they work the inbox). */
export const canReadAnalytics = requireRole('owner', 'editor')
/** Only owners manage API keys and channels. */
export const ownerOnly = requireRole('owner')
