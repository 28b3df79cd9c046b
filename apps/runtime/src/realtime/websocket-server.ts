// The process's WebSocket server (web chat and inbox upgrades). A frame larger than the cap is refused by ws as
// it reads the frame header, before buffering the payload: the socket closes with 1009 and nothing is handled.
// Clients only ever send "ping"; 4 KiB leaves room for any small control message later.
import { WebSocketServer } from 'ws'

export const WS_MAX_PAYLOAD_BYTES = 4 * 1024

export function createWebSocketServer(): WebSocketServer {
  return new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD_BYTES })
}
