// The page an invitation link opens (#/invite/<token>): who invited you to what, then a name and a password;
// accepting signs you in.
import type { Invitation, Session } from '@parley/api'
import { type FormEvent, useEffect, useState } from 'react'
import { api, errorMessage } from '../api/api.ts'
import { roleNames } from '../shell/screens.tsx'
import { Logo } from '../ui/logo.tsx'

export function AcceptInviteScreen({
  token,
  onSignedIn,
}: {
  token: string
  onSignedIn(session: Session): void
}) {
  const [invitation, setInvitation] = useState<Invitation | null | undefined>(undefined)
  const [problem, setProblem] = useState<string | null>(null)
  const [name, setName] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    api.invites.preview(token).then(setInvitation, (e) => {
      setInvitation(null)
      setProblem(errorMessage(e))
    })
  }, [token])

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (password.length < 10) {
      setError('Use at least 10 characters for your password.')
      return
    }
    setBusy(true)
    setError(null)
    try {
      onSignedIn(await api.invites.accept({ token, name, password }))
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="sign-in">
      <form className="sign-in-card" onSubmit={submit}>
        <Logo />
        {invitation === undefined ? <p className="muted">Checking your invitation…</p> : null}
        {invitation === null ? (
          <>
            <h1>This link no longer works</h1>
            <p role="alert">{problem}</p>
            <a className="button wide" href="#/">
              Go to sign in
            </a>
          </>
        ) : null}
        {invitation ? (
          <>
            <h1>Join {invitation.merchantName}</h1>
            <p className="muted">
              You're invited as {roleNames[invitation.role].toLowerCase()} with {invitation.email}. Choose
              your name and a password to sign in.
            </p>
            <label className="field">
              <span className="label">Your name</span>
              <input
                className="input"
                required
                maxLength={120}
                autoComplete="name"
                value={name}
                onChange={(e) => setName(e.target.value)}
              />
            </label>
            <label className="field">
              <span className="label">Password</span>
              <input
                className="input"
                type="password"
                required
                autoComplete="new-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
              <span className="field-hint">At least 10 characters.</span>
            </label>
            {error ? (
              <p className="form-error" role="alert">
                {error}
              </p>
            ) : null}
            <button type="submit" className="button primary wide" disabled={busy}>
              {busy ? 'Joining…' : 'Join and sign in'}
            </button>
          </>
        ) : null}
      </form>
    </div>
  )
}
