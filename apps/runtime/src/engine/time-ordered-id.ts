// Time-ordered row ids (UUIDv7, RFC 9562) for the rows the engine creates: runs, messages. Rows created together
// (the runs that later come due together, a conversation's messages) get neighbouring keys, so their index
// entries share pages instead of being spread over whole indexes as random v4 keys are (issue 9, acceptance 4:
// a firing's cost must not grow with the number of idle runs). The database's defaults use the same layout
// (`uuid_v7()`, migration 202612040000).
//
// Not for anything a secret rides on: the first 48 bits tell when the row was made, and only 74 bits are random.
// Tokens, visitor ids and invites stay random v4.

/**
 * A UUIDv7: 48-bit unix milliseconds, version 7, the RFC variant, 74 random bits. Ids of different
 * milliseconds sort (as strings and as Postgres uuids) in time order; within one millisecond the order is random.
 * The wall clock by default, not the injected clock: the point is where the row lands in the index, and that
 * follows when it was inserted, as the database's default does (`clock_timestamp()`).
 *
 * @example timeOrderedId() // '019ad8f2-6c1e-7b3a-9f04-5d2e8c7a1b60'
 */
export function timeOrderedId(unixMs: number = Date.now()): string {
  const bytes = new Uint8Array(16)
  crypto.getRandomValues(bytes)
  // 48 bits of milliseconds, big-endian (a Number holds them exactly; the shifts of JS are 32-bit, so divide).
  let ms = Math.floor(unixMs)
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256
    ms = Math.floor(ms / 256)
  }
  bytes[6] = 0x70 | (bytes[6]! & 0x0f)
  bytes[8] = 0x80 | (bytes[8]! & 0x3f)
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
