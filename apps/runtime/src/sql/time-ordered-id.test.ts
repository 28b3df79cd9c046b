import { createTestDatabase, type TestDatabase, testDatabases } from '@parley/db/testing'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { timeOrderedId } from './time-ordered-id.ts'

/** The unix milliseconds in a UUIDv7's first 48 bits. */
const millisOf = (id: string) => Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

describe('timeOrderedId', () => {
  it('is a UUID of version 7 with the RFC 9562 variant', () => {
    for (let i = 0; i < 200; i++) {
      const id = timeOrderedId()
      expect(id).toMatch(UUID)
      expect(id[14]).toBe('7')
      expect(['8', '9', 'a', 'b']).toContain(id[19])
    }
  })

  it('carries the unix milliseconds in its first 48 bits', () => {
    const at = Date.UTC(2026, 11, 1, 10, 0, 0, 123)
    const id = timeOrderedId(at)
    expect(millisOf(id)).toBe(at)
    // The largest 48-bit instant still fits (year 10889).
    expect(timeOrderedId(2 ** 48 - 1).slice(0, 13)).toBe('ffffffff-ffff')
    expect(timeOrderedId(0).slice(0, 13)).toBe('00000000-0000')
  })

  it('sorts in time order across milliseconds, as text and as Postgres compares uuids (bytewise)', () => {
    const start = Date.UTC(2026, 11, 1)
    // Instants across byte boundaries of the timestamp (255 → 256 ms, and a carry through several bytes).
    const instants = [
      start,
      start + 1,
      start + 255,
      start + 256,
      start + 65_535,
      start + 65_536,
      start + 86_400_000,
    ]
    const ids = instants.map((ms) => timeOrderedId(ms))
    expect([...ids].sort()).toEqual(ids)
    const shuffled = [...ids].reverse()
    expect(shuffled.sort()).toEqual(ids)
  })

  it('refuses an instant outside 48 bits of milliseconds', () => {
    expect(() => timeOrderedId(-1)).toThrow(RangeError)
    expect(() => timeOrderedId(2 ** 48)).toThrow(RangeError)
    expect(() => timeOrderedId(Number.NaN)).toThrow(RangeError)
  })

  it('takes the wall clock by default', () => {
    const before = Date.now()
    const id = timeOrderedId()
    const after = Date.now()
    const ms = millisOf(id)
    expect(ms).toBeGreaterThanOrEqual(before)
    expect(ms).toBeLessThanOrEqual(after)
  })

  it('is unique in a burst within the same millisecond', () => {
    const at = Date.now()
    const ids = new Set(Array.from({ length: 100_000 }, () => timeOrderedId(at)))
    expect(ids.size).toBe(100_000)
    // The random part varies in every position it owns (not a counter left at zero).
    const tails = new Set([...ids].map((id) => id.slice(-12)))
    expect(tails.size).toBe(100_000)
  })
})

describe.each(testDatabases())('timeOrderedId beside the database default uuid_v7() on %s', (kind) => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await createTestDatabase(kind)
  })
  afterAll(() => t?.close())

  it('has the same layout: ids from both interleave in time order as Postgres compares uuids', async () => {
    const ids: string[] = []
    for (let i = 0; i < 3; i++) {
      // A millisecond strictly after the previous id's, from each side in turn (polled, never slept).
      let fromApp = timeOrderedId()
      while (millisOf(fromApp) <= millisOf(ids.at(-1) ?? '0')) fromApp = timeOrderedId()
      ids.push(fromApp)
      for (;;) {
        const { rows } = await sql<{ id: string }>`select uuid_v7()::text as id`.execute(t.db)
        if (millisOf(rows[0]!.id) > millisOf(fromApp)) {
          ids.push(rows[0]!.id)
          break
        }
      }
    }
    const { rows } = await sql<{ id: string }>`
      select id::text from unnest(${[...ids].reverse()}::uuid[]) as id order by id`.execute(t.db)
    expect(rows.map((r) => r.id)).toEqual(ids)
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })
})
