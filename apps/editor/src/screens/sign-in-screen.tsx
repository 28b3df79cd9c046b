// Sign in with email and password.
import { ApiError, type Session } from '@parley/api'
import { type FormEvent, useState } from 'react'
import { api, errorMessage } from '../api/api.ts'
import { Logo } from '../ui/logo.tsx'

export function SignInScreen({ onSignedIn }: { onSignedIn(session: Session): void }) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      onSignedIn(await api.auth.signIn({ email, password }))
    } catch (e) {
      setError(
        e instanceof ApiError && e.status === 401 ? 'That email and password do not match.' : errorMessage(e),
      )
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="sign-in">
      <form className="sign-in-card" onSubmit={submit}>
        <Logo />
        <h1>Sign in to Parley</h1>
        <p className="muted">Draw, test and publish the conversations your shoppers have with your store.</p>
        <label className="field">
          <span className="label">Email</span>
          <input
            className="input"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="label">Password</span>
          <input
            className="input"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="button primary wide" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </div>
  )
}
