// Business hours and reply times in words live in packages/flow (the simulator tells the shopper the same).
export { type OpeningHours, type OpeningState, openingState, replyTimeInWords } from '@parley/flow'
