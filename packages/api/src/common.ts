// Small building blocks shared by the resource schemas.
import { z } from 'zod'

/** Timestamps travel as ISO 8601 strings. */
export const isoDateTime = z.iso.datetime({ offset: true })

export const idParamsSchema = z.object({ id: z.uuid() })
export type IdParams = z.infer<typeof idParamsSchema>
