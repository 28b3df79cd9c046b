// Is a message just a greeting ("hi", "Hallo!", "bonjour 👋", "good morning team")? Such a message starts the
// welcome flow rather than the catch-all (a product question that cannot be answered and goes to staff). A
// message that says anything more ("hi, where is my order?") is not a greeting: it is answered as what it asks.

const GREETINGS = [
  // English
  'hi',
  'hii',
  'hiya',
  'hello',
  'helo',
  'hey',
  'heya',
  'yo',
  'howdy',
  'greetings',
  'good morning',
  'good afternoon',
  'good evening',
  'morning',
  // German
  'hallo',
  'moin',
  'servus',
  'guten tag',
  'guten morgen',
  'guten abend',
  'grüß gott',
  'gruss gott',
  // French
  'bonjour',
  'bonsoir',
  'salut',
  'coucou',
  // Spanish
  'hola',
  'buenos días',
  'buenos dias',
  'buenas tardes',
  'buenas noches',
  'buenas',
  // Portuguese
  'olá',
  'ola',
  'oi',
  'bom dia',
  'boa tarde',
  'boa noite',
  // Italian
  'ciao',
  'salve',
  'buongiorno',
  'buonasera',
]

/** Words that may follow a greeting without making it a question ("hi there", "hello team"). */
const FILLERS = new Set([
  'there',
  'team',
  'all',
  'everyone',
  'guys',
  'folks',
  'friend',
  'again',
  'zusammen',
  'à tous',
  'a todos',
])

const GREETING_SET = new Set(GREETINGS)

/**
 * @example isGreeting('Hi there!') // true
 * @example isGreeting('hi, where is my order?') // false
 */
export function isGreeting(text: string): boolean {
  const words = text
    .toLowerCase()
    .normalize('NFC')
    // Punctuation, emoji and other symbols are not words.
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean)
  if (words.length === 0 || words.length > 4) return false
  // The longest greeting the message starts with (two words before one: "good morning" before "morning").
  let rest: string[] | null = null
  for (const size of [2, 1]) {
    if (words.length >= size && GREETING_SET.has(words.slice(0, size).join(' '))) {
      rest = words.slice(size)
      break
    }
  }
  if (rest === null) return false
  // A repeated greeting ("hi hi", "hello hello") or a filler may follow; nothing else.
  return rest.every((word) => GREETING_SET.has(word) || FILLERS.has(word))
}
