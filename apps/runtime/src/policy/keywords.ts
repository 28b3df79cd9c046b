// The opt-out / opt-in keyword rule lives in @parley/flow (send-policy/opt-out-keywords.ts), so the runtime's policy
// and the flow's reply intents ("stop") decide with the same function.
export {
  DEFAULT_OPT_IN_KEYWORDS,
  DEFAULT_OPT_OUT_KEYWORDS,
  isOptInMessage,
  isOptOutMessage,
  matchesKeyword,
  normaliseKeyword,
  withoutTrailingPunctuation,
} from '@parley/flow'
