import { cartRecoveryFlow, FLOW_DOCUMENT_VERSION, type RawFlowDocument } from '@parley/flow'
import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS } from './convert.ts'
import { createEditorStore, selectDocument } from './editor-store.ts'
import { HISTORY_LIMIT } from './history.ts'

function counterIds() {
  let n = 0
  return (prefix: 'n' | 'e') => `${prefix}${++n}`
}

function setup(doc?: RawFlowDocument) {
  // Each call moves the clock 5 s, so edits never coalesce unless a test says so.
  let clock = 0
  const store = createEditorStore({ newId: counterIds(), now: () => (clock += 5000) })
  if (doc) store.getState().load('f1', doc)
  const get = () => store.getState()
  const docOf = () => selectDocument(store.getState())
  return { store, get, docOf }
}

const base: RawFlowDocument = {
  version: FLOW_DOCUMENT_VERSION,
  name: 'Recovery',
  nodes: [
    { id: 't', kind: 'trigger-cart-abandoned', position: { x: 0, y: 0 }, config: {} },
    {
      id: 'm',
      kind: 'send-message',
      position: { x: 0, y: 150 },
      config: {
        text: 'Hi',
        imageUrl: '',
        product: null,
        cards: null,
        buttons: [],
        link: null,
        purpose: 'marketing',
        whatsappTemplate: null,
        replyTimeout: { amount: 1, unit: 'days' },
      },
    },
  ],
  edges: [{ id: 'e0', source: 't', sourceHandle: 'next', target: 'm' }],
  settings: DEFAULT_SETTINGS,
}

describe('editor store', () => {
  it('upgrades an old document when loading it: buttons become outputs', () => {
    const old = {
      version: 1,
      name: 'Old',
      nodes: [
        { id: 't', kind: 'trigger-manual', position: { x: 0, y: 0 }, config: {} },
        {
          id: 'ask',
          kind: 'send-message',
          position: { x: 0, y: 100 },
          config: { text: 'OK?', buttons: [{ id: 'yes', title: 'Yes' }] },
        },
        { id: 'e', kind: 'end', position: { x: 0, y: 200 }, config: {} },
      ],
      edges: [
        { id: 'a', source: 't', sourceHandle: 'next', target: 'ask' },
        { id: 'b', source: 'ask', sourceHandle: 'next', target: 'e' },
      ],
      settings: DEFAULT_SETTINGS,
    } as unknown as RawFlowDocument
    const { docOf } = setup(old)
    expect(docOf().version).toBe(FLOW_DOCUMENT_VERSION)
    expect(docOf().edges.map((e) => `${e.source}:${e.sourceHandle}->${e.target}`)).toEqual([
      't:next->ask',
      'ask:yes->e',
      'ask:anything->e',
      'ask:timeout->e',
    ])
  })

  it('asks for the order number before a lookup: adds the question, rewires and points the lookup at it', () => {
    const { get, docOf } = setup(base)
    const lookup = get().addNode('lookup-order', { x: 0, y: 300 })
    get().onConnect({ source: 'm', sourceHandle: 'next', target: lookup, targetHandle: null })
    get().askForOrderNumber(lookup)
    const doc = docOf()
    const question = doc.nodes.find((n) => n.kind === 'collect-input')!
    expect(question).toMatchObject({
      name: 'Ask for the order number',
      position: { x: 0, y: 300 },
      config: { inputType: 'order_number', variable: 'order_number' },
    })
    expect(doc.nodes.find((n) => n.id === lookup)).toMatchObject({
      position: { y: 600 },
      config: { source: 'variable', variable: 'order_number' },
    })
    expect(doc.edges.map((e) => `${e.source}->${e.target}`)).toEqual([
      't->m',
      `m->${question.id}`,
      `${question.id}->${lookup}`,
    ])
    get().undo()
    expect(docOf().nodes.some((n) => n.kind === 'collect-input')).toBe(false)
  })

  it('loads a document and gives it back unchanged', () => {
    const { docOf } = setup(base)
    expect(docOf()).toEqual(base)
  })

  it('adds a node with its kind defaults and selects it', () => {
    const { get, docOf } = setup(base)
    const id = get().addNode('delay', { x: 10, y: 300 })
    const node = docOf().nodes.find((n) => n.id === id)
    expect(node).toEqual({
      id,
      kind: 'delay',
      position: { x: 10, y: 300 },
      config: { mode: 'duration', duration: { amount: 1, unit: 'hours' } },
    })
    expect(
      get()
        .nodes.filter((n) => n.selected)
        .map((n) => n.id),
    ).toEqual([id])
  })

  it('connects handles, one edge per output, and refuses self-loops and edges into triggers', () => {
    const { get, docOf } = setup(base)
    const d = get().addNode('delay', { x: 0, y: 300 })
    get().onConnect({ source: 'm', sourceHandle: 'next', target: d, targetHandle: null })
    expect(docOf().edges).toContainEqual({ id: 'e2', source: 'm', sourceHandle: 'next', target: d })

    const end = get().addNode('end', { x: 0, y: 450 })
    get().onConnect({ source: 'm', sourceHandle: 'next', target: end, targetHandle: null })
    expect(docOf().edges.filter((e) => e.source === 'm')).toEqual([
      { id: 'e4', source: 'm', sourceHandle: 'next', target: end },
    ])

    const before = docOf()
    get().onConnect({ source: d, sourceHandle: 'next', target: d, targetHandle: null })
    expect(get().notice?.text).toMatch(/itself/)
    get().onConnect({ source: d, sourceHandle: 'next', target: 't', targetHandle: null })
    expect(get().notice?.text).toMatch(/Triggers/)
    get().onConnect({ source: d, sourceHandle: 'nope', target: end, targetHandle: null })
    expect(docOf()).toEqual(before)
  })

  it('deletes nodes together with their edges, as one undo step', () => {
    const { get, docOf } = setup(base)
    get().deleteElements(['m'], [])
    expect(docOf().nodes.map((n) => n.id)).toEqual(['t'])
    expect(docOf().edges).toEqual([])
    get().undo()
    expect(docOf()).toEqual(base)
  })

  it('undoes and redoes a sequence of edits exactly', () => {
    const { get, docOf } = setup(base)
    const snapshots = [docOf()]
    const d = get().addNode('delay', { x: 0, y: 300 })
    snapshots.push(docOf())
    get().onConnect({ source: 'm', sourceHandle: 'next', target: d, targetHandle: null })
    snapshots.push(docOf())
    get().updateConfig(d, { mode: 'duration', duration: { amount: 2, unit: 'hours' } })
    snapshots.push(docOf())
    get().renameNode(d, 'Two hours later')
    snapshots.push(docOf())

    for (let i = snapshots.length - 2; i >= 0; i--) {
      get().undo()
      expect(docOf()).toEqual(snapshots[i])
    }
    get().undo() // nothing left: no change
    expect(docOf()).toEqual(snapshots[0])
    for (let i = 1; i < snapshots.length; i++) {
      get().redo()
      expect(docOf()).toEqual(snapshots[i])
    }
  })

  it('a new edit after undo clears the redo stack', () => {
    const { get, docOf } = setup(base)
    get().addNode('delay', { x: 0, y: 0 })
    get().undo()
    get().addNode('end', { x: 0, y: 0 })
    const after = docOf()
    get().redo()
    expect(docOf()).toEqual(after)
  })

  it('coalesces a move-drag into one undo step', () => {
    const { get, docOf } = setup(base)
    for (const [x, dragging] of [
      [5, true],
      [10, true],
      [20, true],
      [20, false],
    ] as const) {
      get().onNodesChange([{ type: 'position', id: 'm', position: { x, y: 150 }, dragging }])
    }
    expect(docOf().nodes[1]!.position).toEqual({ x: 20, y: 150 })
    expect(get().history.past).toHaveLength(1)
    get().undo()
    expect(docOf()).toEqual(base)
  })

  it('selection and measuring do not enter history', () => {
    const { get } = setup(base)
    get().onNodesChange([{ type: 'select', id: 'm', selected: true }])
    get().onNodesChange([{ type: 'dimensions', id: 'm', dimensions: { width: 200, height: 80 } }])
    expect(get().history.past).toHaveLength(0)
    expect(get().nodes[1]!.selected).toBe(true)
  })

  it('copies and pastes nodes with new ids, offset positions and their internal edges', () => {
    const { get, docOf } = setup(base)
    get().selectNodes(['t', 'm'])
    get().copy()
    get().paste()
    const doc = docOf()
    expect(doc.nodes).toHaveLength(4)
    const [t2, m2] = doc.nodes.slice(2)
    expect(t2).toMatchObject({ kind: 'trigger-cart-abandoned', position: { x: 40, y: 40 } })
    expect(m2).toMatchObject({
      kind: 'send-message',
      position: { x: 40, y: 190 },
      config: base.nodes[1]!.config,
    })
    expect(new Set([t2!.id, m2!.id, 't', 'm']).size).toBe(4)
    expect(doc.edges).toContainEqual({
      id: expect.any(String),
      source: t2!.id,
      sourceHandle: 'next',
      target: m2!.id,
    })
    expect(
      get()
        .nodes.filter((n) => n.selected)
        .map((n) => n.id),
    ).toEqual([t2!.id, m2!.id])
    // The pasted config is a copy: editing it leaves the original alone.
    ;(get().nodes[3]!.data.config as { text: string }).text = 'changed'
    expect((get().nodes[1]!.data.config as { text: string }).text).toBe('Hi')

    get().paste()
    expect(
      docOf()
        .nodes.slice(4)
        .map((n) => n.position),
    ).toEqual([
      { x: 80, y: 80 },
      { x: 80, y: 230 },
    ])
    get().undo()
    get().undo()
    expect(docOf()).toEqual(base)
  })

  it('copies only edges whose both ends are copied', () => {
    const { get, docOf } = setup(base)
    get().selectNodes(['m'])
    get().copy()
    get().paste()
    expect(docOf().edges).toHaveLength(1)
  })

  it('drops edges from outputs that a config change removes', () => {
    const { get, docOf } = setup(base)
    const w = get().addNode('wait-for-reply', { x: 0, y: 300 })
    get().updateConfig(w, { branches: [{ id: 'yes', title: 'Yes', keywords: [] }], timeout: null })
    const end = get().addNode('end', { x: 0, y: 450 })
    get().onConnect({ source: w, sourceHandle: 'yes', target: end, targetHandle: null })
    expect(docOf().edges.some((e) => e.sourceHandle === 'yes')).toBe(true)
    get().updateConfig(w, { branches: [], timeout: null })
    expect(docOf().edges.some((e) => e.sourceHandle === 'yes')).toBe(false)
  })

  it('typing into one field in a burst is one undo step', () => {
    let clock = 0
    const store = createEditorStore({ newId: counterIds(), now: () => (clock += 100) })
    store.getState().load('f1', base)
    for (const text of ['H', 'He', 'Hel', 'Hello']) {
      store.getState().updateConfig('m', { ...(base.nodes[1]!.config as object), text })
    }
    expect(store.getState().history.past).toHaveLength(1)
    store.getState().undo()
    expect(selectDocument(store.getState())).toEqual(base)
  })

  it('caps history at the limit', () => {
    const { get } = setup(base)
    for (let i = 0; i < HISTORY_LIMIT + 20; i++) get().renameNode('m', `Step ${i}`)
    expect(get().history.past).toHaveLength(HISTORY_LIMIT)
  })

  // ELK's first layout loads and warms it: generous on a busy machine.
  it('auto-layout places nodes top-down, reports its crossings and can be undone', {
    timeout: 60_000,
  }, async () => {
    const { get, docOf } = setup({
      ...base,
      nodes: base.nodes.map((n) => ({ ...n, position: { x: 0, y: 0 } })),
    })
    const before = docOf()
    await get().autoLayout()
    const [t, m] = docOf().nodes
    expect(m!.position.y).toBeGreaterThan(t!.position.y)
    expect(get().layoutReport).toEqual({ crossings: 0 })
    expect(get().edges[0]!.data).toHaveProperty('route')
    // Routes are for the canvas: the saved document's edges stay as the schema has them.
    expect(Object.keys(docOf().edges[0]!).sort()).toEqual(['id', 'source', 'sourceHandle', 'target'])
    get().undo()
    expect(docOf()).toEqual(before)
  })
})

describe('arranging a flow when it opens', () => {
  it('shows an untouched flow arranged without making it an edit', async () => {
    const { get, docOf } = setup(cartRecoveryFlow)
    const revision = get().revision
    await get().arrangeOnOpen(true)
    expect(get().revision).toBe(revision)
    expect(get().history.past).toHaveLength(0)
    expect(get().layoutReport).toEqual({ crossings: 0 })
    expect(docOf().nodes.find((n) => n.id === 'wait-1h')!.position).not.toEqual(
      cartRecoveryFlow.nodes.find((n) => n.id === 'wait-1h')!.position,
    )
  })

  it('leaves a flow the merchant arranged where it is, and picks up the routes of one already laid out', async () => {
    const placed = setup(cartRecoveryFlow)
    await placed.get().arrangeOnOpen(false)
    expect(placed.docOf().nodes).toEqual(cartRecoveryFlow.nodes)
    expect(placed.get().edges.every((e) => !(e.data as { route?: unknown } | undefined)?.route)).toBe(true)

    const laidOut = setup(cartRecoveryFlow)
    await laidOut.get().autoLayout()
    const again = setup(laidOut.docOf())
    await again.get().arrangeOnOpen(false)
    expect(again.docOf().nodes).toEqual(laidOut.docOf().nodes)
    expect(again.get().edges.every((e) => (e.data as { route?: unknown } | undefined)?.route)).toBe(true)
  })
})

describe('adding steps', () => {
  it('puts a new step in free space, never on top of another', () => {
    const { get } = setup(base)
    const id = get().addNode('delay', { x: 0, y: 150 })
    const added = get().nodes.find((n) => n.id === id)!
    const message = get().nodes.find((n) => n.id === 'm')!
    const apart =
      Math.abs(added.position.x - message.position.x) >= 260 ||
      Math.abs(added.position.y - message.position.y) >= 110
    expect(apart).toBe(true)
  })

  it('adds a step after an output, below it, connected to it', () => {
    const { get } = setup({ ...base, edges: [] })
    const id = get().addStepAfter('m', 'next', 'delay')!
    const added = get().nodes.find((n) => n.id === id)!
    expect(added.position.y).toBeGreaterThan(150)
    expect(get().edges).toContainEqual(
      expect.objectContaining({ source: 'm', sourceHandle: 'next', target: id }),
    )
    get().undo()
    expect(get().nodes.find((n) => n.id === id)).toBeUndefined()
  })

  it('inserts a step into a connection, keeping the path whole', () => {
    const { get } = setup(base)
    const id = get().addStepAfter('t', 'next', 'delay')!
    const links = get().edges.map((e) => [e.source, e.target])
    expect(links).toContainEqual(['t', id])
    expect(links).toContainEqual([id, 'm'])
    expect(links).not.toContainEqual(['t', 'm'])
    // The message moved down a row to make room, so the new step sits between the two in the path.
    const y = (nodeId: string) => get().nodes.find((n) => n.id === nodeId)!.position.y
    expect(y(id)).toBeGreaterThan(y('t'))
    expect(y('m')).toBeGreaterThan(y(id) + 100)
  })
})

describe('loading', () => {
  it('fills configs a saved document left out with their kind defaults, and keeps unreadable ones as they are', () => {
    const { get } = setup({
      ...base,
      nodes: [
        ...base.nodes,
        { id: 'x', kind: 'escalate', position: { x: 0, y: 300 }, config: { queue: 'returns' } },
        { id: 'bad', kind: 'delay', position: { x: 0, y: 450 }, config: { duration: 'soon' } },
      ],
    })
    const escalate = get().nodes.find((node) => node.id === 'x')
    expect(escalate?.data.config).toMatchObject({ queue: 'returns', summaryFields: [] })
    expect(get().nodes.find((node) => node.id === 'bad')?.data.config).toEqual({ duration: 'soon' })
  })
})

describe('replaceDocument (restoring a version as the draft)', () => {
  it('replaces the draft in one undo step, and undo brings the draft back exactly', () => {
    const { get, docOf } = setup(base)
    get().renameNode('m', 'Reminder')
    const draft = docOf()
    const version: RawFlowDocument = {
      ...structuredClone(base),
      name: 'Recovery v1',
      nodes: base.nodes.slice(0, 1),
      edges: [],
    }
    get().replaceDocument(version)
    expect(docOf().name).toBe('Recovery v1')
    expect(docOf().nodes.map((n) => n.id)).toEqual(['t'])
    get().undo()
    expect(docOf()).toEqual(draft)
    get().redo()
    expect(docOf().nodes.map((n) => n.id)).toEqual(['t'])
  })
})

describe('opening a large flow (editor-load)', () => {
  const large: RawFlowDocument = {
    ...base,
    nodes: Array.from({ length: 250 }, (_, i) => ({
      id: `n${i}`,
      kind: 'end',
      position: { x: 0, y: i * 200 },
      config: {},
    })),
    edges: [],
  }

  it('opens every card with an estimated size, and a card measured for real loses the estimated handles', () => {
    const { get, docOf } = setup(large)
    expect(get().nodes.every((n) => n.measured && n.handles)).toBe(true)
    get().onNodesChange([{ id: 'n3', type: 'dimensions', dimensions: { width: 260, height: 96 } }])
    const n3 = get().nodes.find((n) => n.id === 'n3')!
    expect(n3.handles).toBeUndefined()
    expect(n3.measured).toEqual({ width: 260, height: 96 })
    expect(get().nodes.find((n) => n.id === 'n4')!.handles).toBeDefined()
    // Sizes are the canvas's business: the saved document is the same as before.
    expect(docOf().nodes.map(Object.keys)).toEqual(large.nodes.map(Object.keys))
  })

  it('opens a small flow without estimates (every card is mounted and measured)', () => {
    const { get } = setup(base)
    expect(get().nodes.some((n) => n.handles || n.measured)).toBe(false)
  })
})
