import { describe, expect, it } from 'vitest'
import { classifyIntentByRules } from './intent-rules.ts'
import type { ReplyIntent } from './reply-intent.ts'

const table: Record<ReplyIntent, string[]> = {
  wants_person: [
    'can I talk to someone',
    'Can I talk to a human please?',
    'can i speak with a real person',
    'I want to speak to someone from your team',
    'HUMAN!!!',
    'agent',
    'customer service pls',
    'put me through to a person',
    'hello? is anyone there?',
    'is there someone who can help me',
    'pls call me back',
    'talk to humen',
    '🙋 person please',
    'Kann ich mit einem Mitarbeiter sprechen?',
    'ich möchte mit einem echten Menschen reden',
    'Kundenservice bitte',
    'kann mich jemand anrufen',
    'where is my order?? I want to talk to a person', // the person wins over the order
  ],
  return: [
    'return',
    'I want to return my jacket',
    'how do I send it back',
    'can I send these back?',
    'I would like a refund',
    'refund pls',
    'can I exchange it for a bigger size',
    'it doesnt fit',
    "the shoes don't fit",
    'the mug arrived damaged',
    'retrun please',
    'I want my money back',
    'I want to return order #1004', // a return, though it names an order
    'Rücksendung',
    'ich möchte das zurückschicken',
    'wie kann ich die Jacke zurück senden?',
    'Retoure anmelden',
    'Umtausch möglich?',
    'die Hose passt nicht',
    'kann ich das zuruckschicken',
    'no thanks, I just want to return it',
  ],
  order_status: [
    'where is my parcel',
    'Where is my order?',
    "where's my package 📦",
    'wheres my stuff? order 1004',
    'were is my oder',
    'wher is my ordr',
    'when will my order arrive',
    'what is the status of my order',
    'track my order',
    'my parcel hasnt arrived yet',
    "I still haven't received it",
    'still waiting for my delivery...',
    'has it shipped yet?',
    '#1004',
    '1004',
    "it's order 1004",
    'NT-2210',
    '📦?',
    'wo ist meine bestellung',
    'Wo ist mein Paket???',
    'wo is mein packet',
    'wann kommt meine Lieferung',
    'Meine Bestellung ist noch nicht angekommen',
    'Sendungsverfolgung?',
    'no, where is my order', // the order wins over the no
  ],
  not_interested: [
    'no thanks',
    'No thank you!',
    'not interested',
    'Not interested, sorry',
    'no',
    'nope',
    'nah',
    'no no',
    'No 👎',
    '👎',
    'not now',
    'maybe later',
    "I'm good",
    'im good thx',
    'please stop messaging me',
    'leave me alone',
    "I don't need it",
    'nein danke',
    'Nein',
    'kein Interesse',
    'brauche ich nicht',
    'vielleicht später',
  ],
  stop: ['STOP', 'stop', 'Stop!', ' unsubscribe. '],
  greeting: ['hi', 'Hello!', 'hey there', 'hallo 👋', 'Guten Morgen', '👋', 'moin moin'],
  question: [
    'Is the Classic Hoodie available in M?',
    'is this in blue',
    'does it run true to size',
    'what material is it',
    'how much is shipping to Austria?',
    'do you have the linen shirt in XL',
    'looking for a rain jacket under 150 euros',
    'Gibt es das in Größe M?',
    'ist die Jacke wasserdicht',
    'welche Farben habt ihr',
    'hi, is this in stock?',
    'Is there a discount?',
  ],
  unknown: ['', '   ', 'ok', 'thanks', 'yes', 'Yes please', 'cool', 'lol', 'asdfgh', '🙂🙂 great'],
}

describe('reply intents by rules', () => {
  const cases = Object.entries(table).flatMap(([intent, texts]) =>
    texts.map((text) => [text, intent] as const),
  )
  it.each(cases)('%j → %s', (text, intent) => {
    expect(classifyIntentByRules(text)).toBe(intent)
  })

  it("uses the merchant's opt-out words: the same rule the runtime's opt-out policy applies", () => {
    expect(classifyIntentByRules('ABMELDEN')).not.toBe('stop')
    expect(classifyIntentByRules('Abmelden!', { optOutKeywords: ['ABMELDEN', 'STOPP'] })).toBe('stop')
    // STOP always counts; a sentence around an opt-out word is not an opt-out.
    expect(classifyIntentByRules('stop', { optOutKeywords: ['ABMELDEN'] })).toBe('stop')
    expect(classifyIntentByRules('stop sending me the blue one')).not.toBe('stop')
  })

  it('stays cheap on a pasted wall of text', () => {
    const wall = `${'where '.repeat(50_000)}x`
    expect(classifyIntentByRules(wall)).toBe('unknown')
    expect(classifyIntentByRules(`can I talk to a human ${'a'.repeat(200_000)}`)).toBe('wants_person')
  })
})
