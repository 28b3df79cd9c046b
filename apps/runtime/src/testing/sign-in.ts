// Signing in through the real route, for suites that call the app with app.request(...).
import type { Hono } from 'hono'

export interface SignedIn {
  /** `parley_session=...` for the Cookie header. */
  cookie: string
  csrfToken: string
  /** Headers for a GET (cookie) and for a mutation (cookie + CSRF + JSON). */
  read: Record<string, string>
  write: Record<string, string>
}

/**
 * @example
 * const owner = await signIn(app, seeded)
 * await app.request('/api/flows', { method: 'POST', headers: owner.write, body: '{}' })
 */
export async function signIn(
  app: Pick<Hono, 'request'>,
  credentials: { email: string; password: string },
): Promise<SignedIn> {
  const res = await app.request('/api/auth/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: credentials.email, password: credentials.password }),
  })
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`)
  const setCookie = res.headers.get('set-cookie') ?? ''
  const cookie = setCookie.split(';')[0] ?? ''
  const { csrfToken } = (await res.json()) as { csrfToken: string }
  return {
    cookie,
    csrfToken,
    read: { cookie },
    write: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
  }
}
