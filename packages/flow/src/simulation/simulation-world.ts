// The store's world as the simulator sees it: the merchant's catalogue, a sample of real carts and orders
// (anonymised, or those of a chosen contact), the shopper, and the merchant's send-policy settings. The runtime
// builds it from its own rows with the same variable shapes a run starts with (`GET /api/simulation-world`,
// contract in packages/api), so a simulated run reads what a live one would.
import type { FlowVars } from '../run-context.ts'
import type { SendChannelKind } from '../send-policy/send-policy.ts'
import type { CatalogueProduct } from '../store-answers/catalogue-answer.ts'
import type { LookupOrder } from '../store-answers/order-lookup.ts'

export interface SimulationContact {
  /** What the simulator calls the shopper ("Sample shopper", or the chosen contact's name). */
  label: string
  /** True when names and addresses were replaced. */
  anonymised: boolean
  /** `contact.*` as a run gets it. */
  vars: FlowVars
  /** The zone quiet hours are read in (the contact's, else the store's). */
  timeZone: string
  marketingConsent: boolean
  optedOut: boolean
  /** The shopper's last message (ISO), which opens WhatsApp's 24-hour window; null: never wrote. */
  lastInboundAt: string | null
  /** When the bot's recent marketing sends to them went out (ISO): they count against the frequency cap. */
  marketingSentAt: string[]
}

export interface SimulationCart {
  label: string
  /** `cart.*` as a cart-recovery run gets it. */
  vars: FlowVars
}

export interface SimulationOrder extends LookupOrder<FlowVars> {
  label: string
  /** `order.*` as an order-triggered run gets it. */
  vars: FlowVars
}

export interface SimulationPolicy {
  /** Minutes after midnight in the shopper's zone; null: no quiet hours. */
  quietHours: { startMinute: number; endMinute: number } | null
  frequencyCap: { limit: number; windowMinutes: number }
}

export interface SimulationWorld {
  /** `aiAnswers`: the merchant has AI answers on (the simulator never calls it: catalogue answers, said so). */
  store: { name: string; timeZone: string; returnWindowDays?: number; aiAnswers?: boolean }
  policy: SimulationPolicy
  /** The kinds of channel the merchant has connected (the simulator offers these). */
  channels: SendChannelKind[]
  products: CatalogueProduct[]
  carts: SimulationCart[]
  orders: SimulationOrder[]
  contact: SimulationContact
}
