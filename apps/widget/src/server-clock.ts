// "Now" as the runtime sees it. A shopper's device clock can be wrong (set by hand, a dead battery, a travel
// zone change), and demos and the browser tests run the runtime on a clock of their own; the messages carry the
// runtime's times, so "Today" / "Yesterday" are worked out against the runtime's now: the device's clock plus the
// difference last measured from a transcript response.

export class ServerClock {
  #skewMs = 0

  /** Adopts the server's time from a response just received; ignores a missing or unreadable one. */
  observe(serverNow: string | null | undefined, receivedAt = Date.now()): void {
    const at = serverNow ? Date.parse(serverNow) : Number.NaN
    if (Number.isFinite(at)) this.#skewMs = at - receivedAt
  }

  /** The server's now, in ms, by the device's clock corrected by the last skew seen. */
  now(deviceNow = Date.now()): number {
    return deviceNow + this.#skewMs
  }
}
