import { describe, expect, it } from 'vitest'
import type { SkipReason } from './send-policy.ts'
import { describeDeferral, describeHold, describeSkip } from './send-reasons.ts'

describe('send reasons in plain words', () => {
  it('explains every skip without naming the code', () => {
    const reasons: SkipReason[] = [
      'opted_out',
      'no_consent',
      'staff_takeover',
      'frequency_cap',
      'outside_window_no_template',
      'template_budget',
      'no_channel',
      'channel_disabled',
      'unreachable',
      'handoff_no_longer_relevant',
      'handoff_superseded',
    ]
    for (const reason of reasons) {
      expect(describeSkip(reason)).toMatch(/^Not sent: /)
      expect(describeSkip(reason)).not.toContain('_')
    }
  })

  it('says a paused marketing send waits for the team, without codes', () => {
    expect(describeHold()).toMatch(/^Waiting: your team has this conversation/)
    expect(describeHold()).not.toContain('_')
  })

  it("gives a deferral's end in the shopper's local time", () => {
    expect(describeDeferral(Date.UTC(2026, 0, 6, 7, 0), 'Europe/Berlin')).toBe(
      "Held until 08:00 (shopper's time): quiet hours.",
    )
    expect(describeDeferral(Date.UTC(2026, 6, 6, 12, 0), 'America/New_York')).toBe(
      "Held until 08:00 (shopper's time): quiet hours.",
    )
  })
})
