// How a staff member appears to shoppers (issue 12): the name in "Sam from North Thread joined the chat" and on
// their replies, and the picture beside those replies in the web-chat widget. Each person sets their own.
import { z } from 'zod'

export const staffProfileSchema = z
  .object({
    /** The account's full name (staff see it). */
    name: z.string(),
    /** Chosen for shoppers; null = the first word of `name`. */
    displayName: z.string().nullable(),
    avatarUrl: z.string().nullable(),
    /** What shoppers see now ("Sam"). */
    shownAs: z.string(),
  })
  .meta({ id: 'StaffProfile' })
export type StaffProfile = z.infer<typeof staffProfileSchema>

export const updateStaffProfileRequestSchema = z
  .object({
    displayName: z.string().trim().max(40, 'At most 40 characters').nullable(),
    avatarUrl: z
      .string()
      .trim()
      .max(2000)
      .regex(/^https:\/\/\S+$/, 'Use an https:// address of a picture')
      .nullable(),
  })
  .strict()
  .meta({ id: 'UpdateStaffProfileRequest' })
export type UpdateStaffProfileRequest = z.input<typeof updateStaffProfileRequestSchema>
