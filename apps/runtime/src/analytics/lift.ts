// Incremental lift (README "How recovery is counted"): how much more often abandoned carts are ordered when
// Parley messages them than when it does not (the holdout). Pure: the reports pass counts in, words come out.
//
// Both groups' rate counts the same thing — episodes that ended in an order, whatever the order's attribution
// status — so the difference is causal (the holdout is drawn at random before any message). The 95 % interval of
// the difference is Newcombe's hybrid score interval (Newcombe 1998, method 10, from two Wilson intervals): it
// keeps its coverage with small groups and rates near 0, where the plain Wald interval does not.

/** Below this many carts in either group the report says it is too early to tell. */
export const MIN_CARTS_PER_GROUP = 30
const Z_95 = 1.959963984540054

export interface GroupOutcome {
  /** Abandonment episodes in the group. */
  carts: number
  /** Of them, ended by an order. */
  ordered: number
}

export interface RevenueByCurrency {
  currency: string
  /** Orders in this currency, and their total. */
  orders: number
  amount: number
}

export interface LiftInput {
  /** Carts Parley worked (not in the holdout). */
  messaged: GroupOutcome
  /** The holdout: carts that got no recovery messages. */
  control: GroupOutcome
  /** The messaged group's ordered carts' revenue, per currency: what an incremental order is worth. */
  messagedRevenue?: readonly RevenueByCurrency[]
}

export interface Interval {
  estimate: number
  low: number
  high: number
}

export type LiftVerdict =
  | 'no_control_group'
  | 'too_few_carts'
  | 'lift'
  | 'no_clear_difference'
  | 'fewer_orders'

export interface LiftResult {
  messagedRate: number | null
  controlRate: number | null
  /** messagedRate − controlRate with its 95 % interval (null when there is no control group or no carts). */
  incrementalRate: Interval | null
  /** Orders the messages added: incrementalRate × messaged carts. */
  incrementalOrders: Interval | null
  /** Incremental orders valued at the messaged group's average order, per currency (by its share of orders). */
  incrementalRevenue: ({ currency: string } & Interval)[]
  verdict: LiftVerdict
  /** The verdict in plain words, for the report. */
  summary: string
}

/** Wilson score interval of a proportion. */
export function wilsonInterval(successes: number, n: number, z = Z_95): Interval {
  if (n === 0) return { estimate: 0, low: 0, high: 1 }
  const p = successes / n
  const z2 = z * z
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n)
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))
  return { estimate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) }
}

/**
 * 95 % interval of p1 − p2 (Newcombe's hybrid score).
 * @example differenceInterval({ carts: 900, ordered: 180 }, { carts: 100, ordered: 10 }) // { estimate: 0.1, low: ≈0.03, high: ≈0.15 }
 */
export function differenceInterval(a: GroupOutcome, b: GroupOutcome, z = Z_95): Interval {
  const w1 = wilsonInterval(a.ordered, a.carts, z)
  const w2 = wilsonInterval(b.ordered, b.carts, z)
  const d = w1.estimate - w2.estimate
  return {
    estimate: d,
    low: d - Math.sqrt((w1.estimate - w1.low) ** 2 + (w2.high - w2.estimate) ** 2),
    high: d + Math.sqrt((w1.high - w1.estimate) ** 2 + (w2.estimate - w2.low) ** 2),
  }
}

const percent = (x: number) => `${(x * 100).toFixed(1)} %`
const points = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)} points`

/**
 * The lift of Parley's recovery messages over the holdout, with its interval and a sentence saying what it means.
 * @example computeLift({ messaged: { carts: 900, ordered: 180 }, control: { carts: 100, ordered: 10 } }).verdict // 'lift'
 */
export function computeLift(input: LiftInput): LiftResult {
  const { messaged, control } = input
  const rate = (g: GroupOutcome) => (g.carts === 0 ? null : g.ordered / g.carts)
  const base = { messagedRate: rate(messaged), controlRate: rate(control) }
  if (control.carts === 0 || messaged.carts === 0) {
    return {
      ...base,
      incrementalRate: null,
      incrementalOrders: null,
      incrementalRevenue: [],
      verdict: 'no_control_group',
      summary:
        control.carts === 0
          ? 'No carts were held out, so the lift cannot be measured. Set a holdout share to measure it.'
          : 'Every cart was held out, so there is nothing to compare.',
    }
  }
  const incrementalRate = differenceInterval(messaged, control)
  const scale = (i: Interval, by: number): Interval => ({
    estimate: i.estimate * by,
    low: i.low * by,
    high: i.high * by,
  })
  const incrementalOrders = scale(incrementalRate, messaged.carts)
  const revenue = input.messagedRevenue ?? []
  const totalOrders = revenue.reduce((sum, r) => sum + r.orders, 0)
  const incrementalRevenue =
    totalOrders === 0
      ? []
      : revenue.map((r) => ({ currency: r.currency, ...scale(incrementalOrders, r.amount / totalOrders) }))
  const range = `(95 % interval ${points(incrementalRate.low)} to ${points(incrementalRate.high)})`
  const rates = `${percent(messaged.ordered / messaged.carts)} of messaged carts ordered, ${percent(
    control.ordered / control.carts,
  )} of held-out carts`
  let verdict: LiftVerdict
  let summary: string
  if (messaged.carts < MIN_CARTS_PER_GROUP || control.carts < MIN_CARTS_PER_GROUP) {
    verdict = 'too_few_carts'
    summary = `Too few carts to tell yet: at least ${MIN_CARTS_PER_GROUP} in each group are needed (${messaged.carts} messaged, ${control.carts} held out so far).`
  } else if (incrementalRate.low > 0) {
    verdict = 'lift'
    summary = `Parley's messages raised recovery by ${points(incrementalRate.estimate)} ${range}: ${rates}.`
  } else if (incrementalRate.high < 0) {
    verdict = 'fewer_orders'
    summary = `Messaged carts ordered less often than held-out ones, by ${points(-incrementalRate.estimate).slice(1)} ${range}: ${rates}.`
  } else {
    verdict = 'no_clear_difference'
    summary = `No difference that can be told apart from chance yet ${range}: ${rates}.`
  }
  return { ...base, incrementalRate, incrementalOrders, incrementalRevenue, verdict, summary }
}
