// Which chat channels the merchant has connected, for the flow editor: its channel switches say which are not
// connected, and publishing warns when the flow is meant for a channel that is not.
import type { ChannelList } from '@parley/api'
import type { ChannelKind } from '@parley/flow'
import { createContext, createElement, type ReactNode, useContext, useEffect, useMemo, useState } from 'react'
import { api } from '../api/api.ts'

const CHANNEL_NAMES: Record<ChannelKind, string> = {
  webchat: 'Web chat',
  whatsapp: 'WhatsApp',
  telegram: 'Telegram',
}

/**
 * The merchant's channels as the API lists them, or null while loading or when they could not be read.
 * `when: 'idle'` asks once the browser has nothing more urgent to do (the editor: after the canvas is drawn);
 * `when: 'never'` does not ask (the list comes from a ConnectedChannelsProvider above).
 */
export function useChannelList({
  when = 'now',
}: {
  when?: 'now' | 'idle' | 'never'
} = {}): ChannelList['channels'] | null {
  const [channels, setChannels] = useState<ChannelList['channels'] | null>(null)
  useEffect(() => {
    if (when === 'never') return
    let live = true
    const ask = () => {
      if (!live) return
      api.channels.list().then(
        (list) => live && setChannels(list.channels),
        () => {},
      )
    }
    if (when === 'now') ask()
    else if (typeof requestIdleCallback === 'function') {
      const id = requestIdleCallback(ask, { timeout: 2000 })
      return () => {
        live = false
        cancelIdleCallback(id)
      }
    } else {
      const t = setTimeout(ask, 0)
      return () => {
        live = false
        clearTimeout(t)
      }
    }
    return () => {
      live = false
    }
  }, [when])
  return channels
}

type Connected = ReadonlySet<string> | null

// The editor asks once for the whole screen (its publish warnings and the inspector's channel switches).
const ConnectedChannelsContext = createContext<{ connected: Connected } | undefined>(undefined)

/** Hands one list of connected channels to every useConnectedChannels() below it. */
export function ConnectedChannelsProvider({
  connected,
  children,
}: {
  connected: Connected
  children: ReactNode
}) {
  const value = useMemo(() => ({ connected }), [connected])
  return createElement(ConnectedChannelsContext.Provider, { value }, children)
}

/**
 * The connected kinds, or null while loading or when they could not be read (then nothing is claimed): from a
 * ConnectedChannelsProvider above if there is one, else asked for here (`when` as for useChannelList).
 */
export function useConnectedChannels({ when = 'now' }: { when?: 'now' | 'idle' } = {}): Connected {
  const provided = useContext(ConnectedChannelsContext)
  const channels = useChannelList({ when: provided ? 'never' : when })
  const own = useMemo(
    () => channels && new Set(channels.filter((c) => c.state !== 'disconnected').map((c) => c.kind)),
    [channels],
  )
  return provided ? provided.connected : own
}

/**
 * One sentence per channel the flow is for that is not connected.
 * @example publishWarnings(['webchat', 'whatsapp'], new Set(['webchat'])) → ['WhatsApp is not connected: ...']
 */
export function publishWarnings(
  flowChannels: readonly ChannelKind[],
  connected: ReadonlySet<string>,
): string[] {
  return flowChannels
    .filter((kind) => !connected.has(kind))
    .map(
      (kind) =>
        `${CHANNEL_NAMES[kind]} is not connected: this flow reaches no one there until the owner connects it on the Channels screen.`,
    )
}
