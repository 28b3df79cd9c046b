// Delay: wait a duration, or until a time of day in the shopper's time zone (quiet mornings,
// "tomorrow at 10:00").
import { z } from 'zod'
import { durationSchema, durationToMs, msUntilTimeOfDay, timeOfDaySchema } from '../duration.ts'
import { eventTime } from '../run-context.ts'
import type { NodeKind } from './types.ts'

const DAY_MS = 24 * 60 * 60 * 1000

export const delayConfigSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('duration'), duration: durationSchema }),
  z.object({
    mode: z.literal('time_of_day'),
    /** "HH:MM", 24-hour clock, in the shopper's zone (`contact.timezone`). */
    time: timeOfDaySchema,
    /** IANA zone used when the shopper's zone is unknown. */
    fallbackTimeZone: z.string().min(1).max(64),
  }),
])
export type DelayConfig = z.infer<typeof delayConfigSchema>

export const delayDefaults = {
  mode: 'duration',
  duration: { amount: 1, unit: 'hours' },
} as const satisfies DelayConfig

function isValidTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone === '') return false
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/** The shopper's zone when it is a real IANA zone, else the node's fallback, else UTC. */
export function shopperTimeZone(contact: unknown, fallback: string): string {
  const zone =
    typeof contact === 'object' && contact !== null ? (contact as { timezone?: unknown }).timezone : null
  if (isValidTimeZone(zone)) return zone
  return isValidTimeZone(fallback) ? fallback : 'UTC'
}

export const delay: NodeKind<'delay', DelayConfig> = {
  kind: 'delay',
  title: 'Delay',
  description: 'Waits a while, or until a time of day in the shopper’s time zone.',
  group: 'timing',
  configSchema: delayConfigSchema,
  defaults: delayDefaults,
  handles: () => [{ id: 'next', label: 'Then' }],
  facts: (config) => {
    const ms = config.mode === 'duration' ? durationToMs(config.duration) : null
    return {
      sends: 0,
      marketing: false,
      // A time of day comes round within a day (a DST jump adds at most an hour).
      timing: { next: ms === null ? { min: 0, max: DAY_MS + 60 * 60 * 1000 } : { min: ms, max: ms } },
      opensWindow: [],
      waits: true,
      terminal: false,
      writes: [],
      hasTemplateFallback: false,
    }
  },
  check: (config, ctx) => {
    if (config.mode === 'duration' && !(durationToMs(config.duration) > 0)) {
      return [
        {
          severity: 'error',
          code: 'non_positive_delay',
          message: `'${ctx.nodeLabel}' must wait longer than 0 ${config.duration.unit}`,
          nodeId: ctx.nodeId,
        },
      ]
    }
    if (config.mode === 'time_of_day' && !isValidTimeZone(config.fallbackTimeZone)) {
      return [
        {
          severity: 'error',
          code: 'unknown_time_zone',
          message: `'${ctx.nodeLabel}' uses an unknown time zone "${config.fallbackTimeZone}"`,
          nodeId: ctx.nodeId,
        },
      ]
    }
    return []
  },
  templates: () => [],
  compile: (config, ctx) => {
    const name =
      config.mode === 'duration'
        ? ctx.delay('wait', () => Math.max(0, durationToMs(config.duration)))
        : ctx.delay('until', (args) =>
            msUntilTimeOfDay(
              eventTime(args),
              config.time,
              shopperTimeZone(args.context.vars.contact, config.fallbackTimeZone),
            ),
          )
    return { after: { [name]: [{ target: ctx.target('next') }] } }
  },
}
