// The send policy's decisions live in packages/flow (one rule in one place: the editor's simulator runs them
// too); the runtime reads their facts (`send-facts.ts`) and checks the template budget (`template-budget.ts`).
export {
  decideSend,
  recheckBeforeSend,
  type SendDecision,
  type SendExemption,
  type SendFacts,
  type SkipReason,
} from '@parley/flow'
