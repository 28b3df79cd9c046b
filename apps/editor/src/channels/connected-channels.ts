// Which chat channels the merchant has connected, for the flow editor: its channel switches say which are not
// connected, and publishing warns when the flow is meant for a channel that is not.
import type { ChannelList } from '@parley/api'
import type { ChannelKind } from '@parley/flow'
import { useEffect, useMemo, useState } from 'react'
import { api } from '../api/api.ts'

const CHANNEL_NAMES: Record<ChannelKind, string> = {
  webchat: 'Web chat',
  whatsapp: 'WhatsApp',
  telegram: 'Telegram',
}

/** The merchant's channels as the API lists them, or null while loading or when they could not be read. */
export function useChannelList(): ChannelList['channels'] | null {
  const [channels, setChannels] = useState<ChannelList['channels'] | null>(null)
  useEffect(() => {
    let live = true
    api.channels.list().then(
      (list) => live && setChannels(list.channels),
      () => {},
    )
    return () => {
      live = false
    }
  }, [])
  return channels
}

/** The connected kinds, or null while loading or when they could not be read (then nothing is claimed). */
export function useConnectedChannels(): ReadonlySet<string> | null {
  const channels = useChannelList()
  return useMemo(
    () => channels && new Set(channels.filter((c) => c.state !== 'disconnected').map((c) => c.kind)),
    [channels],
  )
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
