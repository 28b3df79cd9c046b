// What a shopper's free-text reply wants, by deterministic rules (English and German phrasings, common misspellings,
// a few emoji): pure and cheap, so the runtime classifies every reply once and the simulator gets the same answer.
// When the rules say `unknown`, a merchant with the LLM configured may ask it (llm-intent.ts); nothing else does.
import { isGreeting } from '../greeting.ts'
import { DEFAULT_OPT_OUT_KEYWORDS, isOptOutMessage } from '../send-policy/opt-out-keywords.ts'
import { findOrderNumber } from '../store-answers/order-lookup.ts'
import type { ReplyIntent } from './reply-intent.ts'

export interface IntentRuleOptions {
  /** The merchant's effective opt-out words (their languages and their own); STOP and UNSUBSCRIBE always count. */
  optOutKeywords?: readonly string[]
}

/**
 * Lower case, German umlauts spelled out (ü → ue, as shoppers type them without the key), other accents dropped,
 * apostrophes removed ("where's" → "wheres"), everything but letters and digits a single space.
 */
export function normalizeIntentText(text: string): string {
  return ` ${text
    .toLowerCase()
    .normalize('NFKC')
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/['’`´]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()} `
}

// Each pattern runs on the normalized text padded with a space at both ends, so ` word ` is a whole word.
const UP_TO_5_WORDS = '(?: \\S+){0,5}'

const WANTS_PERSON = [
  new RegExp(
    ` (?:talk|speak|chat|connect|transfer|put me through|reach|call)${UP_TO_5_WORDS} (?:someone|somebody|some one|anyone|anybody|person|persons|human|humans|humen|hooman|people|agent|agents|staff|representative|rep|operator|manager|support|team|customer service|you guys|real) `,
  ),
  / (?:human|humans|humen|hooman|real person|live person|live agent|an agent|agent|a person|a human|customer service|customer support|customer care|representative|operator|call me|call me back|ring me|phone me) /,
  / (?:anyone|anybody|someone|somebody) (?:there|here|around) /,
  / is there (?:anyone|anybody|someone|somebody) /,
  // German
  / (?:mitarbeiter\S*|mensch|menschen|echte person|echten person|echter person|kundenservice|kundendienst|berater\S*|ansprechpartner\S*|jemandem|jemanden|anrufen|ruf mich an|rufen sie mich an|rueckruf|telefonisch) /,
  / (?:mit|einen|einem|eine) (?:echten |richtigen )?(?:menschen|person|mitarbeiter|mitarbeiterin) /,
]

const WANTS_RETURN = [
  / (?:return|returns|returning|retrun|retun|retourn|refund\S*|exchange|exchanging|money back|send back|sending back|doesnt fit|dont fit|does not fit|do not fit|didnt fit|arrived damaged|arrived broken|is damaged|is broken|was damaged|faulty|defective) /,
  / (?:send|sending|ship|shipping|take|give) (?:it|them|this|that|these|those|the \S+|my \S+|\S+) back /,
  // German
  / (?:ruecksendung\S*|rucksendung\S*|zur(?:ue|u)ck ?(?:senden|schicken|geben|gesendet|geschickt|bringen)|retour\S*|umtausch\S*|umtauschen|erstattung|rueckerstattung|ruckerstattung|geld zur(?:ue|u)ck|widerruf\S*|reklamation|reklamieren|passt nicht|passen nicht|kaputt|defekt|beschaedigt) /,
  / (?:schick\S*|send\S*|geb\S*|bring\S*)${UP_TO_5_WORDS} zur(?:ue|u)ck /,
]

// English and German separately: German "oder" is "or", not a misspelt order.
const ORDER_NOUNS_EN =
  '(?:order|orders|oder|ordr|odrer|parcel|parcels|parcle|package|packages|pakage|packge|packet|delivery|shipment|purchase)'
const ORDER_NOUNS_DE =
  '(?:bestellung|bestellungen|bestelung|bestellug|paket|pakete|packet|lieferung|sendung|ware)'

const ORDER_STATUS = [
  new RegExp(
    ` (?:where|wheres|were|wher|whre|whereis|when|status|track|tracking|trace)${UP_TO_5_WORDS} ${ORDER_NOUNS_EN} `,
  ),
  new RegExp(` (?:wo|wann|status)${UP_TO_5_WORDS} ${ORDER_NOUNS_DE} `),
  new RegExp(` (?:my|mine|our) ${ORDER_NOUNS_EN} `),
  new RegExp(` (?:mein|meine|meiner|meinem|meinen|unsere) ${ORDER_NOUNS_DE} `),
  / (?:tracking (?:number|link|code|info)|track (?:my|it|the)|not (?:yet )?(?:arrived|received|delivered|here)|hasnt (?:arrived|come|shown up|been delivered)|has not (?:arrived|come)|havent (?:received|got|gotten)|have not (?:received|got)|didnt (?:arrive|come|receive|get)|never (?:arrived|received|came)|still waiting|still not here|still hasnt|where is it|wheres it|order status|shipping status|delivery status|has it shipped|been shipped|dispatched|shipped yet|arrive yet) /,
  // German
  / (?:sendungsverfolgung|sendungsnummer|trackingnummer|tracking nummer|lieferstatus|bestellstatus|noch nicht (?:angekommen|da|erhalten|geliefert|bekommen)|nicht angekommen|nicht erhalten|nicht bekommen|immer noch nicht|wo bleibt|schon versendet|schon verschickt|versandt) /,
]

const NOT_INTERESTED = [
  / (?:not interested|no interest|no thanks|no thank you|no thx|no ty|nah thanks|not now|not today|maybe later|later maybe|im good|i am good|im fine|im ok|all good|no need|not needed|dont need|do not need|dont want (?:it|this|that|them|anything|any)|not for me|leave me alone|stop (?:messaging|texting|writing|sending|bothering|spamming|contacting)|no more (?:messages|texts)|dont (?:message|text|contact) me|kein interesse|keinen bedarf|kein bedarf|nicht interessiert|nein danke|ne danke|nee danke|noe danke|brauche ich nicht|brauch ich nicht|will ich nicht|moechte ich nicht|spaeter vielleicht|vielleicht spaeter|jetzt nicht|lass mich in ruhe|keine nachrichten mehr) /,
]

/** A whole reply that is only a no ("no", "nope!", "nein danke 🙏"), once politeness words are set aside. */
const NO_WORDS = new Set([
  'no',
  'nope',
  'nah',
  'naw',
  'nay',
  'never',
  'nein',
  'noe',
  'nee',
  'ne',
  'nix',
  'not really',
])
const POLITENESS = new Set([
  'thanks',
  'thank',
  'you',
  'thx',
  'ty',
  'sorry',
  'please',
  'pls',
  'danke',
  'bitte',
  'sry',
])

const QUESTION_STARTERS = new Set([
  'is',
  'are',
  'do',
  'does',
  'did',
  'can',
  'could',
  'will',
  'would',
  'what',
  'whats',
  'which',
  'how',
  'hows',
  'why',
  'who',
  'have',
  'has',
  'any',
  'ist',
  'sind',
  'gibt',
  'gibts',
  'habt',
  'haben',
  'hast',
  'kann',
  'kannst',
  'koennt',
  'koennen',
  'wie',
  'was',
  'welche',
  'welcher',
  'welches',
  'warum',
  'wieso',
  'passt',
])

const PRODUCT_QUESTION = [
  / (?:size|sizes|sizing|colour|color|colours|colors|stock|available|availability|price|prices|cost|costs|material|fabric|cotton|wool|true to size|run small|run large|runs small|runs large|discount|coupon|looking for|do you (?:have|sell|carry|ship)|interested in|recommend|groesse|groessen|grosse|farbe|farben|lieferbar|verfuegbar|verfugbar|vorraetig|auf lager|preis|kostet|stoff|baumwolle|passform|ich suche|habt ihr|haben sie) /,
]

const PERSON_EMOJI = /[🙋📞☎]|🧑‍💼|👩‍💼|👨‍💼/u
const NO_EMOJI = /^[\s👎🙅❌✋🚫]+$/u
const GREETING_EMOJI = /^[\s👋🙌😊🙂]+$/u
const PARCEL_EMOJI = /[📦🚚]/u

/** Long messages are classified on their start: the rules must stay cheap whatever a shopper pastes. */
export const MAX_CLASSIFIED_CHARS = 2000

const matchesAny = (text: string, patterns: readonly RegExp[]) => patterns.some((p) => p.test(text))

/**
 * The intent of a shopper's reply by rules alone. The strongest wish wins: an opt-out word, then a person, a return,
 * an order's whereabouts, a no, a plain greeting, a message that is only an order number, a product question.
 *
 * @example classifyIntentByRules('can I talk to someone?') // 'wants_person'
 * @example classifyIntentByRules('wo ist meine Bestellung') // 'order_status'
 * @example classifyIntentByRules('no thanks') // 'not_interested'
 */
export function classifyIntentByRules(text: string, options: IntentRuleOptions = {}): ReplyIntent {
  const raw = text.slice(0, MAX_CLASSIFIED_CHARS)
  if (raw.trim() === '') return 'unknown'
  // The same rule the runtime's opt-out policy applies: only the whole message being an opt-out word.
  if (isOptOutMessage(raw, options.optOutKeywords ?? DEFAULT_OPT_OUT_KEYWORDS)) return 'stop'
  const said = normalizeIntentText(raw)
  if (matchesAny(said, WANTS_PERSON) || PERSON_EMOJI.test(raw)) return 'wants_person'
  if (matchesAny(said, WANTS_RETURN)) return 'return'
  if (matchesAny(said, ORDER_STATUS) || PARCEL_EMOJI.test(raw)) return 'order_status'
  if (matchesAny(said, NOT_INTERESTED) || NO_EMOJI.test(raw) || isOnlyNo(said)) return 'not_interested'
  if (isGreeting(raw) || GREETING_EMOJI.test(raw)) return 'greeting'
  const productWords = matchesAny(said, PRODUCT_QUESTION)
  // "1004" or "it's #1004" on its own is an order being asked about; "under 150 euros in blue?" is not.
  if (!productWords && findOrderNumber(raw) !== null) return 'order_status'
  if (productWords || raw.includes('?') || QUESTION_STARTERS.has(said.trim().split(' ')[0] ?? ''))
    return 'question'
  return 'unknown'
}

function isOnlyNo(said: string): boolean {
  const words = said
    .trim()
    .split(' ')
    .filter((w) => w !== '' && !POLITENESS.has(w))
  return words.length > 0 && (NO_WORDS.has(words.join(' ')) || words.every((w) => NO_WORDS.has(w)))
}
