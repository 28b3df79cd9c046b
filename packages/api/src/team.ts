// The team (owner only): members and their roles, invitations by link, and accepting an invitation (public:
// the link's single-use token is the credential).
import { z } from 'zod'
import { userRoleSchema } from './auth.ts'
import { isoDateTime } from './common.ts'

export const teamMemberSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: userRoleSchema,
    lastSignInAt: isoDateTime.nullable(),
    /** The caller themself. */
    isYou: z.boolean(),
  })
  .meta({ id: 'TeamMember' })
export type TeamMember = z.infer<typeof teamMemberSchema>

export const inviteSummarySchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: userRoleSchema,
    createdAt: isoDateTime,
    expiresAt: isoDateTime,
  })
  .meta({ id: 'InviteSummary' })
export type InviteSummary = z.infer<typeof inviteSummarySchema>

export const teamSchema = z
  .object({
    members: z.array(teamMemberSchema),
    /** Invitations not yet accepted, revoked or expired. */
    invites: z.array(inviteSummarySchema),
  })
  .meta({ id: 'Team' })
export type Team = z.infer<typeof teamSchema>

const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'That email address is too long')
  .pipe(z.email('Enter an email address such as sam@example.com'))

export const createInviteRequestSchema = z
  .object({ email: emailSchema, role: userRoleSchema })
  .meta({ id: 'CreateInviteRequest' })
export type CreateInviteRequest = z.input<typeof createInviteRequestSchema>

export const createdInviteSchema = z
  .object({
    invite: inviteSummarySchema,
    /** The single-use token of the invitation link (shown once): the app's `#/invite/<token>`. */
    token: z.string(),
  })
  .meta({ id: 'CreatedInvite' })
export type CreatedInvite = z.infer<typeof createdInviteSchema>

export const updateMemberRequestSchema = z
  .object({ role: userRoleSchema })
  .meta({ id: 'UpdateMemberRequest' })
export type UpdateMemberRequest = z.input<typeof updateMemberRequestSchema>

/** base64url of 32 random bytes; anything else names no invitation. */
export const inviteTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{32,128}$/)
export const inviteTokenParamsSchema = z.object({ token: inviteTokenSchema })

export const invitationSchema = z
  .object({ email: z.string(), role: userRoleSchema, merchantName: z.string(), expiresAt: isoDateTime })
  .meta({ id: 'Invitation' })
export type Invitation = z.infer<typeof invitationSchema>

export const acceptInviteRequestSchema = z
  .object({
    token: inviteTokenSchema,
    name: z.string().trim().min(1, 'Enter your name').max(120, 'At most 120 characters'),
    password: z.string().min(10, 'Use at least 10 characters').max(1024, 'At most 1024 characters'),
  })
  .meta({ id: 'AcceptInviteRequest' })
export type AcceptInviteRequest = z.input<typeof acceptInviteRequestSchema>

/** How long an invitation link works. */
export const INVITE_TTL_DAYS = 7
