import type { InboxListItem } from '@parley/api'
import { describe, expect, it } from 'vitest'
import { belongsTo, compareIn, deliveryWords, statusWords, waitedFor } from './inbox-words.ts'

const item = (over: Partial<InboxListItem>): InboxListItem =>
  ({
    id: '00000000-0000-4000-8000-000000000001',
    status: 'waiting',
    assignedUserId: null,
    assignedUserName: null,
    escalatedAt: null,
    lastMessageAt: null,
    createdAt: '2026-11-30T09:00:00.000Z',
    unread: 0,
    ...over,
  }) as InboxListItem

describe('inbox words', () => {
  it('says how long someone has waited', () => {
    const now = Date.parse('2026-11-30T12:00:00Z')
    expect(waitedFor('2026-11-30T11:59:30Z', now)).toBe('under a minute')
    expect(waitedFor('2026-11-30T11:48:00Z', now)).toBe('12 min')
    expect(waitedFor('2026-11-30T09:55:00Z', now)).toBe('2 h 5 min')
    expect(waitedFor('2026-11-28T12:00:00Z', now)).toBe('2 days')
  })

  it('puts failures and refusals in words, never codes', () => {
    expect(
      deliveryWords({ status: 'failed', error: 'Recipient phone number not on WhatsApp', skipReason: null }),
    ).toBe('Not delivered: Recipient phone number not on WhatsApp')
    expect(
      deliveryWords({ status: 'skipped', skipReason: 'outside_window_no_template', error: null }),
    ).toContain('24-hour window')
    expect(deliveryWords({ status: 'skipped', skipReason: 'something_new', error: null })).not.toContain(
      'something_new',
    )
  })

  it('names who has the conversation', () => {
    expect(statusWords({ status: 'assigned', assignedUserName: 'Sam Lee' }, 'Sam Lee')).toBe('With you')
    expect(statusWords({ status: 'assigned', assignedUserName: 'Alex' }, 'Sam Lee')).toBe('With Alex')
  })

  it('places a live update in the right view and order', () => {
    const me = '00000000-0000-4000-8000-0000000000aa'
    expect(belongsTo('mine', item({ status: 'assigned', assignedUserId: me }), me)).toBe(true)
    expect(belongsTo('mine', item({ status: 'resolved', assignedUserId: me }), me)).toBe(false)
    expect(belongsTo('waiting', item({ status: 'assigned' }), me)).toBe(false)
    const early = item({
      id: 'a',
      escalatedAt: '2026-11-30T09:00:00.000Z',
      lastMessageAt: '2026-11-30T10:00:00.000Z',
    })
    const late = item({
      id: 'b',
      escalatedAt: '2026-11-30T09:30:00.000Z',
      lastMessageAt: '2026-11-30T09:31:00.000Z',
    })
    expect([late, early].sort(compareIn('waiting')).map((c) => c.id)).toEqual(['a', 'b'])
    expect([late, early].sort(compareIn('open')).map((c) => c.id)).toEqual(['a', 'b'])
    expect([early, late].sort(compareIn('open')).map((c) => c.id)).toEqual(['a', 'b'])
  })
})
