// The signed-in session, for any screen that needs the caller's role or merchant.
import type { Session, UserRole } from '@parley/api'
import { createContext, useContext } from 'react'

export const SessionContext = createContext<Session | null>(null)

export function useSession(): Session {
  const session = useContext(SessionContext)
  if (!session) throw new Error('useSession() is only available inside the signed-in app')
  return session
}

/** Whether the signed-in person's role is one of `roles`; controls a role cannot use are not shown. */
export function useCan(...roles: UserRole[]): boolean {
  return roles.includes(useSession().user.role)
}
