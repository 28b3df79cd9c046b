// The canvas's "Show numbers" overlay: whether it is on, which version and period it counts, and the per-step
// and per-edge numbers the runtime reported (GET /api/analytics/flows/:id). Cards and edges read one entry each.
import type { FlowReport } from '@parley/api'
import { useStore } from 'zustand'
import { createStore } from 'zustand/vanilla'
import { api, errorMessage } from '../api/api.ts'
import { type PresetId, presetRange } from './analytics-words.ts'

type NodeNumbers = FlowReport['nodes'][number]
type EdgeNumbers = FlowReport['edges'][number]

export interface FlowNumbersState {
  shown: boolean
  flowId: string | null
  /** null = the live version (the server's default). */
  version: number | null
  preset: Extract<PresetId, '7d' | '30d' | '90d'>
  /** Today in the store's zone, learnt from the first report. */
  today: string | null
  loading: boolean
  error: string | null
  report: FlowReport | null
  byNode: Record<string, NodeNumbers>
  byEdge: Record<string, EdgeNumbers>
}

const initial: FlowNumbersState = {
  shown: false,
  flowId: null,
  version: null,
  preset: '30d',
  today: null,
  loading: false,
  error: null,
  report: null,
  byNode: {},
  byEdge: {},
}

export const flowNumbersStore = createStore<FlowNumbersState>()(() => initial)

export function useFlowNumbers<T>(selector: (s: FlowNumbersState) => T): T {
  return useStore(flowNumbersStore, selector)
}

let request = 0

async function refresh(): Promise<void> {
  const { flowId, version, preset, today, shown } = flowNumbersStore.getState()
  if (!shown || !flowId) return
  const mine = ++request
  flowNumbersStore.setState({ loading: true, error: null })
  try {
    const period = today ? presetRange(preset, today) : preset === '30d' ? {} : null
    const report = await api.analytics.flow(flowId, { ...(period ?? {}), ...(version ? { version } : {}) })
    if (mine !== request) return
    flowNumbersStore.setState({
      loading: false,
      report,
      today: flowNumbersStore.getState().today ?? report.period.to,
      byNode: Object.fromEntries(report.nodes.map((n) => [n.nodeId, n])),
      byEdge: Object.fromEntries(report.edges.map((e) => [e.edgeId, e])),
    })
    // The first answer told us today's date: a preset other than the default can now be asked for.
    if (period === null) void refresh()
  } catch (e) {
    if (mine !== request) return
    flowNumbersStore.setState({ loading: false, error: errorMessage(e) })
  }
}

export const flowNumbers = {
  /** A new flow opened in the editor: forget the previous one's numbers. */
  open(flowId: string) {
    if (flowNumbersStore.getState().flowId === flowId) return
    request++
    flowNumbersStore.setState({ ...initial, flowId })
  },
  toggle() {
    flowNumbersStore.setState((s) => ({ shown: !s.shown }))
    void refresh()
  },
  setVersion(version: number | null) {
    flowNumbersStore.setState({ version })
    void refresh()
  },
  setPreset(preset: FlowNumbersState['preset']) {
    flowNumbersStore.setState({ preset })
    void refresh()
  },
  refresh,
}
