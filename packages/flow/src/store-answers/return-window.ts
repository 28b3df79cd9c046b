// Whether an order can still be returned: within the merchant's window (days) counted from delivery when the
// carrier reported it, else from shipping, else from the order itself (the shopper is never refused because a
// delivery date is missing). The runtime's order look-up and the simulator both use it.

const DAY = 24 * 60 * 60 * 1000

export interface ReturnWindow {
  /** True while the window is open. */
  returnable: boolean
  /** The last instant a return is accepted (ISO 8601). */
  returnBy: string
  /** Whole days since the carrier reported it delivered; null when no delivery was reported. */
  daysSinceDelivery: number | null
}

/**
 * @example returnWindow({ createdAt: '2026-11-01T10:00:00Z', deliveredAt: '2026-11-04T10:00:00Z' }, 30, now)
 */
export function returnWindow(
  order: { createdAt: string; shippedAt?: string | null; deliveredAt?: string | null },
  windowDays: number,
  now: number,
): ReturnWindow {
  const from = Date.parse(order.deliveredAt ?? order.shippedAt ?? order.createdAt)
  const by = from + windowDays * DAY
  const delivered = order.deliveredAt ? Date.parse(order.deliveredAt) : Number.NaN
  return {
    returnable: now <= by,
    returnBy: new Date(by).toISOString(),
    daysSinceDelivery: Number.isNaN(delivered) ? null : Math.max(0, Math.floor((now - delivered) / DAY)),
  }
}
