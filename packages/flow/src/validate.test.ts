import { describe, expect, it } from 'vitest'
import type { FlowIssue } from './nodes/types.ts'
import { cartRecoveryByHand, edge, flowDocument, hours, node } from './test-support/flow-builder.ts'
import { validate } from './validate.ts'

const codes = (issues: FlowIssue[]) => issues.map((issue) => issue.code)
const only = (issues: FlowIssue[], code: string) => issues.filter((issue) => issue.code === code)

/** trigger → message → end, plus whatever a test adds. */
function simpleFlow(
  extraNodes = [] as ReturnType<typeof node>[],
  extraEdges = [] as ReturnType<typeof edge>[],
) {
  return flowDocument(
    [
      node('t', 'trigger-manual'),
      node('m', 'send-message', { text: 'Hi {{contact.name}}' }, 'Hello'),
      node('e', 'end'),
      ...extraNodes,
    ],
    [edge('t', 'm'), edge('m', 'e'), ...extraEdges],
  )
}

describe('validate: clean flows', () => {
  it('finds nothing wrong with a simple flow', () => {
    expect(validate(simpleFlow())).toEqual([])
  })

  it('finds nothing wrong with cart recovery once its late sends have templates', () => {
    expect(validate(cartRecoveryByHand({ templates: true }))).toEqual([])
  })
})

describe('validate: documents that are not flows', () => {
  it.each([null, undefined, 42, 'flow', [], true])('gives one invalid_document error for %j', (input) => {
    const issues = validate(input)
    expect(issues).toHaveLength(1)
    expect(issues[0]).toMatchObject({ severity: 'error', code: 'invalid_document' })
  })

  it('explains a broken envelope', () => {
    const issues = validate({ version: 1, name: 'x', nodes: 'none', edges: [] })
    expect(codes(issues)).toEqual(['invalid_document'])
    expect(issues[0]!.message).toMatch(/nodes/)
  })

  it('refuses documents from a newer version', () => {
    expect(codes(validate({ ...simpleFlow(), version: 99 }))).toEqual(['unsupported_version'])
  })
})

describe('validate: nodes and configs', () => {
  it('reports a missing trigger', () => {
    const doc = flowDocument([node('m', 'send-message', { text: 'Hi' }), node('e', 'end')], [edge('m', 'e')])
    const issues = validate(doc)
    expect(issues[0]).toEqual({
      severity: 'error',
      code: 'no_trigger',
      message: 'Add a trigger to start: it decides when this flow runs',
    })
  })

  it('reports unknown kinds and invalid configs, and still checks the rest', () => {
    const doc = simpleFlow(
      [
        node('x', 'teleport', {}),
        node('bad', 'send-message', { buttons: 'many' }, 'Broken'),
        node('lonely', 'delay', {}, 'Lonely delay'),
      ],
      [edge('m', 'x'), edge('x', 'bad')],
    )
    const issues = validate(doc)
    expect(only(issues, 'unknown_kind')).toHaveLength(1)
    expect(only(issues, 'invalid_config')[0]).toMatchObject({ nodeId: 'bad' })
    expect(only(issues, 'invalid_config')[0]!.message).toMatch(/'Broken'/)
    expect(only(issues, 'unreachable_node').map((i) => i.nodeId)).toEqual(['lonely'])
    // An unconnected output is an implicit ending, not an error.
    expect(only(issues, 'dead_end')).toEqual([])
  })

  it('reports duplicate node and edge ids', () => {
    const doc = simpleFlow([node('m', 'end')], [{ ...edge('m', 'e'), id: 't:next->m' }])
    const issues = validate(doc)
    expect(only(issues, 'duplicate_node_id')).toMatchObject([
      { nodeId: 'm', message: 'Two steps share the id "m"' },
    ])
    expect(only(issues, 'duplicate_edge_id')).toMatchObject([{ edgeId: 't:next->m' }])
  })

  it('calls each kind check: non-positive delay', () => {
    const doc = flowDocument(
      [
        node('t', 'trigger-manual'),
        node('d', 'delay', { mode: 'duration', duration: hours(0) }, 'Pause'),
        node('e', 'end'),
      ],
      [edge('t', 'd'), edge('d', 'e')],
    )
    expect(only(validate(doc), 'non_positive_delay')).toEqual([
      {
        severity: 'error',
        code: 'non_positive_delay',
        message: "'Pause' must wait longer than 0 hours",
        nodeId: 'd',
      },
    ])
  })

  it('checks buttons against the flow channels', () => {
    const buttons = [
      { id: 'a', title: 'Yes please, show me more' },
      { id: 'b', title: 'No' },
      { id: 'c', title: 'Later' },
      { id: 'd', title: 'Stop' },
    ]
    const nodes = [
      node('t', 'trigger-manual'),
      node('m', 'send-message', { text: 'Pick one', buttons }, 'Menu'),
      node('e', 'end'),
    ]
    const edges = [
      edge('t', 'm'),
      ...buttons.map((b) => edge('m', 'e', b.id)),
      edge('m', 'e', 'anything'),
      edge('m', 'e', 'timeout'),
    ]
    const onWhatsApp = validate(flowDocument(nodes, edges, ['whatsapp']))
    expect(only(onWhatsApp, 'too_many_buttons')[0]!.message).toBe(
      "'Menu' has 4 buttons; WhatsApp allows at most 3",
    )
    expect(only(onWhatsApp, 'button_title_too_long')[0]!.message).toBe(
      "Button titles are limited to 20 characters on WhatsApp ('Menu')",
    )
    expect(validate(flowDocument(nodes, edges, ['webchat', 'telegram']))).toEqual([])
  })
})

describe('validate: connections', () => {
  it('blocks a quick-reply button that leads nowhere, in plain words', () => {
    const buttons = [
      { id: 'more', title: 'Another question' },
      { id: 'done', title: 'No, all good' },
    ]
    const nodes = [
      node('t', 'trigger-manual'),
      node('ask', 'send-message', { text: 'Anything else?', buttons, replyTimeout: null }, 'Ask'),
      node('help', 'escalate', {}, 'Escalate to staff'),
    ]
    const issues = validate(flowDocument(nodes, [edge('t', 'ask'), edge('ask', 'help', 'more')]))
    expect(only(issues, 'button_not_connected')).toEqual([
      {
        severity: 'error',
        code: 'button_not_connected',
        message: "The button 'No, all good' of 'Ask' doesn't lead anywhere yet; connect it to a step",
        nodeId: 'ask',
      },
    ])
  })

  it('asks for a step after a trigger that leads nowhere', () => {
    expect(only(validate(flowDocument([node('t', 'trigger-manual', {}, 'Start')], [])), 'dead_end')).toEqual([
      {
        severity: 'error',
        code: 'dead_end',
        message: "Add a step after 'Start': the flow does nothing yet",
        nodeId: 't',
      },
    ])
  })

  it('reports connections to and from missing steps and unknown outputs', () => {
    const doc = simpleFlow([], [edge('m', 'ghost'), edge('ghost', 'e'), edge('m', 'e', 'sideways')])
    const dangling = only(validate(doc), 'dangling_edge')
    expect(dangling.map((i) => i.message)).toEqual([
      "A connection from 'Hello' leads to a step that no longer exists",
      'A connection leaves \'Hello\' from an output it does not have ("sideways")',
      "A connection into 'End' starts at a step that no longer exists",
    ])
    expect(dangling.every((i) => i.edgeId)).toBe(true)
  })

  it('reports connections into a trigger', () => {
    const doc = flowDocument(
      [
        node('t', 'trigger-manual', {}, 'Start'),
        node('w', 'wait-for-reply', { timeout: hours(1) }),
        node('e', 'end'),
      ],
      [edge('t', 'w'), edge('w', 't', 'anything'), edge('w', 'e', 'timeout')],
    )
    expect(only(validate(doc), 'edge_into_trigger')).toMatchObject([
      { message: "'Start' is a trigger: nothing can lead into it", nodeId: 't', edgeId: 'w:anything->t' },
    ])
  })

  it('reports two next steps from one output', () => {
    const doc = simpleFlow([node('e2', 'end')], [edge('m', 'e2')])
    expect(only(validate(doc), 'duplicate_connection')[0]!.message).toBe(
      '\'Hello\' has more than one next step for "Then"; connect only one',
    )
  })

  it('reports steps no trigger reaches', () => {
    const doc = simpleFlow([node('o', 'send-message', { text: 'Hi' }, 'Orphan')], [edge('o', 'e')])
    expect(only(validate(doc), 'unreachable_node')).toEqual([
      {
        severity: 'warning',
        code: 'unreachable_node',
        message: "'Orphan' can never be reached from a trigger",
        nodeId: 'o',
      },
    ])
  })

  it('ends the conversation at an output with nothing attached, and warns about optional outputs left open', () => {
    const nodes = [
      node('t', 'trigger-manual'),
      node('r', 'send-message', { text: 'Still there?' }, 'Reminder'),
      node('w', 'wait-for-reply', { timeout: hours(2) }, 'Wait'),
      node('thanks', 'send-message', { text: 'Thanks' }),
      node('esc', 'escalate', {}, 'Escalate to staff'),
    ]
    const edges = [edge('t', 'r'), edge('w', 'thanks', 'anything'), edge('thanks', 'esc')]
    // 'Reminder' and 'Escalate to staff' simply end the conversation: no issue on them.
    expect(validate(flowDocument(nodes, edges)).filter((i) => i.severity === 'error')).toEqual([])
    expect(validate(flowDocument(nodes, [...edges, edge('r', 'w')]))).toEqual([
      {
        severity: 'warning',
        code: 'unconnected_output',
        message: 'Nothing is connected to "No reply" of \'Wait\'; the conversation ends there',
        nodeId: 'w',
      },
    ])
  })
})

describe('validate: intent outputs of a wait for reply', () => {
  const nodes = [
    node('t', 'trigger-manual'),
    node('w', 'wait-for-reply', { intents: ['wants_person', 'not_interested'], timeout: null }, 'Ask'),
    node('esc', 'escalate', {}, 'Hand over'),
    node('e', 'end'),
  ]

  it('follows the rules for outputs: an intent left open warns once another output is connected', () => {
    const open = validate(flowDocument(nodes, [edge('t', 'w'), edge('w', 'esc', 'intent-wants_person')]))
    expect(only(open, 'unconnected_output')).toEqual([
      {
        severity: 'warning',
        code: 'unconnected_output',
        message:
          'Nothing is connected to "Says no or not interested" of \'Ask\'; the conversation ends there',
        nodeId: 'w',
      },
      {
        severity: 'warning',
        code: 'unconnected_output',
        message: 'Nothing is connected to "Anything else" of \'Ask\'; the conversation ends there',
        nodeId: 'w',
      },
    ])
  })

  it('finds nothing wrong once every output leads somewhere, and refuses an edge from an intent not ticked', () => {
    const edges = [
      edge('t', 'w'),
      edge('w', 'esc', 'intent-wants_person'),
      edge('w', 'e', 'intent-not_interested'),
      edge('w', 'e', 'anything'),
    ]
    expect(validate(flowDocument(nodes, edges))).toEqual([])
    const stale = validate(flowDocument(nodes, [...edges, edge('w', 'e', 'intent-return')]))
    expect(stale.map((i) => i.severity)).toContain('error')
  })
})

describe('validate: loops', () => {
  it('reports a loop with no wait', () => {
    const doc = flowDocument(
      [
        node('t', 'trigger-manual'),
        node('m', 'send-message', { text: 'Hi' }, 'Ping'),
        node(
          'c',
          'condition',
          { group: { match: 'all', rules: [{ path: 'cart.total', operator: 'greater_than', value: 1 }] } },
          'Big cart?',
        ),
        node('e', 'end'),
      ],
      [edge('t', 'm'), edge('m', 'c'), edge('c', 'm', 'yes'), edge('c', 'e', 'no')],
    )
    expect(only(validate(doc), 'loop_without_wait')).toEqual([
      {
        severity: 'error',
        code: 'loop_without_wait',
        message:
          "'Ping' and 'Big cart?' form a loop with no wait in it, so it would repeat forever; add a delay or a wait for reply",
        nodeId: 'm',
      },
    ])
  })

  it('accepts a loop through a wait, but not an inner loop that skips it', () => {
    const nodes = [
      node('t', 'trigger-manual'),
      node('ask', 'send-message', { text: 'Size?' }, 'Ask'),
      node('w', 'wait-for-reply', { timeout: hours(1) }),
      node(
        'c',
        'condition',
        { group: { match: 'any', rules: [{ path: 'reply', operator: 'is_set' }] } },
        'Valid?',
      ),
      node('e', 'end'),
    ]
    const edges = [
      edge('t', 'ask'),
      edge('ask', 'w'),
      edge('w', 'c', 'anything'),
      edge('w', 'e', 'timeout'),
      edge('c', 'ask', 'no'),
      edge('c', 'e', 'yes'),
    ]
    expect(validate(flowDocument(nodes, edges))).toEqual([])
    const selfLoop = flowDocument(nodes, [
      ...edges.filter((e) => e.source !== 'c'),
      edge('c', 'c', 'no'),
      edge('c', 'e', 'yes'),
    ])
    expect(only(validate(selfLoop), 'loop_without_wait')[0]!.message).toMatch(
      /^'Valid\?' leads back to itself with no wait/,
    )
  })
})

describe('validate: variables and templates', () => {
  it('reports unknown variables and allows built-ins and upstream writes', () => {
    const doc = flowDocument(
      [
        node('t', 'trigger-cart-abandoned'),
        node('early', 'send-message', { text: 'Your size {{shoe_size}}, {{contcat.name}}' }, 'Too early'),
        node('ask', 'collect-input', { prompt: 'Size?', variable: 'shoe_size' }, 'Ask size'),
        node('late', 'send-message', {
          text: 'Size {{shoe_size}} for {{contact.name}} · {{cart.total | money}} {{cart.items[0].title}}',
        }),
        node('e', 'end'),
      ],
      [
        edge('t', 'early'),
        edge('early', 'ask'),
        edge('ask', 'late'),
        edge('ask', 'e', 'failed'),
        edge('late', 'e'),
      ],
    )
    expect(validate(doc)).toEqual([
      {
        severity: 'error',
        code: 'unknown_variable',
        message: '\'Too early\' uses "contcat.name", which is not a known variable',
        nodeId: 'early',
      },
      {
        severity: 'warning',
        code: 'variable_not_set_yet',
        message: '\'Too early\' uses "shoe_size", but no step before it sets "shoe_size"',
        nodeId: 'early',
      },
    ])
  })

  it('checks deep paths of built-in variables, and warns about an order or cart the run does not have', () => {
    const doc = flowDocument(
      [
        node('t', 'trigger-cart-abandoned'),
        node(
          'm',
          'send-message',
          { text: '{{cart.nonexistent}} {{cart.items.title}} {{contact.loyalty_tier}} {{order.number}}' },
          'Reminder',
        ),
        node('find', 'lookup-order', {}, 'Find order'),
        node('ok', 'send-message', { text: 'Order {{order.number}}: {{order.trackingUrl}}' }, 'Status'),
      ],
      [edge('t', 'm'), edge('m', 'find'), edge('find', 'ok', 'found')],
    )
    const issues = validate(doc).filter((i) => i.nodeId === 'm' && i.code.includes('variable'))
    expect(issues).toEqual([
      {
        severity: 'error',
        code: 'unknown_variable',
        message:
          '\'Reminder\' uses "cart.nonexistent", which does not exist: there is no "nonexistent" in cart',
        nodeId: 'm',
      },
      {
        severity: 'error',
        code: 'unknown_variable',
        message:
          '\'Reminder\' uses "cart.items.title", which does not exist: "cart.items" is a list: pick an item first',
        nodeId: 'm',
      },
      {
        severity: 'warning',
        code: 'variable_not_available',
        message:
          "'Reminder' uses \"order.number\", but this flow's trigger has no order and no 'Look up order' step comes before it",
        nodeId: 'm',
      },
    ])
  })

  it('reports template syntax errors', () => {
    const doc = simpleFlow([], [])
    doc.nodes[1] = node('m', 'send-message', { text: 'Hi {{contact.name' }, 'Hello')
    expect(only(validate(doc), 'template_syntax')).toEqual([
      {
        severity: 'error',
        code: 'template_syntax',
        message: '\'Hello\': A "{{" at position 4 is never closed with "}}"',
        nodeId: 'm',
      },
    ])
  })
})

describe('validate: WhatsApp window and order', () => {
  it('warns about late sends without a template on WhatsApp only', () => {
    const issues = validate(cartRecoveryByHand())
    expect(only(issues, 'needs_template').map((i) => i.nodeId)).toEqual(['social', 'incentive'])
    expect(only(issues, 'needs_template')[0]!.message).toBe(
      "'Social proof' can be sent 24 h or more after the shopper's last message; on WhatsApp it is skipped unless you add an approved template",
    )
    expect(validate(cartRecoveryByHand({ channels: ['webchat'] }))).toEqual([])
  })

  it('lists errors first, then warnings, each in node order', () => {
    const doc = flowDocument(
      [
        node('o', 'send-message', { text: 'x' }, 'Orphan'),
        node('t', 'trigger-manual'),
        node('m', 'send-message', { text: '{{nope}}' }, 'Hello'),
        node('d', 'delay', { mode: 'duration', duration: hours(-1) }, 'Pause'),
      ],
      [edge('o', 'm'), edge('t', 'm'), edge('m', 'd')],
    )
    expect(validate(doc).map((i) => `${i.severity}:${i.code}:${i.nodeId}`)).toEqual([
      'error:unknown_variable:m',
      'error:non_positive_delay:d',
      'warning:unreachable_node:o',
    ])
  })
})
