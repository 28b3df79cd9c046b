// Every migration, by name, in a static map: bundlers see the imports, and no filesystem scan is needed.
import type { ParleyMigration } from '../migrate.ts'
import * as initialSchema from './202611261300_initial_schema.ts'
import * as devClock from './202611271000_dev_clock.ts'
import * as messageSeq from './202611271100_message_seq.ts'
import * as outboxLanes from './202611292300_outbox_lanes.ts'
import * as rateLimits from './202611292300_rate_limits.ts'
import * as channelState from './202611300220_channel_state.ts'
import * as providerContracts from './202611300225_provider_contracts.ts'
import * as merchantSettings from './202611300230_merchant_settings.ts'
import * as teamInvites from './202611300231_team_invites.ts'
import * as catalogue from './202611300235_catalogue.ts'
import * as catalogueSearch from './202611300605_catalogue_search.ts'
import * as handoff from './202611300610_handoff.ts'
import * as inbox from './202611300615_inbox.ts'
import * as staffProfileWebchatPhotos from './202611300620_staff_profile_webchat_photos.ts'
import * as attribution from './202611300625_attribution.ts'
import * as analyticsRollup from './202611300630_analytics_rollup.ts'
import * as flowPause from './202611300635_flow_pause.ts'
import * as returns from './202611300640_returns.ts'
import * as analyticsEpisodesRuns from './202611300900_analytics_episodes_runs.ts'
import * as productRetrieval from './202611300905_product_retrieval.ts'
import * as llmAnswers from './202611300910_llm_answers.ts'
import * as burstMerge from './202611300915_burst_merge.ts'
import * as productSales from './202611300920_product_sales.ts'
import * as writePathKeys from './202611300930_write_path_keys.ts'
import * as writePathRows from './202611301010_write_path_rows.ts'
import * as analyticsShards from './202611301015_analytics_shards.ts'
import * as llmIntentCosts from './202611301030_llm_intent_costs.ts'
import * as nodeVisitsPerStep from './202612010000_node_visits_per_step.ts'
import * as receiptsMerchantKey from './202612010005_receipts_merchant_key.ts'
import * as messagesConversationContactKey from './202612010010_messages_conversation_contact_key.ts'
import * as productWebhookOrder from './202612010050_product_webhook_order.ts'
import * as partialWriteIndexes from './202612010100_partial_write_indexes.ts'
import * as conversationsContactIndex from './202612010105_conversations_contact_index.ts'
import * as visitsRollupProbes from './202612020000_visits_rollup_probes.ts'
import * as timeOrderedIds from './202612040000_time_ordered_ids.ts'
import * as dropRunsStartedIndex from './202612040010_drop_runs_started_index.ts'
import * as eraseForeignKeyIndexes from './202612040030_erase_foreign_key_indexes.ts'
import * as dropReceiptsAgeIndex from './202612050040_drop_receipts_age_index.ts'
import * as visitsRollupPreviousVisit from './202612050045_visits_rollup_previous_visit.ts'
import * as providerIndexWithoutWebchat from './202612050048_provider_index_without_webchat.ts'
import * as visitsRollupOlderVisit from './202612070025_visits_rollup_older_visit.ts'
import * as messagesRollupBranches from './202612070030_messages_rollup_branches.ts'
import * as runsRollupOneJoin from './202612080000_runs_rollup_one_join.ts'
import * as receiptsAgeBrin from './202612082300_receipts_age_brin.ts'
import * as contactsPhoneIndex from './202612082305_contacts_phone_index.ts'
import * as contactsLookupExpressionIndexes from './202612090000_contacts_lookup_expression_indexes.ts'
import * as ordersExternalIdIndex from './202612090005_orders_external_id_index.ts'

/** Names sort in the order they must run (timestamp prefix). Add new migrations at the end; never edit one. */
export const migrations: Record<string, ParleyMigration> = {
  '202611261300_initial_schema': initialSchema,
  '202611271000_dev_clock': devClock,
  '202611271100_message_seq': messageSeq,
  '202611292300_outbox_lanes': outboxLanes,
  '202611292300_rate_limits': rateLimits,
  '202611300220_channel_state': channelState,
  '202611300225_provider_contracts': providerContracts,
  '202611300230_merchant_settings': merchantSettings,
  '202611300231_team_invites': teamInvites,
  '202611300235_catalogue': catalogue,
  '202611300605_catalogue_search': catalogueSearch,
  '202611300610_handoff': handoff,
  '202611300615_inbox': inbox,
  '202611300620_staff_profile_webchat_photos': staffProfileWebchatPhotos,
  '202611300625_attribution': attribution,
  '202611300630_analytics_rollup': analyticsRollup,
  '202611300635_flow_pause': flowPause,
  '202611300640_returns': returns,
  '202611300900_analytics_episodes_runs': analyticsEpisodesRuns,
  '202611300905_product_retrieval': productRetrieval,
  '202611300910_llm_answers': llmAnswers,
  '202611300915_burst_merge': burstMerge,
  '202611300920_product_sales': productSales,
  '202611300930_write_path_keys': writePathKeys,
  '202611301010_write_path_rows': writePathRows,
  '202611301015_analytics_shards': analyticsShards,
  '202611301030_llm_intent_costs': llmIntentCosts,
  '202612010000_node_visits_per_step': nodeVisitsPerStep,
  '202612010005_receipts_merchant_key': receiptsMerchantKey,
  '202612010010_messages_conversation_contact_key': messagesConversationContactKey,
  '202612010050_product_webhook_order': productWebhookOrder,
  '202612010100_partial_write_indexes': partialWriteIndexes,
  '202612010105_conversations_contact_index': conversationsContactIndex,
  '202612020000_visits_rollup_probes': visitsRollupProbes,
  '202612040000_time_ordered_ids': timeOrderedIds,
  '202612040010_drop_runs_started_index': dropRunsStartedIndex,
  '202612040030_erase_foreign_key_indexes': eraseForeignKeyIndexes,
  '202612050040_drop_receipts_age_index': dropReceiptsAgeIndex,
  '202612050045_visits_rollup_previous_visit': visitsRollupPreviousVisit,
  '202612050048_provider_index_without_webchat': providerIndexWithoutWebchat,
  '202612070025_visits_rollup_older_visit': visitsRollupOlderVisit,
  '202612070030_messages_rollup_branches': messagesRollupBranches,
  '202612080000_runs_rollup_one_join': runsRollupOneJoin,
  '202612082300_receipts_age_brin': receiptsAgeBrin,
  '202612082305_contacts_phone_index': contactsPhoneIndex,
  '202612090000_contacts_lookup_expression_indexes': contactsLookupExpressionIndexes,
  '202612090005_orders_external_id_index': ordersExternalIdIndex,
}
