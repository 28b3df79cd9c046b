import { describe, expect, it } from 'vitest'
import { findOrder, type LookupOrder, normaliseOrderNumber } from './order-lookup.ts'

const order = (
  number: string,
  owner: LookupOrder<string>['owner'],
  createdAt: string,
): LookupOrder<string> => ({
  number,
  owner,
  createdAt,
  view: `order ${number}`,
})

const orders = [
  order('1001', 'contact', '2026-01-01T10:00:00Z'),
  order('#1002', 'contact', '2026-01-03T10:00:00Z'),
  order('1003', 'other', '2026-01-04T10:00:00Z'),
  order('1004', 'nobody', '2026-01-05T10:00:00Z'),
]

describe('the order look-up rule', () => {
  it('reads an order number however the shopper writes it', () => {
    expect(normaliseOrderNumber('#1001')).toBe('1001')
    expect(normaliseOrderNumber(' order 1001 ')).toBe('1001')
    expect(normaliseOrderNumber('It is #A-77')).toBe('A-77')
  })

  it("finds the shopper's order, and one nobody owns, by number with or without #", () => {
    expect(findOrder(orders, '1001')).toBe('order 1001')
    expect(findOrder(orders, 'order 1002')).toBe('order #1002')
    expect(findOrder(orders, '#1004')).toBe('order 1004')
  })

  it("never reveals another shopper's order, and an unknown number is not found", () => {
    expect(findOrder(orders, '1003')).toBeNull()
    expect(findOrder(orders, '1042')).toBeNull()
  })

  it("without a number, answers the shopper's latest order", () => {
    expect(findOrder(orders)).toBe('order #1002')
    expect(findOrder(orders.filter((o) => o.owner !== 'contact'))).toBeNull()
  })
})
