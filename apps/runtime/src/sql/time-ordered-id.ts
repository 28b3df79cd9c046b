// Time-ordered row ids (UUIDv7, RFC 9562) for the rows the engine creates: runs, messages. Rows created together
// (the runs that later come due together, a conversation's messages) get neighbouring keys, so their index
// entries share pages instead of being spread over whole indexes as random v4 keys are (issue 9, acceptance 4:
// a firing's cost must not grow with the number of idle runs). The database's defaults use the same layout
// (`uuid_v7()`, migration 202612040000).
//
// Not for anything a secret rides on: the first 48 bits tell when the row was made, and only 74 bits are random.
// Tokens, visitor ids and invites stay random v4.
import { randomUUID } from 'node:crypto'

/**
 * A UUIDv7: 48-bit unix milliseconds, version 7, the RFC variant, 74 random bits. Ids of different
 * milliseconds sort (as strings and as Postgres uuids) in time order; within one millisecond the order is random.
 * The wall clock by default, not the injected clock: the point is where the row lands in the index, and that
 * follows when it was inserted, as the database's default does (`clock_timestamp()`).
 *
 * The random bits are a v4's from `randomUUID()` (its variant bits are v7's too), whose first 48 bits and version
 * digit are replaced: Node draws those from a batched CSPRNG pool, where a `getRandomValues` call per id cost
 * 12 µs an id against 1.4 µs this way (a busy 2-core machine), and a step makes one per message.
 *
 * @example timeOrderedId() // '019ad8f2-6c1e-7b3a-9f04-5d2e8c7a1b60'
 */
export function timeOrderedId(unixMs: number = Date.now()): string {
  if (!(unixMs >= 0 && unixMs < 2 ** 48)) throw new RangeError(`not a 48-bit unix millisecond: ${unixMs}`)
  const time = Math.floor(unixMs).toString(16).padStart(12, '0')
  // randomUUID(): xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx, from the 15th character on: xxx-Vxxx-xxxxxxxxxxxx.
  return `${time.slice(0, 8)}-${time.slice(8)}-7${randomUUID().slice(15)}`
}
