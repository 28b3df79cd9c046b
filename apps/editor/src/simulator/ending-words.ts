// How the simulator says a conversation ended: in words, never the outcome key reports group by
// ("assisted", "resolved_by_staff"). Known outcomes (the starter flows', the runtime's) read as sentences;
// a merchant's own outcome reads as they typed it on the End step.
import { outcomeWords } from '../nodes/end.tsx'

const KNOWN: Record<string, string> = {
  completed: 'Ended',
  recovered: 'Ended: the cart was recovered',
  not_recovered: 'Ended: the cart was not recovered',
  assisted: 'Ended: handed to your team',
  handed_back: 'Ended: your team helped and handed back',
  resolved_by_staff: 'Ended: your team resolved it',
  opted_out: 'Ended: the shopper opted out',
  no_reply: 'Ended: no reply from the shopper',
  answered: 'Ended: answered',
}

/** "assisted" → "Ended: handed to your team"; "size_sorted" → "Ended: size sorted". */
export function endingWords(outcome: string | null | undefined): string {
  if (!outcome) return 'Ended'
  return KNOWN[outcome] ?? `Ended: ${outcomeWords(outcome).toLowerCase()}`
}
