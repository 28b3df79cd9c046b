// The app: checks the session, then shows the screen the route names inside the shell (the flow editor fills the
// window on its own). A role that may not open a screen is told so in words and offered its own screens.
import type { Session } from '@parley/api'
import { Suspense, useEffect, useState } from 'react'
import { api } from './api/api.ts'
import { EditorScreen } from './screens/editor-screen.tsx'
import { SignInScreen } from './screens/sign-in-screen.tsx'
import { AcceptInviteScreen } from './settings/accept-invite-screen.tsx'
import { AppShell } from './shell/app-shell.tsx'
import { navigate, useHashRoute } from './shell/routing.ts'
import { roleNames, screenForRoute, screensFor } from './shell/screens.tsx'
import { SessionContext } from './shell/session-context.ts'

export { navigate } from './shell/routing.ts'

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined)
  const route = useHashRoute()

  useEffect(() => {
    api.auth.session().then(setSession, () => setSession(null))
  }, [])

  // An invitation link works whoever is signed in on this browser: accepting signs the invitee in.
  const invite = /^\/invite\/([A-Za-z0-9_-]+)$/.exec(route)
  if (invite) {
    return (
      <AcceptInviteScreen
        token={invite[1]!}
        onSignedIn={(next) => {
          setSession(next)
          navigate('/')
        }}
      />
    )
  }
  if (session === undefined) return <div className="splash">Loading…</div>
  if (session === null) return <SignInScreen onSignedIn={setSession} />
  return (
    <SessionContext.Provider value={session}>
      <SignedInApp
        session={session}
        route={route}
        onSignOut={() => {
          api.auth.signOut().finally(() => setSession(null))
        }}
      />
    </SessionContext.Provider>
  )
}

function SignedInApp({ session, route, onSignOut }: { session: Session; route: string; onSignOut(): void }) {
  const allowed = screensFor(session.user.role)
  const landing = allowed[0]?.path ?? '/flows'
  useEffect(() => {
    if (route === '/') navigate(landing)
  }, [route, landing])

  const flowMatch = /^\/flows\/([^/]+)$/.exec(route)
  if (flowMatch) return <EditorScreen key={flowMatch[1]} flowId={flowMatch[1]!} />

  const screen = screenForRoute(route)
  const mayOpen = screen !== undefined && allowed.includes(screen)
  const Screen = mayOpen ? screen.component : null
  return (
    <AppShell session={session} current={mayOpen ? screen : undefined} onSignOut={onSignOut}>
      {Screen ? (
        <Suspense
          fallback={
            <p className="muted" aria-busy="true">
              Loading…
            </p>
          }
        >
          <Screen />
        </Suspense>
      ) : route === '/' ? null : (
        <div className="empty" role="alert">
          <h2>{screen ? `${screen.label} is not open to you` : 'There is nothing here'}</h2>
          <p>
            {screen
              ? `As ${roleNames[session.user.role].toLowerCase()}, you can't open ${screen.label}. The store's owner can change your role.`
              : 'The address may be mistyped, or the page has moved.'}
          </p>
          <a className="button primary" href={`#${landing}`}>
            Go to {allowed[0]?.label ?? 'Flows'}
          </a>
        </div>
      )}
    </AppShell>
  )
}
