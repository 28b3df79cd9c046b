// The app shell: checks the session, then routes by hash (#/flows, #/flows/<id>).
import type { Session } from '@parley/api'
import { useEffect, useState } from 'react'
import { api } from './api/api.ts'
import { EditorScreen } from './screens/editor-screen.tsx'
import { FlowsScreen } from './screens/flows-screen.tsx'
import { SignInScreen } from './screens/sign-in-screen.tsx'

function useHashRoute(): string {
  const [hash, setHash] = useState(() => window.location.hash)
  useEffect(() => {
    const onChange = () => setHash(window.location.hash)
    window.addEventListener('hashchange', onChange)
    return () => window.removeEventListener('hashchange', onChange)
  }, [])
  return hash.replace(/^#/, '') || '/flows'
}

export function navigate(path: string) {
  window.location.hash = path
}

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined)
  const route = useHashRoute()

  useEffect(() => {
    api.auth.session().then(setSession, () => setSession(null))
  }, [])

  if (session === undefined) return <div className="splash">Loading…</div>
  if (session === null) return <SignInScreen onSignedIn={setSession} />
  const flowMatch = /^\/flows\/([^/]+)$/.exec(route)
  if (flowMatch) return <EditorScreen key={flowMatch[1]} flowId={flowMatch[1]!} />
  return (
    <FlowsScreen
      session={session}
      onSignOut={() => {
        api.auth.signOut().finally(() => setSession(null))
      }}
    />
  )
}
