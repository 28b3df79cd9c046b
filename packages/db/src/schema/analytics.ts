// The reports' rollup: counts per merchant, UTC hour, metric and dimension, kept by triggers on messages,
// message_links and node_visits (migration 202611300630). Read only by apps/runtime/src/analytics.
import type { ColumnType, Generated } from 'kysely'
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
  /**
   * Which writer's row (the writing backend's pid modulo 4, migration 202611301015): concurrent steps add to
   * different rows of the same key instead of waiting on one; a key's value is the sum over its shards.
   */
  shard: Generated<number>
}

/** bigint counts (int8 reads as a number on both drivers). */
type Count = ColumnType<number, number | undefined, number>

/**
 * Abandonment episodes per merchant, UTC hour of abandonment and order currency ('' when not ordered), kept by
 * triggers on cart_episodes (migration 202611300900). `recovered` = credited (recovered, not holdout);
 * `control_ordered` / `messaged_ordered` = any ordered ending in the holdout / messaged group; revenues in
 * `currency`. Also in analytics_hourly: episode.recovered (dim 'flow currency'), run.started (dim 'flow
 * version'), run.ended (dim 'flow version outcome').
 */
export interface AnalyticsEpisodesHourlyTable {
  merchant_id: string
  hour: Timestamp
  currency: string
  abandoned: Count
  in_holdout: Count
  messaged: Count
  recovered: Count
  without_messages: Count
  control_ordered: Count
  messaged_ordered: Count
  credited_revenue: Numeric
  messaged_revenue: Numeric
}
