// The team: who can sign in and with which role, invitations by link (shown once), role changes, removal.
import type { CreatedInvite, Team, UserRole } from '@parley/api'
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react'
import { api, errorMessage } from '../api/api.ts'
import { roleNames } from '../shell/screens.tsx'
import { relativeTime } from '../ui/relative-time.ts'
import { CopyOnce } from './copy-once.tsx'

const roles: UserRole[] = ['owner', 'editor', 'agent']
const roleHints: Record<UserRole, string> = {
  owner: 'everything, including channels, settings, team and API keys',
  editor: 'flows, catalogue and analytics',
  agent: 'the inbox, and flows to read',
}

const onDay = (iso: string) => new Date(iso).toLocaleDateString(undefined, { day: 'numeric', month: 'long' })

export function inviteLink(token: string): string {
  return `${window.location.origin}${window.location.pathname}#/invite/${token}`
}

export function TeamSection() {
  const [team, setTeam] = useState<Team | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<UserRole>('agent')
  const [created, setCreated] = useState<CreatedInvite | null>(null)
  const [busy, setBusy] = useState(false)
  const emailId = useId()
  const roleId = useId()

  const load = useCallback(() => {
    api.team.get().then(setTeam, (e) => setError(errorMessage(e)))
  }, [])
  useEffect(load, [load])

  const act = async (work: () => Promise<unknown>) => {
    setError(null)
    try {
      await work()
    } catch (e) {
      setError(errorMessage(e))
    }
    load()
  }

  const invite = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setCreated(null)
    await act(async () => {
      setCreated(await api.team.invite({ email, role }))
      setEmail('')
    })
    setBusy(false)
  }

  return (
    <div className="settings-section">
      {error ? (
        <p className="banner error" role="alert">
          {error}
        </p>
      ) : null}
      <form className="invite-form" onSubmit={invite}>
        <h2>Invite someone</h2>
        <div className="row">
          <div className="field grow">
            <label className="label" htmlFor={emailId}>
              Email
            </label>
            <input
              id={emailId}
              className="input"
              type="email"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </div>
          <div className="field">
            <label className="label" htmlFor={roleId}>
              Role
            </label>
            <select
              id={roleId}
              className="input"
              value={role}
              onChange={(e) => setRole(e.target.value as UserRole)}
            >
              {roles.map((r) => (
                <option key={r} value={r}>
                  {roleNames[r]}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Inviting…' : 'Create invitation link'}
          </button>
        </div>
        <p className="field-hint">
          {roleNames[role]}: {roleHints[role]}.
        </p>
        {created ? (
          <CopyOnce
            label={`Invitation link for ${created.invite.email}`}
            value={inviteLink(created.token)}
            note={`Send this link to ${created.invite.email}. It works once, until ${onDay(created.invite.expiresAt)}, and is not shown again.`}
          />
        ) : null}
      </form>

      <h2>Members</h2>
      {team === null ? (
        <p className="muted">Loading the team…</p>
      ) : (
        <ul className="settings-list" aria-label="Members">
          {team.members.map((m) => (
            <li key={m.id}>
              <div className="grow">
                <strong>{m.name || m.email}</strong> {m.isYou ? <span className="muted">(you)</span> : null}
                <div className="muted small">
                  {m.email} ·{' '}
                  {m.lastSignInAt ? `signed in ${relativeTime(m.lastSignInAt)}` : 'never signed in'}
                </div>
              </div>
              <select
                className="input input-narrow"
                aria-label={`Role of ${m.name || m.email}`}
                value={m.role}
                onChange={(e) => act(() => api.team.changeRole(m.id, { role: e.target.value as UserRole }))}
              >
                {roles.map((r) => (
                  <option key={r} value={r}>
                    {roleNames[r]}
                  </option>
                ))}
              </select>
              <button
                type="button"
                className="button ghost sm danger"
                onClick={() => {
                  if (window.confirm(`Remove ${m.name || m.email}? They are signed out at once.`)) {
                    act(() => api.team.remove(m.id))
                  }
                }}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}

      {team && team.invites.length > 0 ? (
        <>
          <h2>Waiting to join</h2>
          <ul className="settings-list" aria-label="Invitations">
            {team.invites.map((i) => (
              <li key={i.id}>
                <div className="grow">
                  <strong>{i.email}</strong>
                  <div className="muted small">
                    {roleNames[i.role]} · link works until {onDay(i.expiresAt)}
                  </div>
                </div>
                <button
                  type="button"
                  className="button ghost sm"
                  onClick={() => act(() => api.team.withdrawInvite(i.id))}
                >
                  Withdraw
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  )
}
