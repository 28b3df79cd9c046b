// The `user_preferences` webhook field: a shopper told WhatsApp to stop (or resume) marketing messages from this
// business. Shape as Meta documents it: entry[].changes[] with field "user_preferences" and
// value.user_preferences[] = { wa_id, detail, category: "marketing_messages", value: "stop" | "resume", timestamp }.
// Pure parsing of an already-verified body.
export interface MarketingPreference {
  waId: string
  stop: boolean
}

type Obj = Record<string, unknown>
const isObj = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const list = (value: unknown): Obj[] => (Array.isArray(value) ? value.filter(isObj) : [])

/**
 * The marketing preferences a webhook carries for this phone number (changes for another number of the same
 * business account are left out, as messages are).
 */
export function parseMarketingPreferences(body: unknown, phoneNumberId?: string): MarketingPreference[] {
  if (!isObj(body) || body.object !== 'whatsapp_business_account') return []
  const preferences: MarketingPreference[] = []
  for (const entry of list(body.entry)) {
    for (const change of list(entry.changes)) {
      if (change.field !== 'user_preferences' || !isObj(change.value)) continue
      const metadata = isObj(change.value.metadata) ? change.value.metadata : {}
      if (
        phoneNumberId &&
        typeof metadata.phone_number_id === 'string' &&
        metadata.phone_number_id !== phoneNumberId
      )
        continue
      for (const preference of list(change.value.user_preferences)) {
        if (preference.category !== 'marketing_messages' || typeof preference.wa_id !== 'string') continue
        if (preference.value === 'stop' || preference.value === 'resume') {
          preferences.push({ waId: preference.wa_id, stop: preference.value === 'stop' })
        }
      }
    }
  }
  return preferences
}
