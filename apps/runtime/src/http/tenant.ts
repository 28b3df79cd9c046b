// Reading the tenant from the context. Every query a route makes filters by this merchant id.
import type { Context } from 'hono'
import type { AppEnv, Caller } from './app-env.ts'
import { unauthorized } from './errors.ts'

/** The merchant the caller acts for (session or API key). Throws 401 when no auth middleware ran. */
export function getTenant(c: Context<AppEnv>): string {
  const caller = c.get('caller')
  if (!caller) throw unauthorized()
  return caller.merchantId
}

/** The signed-in staff member; throws 401 for API-key callers. */
export function getSessionCaller(c: Context<AppEnv>): Extract<Caller, { kind: 'session' }> {
  const caller = c.get('caller')
  if (caller?.kind !== 'session') throw unauthorized()
  return caller
}

/** The store's API key; throws 401 for staff callers. */
export function getApiKeyCaller(c: Context<AppEnv>): Extract<Caller, { kind: 'apikey' }> {
  const caller = c.get('caller')
  if (caller?.kind !== 'apikey') throw unauthorized()
  return caller
}
