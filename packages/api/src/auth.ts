// Staff sign-in and the current session.
import { z } from 'zod'
import { isoDateTime } from './common.ts'

export const userRoleSchema = z.enum(['owner', 'editor', 'agent'])
export type UserRole = z.infer<typeof userRoleSchema>

export const signInRequestSchema = z
  .object({
    email: z.string().trim().toLowerCase().max(254).pipe(z.email()),
    password: z.string().min(1).max(1024),
    /** Only needed when the same email works for more than one merchant. */
    merchantId: z.uuid().optional(),
  })
  .meta({ id: 'SignInRequest' })
export type SignInRequest = z.input<typeof signInRequestSchema>

export const sessionSchema = z
  .object({
    user: z.object({ id: z.uuid(), email: z.string(), name: z.string(), role: userRoleSchema }),
    merchant: z.object({ id: z.uuid(), name: z.string() }),
    /** Send back in `X-CSRF-Token` on every POST, PUT, PATCH and DELETE. */
    csrfToken: z.string(),
    expiresAt: isoDateTime,
  })
  .meta({ id: 'Session' })
export type Session = z.infer<typeof sessionSchema>

export const CSRF_HEADER = 'X-CSRF-Token'
/**
 * On every API answer: the runtime's clock, in milliseconds since the epoch (the dev clock in a demo, which may be
 * hours or days ahead of the wall). The editor says "5 min ago" by it, not by the device's clock.
 */
export const SERVER_TIME_HEADER = 'X-Parley-Now'
export const SESSION_COOKIE = 'parley_session'
