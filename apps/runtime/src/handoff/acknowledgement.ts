// What the shopper is told when a chat goes to a person, and when nobody took it: in packages/flow, so the
// editor's simulator says the same words.
export { acknowledgementText, fallbackText } from '@parley/flow'
