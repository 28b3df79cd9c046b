import { describe, expect, it } from 'vitest'
import { createLogger } from '../observability/logger.ts'
import { InProcessRealtime, type RealtimeEvent } from './realtime.ts'
import { type LiveSocket, SocketRegistry } from './socket-registry.ts'

function socket(readyState = 1): LiveSocket & { sent: string[] } {
  const sent: string[] = []
  return { sent, readyState, send: (data) => sent.push(data) }
}

const event: RealtimeEvent = { merchantId: 'm', conversationId: 'c', kind: 'message', id: 'x' }

describe('SocketRegistry', () => {
  it('subscribes to Realtime only while a socket is attached', async () => {
    const realtime = new InProcessRealtime()
    const seen: RealtimeEvent[] = []
    const registry = new SocketRegistry({ realtime, logger: createLogger('silent') }, 'test', async (e) => {
      seen.push(e)
    })
    await realtime.publish(event)
    expect(seen).toHaveLength(0)

    const detachA = registry.attach('k', socket())
    const detachB = registry.attach('k', socket())
    expect(registry.socketCount).toBe(2)
    await realtime.publish(event)
    expect(seen).toHaveLength(1)

    detachA()
    detachB()
    expect(registry.isEmpty).toBe(true)
    expect(registry.socketsFor('k').size).toBe(0)
    await realtime.publish(event)
    expect(seen).toHaveLength(1)
  })

  it('sends one JSON payload to open sockets only', () => {
    const open = socket(1)
    const closed = socket(3)
    SocketRegistry.send([open, closed], { type: 'message', id: 'x' })
    expect(open.sent).toEqual(['{"type":"message","id":"x"}'])
    expect(closed.sent).toEqual([])
  })
})
