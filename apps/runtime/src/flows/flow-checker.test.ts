import { edge, flowDocument, node } from '@parley/flow/test-support'
import { afterAll, describe, expect, it } from 'vitest'
import { createFlowChecker } from './flow-checker.ts'

/** trigger → n sends (with an HTTP request in the middle) → end: a valid flow of any size. */
function chain(sends: number, url = 'https://api.example/orders/{{contact.id}}') {
  const nodes = [node('start', 'trigger-message')]
  const edges = []
  let previous = 'start'
  for (let i = 0; i < sends; i++) {
    const id = `s${i}`
    nodes.push(node(id, 'send-message', { text: `Message ${i}` }))
    edges.push(edge(previous, id))
    previous = id
  }
  nodes.push(node('call', 'http-request', { url }))
  edges.push(edge(previous, 'call'))
  nodes.push(node('done', 'end', { outcome: 'done' }))
  edges.push(edge('call', 'done', 'ok'), edge('call', 'done', 'error'))
  return flowDocument(nodes, edges)
}

describe('FlowChecker', () => {
  const checker = createFlowChecker({ allowList: '' })
  afterAll(() => checker.close())

  it('checks a small flow inline, the same way', async () => {
    const { check, analysis } = await checker.check(chain(3), { analysis: true })
    expect(check.issues).toEqual([])
    expect(analysis?.nodes.s0).toBeDefined()
  })

  it('checks a large flow in a worker thread while the event loop keeps running', async () => {
    let ticks = 0
    const ticker = setInterval(() => ticks++, 1)
    const pending = checker.check(chain(400), { analysis: true })
    let settled = false
    void pending.then(() => (settled = true))
    await new Promise((resolve) => setImmediate(resolve))
    // Inline, the whole check would have run before this line; in the worker it is still going.
    expect(settled).toBe(false)
    const { check, analysis } = await pending
    clearInterval(ticker)
    expect(ticks).toBeGreaterThan(0)
    expect(check.parsed).toBe(true)
    expect(check.issues).toEqual([])
    expect(Object.keys(analysis?.nodes ?? {})).toHaveLength(403)
  })

  it('reports egress problems from the worker too, honouring the allow-list', async () => {
    const refused = await checker.check(chain(200, 'http://{{reply}}/x'))
    expect(refused.check.issues.map((i) => i.code)).toEqual(['templated_host'])
    const internal = 'http://10.0.0.5:8080/orders'
    expect((await checker.check(chain(200, internal))).check.issues.map((i) => i.code)).toEqual([
      'blocked_address',
    ])
    const allowed = createFlowChecker({ allowList: '10.0.0.0/8:8080' })
    try {
      expect((await allowed.check(chain(200, internal))).check.issues).toEqual([])
    } finally {
      await allowed.close()
    }
  })
})
