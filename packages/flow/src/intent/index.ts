// Reply intents: what a shopper's free-text reply wants (rules, and the optional LLM when the rules cannot tell).
export * from './intent-rules.ts'
export * from './llm-intent.ts'
export * from './reply-intent.ts'
