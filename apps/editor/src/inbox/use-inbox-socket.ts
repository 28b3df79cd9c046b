// The inbox's live feed: the staff WebSocket (GET /api/conversations/socket, the session cookie signs it in)
// delivering conversation changes and transcript rows as they commit. Reconnects with backoff and tells the
// screen when it is back, so the screen reloads what it may have missed while disconnected.
import type { InboxConversation, InboxMessage } from '@parley/api'
import { useEffect, useRef, useState } from 'react'

export type InboxEvent =
  | { type: 'conversation'; conversation: InboxConversation }
  | { type: 'message'; conversationId: string; message: InboxMessage }

export type SocketState = 'connecting' | 'live' | 'offline'

export function useInboxSocket(onEvent: (event: InboxEvent) => void, onReconnect: () => void): SocketState {
  const [state, setState] = useState<SocketState>('connecting')
  const handlers = useRef({ onEvent, onReconnect })
  handlers.current = { onEvent, onReconnect }

  useEffect(() => {
    let socket: WebSocket | null = null
    let retry: ReturnType<typeof setTimeout> | undefined
    let ping: ReturnType<typeof setInterval> | undefined
    let attempts = 0
    let closed = false
    let wasLive = false

    const connect = () => {
      const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws'
      socket = new WebSocket(`${scheme}://${window.location.host}/api/conversations/socket`)
      socket.onmessage = (message) => {
        if (message.data === 'pong') return
        let data: { type?: string }
        try {
          data = JSON.parse(String(message.data)) as { type?: string }
        } catch {
          return
        }
        if (data.type === 'ready') {
          attempts = 0
          setState('live')
          // Anything that changed while we were away arrived on no socket: reload once.
          if (wasLive) handlers.current.onReconnect()
          wasLive = true
        } else if (data.type === 'conversation' || data.type === 'message') {
          handlers.current.onEvent(data as InboxEvent)
        }
      }
      socket.onclose = () => {
        if (closed) return
        setState('offline')
        attempts += 1
        retry = setTimeout(connect, Math.min(30_000, 500 * 2 ** attempts))
      }
    }
    connect()
    // Keeps proxies from closing an idle socket.
    ping = setInterval(() => {
      if (socket?.readyState === WebSocket.OPEN) socket.send('ping')
    }, 25_000)
    return () => {
      closed = true
      clearTimeout(retry)
      clearInterval(ping)
      socket?.close()
    }
  }, [])
  return state
}
