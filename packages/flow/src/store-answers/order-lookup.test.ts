import { describe, expect, it } from 'vitest'
import {
  findOrder,
  findOrderNumber,
  type LookupOrder,
  normaliseOrderNumber,
  orderDisplayName,
  orderStatusText,
} from './order-lookup.ts'

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

  it("finds the shopper's order by number with or without #", () => {
    expect(findOrder(orders, '1001')).toBe('order 1001')
    expect(findOrder(orders, 'order 1002')).toBe('order #1002')
  })

  it("never reveals another shopper's order or a guest order matched to no one; an unknown number is not found", () => {
    expect(findOrder(orders, '1003')).toBeNull()
    expect(findOrder(orders, '#1004')).toBeNull()
    expect(findOrder(orders, '1042')).toBeNull()
  })

  it("without a number, answers the shopper's latest order", () => {
    expect(findOrder(orders)).toBe('order #1002')
    expect(findOrder(orders.filter((o) => o.owner !== 'contact'))).toBeNull()
  })
})

describe('order numbers in what shoppers write', () => {
  it.each([
    ['where is my order 1234?', '1234'],
    ['Where is my order #1004', '1004'],
    ['order 1004 please', '1004'],
    ['Order no. 1004', '1004'],
    ['order number: 1004', '1004'],
    ['my order NT-1004 has not arrived', 'NT-1004'],
    ['It is # 1042.', '1042'],
    ['1004', '1004'],
    ['(1004)', '1004'],
  ])('%s → %s', (text, expected) => {
    expect(findOrderNumber(text)).toBe(expected)
  })

  it.each(['where is my order?', 'I bought 2 shirts', 'it cost 12.99', 'delivered on 12/03', 'hi', ''])(
    'finds none in %j',
    (text) => {
      expect(findOrderNumber(text)).toBeNull()
    },
  )

  it('names an order as shoppers know it, with one # at most', () => {
    expect(orderDisplayName('#1004')).toBe('#1004')
    expect(orderDisplayName('1004')).toBe('#1004')
    expect(orderDisplayName('NT-1004')).toBe('NT-1004')
  })
})

describe("an order status in the shopper's words", () => {
  it.each([
    ['created', 'confirmed and being prepared'],
    ['shipped', 'on its way'],
    ['delivered', 'delivered'],
    ['delivery_problem', 'held up in delivery'],
    ['CANCELLED', 'cancelled'],
    ['on_hold', 'on hold'],
  ])('%s reads "%s"', (status, text) => {
    expect(orderStatusText(status)).toBe(text)
  })

  it('never shows a store code with an underscore', () => {
    for (const status of ['created', 'paid', 'partially_fulfilled', 'delivery_problem', 'awaiting_pickup']) {
      expect(orderStatusText(status)).not.toMatch(/_/)
    }
  })
})
