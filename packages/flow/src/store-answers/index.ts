// Answers from the store's data (orders, catalogue), shared by the runtime and the simulator.
export * from './catalogue-answer.ts'
export * from './catalogue-product.ts'
export * from './order-lookup.ts'
export * from './question-match.ts'
export * from './question-terms.ts'
export * from './return-window.ts'
