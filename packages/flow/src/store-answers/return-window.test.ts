import { describe, expect, it } from 'vitest'
import { returnWindow } from './return-window.ts'

const DAY = 24 * 60 * 60 * 1000
const ordered = '2026-11-01T10:00:00.000Z'
const shipped = '2026-11-02T10:00:00.000Z'
const delivered = '2026-11-05T10:00:00.000Z'

describe('the return window', () => {
  it('counts from delivery, else shipping, else the order', () => {
    const at = (iso: string, days: number) => Date.parse(iso) + days * DAY
    expect(
      returnWindow({ createdAt: ordered, shippedAt: shipped, deliveredAt: delivered }, 30, at(delivered, 30)),
    ).toEqual({
      returnable: true,
      returnBy: '2026-12-05T10:00:00.000Z',
      daysSinceDelivery: 30,
    })
    expect(
      returnWindow(
        { createdAt: ordered, shippedAt: shipped, deliveredAt: delivered },
        30,
        at(delivered, 30) + 1,
      ).returnable,
    ).toBe(false)
    expect(returnWindow({ createdAt: ordered, shippedAt: shipped }, 14, at(shipped, 14)).returnable).toBe(
      true,
    )
    expect(returnWindow({ createdAt: ordered }, 14, at(ordered, 15)).returnable).toBe(false)
  })

  it('says how many whole days ago it was delivered, and nothing when no delivery was reported', () => {
    const now = Date.parse(delivered) + 12 * DAY + 5 * 60 * 60 * 1000
    expect(returnWindow({ createdAt: ordered, deliveredAt: delivered }, 30, now).daysSinceDelivery).toBe(12)
    expect(returnWindow({ createdAt: ordered, shippedAt: shipped }, 30, now).daysSinceDelivery).toBeNull()
  })
})
