import { describe, expect, it } from 'vitest'
import { acknowledgementText, fallbackText } from './acknowledgement.ts'
import { openingState, replyTimeInWords } from './business-hours.ts'
import { DEFAULT_QUEUES } from './escalation-queues.ts'

const weekdays = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '09:00', close: '17:00' }
// Monday 5 January 2026.
const monday = (h: number, m = 0) => Date.UTC(2026, 0, 5, h, m)

describe('business hours', () => {
  it('is open inside the hours on an open day, in the store’s zone', () => {
    expect(openingState(monday(10), weekdays, 'UTC')).toEqual({ open: true })
    // 08:30 UTC is 09:30 in Berlin (CET, UTC+1).
    expect(openingState(monday(8, 30), weekdays, 'Europe/Berlin')).toEqual({ open: true })
    expect(openingState(monday(8, 30), weekdays, 'UTC').open).toBe(false)
  })

  it('says when it opens next: later today, tomorrow, or on a named day', () => {
    expect(openingState(monday(7), weekdays, 'UTC')).toEqual({
      open: false,
      opensAt: monday(9),
      label: 'today at 09:00',
    })
    expect(openingState(monday(18), weekdays, 'UTC')).toEqual({
      open: false,
      opensAt: monday(9) + 24 * 3_600_000,
      label: 'tomorrow at 09:00',
    })
    // Friday 18:00 → Monday.
    expect(openingState(monday(18) + 4 * 24 * 3_600_000, weekdays, 'UTC')).toEqual({
      open: false,
      opensAt: monday(9) + 7 * 24 * 3_600_000,
      label: 'on Monday at 09:00',
    })
  })

  it('without hours the team is always in', () => {
    expect(openingState(monday(3), null, 'UTC')).toEqual({ open: true })
  })

  it('says reply times in words', () => {
    expect(replyTimeInWords(1)).toBe('1 minute')
    expect(replyTimeInWords(15)).toBe('15 minutes')
    expect(replyTimeInWords(60)).toBe('1 hour')
    expect(replyTimeInWords(90)).toBe('1 hour 30 minutes')
    expect(replyTimeInWords(48 * 60)).toBe('2 days')
  })
})

describe('the acknowledgement', () => {
  const support = DEFAULT_QUEUES.find((q) => q.key === 'support')!
  const store = { business_hours: weekdays, timezone: 'UTC' }

  it('promises the reply time inside business hours and says when the team is back outside them', () => {
    expect(acknowledgementText(support, store, monday(10))).toBe(
      "I've asked the team — a person will reply here, usually within 30 minutes.",
    )
    expect(acknowledgementText(support, store, monday(20))).toBe(
      "I've asked the team. They're away right now — a person will reply here after they're back tomorrow at 09:00.",
    )
  })

  it("uses the queue's own hours before the store's, and fills in the queue's name", () => {
    const weekend = {
      ...support,
      name: 'Weekend desk',
      businessHours: { days: ['sat' as const, 'sun' as const], open: '10:00', close: '14:00' },
      acknowledgementClosed: 'The {{queue}} opens {{opens_at}}.',
      fallbackMessage: 'The {{queue}} is busy.',
    }
    expect(acknowledgementText(weekend, store, monday(10))).toBe(
      'The Weekend desk opens on Saturday at 10:00.',
    )
    expect(fallbackText(weekend)).toBe('The Weekend desk is busy.')
  })
})
