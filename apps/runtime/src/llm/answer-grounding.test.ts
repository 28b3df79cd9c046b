import { describe, expect, it } from 'vitest'
import type { AnswerFacts, ProductFact } from './answer-facts.ts'
import { checkGrounding } from './answer-grounding.ts'

const hoodie: ProductFact = {
  title: 'Classic Hoodie',
  price: '59.00',
  currency: 'USD',
  inStock: true,
  description: 'Brushed cotton.',
  attributes: { colour: ['Navy', 'Sand'], size: ['S', 'M', 'L'] },
  variants: [
    { title: 'Navy / M', price: '59.00', inStock: true },
    { title: 'Sand / M', price: '59.00', inStock: false },
  ],
}
const cap: ProductFact = {
  title: 'Wool Cap',
  price: '24.50',
  compareAtPrice: '30.00',
  currency: 'USD',
  inStock: false,
  description: '',
  attributes: {},
  variants: [],
}
const facts: AnswerFacts = {
  products: [hoodie, cap],
  store: { storeName: 'North Thread', returnWindowDays: 30 },
}

describe('checkGrounding', () => {
  it.each([
    'Yes, the Classic Hoodie is in stock in Navy, size M, for $59.',
    'The Classic Hoodie costs 59.00 USD and the Wool Cap €24,50 (was 30.00).',
    'The Wool Cap is sold out, sorry. You can return anything within 30 days.',
    'It is made of brushed cotton and runs true to size.',
    'M is available in Navy; Sand is sold out.',
  ])('lets through: %s', (answer) => {
    expect(checkGrounding(answer, facts)).toEqual({ grounded: true })
  })

  it.each([
    ['a price not in the facts', 'The Classic Hoodie is $49 today.', '$49'],
    ['a bare two-decimal price', 'It is 45.99 now.', '45.99'],
    ['a price in words', 'Only 19 dollars!', '19 dollars'],
    ['a stock count', 'Hurry, only 3 left in Navy.', 'only 3 left'],
    [
      'in stock for a sold-out product',
      'Good news: the Wool Cap is in stock.',
      'Good news: the Wool Cap is in stock.',
    ],
  ])('refuses %s', (_name, answer, claim) => {
    expect(checkGrounding(answer, facts)).toEqual({ grounded: false, claim })
  })

  it('refuses "sold out" when nothing retrieved is', () => {
    const allIn: AnswerFacts = { ...facts, products: [{ ...hoodie, variants: [] }] }
    expect(checkGrounding('Sorry, it is sold out.', allIn).grounded).toBe(false)
  })
})
