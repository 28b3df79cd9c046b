// The whole data model as one Kysely `Database`. Every table but merchants carries merchant_id.
import type {
  ApiKeysTable,
  ChannelsTable,
  InvitesTable,
  MerchantsTable,
  SessionsTable,
  UsersTable,
} from './accounts.ts'
import type { AnalyticsEpisodesHourlyTable, AnalyticsHourlyTable } from './analytics.ts'
import type { InboundBurstsTable } from './bursts.ts'
import type { CatalogueImportChunksTable, CatalogueImportsTable, ProductVariantsTable } from './catalogue.ts'
import type {
  CartEpisodesTable,
  CartsTable,
  DeletedProductsTable,
  MessageLinksTable,
  OrdersTable,
  ProductPairsTable,
  ProductSalesDailyTable,
  ProductsTable,
} from './commerce.ts'
import type {
  ContactIdentitiesTable,
  ContactsTable,
  ConversationsTable,
  EscalationQueuesTable,
  MessagesTable,
} from './conversations.ts'
import type { FlowsTable, FlowVersionsTable } from './flows.ts'
import type { CannedRepliesTable, ConversationReadsTable } from './inbox.ts'
import type { LlmAnswersTable, LlmSettingsTable } from './llm.ts'
import type {
  NodeVisitsTable,
  OutboxTable,
  PrivacyRequestsTable,
  ReceiptsTable,
  RunsTable,
  SendPacingTable,
  TemplateSpendTable,
  TimersTable,
} from './runtime.ts'
import type { WebchatPhotosTable } from './webchat.ts'

export interface Database {
  merchants: MerchantsTable
  users: UsersTable
  sessions: SessionsTable
  api_keys: ApiKeysTable
  invites: InvitesTable
  channels: ChannelsTable
  contacts: ContactsTable
  contact_identities: ContactIdentitiesTable
  conversations: ConversationsTable
  messages: MessagesTable
  flows: FlowsTable
  flow_versions: FlowVersionsTable
  runs: RunsTable
  timers: TimersTable
  outbox: OutboxTable
  receipts: ReceiptsTable
  send_pacing: SendPacingTable
  node_visits: NodeVisitsTable
  template_spend: TemplateSpendTable
  carts: CartsTable
  orders: OrdersTable
  products: ProductsTable
  deleted_products: DeletedProductsTable
  privacy_requests: PrivacyRequestsTable
  product_variants: ProductVariantsTable
  catalogue_imports: CatalogueImportsTable
  catalogue_import_chunks: CatalogueImportChunksTable
  escalation_queues: EscalationQueuesTable
  conversation_reads: ConversationReadsTable
  canned_replies: CannedRepliesTable
  webchat_photos: WebchatPhotosTable
  cart_episodes: CartEpisodesTable
  product_sales_daily: ProductSalesDailyTable
  product_pairs: ProductPairsTable
  message_links: MessageLinksTable
  analytics_hourly: AnalyticsHourlyTable
  inbound_bursts: InboundBurstsTable
  llm_settings: LlmSettingsTable
  llm_answers: LlmAnswersTable
  analytics_episodes_hourly: AnalyticsEpisodesHourlyTable
}

export type TableName = keyof Database

export * from './accounts.ts'
export * from './analytics.ts'
export * from './bursts.ts'
export * from './catalogue.ts'
export * from './columns.ts'
export * from './commerce.ts'
export * from './conversations.ts'
export * from './flows.ts'
export * from './inbox.ts'
export * from './llm.ts'
export * from './runtime.ts'
export * from './webchat.ts'
