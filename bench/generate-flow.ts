// Generates valid flows of any size from a realistic mix of node kinds: timed reminder sequences,
// branches on the cart, order lookups after collecting an order number, A/B splits and escalations.
// Deterministic for a given size, so runs are comparable.

interface RawNode {
  id: string
  kind: string
  name: string
  position: { x: number; y: number }
  config: Record<string, unknown>
}

interface RawEdge {
  id: string
  source: string
  sourceHandle: string
  target: string
}

/** An open output waiting to be wired to the next block. */
type Exit = { node: string; handle: string }

export function generateFlow(size: number) {
  const nodes: RawNode[] = []
  const edges: RawEdge[] = []
  const add = (kind: string, name: string, config: Record<string, unknown> = {}): string => {
    const id = `n${nodes.length}`
    nodes.push({ id, kind, name, position: { x: (nodes.length % 7) * 320, y: nodes.length * 40 }, config })
    return id
  }
  const wire = (source: string, target: string, sourceHandle = 'next') => {
    edges.push({ id: `e${edges.length}`, source, sourceHandle, target })
  }
  const wireAll = (exits: Exit[], target: string) => {
    for (const exit of exits) wire(exit.node, target, exit.handle)
  }
  const hours = (amount: number) => ({ amount, unit: 'hours' })
  const template = (name: string) => ({
    name,
    language: 'en',
    category: 'marketing',
    params: ['{{contact.name}}'],
  })

  const end = (outcome: string) => add('end', `End: ${outcome}`, { outcome })
  const staff = (): string => {
    const escalate = add('escalate', 'Hand to staff', {
      queue: 'sales',
      summaryFields: [{ label: 'Cart', path: 'cart.url' }],
    })
    wire(escalate, end('assisted'))
    return escalate
  }

  // Each block takes the open exits of the previous one and returns its own.
  const blocks: ((exits: Exit[], i: number) => Exit[])[] = [
    (exits, i) => {
      const wait = add('delay', `Wait ${i}`, { mode: 'duration', duration: hours(1 + (i % 5)) })
      wireAll(exits, wait)
      const send = add('send-message', `Reminder ${i}`, {
        text: 'Hi {{contact.first_name | default: "there"}}, {{cart.items[0].title}} is still available',
        imageUrl: '{{cart.items[0].imageUrl}}',
        purpose: 'marketing',
        whatsappTemplate: template(`reminder_${i}`),
      })
      wire(wait, send)
      const reply = add('wait-for-reply', `Reply to ${i}?`, { timeout: hours(2) })
      wire(send, reply)
      const escalate = add('escalate', `Staff ${i}`, { queue: 'sales' })
      wire(reply, escalate, 'anything')
      wire(escalate, end(`assisted_${i}`))
      return [{ node: reply, handle: 'timeout' }]
    },
    (exits, i) => {
      const check = add('condition', `Big cart ${i}?`, {
        group: { match: 'all', rules: [{ path: 'cart.total', operator: 'greater_than', value: 100 }] },
      })
      wireAll(exits, check)
      const vip = add('send-message', `VIP note ${i}`, {
        text: 'Free shipping on {{cart.total | money}}',
        whatsappTemplate: template(`vip_${i}`),
      })
      wire(check, vip, 'yes')
      const note = add('set-variable', `Tag ${i}`, { name: `tag_${i}`, value: 'small' })
      wire(check, note, 'no')
      return [
        { node: vip, handle: 'next' },
        { node: note, handle: 'next' },
      ]
    },
    (exits, i) => {
      const ask = add('collect-input', `Order number ${i}`, {
        prompt: 'What is your order number?',
        inputType: 'order_number',
        variable: 'order_number',
        timeout: hours(1),
        whatsappTemplate: template(`ask_${i}`),
      })
      wireAll(exits, ask)
      wire(ask, end(`no_answer_${i}`), 'failed')
      wire(ask, end(`timed_out_${i}`), 'timeout')
      const lookup = add('lookup-order', `Find order ${i}`, { source: 'variable', variable: 'order_number' })
      wire(ask, lookup)
      const found = add('send-message', `Status ${i}`, {
        text: 'Order {{order.number}}: {{order.status}}',
        whatsappTemplate: template(`status_${i}`),
      })
      wire(lookup, found, 'found')
      const missing = add('send-message', `Not found ${i}`, {
        text: 'I could not find {{order_number}}',
        whatsappTemplate: template(`missing_${i}`),
      })
      wire(lookup, missing, 'not_found')
      return [
        { node: found, handle: 'next' },
        { node: missing, handle: 'next' },
      ]
    },
    (exits, i) => {
      // Every other split sends a fifth of the runs straight to staff.
      const toStaff = i % 8 === 3
      const variants = toStaff
        ? [
            { id: 'a', label: 'A', percent: 40 },
            { id: 'b', label: 'B', percent: 40 },
            { id: 'c', label: 'Staff', percent: 20 },
          ]
        : [
            { id: 'a', label: 'A', percent: 50 },
            { id: 'b', label: 'B', percent: 50 },
          ]
      const split = add('split', `A/B ${i}`, { variants })
      wireAll(exits, split)
      const a = add('send-message', `Variant A ${i}`, { text: 'A', whatsappTemplate: template(`a_${i}`) })
      const b = add('send-message', `Variant B ${i}`, { text: 'B', whatsappTemplate: template(`b_${i}`) })
      wire(split, a, 'a')
      wire(split, b, 'b')
      if (toStaff) wire(split, staff(), 'c')
      return [
        { node: a, handle: 'next' },
        { node: b, handle: 'next' },
      ]
    },
  ]

  const trigger = add('trigger-cart-abandoned', 'Cart abandoned')
  let exits: Exit[] = [{ node: trigger, handle: 'next' }]
  for (let i = 0; nodes.length < size - 1; i++) {
    const before = { nodes: nodes.length, edges: edges.length }
    const next = blocks[i % blocks.length]!(exits, i)
    if (nodes.length > size - 1) {
      // Roll back a block that would overshoot; the last node is the end.
      nodes.length = before.nodes
      edges.length = before.edges
      break
    }
    exits = next
  }
  while (nodes.length < size - 1) {
    const send = add('send-message', `Follow-up ${nodes.length}`, {
      text: 'Thanks!',
      whatsappTemplate: template('thanks'),
    })
    wireAll(exits, send)
    exits = [{ node: send, handle: 'next' }]
  }
  wireAll(exits, end('completed'))
  return {
    version: 1,
    name: `Generated flow (${nodes.length} nodes)`,
    nodes,
    edges,
    settings: { description: '', channels: ['webchat', 'whatsapp', 'telegram'], exitEvents: [] },
  }
}
