// The Settings API's view of the merchant row, both ways. Pure: the columns are the policy's own inputs
// (send-facts.ts reads quiet hours and the cap, keyword-packs.ts the keywords, send.ts prices and budget), so a
// saved setting changes what the runtime does with no second copy of it.
import {
  type BudgetCurrency,
  budgetCurrencySchema,
  DEFAULT_BURST_WINDOW_MS,
  type KeywordLanguage,
  keywordLanguageSchema,
  type Settings,
  type Weekday,
} from '@parley/api'
import type { Merchant, MerchantUpdate } from '@parley/db'
import { OPT_IN_CONFIRMATION, OPT_OUT_CONFIRMATION } from '../policy/keyword-packs.ts'
import { DEFAULT_OPT_IN_KEYWORDS, DEFAULT_OPT_OUT_KEYWORDS } from '../policy/keywords.ts'
import { listPrices } from '../policy/template-pricing.ts'

/** What a merchant row holds before anyone saved settings (the columns' defaults). */
export const DEFAULT_SETTINGS = {
  timeZone: 'UTC',
  businessHours: null,
  quietHours: null,
  frequencyCap: { messages: 3, windowHours: 24 },
  keywords: {
    languages: ['en'],
    optOut: [],
    optIn: [],
    optOutConfirmation: OPT_OUT_CONFIRMATION,
    optInConfirmation: OPT_IN_CONFIRMATION,
  },
  templates: { currency: 'USD', prices: listPrices('USD'), monthlyBudget: null },
  returnWindowDays: 30,
  measurement: { holdoutPercent: 10, attributionWindowDays: 7 },
  burstWindowMs: DEFAULT_BURST_WINDOW_MS,
} as const satisfies Settings

const minuteToClock = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`

const clockToMinute = (clock: string) => {
  const [hours, minutes] = clock.split(':').map(Number)
  return (hours ?? 0) * 60 + (minutes ?? 0)
}

function currencyOf(merchant: Merchant): BudgetCurrency {
  const parsed = budgetCurrencySchema.safeParse(merchant.budget_currency.toUpperCase())
  return parsed.success ? parsed.data : 'USD'
}

export function settingsOf(merchant: Merchant): Settings {
  const currency = currencyOf(merchant)
  const alwaysOut = new Set(DEFAULT_OPT_OUT_KEYWORDS)
  const alwaysIn = new Set(DEFAULT_OPT_IN_KEYWORDS)
  return {
    timeZone: merchant.timezone,
    businessHours: merchant.business_hours
      ? {
          days: merchant.business_hours.days as Weekday[],
          open: merchant.business_hours.open,
          close: merchant.business_hours.close,
        }
      : null,
    quietHours:
      merchant.quiet_hours_start_minute !== null && merchant.quiet_hours_end_minute !== null
        ? {
            start: minuteToClock(merchant.quiet_hours_start_minute),
            end: minuteToClock(merchant.quiet_hours_end_minute),
          }
        : null,
    frequencyCap: {
      messages: merchant.frequency_cap_count,
      windowHours: Math.max(1, Math.round(merchant.frequency_cap_window_minutes / 60)),
    },
    keywords: {
      languages: merchant.keyword_languages.filter(
        (l): l is KeywordLanguage => keywordLanguageSchema.safeParse(l).success,
      ),
      // STOP, UNSUBSCRIBE and START always count; they are not the merchant's own words.
      optOut: merchant.opt_out_keywords.filter((k) => !alwaysOut.has(k)),
      optIn: merchant.opt_in_keywords.filter((k) => !alwaysIn.has(k)),
      optOutConfirmation: merchant.opt_out_confirmation ?? OPT_OUT_CONFIRMATION,
      optInConfirmation: merchant.opt_in_confirmation ?? OPT_IN_CONFIRMATION,
    },
    templates: {
      currency,
      prices: merchant.template_prices ?? listPrices(currency),
      monthlyBudget:
        merchant.monthly_template_budget === null ? null : Number(merchant.monthly_template_budget),
    },
    returnWindowDays: merchant.return_window_days,
    measurement: {
      holdoutPercent: merchant.holdout_percent,
      attributionWindowDays: merchant.attribution_window_days,
    },
    burstWindowMs: merchant.burst_window_ms,
  }
}

function samePrices(a: Settings['templates']['prices'], b: Settings['templates']['prices']): boolean {
  return a.marketing === b.marketing && a.utility === b.utility && a.authentication === b.authentication
}

/** The columns that hold `settings`; a value equal to its built-in default is stored as null (follows it). */
export function merchantUpdateOf(settings: Settings): MerchantUpdate {
  const { keywords, templates } = settings
  return {
    timezone: settings.timeZone,
    business_hours: settings.businessHours,
    quiet_hours_start_minute: settings.quietHours ? clockToMinute(settings.quietHours.start) : null,
    quiet_hours_end_minute: settings.quietHours ? clockToMinute(settings.quietHours.end) : null,
    frequency_cap_count: settings.frequencyCap.messages,
    frequency_cap_window_minutes: settings.frequencyCap.windowHours * 60,
    keyword_languages: [...keywords.languages],
    opt_out_keywords: [...new Set(keywords.optOut)],
    opt_in_keywords: [...new Set(keywords.optIn)],
    opt_out_confirmation:
      keywords.optOutConfirmation === OPT_OUT_CONFIRMATION ? null : keywords.optOutConfirmation,
    opt_in_confirmation:
      keywords.optInConfirmation === OPT_IN_CONFIRMATION ? null : keywords.optInConfirmation,
    budget_currency: templates.currency,
    template_prices: samePrices(templates.prices, listPrices(templates.currency)) ? null : templates.prices,
    monthly_template_budget: templates.monthlyBudget,
    return_window_days: settings.returnWindowDays,
    ...(settings.measurement
      ? {
          holdout_percent: settings.measurement.holdoutPercent,
          attribution_window_days: settings.measurement.attributionWindowDays,
        }
      : {}),
    ...(settings.burstWindowMs === undefined ? {} : { burst_window_ms: settings.burstWindowMs }),
  }
}
