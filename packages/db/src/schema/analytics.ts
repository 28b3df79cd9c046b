// The reports' rollup: counts per merchant, UTC hour, metric and dimension, kept by triggers on messages,
// message_links and node_visits (migration 202611300630). Read only by apps/runtime/src/analytics.
import type { ColumnType } from 'kysely'
import type { Numeric, Timestamp } from './columns.ts'

/**
 * Metrics: recovery.sent / delivered / read / replied / clicked (dim ''), template.cost (dim 'category currency',
 * amount = spend), send.skipped (dim = reason), step.sent and node.reached (dim = 'flow version id node id').
 */
export interface AnalyticsHourlyTable {
  merchant_id: string
  hour: Timestamp
  metric: string
  dim: string
  /** bigint; int8 reads as a number on both drivers (open-database.ts). */
  n: ColumnType<number, number | undefined, number>
  amount: Numeric
}
