// The signed-in frame: the navigation the caller's role may use, who is signed in, and the current screen.
import type { Session } from '@parley/api'
import type { ReactNode } from 'react'
import { Logo } from '../ui/logo.tsx'
import { roleNames, type ScreenDefinition, screensFor } from './screens.tsx'

export function AppShell({
  session,
  current,
  onSignOut,
  children,
}: {
  session: Session
  current: ScreenDefinition | undefined
  onSignOut(): void
  children: ReactNode
}) {
  return (
    <div className="page">
      <header className="page-bar">
        <Logo small />
        <span className="page-merchant">{session.merchant.name}</span>
        <nav className="app-nav" aria-label="Main">
          {screensFor(session.user.role).map((s) => (
            <a key={s.path} href={`#${s.path}`} aria-current={s === current ? 'page' : undefined}>
              {s.label}
            </a>
          ))}
        </nav>
        <span className="spacer" />
        <span className="muted" title={session.user.email}>
          {session.user.name || session.user.email} · {roleNames[session.user.role]}
        </span>
        <button type="button" className="button ghost" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main className="page-main">{children}</main>
    </div>
  )
}
