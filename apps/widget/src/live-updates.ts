// Live transcript updates: the WebSocket while it is open (ping every 25 s), reconnecting with backoff when it
// drops, and a poll of the transcript while it is down, so a message is at most one poll late.
import type { SocketEvent } from './types.ts'

export interface LiveUpdatesOptions {
  socketUrl(): Promise<string>
  onEvent(event: SocketEvent): void
  /** Re-reads the transcript: on every (re)connect and on each poll while the socket is down. */
  refresh(): Promise<void>
  pollMs?: number
  WebSocket?: typeof WebSocket
}

const MAX_BACKOFF_MS = 30_000
const PING_MS = 25_000

export function connectLiveUpdates(options: LiveUpdatesOptions): { close(): void } {
  const Socket = options.WebSocket ?? globalThis.WebSocket
  const pollMs = options.pollMs ?? 5_000
  let socket: WebSocket | undefined
  let attempts = 0
  let closed = false
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined
  let pollTimer: ReturnType<typeof setInterval> | undefined
  let pingTimer: ReturnType<typeof setInterval> | undefined

  const refresh = () => options.refresh().catch(() => {})
  const startPolling = () => {
    pollTimer ??= setInterval(refresh, pollMs)
  }
  const stopPolling = () => {
    if (pollTimer) clearInterval(pollTimer)
    pollTimer = undefined
  }

  const open = async () => {
    if (closed) return
    if (!Socket) {
      startPolling()
      return
    }
    let url: string
    try {
      url = await options.socketUrl()
    } catch {
      scheduleReconnect()
      return
    }
    if (closed) return
    const ws = new Socket(url)
    socket = ws
    ws.addEventListener('open', () => {
      attempts = 0
      stopPolling()
      pingTimer = setInterval(() => ws.readyState === 1 && ws.send('ping'), PING_MS)
      void refresh() // catch up on anything sent while we were away
    })
    ws.addEventListener('message', (event) => {
      if (typeof event.data !== 'string' || event.data === 'pong') return
      try {
        options.onEvent(JSON.parse(event.data) as SocketEvent)
      } catch {
        // Not ours: ignore.
      }
    })
    ws.addEventListener('close', () => {
      if (pingTimer) clearInterval(pingTimer)
      if (socket === ws) socket = undefined
      scheduleReconnect()
    })
  }

  const scheduleReconnect = () => {
    if (closed) return
    startPolling()
    const delay = Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** attempts) * (0.8 + Math.random() * 0.4)
    attempts += 1
    reconnectTimer = setTimeout(() => void open(), delay)
  }

  void open()
  return {
    close() {
      closed = true
      stopPolling()
      if (reconnectTimer) clearTimeout(reconnectTimer)
      if (pingTimer) clearInterval(pingTimer)
      socket?.close()
    },
  }
}
