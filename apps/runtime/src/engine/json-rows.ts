// The text of a write set's rows as one JSON parameter (`jsonb_to_recordset`). JSON.stringify writes a Date through
// its `toJSON` (a call back into JavaScript and an ISO formatting per value): a timer firing's rows hold about ten
// dates, nearly all the batch's own `now`, and formatting them was ~85 % of the rows' stringify time (~70 µs a
// firing, the largest single item of the runtime's CPU per firing). Each distinct instant is formatted once here
// and the rows are written with the strings: the same text, byte for byte.

/**
 * `JSON.stringify(rows)` for plain rows; a Date at a row's top level (a timestamp column) is formatted once per
 * instant. Nested values (jsonb columns) are left to JSON.stringify.
 * @example sql`${jsonRowsText(rows)}::jsonb`
 */
export function jsonRowsText(rows: readonly object[]): string {
  const iso = new Map<number, string | null>()
  const written = new Array<Record<string, unknown>>(rows.length)
  for (let i = 0; i < rows.length; i++) {
    // A spread copy keeps the row's shape (JSON.stringify's fast path); only its dates are replaced.
    const out: Record<string, unknown> = { ...rows[i] }
    for (const key of Object.keys(out)) {
      const value = out[key]
      if (value instanceof Date) out[key] = isoOf(iso, value)
    }
    written[i] = out
  }
  return JSON.stringify(written)
}

/** What `Date.prototype.toJSON` gives: the ISO text, or null for an invalid date. */
function isoOf(cache: Map<number, string | null>, date: Date): string | null {
  const time = date.getTime()
  let text = cache.get(time)
  if (text === undefined) {
    text = Number.isFinite(time) ? date.toISOString() : null
    cache.set(time, text)
  }
  return text
}
