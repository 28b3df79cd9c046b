// The dev clock over HTTP (demo and tests): read the virtual time, advance it, and run what came due.
// Refused with 404 when the virtual clock is off (always in production); advancing needs owner or editor.
import { createRoute, z } from '@hono/zod-openapi'
import type { MiddlewareHandler } from 'hono'
import type { RuntimeDeps } from '../deps.ts'
import type { AppEnv } from '../http/app-env.ts'
import { AppError } from '../http/errors.ts'
import { errorResponses } from '../http/openapi-responses.ts'
import { requireRole } from '../http/require-role.ts'
import { createRouter } from '../http/router.ts'
import { requireSession } from '../http/session-auth.ts'
import { VirtualClock } from '../time/clock.ts'
import { loadClockOffset, syncClockOffset } from '../time/clock-offset.ts'
import { advanceDevClock, canAdvance } from '../time/dev-clock.ts'

export { loadClockOffset }

const MAX_ADVANCE_MS = 400 * 24 * 60 * 60 * 1000

const clockSchema = z.object({ now: z.string(), offsetMs: z.number() })

const advanceRequestSchema = z
  .object({
    ms: z.number().int().positive().max(MAX_ADVANCE_MS).optional(),
    hours: z
      .number()
      .positive()
      .max(MAX_ADVANCE_MS / 3_600_000)
      .optional(),
  })
  .refine((body) => (body.ms === undefined) !== (body.hours === undefined), {
    message: 'Give either ms or hours',
  })

const advanceResponseSchema = clockSchema.extend({
  due: z.object({
    cartsAbandoned: z.number(),
    timersFired: z.number(),
    timersDropped: z.number(),
    messagesSent: z.number(),
  }),
})

const devClockOn: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.var.deps.config.devClock) throw new AppError(404, 'not_found', 'The dev clock is off')
  await next()
}

const read = createRoute({
  method: 'get',
  path: '/',
  tags: ['dev'],
  summary: 'The virtual clock (dev only)',
  security: [{ session: [] }],
  middleware: [devClockOn, requireSession],
  responses: {
    200: { description: 'Now', content: { 'application/json': { schema: clockSchema } } },
    ...errorResponses,
  },
})

const advance = createRoute({
  method: 'post',
  path: '/advance',
  tags: ['dev'],
  summary: 'Move the virtual clock forward and run what came due (dev only)',
  security: [{ session: [] }],
  middleware: [devClockOn, requireSession, requireRole('owner', 'editor')],
  request: { body: { required: true, content: { 'application/json': { schema: advanceRequestSchema } } } },
  responses: {
    200: { description: 'Advanced', content: { 'application/json': { schema: advanceResponseSchema } } },
    ...errorResponses,
  },
})

function offsetOf(deps: RuntimeDeps): number {
  return deps.clock instanceof VirtualClock ? deps.clock.offsetMs : 0
}

export function devClockRoutes(deps: RuntimeDeps) {
  return createRouter()
    .openapi(read, async (c) => {
      await syncClockOffset(deps.db, deps.clock)
      return c.json({ now: new Date(deps.clock.now()).toISOString(), offsetMs: offsetOf(deps) }, 200)
    })
    .openapi(advance, async (c) => {
      const body = c.req.valid('json')
      const ms = body.ms ?? Math.round((body.hours ?? 0) * 3_600_000)
      if (!canAdvance(deps.clock)) throw new AppError(404, 'not_found', 'The dev clock is off')
      const due = await advanceDevClock(deps, ms)
      return c.json({ now: new Date(deps.clock.now()).toISOString(), offsetMs: offsetOf(deps), due }, 200)
    })
}
