import { describe, expect, it } from 'vitest'
import { decideSend, recheckBeforeSend, type SendFacts } from './send-policy.ts'
import { templatePrice } from './template-pricing.ts'
import { isInsideServiceWindow } from './whatsapp-window.ts'

const NOW = Date.UTC(2026, 0, 5, 12, 0)
const HOUR = 3_600_000

function facts(overrides: Partial<SendFacts> = {}): SendFacts {
  return {
    purpose: 'marketing',
    exemption: 'none',
    channelKind: 'webchat',
    optedOut: false,
    marketingConsent: true,
    conversationStatus: 'bot',
    quietHours: null,
    lastInboundAt: null,
    hasTemplate: false,
    frequencyCap: { limit: 3, sentInWindow: 0 },
    now: NOW,
    ...overrides,
  }
}

describe('decideSend', () => {
  it('queues a permitted send now, free-form', () => {
    expect(decideSend(facts())).toEqual({ kind: 'queue', sendAt: NOW, mode: 'free_form' })
  })

  it('never sends to an opted-out contact, except the opt-out confirmation itself', () => {
    expect(decideSend(facts({ optedOut: true, purpose: 'transactional' }))).toEqual({
      kind: 'skip',
      reason: 'opted_out',
    })
    expect(decideSend(facts({ optedOut: true, exemption: 'compliance' })).kind).toBe('queue')
  })

  it('needs consent for marketing only', () => {
    expect(decideSend(facts({ marketingConsent: false }))).toEqual({ kind: 'skip', reason: 'no_consent' })
    expect(decideSend(facts({ marketingConsent: false, purpose: 'service' })).kind).toBe('queue')
  })

  it('pauses every bot send while staff have the conversation, but lets the hand-off note through', () => {
    for (const status of ['waiting', 'assigned'] as const) {
      expect(decideSend(facts({ conversationStatus: status, purpose: 'service' }))).toEqual({
        kind: 'skip',
        reason: 'staff_takeover',
      })
    }
    expect(
      decideSend(facts({ conversationStatus: 'waiting', exemption: 'handoff', purpose: 'service' })).kind,
    ).toBe('queue')
  })

  it('holds marketing while staff wait for or own the chat, or another chat of the contact (paused, not dropped)', () => {
    for (const status of ['waiting', 'assigned'] as const) {
      expect(decideSend(facts({ conversationStatus: status }))).toEqual({ kind: 'hold', mode: 'free_form' })
    }
    expect(decideSend(facts({ contactWithStaff: true }))).toEqual({ kind: 'hold', mode: 'free_form' })
    // Only marketing looks at the contact's other chats: a bot reply here still goes out.
    expect(decideSend(facts({ contactWithStaff: true, purpose: 'service' })).kind).toBe('queue')
    expect(
      decideSend(facts({ conversationStatus: 'waiting', channelKind: 'whatsapp', hasTemplate: true })),
    ).toEqual({ kind: 'hold', mode: 'template' })
    // What would never go out is not held: no consent, or the cap reached.
    expect(decideSend(facts({ conversationStatus: 'waiting', marketingConsent: false }))).toEqual({
      kind: 'skip',
      reason: 'no_consent',
    })
  })

  it('caps bot marketing per contact in the window; transactional sends are not capped', () => {
    expect(decideSend(facts({ frequencyCap: { limit: 3, sentInWindow: 3 } }))).toEqual({
      kind: 'skip',
      reason: 'frequency_cap',
    })
    expect(
      decideSend(facts({ purpose: 'transactional', frequencyCap: { limit: 3, sentInWindow: 9 } })).kind,
    ).toBe('queue')
  })

  it('defers marketing to the end of quiet hours; transactional goes now', () => {
    const quietHours = { startMinute: 11 * 60, endMinute: 14 * 60, timeZone: 'UTC' }
    expect(decideSend(facts({ quietHours }))).toEqual({
      kind: 'queue',
      sendAt: NOW + 2 * HOUR,
      mode: 'free_form',
    })
    expect(decideSend(facts({ quietHours, purpose: 'transactional' }))).toEqual({
      kind: 'queue',
      sendAt: NOW,
      mode: 'free_form',
    })
  })

  it('WhatsApp: free-form inside 24 h of the last inbound, the template outside, skipped without one', () => {
    const whatsapp = { channelKind: 'whatsapp' as const }
    expect(decideSend(facts({ ...whatsapp, lastInboundAt: new Date(NOW - 23 * HOUR) }))).toMatchObject({
      mode: 'free_form',
    })
    expect(
      decideSend(facts({ ...whatsapp, lastInboundAt: new Date(NOW - 25 * HOUR), hasTemplate: true })),
    ).toMatchObject({ mode: 'template' })
    expect(decideSend(facts({ ...whatsapp, lastInboundAt: null }))).toEqual({
      kind: 'skip',
      reason: 'outside_window_no_template',
    })
    // Non-WhatsApp channels have no window.
    expect(decideSend(facts({ channelKind: 'telegram', lastInboundAt: null })).kind).toBe('queue')
  })

  it('judges the window at the deferred send time', () => {
    const quietHours = { startMinute: 11 * 60, endMinute: 14 * 60, timeZone: 'UTC' }
    // Inside the window now, but not any more when quiet hours end.
    const decision = decideSend(
      facts({ channelKind: 'whatsapp', quietHours, lastInboundAt: new Date(NOW - 23 * HOUR) }),
    )
    expect(decision).toEqual({ kind: 'skip', reason: 'outside_window_no_template' })
  })
})

describe('recheckBeforeSend', () => {
  it('skips what changed since queueing, defers into quiet hours, re-checks the window', () => {
    expect(recheckBeforeSend({ ...facts({ optedOut: true }), mode: 'free_form' })).toEqual({
      kind: 'skip',
      reason: 'opted_out',
    })
    expect(
      recheckBeforeSend({
        ...facts({ conversationStatus: 'assigned', purpose: 'service' }),
        mode: 'free_form',
      }),
    ).toMatchObject({
      reason: 'staff_takeover',
    })
    expect(recheckBeforeSend({ ...facts({ conversationStatus: 'assigned' }), mode: 'free_form' })).toEqual({
      kind: 'hold',
    })
    const quietHours = { startMinute: 11 * 60, endMinute: 14 * 60, timeZone: 'UTC' }
    expect(recheckBeforeSend({ ...facts({ quietHours }), mode: 'free_form' })).toEqual({
      kind: 'defer',
      until: NOW + 2 * HOUR,
    })
    expect(
      recheckBeforeSend({
        ...facts({ channelKind: 'whatsapp', lastInboundAt: new Date(NOW - 30 * HOUR) }),
        mode: 'free_form',
      }),
    ).toMatchObject({ reason: 'outside_window_no_template' })
    expect(
      recheckBeforeSend({ ...facts({ channelKind: 'whatsapp', lastInboundAt: null }), mode: 'template' }),
    ).toEqual({ kind: 'send' })
  })
})

describe('window and prices', () => {
  it('the window is 24 h from the last inbound message', () => {
    expect(isInsideServiceWindow(new Date(NOW - 24 * HOUR + 1), NOW)).toBe(true)
    expect(isInsideServiceWindow(new Date(NOW - 24 * HOUR), NOW)).toBe(false)
    expect(isInsideServiceWindow(null, NOW)).toBe(false)
  })
  it('prices templates by category in the merchant currency, USD otherwise', () => {
    expect(templatePrice('marketing', 'eur')).toEqual({ amount: 0.0537, currency: 'EUR' })
    expect(templatePrice('utility', 'XYZ')).toEqual({ amount: 0.004, currency: 'USD' })
  })
})
