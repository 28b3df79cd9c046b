// The text of a write set's rows as one JSON parameter (`jsonb_to_recordset`). JSON.stringify writes a Date through
// its `toJSON` (a call back into JavaScript and an ISO formatting per value): a timer firing's rows hold about ten
// dates, nearly all the batch's own `now`, and formatting them was ~85 % of the rows' stringify time (~70 µs a
// firing, the largest single item of the runtime's CPU per firing). Each distinct instant is formatted once here
// and the rows are written with the strings: the same text, byte for byte.

/**
 * `JSON.stringify(rows)` for plain rows; a Date at a row's top level (a timestamp column) is formatted once per
 * instant. Nested values (jsonb columns) are left to JSON.stringify. With `omitNulls`, a top-level key whose value is
 * null is left out: `jsonb_to_recordset` reads a missing key as null, as it reads a null one, and a transcript row
 * has ~7 null columns of 21 (−18 % of its text, which the runtime writes and Postgres parses; BENCHMARKS.md
 * session 11).
 * @example sql`${jsonRowsText(rows, { omitNulls: true })}::jsonb`
 */
export function jsonRowsText(rows: readonly object[], options: { omitNulls?: boolean } = {}): string {
  const iso = new Map<number, string | null>()
  const omitNulls = options.omitNulls === true
  const written = new Array<Record<string, unknown>>(rows.length)
  for (let i = 0; i < rows.length; i++)
    written[i] = rowForJson(iso, rows[i] as Record<string, unknown>, omitNulls)
  return JSON.stringify(written)
}

/**
 * `jsonRowsText(rows, { omitNulls: true })` for rows the caller built for this write and drops after it: each row's
 * top-level values are replaced in place (a Date by its text, null by undefined, which JSON.stringify leaves out as
 * it leaves out a missing key) instead of copied into a new row, the same text for half the time and none of the
 * copies' garbage (a timer firing writes five such rows). The rows are spent: read them no more.
 * @example sql`${spentRowsText(rows.map((r) => ({ id: r.id, at: r.at })))}::jsonb`
 */
export function spentRowsText(rows: readonly object[]): string {
  const iso = new Map<number, string | null>()
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as Record<string, unknown>
    // Own enumerable keys (what jsonRowsText reads): the rows are object literals, nothing enumerable is inherited.
    for (const key in row) {
      const value = row[key]
      const spent = value === null ? undefined : value instanceof Date ? isoOf(iso, value) : value
      // An own data property, `__proto__` too: assigning it never reaches the prototype's setter.
      if (spent !== value) row[key] = spent
    }
  }
  return JSON.stringify(rows)
}

/** The row's own enumerable keys (what a spread copies), dates as their text; with `omitNulls`, not those holding null. */
function rowForJson(
  iso: Map<number, string | null>,
  row: Record<string, unknown>,
  omitNulls: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(row)) {
    const value = row[key]
    if (omitNulls && value === null) continue
    const text = value instanceof Date ? isoOf(iso, value) : value
    // An own `__proto__` key (as a spread copies it); assigned, it would set the prototype instead.
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: text, enumerable: true, writable: true, configurable: true })
    else out[key] = text
  }
  return out
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
