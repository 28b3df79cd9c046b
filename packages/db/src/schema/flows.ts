// Flows as merchants draw them (a mutable draft) and as they run (immutable numbered versions).
import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely'
import type { DefaultTimestamp, Id, Json, JsonObject, NullableTimestamp } from './columns.ts'

export interface FlowsTable {
  merchant_id: string
  id: Id
  name: string
  /** The draft flow document (packages/flow's schema); validated by the API, not by the database. */
  document: Json<JsonObject>
  /** The live version; publishing or rolling back points it at a version. Null = not published. */
  published_version_id: string | null
  /** Set while the merchant has paused the flow: no new runs start; runs already going carry on. */
  paused_at: NullableTimestamp
  deleted_at: NullableTimestamp
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
}

/** A published version. Rows never change (a trigger refuses UPDATE); runs stay pinned to theirs. */
export interface FlowVersionsTable {
  merchant_id: string
  id: Id
  flow_id: string
  /** 1, 2, 3, ... per flow. */
  version: number
  document: Json<JsonObject>
  /** Trigger kinds the document starts on (e.g. 'cart.abandoned'), so events find their flows by index. */
  trigger_kinds: ColumnType<string[], string[] | undefined, never>
  published_at: DefaultTimestamp
  published_by: string | null
}

export type Flow = Selectable<FlowsTable>
export type NewFlow = Insertable<FlowsTable>
export type FlowUpdate = Updateable<FlowsTable>
export type FlowVersion = Selectable<FlowVersionsTable>
export type NewFlowVersion = Insertable<FlowVersionsTable>
