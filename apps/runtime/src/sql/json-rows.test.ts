import { describe, expect, it } from 'vitest'
import { jsonRowsText, spentRowsText } from './json-rows.ts'

describe('jsonRowsText', () => {
  it('writes the same text as JSON.stringify for a write set’s rows', () => {
    const at = new Date('2026-11-30T18:00:00.123Z')
    const rows = [
      {
        merchant_id: 'm1',
        id: 'a',
        created_at: at,
        updated_at: new Date(at.getTime()),
        sent_at: null,
        body: { text: 'hi "there"\n', when: new Date(0), nested: [new Date(1), undefined, () => 1] },
        cost: 0.1,
        skipped: undefined,
        ord: 0,
      },
      { merchant_id: 'm1', id: 'b', created_at: new Date(at.getTime() + 1), due_at: new Date(-1), ord: 1 },
      { id: 'c', ended_at: new Date(Number.NaN), at: new Date(8.64e15), list: ['x', null] },
      { ['__proto__']: new Date(5), id: 'd' },
      {},
    ]
    expect(jsonRowsText(rows)).toBe(JSON.stringify(rows))
    expect(jsonRowsText([])).toBe('[]')
  })

  it('formats each instant once and leaves the rows as they were', () => {
    const at = new Date('2026-11-30T18:00:00.000Z')
    const formatted: number[] = []
    const toISOString = at.toISOString.bind(at)
    at.toISOString = () => {
      formatted.push(at.getTime())
      return toISOString()
    }
    const rows = [
      { id: 'a', created_at: at, updated_at: at },
      { id: 'b', created_at: at, updated_at: at },
    ]
    const text = jsonRowsText(rows)
    expect(JSON.parse(text)).toEqual([
      { id: 'a', created_at: '2026-11-30T18:00:00.000Z', updated_at: '2026-11-30T18:00:00.000Z' },
      { id: 'b', created_at: '2026-11-30T18:00:00.000Z', updated_at: '2026-11-30T18:00:00.000Z' },
    ])
    expect(formatted).toHaveLength(1)
    expect(rows[0]?.created_at).toBe(at)
  })
  it('with omitNulls, leaves out the top-level keys holding null: the text JSON.stringify writes for the rows without them', () => {
    const at = new Date('2026-11-30T18:00:00.123Z')
    const rows = [
      {
        merchant_id: 'm1',
        id: 'a',
        created_at: at,
        sent_at: null,
        body: { text: 'hi', reply: null, when: new Date(0) },
        list: ['x', null],
        cost: 0,
        flag: false,
        note: '',
        skipped: undefined,
      },
      { id: 'b', ended_at: new Date(Number.NaN), due_at: new Date(-1), error: null },
      { ['__proto__']: new Date(5), id: 'd', gone: null },
      { only: null },
      {},
    ]
    const expected = rows.map((row) =>
      Object.fromEntries(Object.entries(row).filter(([, value]) => value !== null)),
    )
    expect(jsonRowsText(rows, { omitNulls: true })).toBe(JSON.stringify(expected))
    // Nested nulls stay (a jsonb column's own value), and so do false, 0 and ''.
    expect(JSON.parse(jsonRowsText(rows, { omitNulls: true }))[0]).toEqual({
      merchant_id: 'm1',
      id: 'a',
      created_at: '2026-11-30T18:00:00.123Z',
      body: { text: 'hi', reply: null, when: '1970-01-01T00:00:00.000Z' },
      list: ['x', null],
      cost: 0,
      flag: false,
      note: '',
    })
    expect(rows[0]?.sent_at).toBeNull()
    expect(rows[0]?.created_at).toBe(at)
  })
})

describe('spentRowsText', () => {
  /** Fresh rows each call: spentRowsText writes into the ones it is given. */
  const makeRows = () => {
    const at = new Date('2026-11-30T18:00:00.123Z')
    return [
      {
        ord: 0,
        merchant_id: 'm1',
        id: 'a',
        created_at: at,
        updated_at: at,
        sent_at: null,
        body: {
          text: 'hi "there"\n',
          reply: null,
          when: new Date(0),
          nested: [new Date(1), null, undefined],
        },
        list: ['x', null],
        cost: 0,
        flag: false,
        note: '',
        skipped: undefined,
      },
      { id: 'b', ended_at: new Date(Number.NaN), due_at: new Date(-1), at: new Date(8.64e15), error: null },
      { ['__proto__']: new Date(5), id: 'd', gone: null },
      { ['__proto__']: null, id: 'e' },
      { only: null },
      {},
    ]
  }

  it('writes the text jsonRowsText writes with omitNulls, byte for byte', () => {
    const text = spentRowsText(makeRows())
    expect(text).toBe(jsonRowsText(makeRows(), { omitNulls: true }))
    // Nested values are the jsonb columns' own: their nulls stay, their dates are JSON.stringify's.
    expect(JSON.parse(text)[0]).toEqual({
      ord: 0,
      merchant_id: 'm1',
      id: 'a',
      created_at: '2026-11-30T18:00:00.123Z',
      updated_at: '2026-11-30T18:00:00.123Z',
      body: {
        text: 'hi "there"\n',
        reply: null,
        when: '1970-01-01T00:00:00.000Z',
        nested: ['1970-01-01T00:00:00.001Z', null, null],
      },
      list: ['x', null],
      cost: 0,
      flag: false,
      note: '',
    })
    expect(JSON.parse(text)[1]).toEqual({
      id: 'b',
      ended_at: null,
      due_at: '1969-12-31T23:59:59.999Z',
      at: '+275760-09-13T00:00:00.000Z',
    })
    expect(spentRowsText([])).toBe('[]')
  })

  it('formats each instant once and never sets a row’s prototype', () => {
    const rows = makeRows()
    const at = rows[0]?.created_at as Date
    const formatted: number[] = []
    const toISOString = at.toISOString.bind(at)
    at.toISOString = () => {
      formatted.push(at.getTime())
      return toISOString()
    }
    spentRowsText(rows)
    expect(formatted).toHaveLength(1)
    for (const row of rows) expect(Object.getPrototypeOf(row)).toBe(Object.prototype)
  })
})
