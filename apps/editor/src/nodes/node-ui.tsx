// The editor's home of a node kind (DESIGN.md, "One node kind, three homes"): what its card shows at a
// glance and its form in the inspector. packages/flow owns the rest (schema, defaults, handles, compile).
import type { NodeConfig, NodeKindId } from '@parley/flow'
import type { ComponentType, ReactNode } from 'react'

export interface InspectorProps<C> {
  nodeId: string
  config: C
  onChange(config: C): void
}

export interface NodeUi<K extends NodeKindId> {
  /** A short glyph for the card and palette. */
  icon: string
  /** The essentials at a glance ("Wait 24 h", the message text). */
  Summary: ComponentType<{ config: NodeConfig<K> }>
  Inspector: ComponentType<InspectorProps<NodeConfig<K>>>
}

export function Muted({ children }: { children: ReactNode }) {
  return <span className="muted">{children}</span>
}
