import { render, screen, waitFor } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { api } from '../api/api.ts'
import { ConnectedChannelsProvider, publishWarnings, useConnectedChannels } from './connected-channels.ts'

function Shows() {
  const connected = useConnectedChannels()
  return <p>{connected ? [...connected].sort().join(',') : 'loading'}</p>
}

function Screen({ children }: { children: ReactNode }) {
  const connected = useConnectedChannels({ when: 'idle' })
  return <ConnectedChannelsProvider connected={connected}>{children}</ConnectedChannelsProvider>
}

const list = {
  channels: [
    { id: 'c1', kind: 'webchat', state: 'connected' },
    { id: 'c2', kind: 'whatsapp', state: 'disconnected' },
  ],
} as unknown as Awaited<ReturnType<typeof api.channels.list>>

afterEach(() => vi.restoreAllMocks())

describe('useConnectedChannels', () => {
  it('asks once for a screen: the components below a provider read its list instead of asking again', async () => {
    const ask = vi.spyOn(api.channels, 'list').mockResolvedValue(list)
    render(
      <Screen>
        <Shows />
        <Shows />
      </Screen>,
    )
    await waitFor(() => expect(screen.getAllByText('webchat')).toHaveLength(2))
    expect(ask).toHaveBeenCalledTimes(1)
  })

  it('asks for itself without a provider', async () => {
    const ask = vi.spyOn(api.channels, 'list').mockResolvedValue(list)
    render(<Shows />)
    expect(screen.getByText('loading')).toBeTruthy()
    await waitFor(() => expect(screen.getByText('webchat')).toBeTruthy())
    expect(ask).toHaveBeenCalledTimes(1)
  })
})

describe('publishWarnings', () => {
  it('names each channel of the flow that is not connected, in plain words', () => {
    expect(publishWarnings(['webchat', 'whatsapp', 'telegram'], new Set(['webchat', 'shopify']))).toEqual([
      'WhatsApp is not connected: this flow reaches no one there until the owner connects it on the Channels screen.',
      'Telegram is not connected: this flow reaches no one there until the owner connects it on the Channels screen.',
    ])
    expect(publishWarnings(['webchat'], new Set(['webchat']))).toEqual([])
  })
})
