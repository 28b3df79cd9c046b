// The store's world for the simulator, loaded once per panel from the runtime (`GET /api/simulation-world`).
import type { SimulationWorldResponse } from '@parley/api'
import { useCallback, useEffect, useState } from 'react'
import { api, errorMessage } from '../api/api.ts'

export type WorldState =
  | { kind: 'loading' }
  | { kind: 'error'; message: string; retry: () => void }
  | { kind: 'ready'; world: SimulationWorldResponse }

export function useSimulationWorld(): WorldState {
  const [state, setState] = useState<WorldState>({ kind: 'loading' })
  const [attempt, setAttempt] = useState(0)
  const retry = useCallback(() => setAttempt((n) => n + 1), [])
  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` changes to load again
  useEffect(() => {
    let live = true
    setState({ kind: 'loading' })
    api.simulation.world().then(
      (world) => live && setState({ kind: 'ready', world }),
      (error: unknown) => live && setState({ kind: 'error', message: errorMessage(error), retry }),
    )
    return () => {
      live = false
    }
  }, [attempt, retry])
  return state
}

const channelNames: Record<string, string> = {
  webchat: 'Web chat',
  whatsapp: 'WhatsApp',
  telegram: 'Telegram',
}

/** The chat channels the merchant can simulate on (web chat when none is connected yet), with their names. */
export function chatChannels(
  world: SimulationWorldResponse,
): { kind: 'webchat' | 'whatsapp' | 'telegram'; name: string }[] {
  const kinds = world.channels.filter((k): k is 'webchat' | 'whatsapp' | 'telegram' => k in channelNames)
  return (kinds.length > 0 ? kinds : (['webchat'] as const)).map((kind) => ({
    kind,
    name: channelNames[kind] ?? kind,
  }))
}
