// The words of a shopper's question, one tokeniser for every reader: the runtime's retrieval sends the content
// words to the database, the answer rule matches all of them against titles and option values.

/** Words that say what the shopper asks, not which product: never used to find a product. */
const QUESTION_WORDS = new Set([
  'a',
  'an',
  'and',
  'any',
  'are',
  'available',
  'availability',
  'can',
  'colour',
  'colours',
  'color',
  'colors',
  'come',
  'comes',
  'do',
  'does',
  'for',
  'get',
  'have',
  'has',
  'hello',
  'hi',
  'how',
  'i',
  'in',
  'is',
  'it',
  'left',
  'me',
  'much',
  'my',
  'of',
  'or',
  'please',
  'price',
  'size',
  'sizes',
  'sold',
  'stock',
  'still',
  'the',
  'there',
  'this',
  'that',
  'to',
  'what',
  'which',
  'with',
  'you',
  'your',
])

/** Letters and digits in runs, lower-cased, as they appear: "Is the Classic Hoodie in M?" → is, the, ..., m. */
export function questionWords(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []
}

/**
 * The words that can name a product: three letters or more, not question words, at most `max`, in order.
 * @example productSearchTerms('Is the Clasic Hodie available in M?') // ['clasic', 'hodie']
 */
export function productSearchTerms(question: string, max = 8): string[] {
  const terms = questionWords(question).filter((w) => w.length >= 3 && !QUESTION_WORDS.has(w))
  return [...new Set(terms)].slice(0, max)
}
