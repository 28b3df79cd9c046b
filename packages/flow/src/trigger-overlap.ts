// Which other live flows start on the same thing as this one, said the way the runtime decides it
// (apps/runtime/src/engine/start-runs.ts): a shopper's message starts ONE flow — keyword flows before "any
// message" flows, and among equals the flow published most recently — while a store event (cart abandoned,
// order created, order shipped) starts EVERY flow listening for it. So two keyword flows sharing a word shadow
// each other, and two cart-abandoned flows both message the shopper.
import type { RawFlowDocument } from './document.ts'
import { getNodeKind } from './nodes/index.ts'
import type { TriggerSpec } from './nodes/types.ts'

export interface OtherLiveFlow {
  flowId: string
  name: string
  document: Pick<RawFlowDocument, 'nodes'>
}

export interface TriggerOverlap {
  flowId: string
  flowName: string
  /**
   * keyword: both start on these words; greeting: both start on a plain hello; any-message: both start on every
   * message; event: both start on it.
   */
  kind: 'keyword' | 'greeting' | 'any-message' | 'event'
  /** The shared words as this flow spells them (keyword overlaps only). */
  words: string[]
  /** The overlap and what the runtime does about it, in plain words. */
  message: string
}

const EVENT_WORDS: Record<string, string> = {
  'cart.abandoned': 'when a cart is abandoned',
  'order.created': 'when an order is placed',
  'order.shipped': 'when an order ships',
  'order.delivered': 'when an order is delivered',
  'order.delivery_problem': 'when a delivery fails',
}

function triggersOf(document: Pick<RawFlowDocument, 'nodes'>): TriggerSpec[] {
  const specs: TriggerSpec[] = []
  for (const node of document.nodes) {
    const kind = getNodeKind(node.kind)
    if (!kind) continue
    if (kind.group !== 'triggers') continue
    // Defaults under the stored config, as the parser fills them in (a document may omit unchanged fields).
    const config =
      node.config && typeof node.config === 'object'
        ? { ...(kind.defaults as object), ...node.config }
        : kind.defaults
    const parsed = kind.configSchema.safeParse(config)
    if (!parsed.success) continue
    const spec = kind.facts(parsed.data).trigger
    if (spec) specs.push(spec)
  }
  return specs
}

const normalize = (word: string) => word.trim().toLowerCase()

/**
 * Words of `mine` that a message matching them would also match in `theirs`: the runtime matches a keyword
 * anywhere in the message, so "where is my order" overlaps "order" (every message with the first has the second).
 */
function sharedWords(mine: string[], theirs: string[]): string[] {
  const their = theirs.map(normalize).filter(Boolean)
  const shared: string[] = []
  for (const word of mine) {
    const w = normalize(word)
    if (w && their.some((t) => w.includes(t) || t.includes(w)) && !shared.includes(word.trim()))
      shared.push(word.trim())
  }
  return shared
}

const quoted = (s: string) => `“${s}”`
function listWords(words: string[]): string {
  const q = words.map(quoted)
  return q.length <= 1 ? (q[0] ?? '') : `${q.slice(0, -1).join(', ')} and ${q.at(-1)}`
}

/**
 * The live flows whose triggers overlap this document's, one entry per other flow and kind of overlap.
 * @example triggerOverlaps(draft, [{ flowId, name: 'Where is my order', document }])
 *   // → [{ kind: 'keyword', words: ['order'], message: '“Where is my order” also starts on “order”. …' }]
 */
export function triggerOverlaps(
  document: Pick<RawFlowDocument, 'nodes'>,
  others: OtherLiveFlow[],
): TriggerOverlap[] {
  const mine = triggersOf(document)
  const myKeywords = mine.flatMap((t) =>
    t.event === 'message.received' && t.match === 'keyword' ? t.keywords : [],
  )
  const myAny = mine.some((t) => t.event === 'message.received' && t.match === 'any')
  const myEvents = new Set(mine.map((t) => t.event).filter((e) => e in EVENT_WORDS))
  const overlaps: TriggerOverlap[] = []
  for (const other of others) {
    const theirs = triggersOf(other.document)
    const name = quoted(other.name)
    const theirKeywords = theirs.flatMap((t) =>
      t.event === 'message.received' && t.match === 'keyword' ? t.keywords : [],
    )
    const words = sharedWords(myKeywords, theirKeywords)
    if (words.length > 0) {
      const those = words.length === 1 ? 'that word' : 'one of those words'
      overlaps.push({
        flowId: other.flowId,
        flowName: other.name,
        kind: 'keyword',
        words,
        message:
          `${name} also starts on ${listWords(words)}. A message with ${those} starts only one flow: ` +
          `the one published most recently, which is this one once you publish it, so ${name} stops ` +
          'starting on it. Use different words, or pause one of the flows.',
      })
    }
    const greets = (t: TriggerSpec) => t.event === 'message.received' && t.match === 'greeting'
    if (mine.some(greets) && theirs.some(greets)) {
      overlaps.push({
        flowId: other.flowId,
        flowName: other.name,
        kind: 'greeting',
        words: [],
        message:
          `${name} also starts when a shopper says hello. A greeting starts only one flow: the one published ` +
          `most recently, which is this one once you publish it, so ${name} stops greeting shoppers. Pause one ` +
          'of the flows, or start one on keywords instead.',
      })
    }
    if (myAny && theirs.some((t) => t.event === 'message.received' && t.match === 'any')) {
      overlaps.push({
        flowId: other.flowId,
        flowName: other.name,
        kind: 'any-message',
        words: [],
        message:
          `${name} also starts on any message. A message starts only one of them: the one published most ` +
          `recently, which is this one once you publish it, so ${name} stops answering messages ` +
          '(flows with keywords still go first). Pause one of the flows, or give one keywords.',
      })
    }
    const sharedEvents = theirs
      .map((t) => t.event)
      .filter((e, i, all) => myEvents.has(e) && all.indexOf(e) === i)
    for (const event of sharedEvents) {
      overlaps.push({
        flowId: other.flowId,
        flowName: other.name,
        kind: 'event',
        words: [],
        message:
          `${name} also starts ${EVENT_WORDS[event]}. Both flows run, so the shopper gets the messages ` +
          'of both. Pause one of them unless that is what you want.',
      })
    }
  }
  return overlaps
}
