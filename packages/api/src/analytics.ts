// Analytics: the recovery report (by day, with the previous period and the holdout's lift), per-flow and per-step
// numbers for the canvas, conversation numbers, and each live flow's key number. Owner and editor only.
import { z } from 'zod'

/** A calendar day in the merchant's time zone, 'YYYY-MM-DD'. */
export const reportDateSchema = z.iso.date()

/** A period of whole days in the merchant's time zone, both ends included; default the last 30 days. */
export const reportPeriodQuerySchema = z
  .object({ from: reportDateSchema.optional(), to: reportDateSchema.optional() })
  .meta({ id: 'ReportPeriodQuery' })
export type ReportPeriodQuery = z.infer<typeof reportPeriodQuerySchema>

const count = z.number().int().nonnegative()

export const moneySchema = z.object({ currency: z.string(), amount: z.number() }).meta({ id: 'Money' })
export type Money = z.infer<typeof moneySchema>

export const reportPeriodSchema = z
  .object({ from: reportDateSchema, to: reportDateSchema, timezone: z.string() })
  .meta({ id: 'ReportPeriod' })
export type ReportPeriod = z.infer<typeof reportPeriodSchema>

/** What one day (or a whole period) of cart recovery adds up to. Carts count on the day they were abandoned. */
export const recoveryCountsSchema = z
  .object({
    abandoned: count,
    /** Carts drawn into the control group (no messages). */
    inHoldout: count,
    /** Carts that got at least one recovery message. */
    messaged: count,
    /** Recovery messages that reached the provider / were delivered / were read, on the day they were sent. */
    sent: count,
    delivered: count,
    read: count,
    /** Links in recovery messages clicked (first click of each), on the day of the click. */
    clicked: count,
    /** Shopper replies to a recovery message, on the day of the reply. */
    replied: count,
    recoveredByParley: count,
    /** Carts ordered before any message: shown, never credited. */
    recoveredWithoutMessages: count,
    /** Revenue of the carts recovered by Parley, per currency. */
    revenue: z.array(moneySchema),
    /** Template spend of messages sent that day, per currency. */
    templateCost: z.array(moneySchema),
  })
  .meta({ id: 'RecoveryCounts' })
export type RecoveryCounts = z.infer<typeof recoveryCountsSchema>

export const recoveryDaySchema = recoveryCountsSchema
  .extend({ date: reportDateSchema })
  .meta({ id: 'RecoveryDay' })
export type RecoveryDay = z.infer<typeof recoveryDaySchema>

export const recoveryTotalsSchema = recoveryCountsSchema
  .extend({
    /** recoveredByParley / (abandoned - inHoldout), 0–1; 0 when no cart was eligible. */
    recoveryRate: z.number(),
    /** Template spend per category and currency. */
    templateCostByCategory: z.array(
      z.object({ category: z.string(), currency: z.string(), amount: z.number(), messages: count }),
    ),
    /** Template spend / carts recovered by Parley, per currency (none while nothing was recovered). */
    costPerRecoveredCart: z.array(moneySchema),
    /** (revenue - template spend) / template spend, per currency with spend; e.g. 12.5 means 12.5×. */
    roi: z.array(z.object({ currency: z.string(), value: z.number() })),
  })
  .meta({ id: 'RecoveryTotals' })
export type RecoveryTotals = z.infer<typeof recoveryTotalsSchema>

/** One group of the holdout comparison: carts, carts ordered (any order during the episode) and the rate. */
export const liftGroupSchema = z
  .object({ carts: count, ordered: count, rate: z.number() })
  .meta({ id: 'LiftGroup' })

/**
 * The holdout comparison (apps/runtime/src/analytics/lift.ts): carts that got messages vs the control group that got
 * none. `incremental` is null while there is no control group or too few carts to tell.
 */
export const recoveryLiftSchema = z
  .object({
    messagedGroup: liftGroupSchema,
    controlGroup: liftGroupSchema,
    verdict: z.enum(['no_control_group', 'too_few_carts', 'lift', 'no_clear_difference', 'fewer_orders']),
    incremental: z
      .object({
        /** Difference of the two groups' rates, with its 95 % interval (absolute, 0–1). */
        rate: z.number(),
        rateLow: z.number(),
        rateHigh: z.number(),
        /** Revenue Parley added beyond what the control group's rate would have brought, per currency. */
        revenue: z.array(moneySchema.extend({ low: z.number(), high: z.number() })),
      })
      .nullable(),
    /** The verdict in plain words. */
    summary: z.string(),
  })
  .meta({ id: 'RecoveryLift' })
export type RecoveryLift = z.infer<typeof recoveryLiftSchema>

export const recoveryReportSchema = z
  .object({
    period: reportPeriodSchema,
    /** The same number of days just before. */
    previousPeriod: reportPeriodSchema,
    totals: recoveryTotalsSchema,
    previousTotals: recoveryTotalsSchema,
    days: z.array(recoveryDaySchema),
    lift: recoveryLiftSchema,
  })
  .meta({ id: 'RecoveryReport' })
export type RecoveryReport = z.infer<typeof recoveryReportSchema>

export const flowReportQuerySchema = reportPeriodQuerySchema
  .extend({
    /** The version whose steps to count; default the live one (else the latest). */
    version: z.coerce.number().int().positive().optional(),
  })
  .meta({ id: 'FlowReportQuery' })
export type FlowReportQuery = z.infer<typeof flowReportQuerySchema>

/** Per flow and version, and per step of one version (the canvas overlay). */
export const flowReportSchema = z
  .object({
    period: reportPeriodSchema,
    flowId: z.uuid(),
    /** The version the nodes and edges are for; null when the flow was never published. */
    version: z.number().int().positive().nullable(),
    versions: z.array(
      z.object({
        version: z.number().int().positive(),
        runsStarted: count,
        /** Runs that ended in the period, by outcome ('recovered', 'completed', 'failed', ...). */
        ended: z.array(z.object({ outcome: z.string(), runs: count })),
        /** Runs of this version still going now. */
        active: count,
      }),
    ),
    nodes: z.array(
      z.object({
        nodeId: z.string(),
        /** Runs that first reached the step in the period. */
        reached: count,
        /** Runs resting at the step now (waiting for a reply, a delay, staff). */
        waiting: count,
        /** Messages the step sent in the period. */
        messagesSent: count,
      }),
    ),
    edges: z.array(
      z.object({
        edgeId: z.string(),
        source: z.string(),
        target: z.string(),
        /** Runs that reached the source and went on along this edge. */
        continued: count,
        /** Runs that reached the source and did not take this edge. */
        dropOff: count,
      }),
    ),
  })
  .meta({ id: 'FlowReport' })
export type FlowReport = z.infer<typeof flowReportSchema>

const durationSummary = z.object({
  /** How many were measured. */
  count,
  p50Seconds: z.number().nullable(),
  p90Seconds: z.number().nullable(),
})

export const conversationReportSchema = z
  .object({
    period: reportPeriodSchema,
    escalations: z.array(z.object({ queue: z.string().nullable(), count })),
    /** From escalation to the first staff reply. */
    firstHumanReply: durationSummary,
    /** From escalation to resolved. */
    resolution: durationSummary,
    /** Escalations nobody claimed in time (the fallback took over). */
    unclaimedTimeouts: count,
    optOuts: count,
    /** Contacts who blocked the bot on a channel. */
    unreachableContacts: count,
    /** Sends policy skipped, by reason code (opted_out, frequency_cap, ...). */
    skippedSends: z.array(z.object({ reason: z.string(), count })),
    /** Optional AI answers in the period: questions sent to the AI, answered by it, and their cost (llm). */
    aiAnswers: z
      .object({
        attempts: count,
        answered: count,
        fallbacks: count,
        intentChecks: count,
        cost: z.number(),
        currency: z.string(),
      })
      .optional(),
  })
  .meta({ id: 'ConversationReport' })
export type ConversationReport = z.infer<typeof conversationReportSchema>

/** Each live flow's key number over the last 30 days, for the flows list. */
export const flowKeyNumbersSchema = z
  .object({
    flows: z.array(
      z.object({
        flowId: z.uuid(),
        /** 'revenue' for cart-recovery flows (carts recovered and their revenue), else 'runs' (runs finished). */
        kind: z.enum(['revenue', 'runs']),
        recovered: count,
        revenue: z.array(moneySchema),
        runsFinished: count,
      }),
    ),
  })
  .meta({ id: 'FlowKeyNumbers' })
export type FlowKeyNumbers = z.infer<typeof flowKeyNumbersSchema>
