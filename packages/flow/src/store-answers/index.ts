// Answers from the store's data (orders, catalogue), shared by the runtime and the simulator.
export * from './catalogue-answer.ts'
export * from './order-lookup.ts'
export * from './return-window.ts'
