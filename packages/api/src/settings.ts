// The merchant's settings (owner only): time zone and business hours, quiet hours and frequency caps for
// marketing sends, opt-out/opt-in keywords with language packs, WhatsApp template prices and the monthly budget.
import { z } from 'zod'

export { BURST_MAX_WAIT_MS } from './typing-timing.ts'

/** 24-hour "HH:MM". */
export const clockTimeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a 24-hour time such as 08:00 or 22:30')

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

export const timeZoneSchema = z
  .string()
  .trim()
  .min(1, 'Choose a time zone')
  .max(64)
  .refine(isTimeZone, 'Unknown time zone: use a name such as Europe/Berlin or America/New_York')

export const weekdaySchema = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])
export type Weekday = z.infer<typeof weekdaySchema>

export const businessHoursSchema = z
  .object({
    days: z
      .array(weekdaySchema)
      .min(1, 'Pick at least one open day')
      .max(7)
      .refine((days) => new Set(days).size === days.length, 'Each day once'),
    open: clockTimeSchema,
    close: clockTimeSchema,
  })
  .refine((h) => h.open < h.close, { message: 'Closing time must be after opening time', path: ['close'] })
export type BusinessHours = z.infer<typeof businessHoursSchema>

export const quietHoursSchema = z
  .object({ start: clockTimeSchema, end: clockTimeSchema })
  .refine((q) => q.start !== q.end, {
    message: 'Quiet hours must start and end at different times',
    path: ['end'],
  })
export type QuietHoursSetting = z.infer<typeof quietHoursSchema>

export const frequencyCapSchema = z.object({
  /** At most this many marketing messages per shopper in the window; 0 = no marketing at all. */
  messages: z.number().int('Use a whole number').min(0, 'Use 0 or more').max(50, 'At most 50'),
  windowHours: z
    .number()
    .int('Use a whole number of hours')
    .min(1, 'The window is at least 1 hour')
    .max(24 * 30, 'The window is at most 30 days'),
})
export type FrequencyCapSetting = z.infer<typeof frequencyCapSchema>

export const keywordLanguageSchema = z.enum(['en', 'de', 'fr', 'es', 'pt', 'it'])
export type KeywordLanguage = z.infer<typeof keywordLanguageSchema>

/** Built-in opt-out / opt-in words per language: whole-message, case-insensitive matches. */
export const keywordPacks: Record<KeywordLanguage, { name: string; optOut: string[]; optIn: string[] }> = {
  en: { name: 'English', optOut: ['STOP', 'UNSUBSCRIBE', 'STOP ALL'], optIn: ['START', 'UNSTOP'] },
  de: { name: 'German', optOut: ['ABMELDEN', 'STOPP', 'ABBESTELLEN'], optIn: ['ANMELDEN', 'START'] },
  fr: {
    name: 'French',
    optOut: ['ARRÊT', 'ARRET', 'DÉSABONNER', 'DESABONNER'],
    optIn: ['DÉMARRER', 'DEMARRER'],
  },
  es: { name: 'Spanish', optOut: ['BAJA', 'PARAR', 'DARME DE BAJA'], optIn: ['ALTA', 'EMPEZAR'] },
  pt: { name: 'Portuguese', optOut: ['PARAR', 'SAIR', 'CANCELAR'], optIn: ['INICIAR', 'VOLTAR'] },
  it: {
    name: 'Italian',
    optOut: ['DISISCRIVIMI', 'BASTA', 'ANNULLA ISCRIZIONE'],
    optIn: ['ISCRIVIMI', 'RIPRENDI'],
  },
}

const keywordSchema = z
  .string()
  .trim()
  .min(1, 'A keyword cannot be empty')
  .max(40, 'Keep a keyword under 40 characters')
  .transform((k) => k.replace(/\s+/gu, ' ').toUpperCase())

const keywordListSchema = z.array(keywordSchema).max(30, 'At most 30 keywords')

export const keywordSettingsSchema = z.object({
  languages: z
    .array(keywordLanguageSchema)
    .max(6)
    .refine((l) => new Set(l).size === l.length, 'Each language once'),
  /** The merchant's own words, on top of the languages' words (STOP and UNSUBSCRIBE always count). */
  optOut: keywordListSchema,
  optIn: keywordListSchema,
  optOutConfirmation: z
    .string()
    .trim()
    .min(1, 'Write the confirmation text')
    .max(500, 'At most 500 characters'),
  optInConfirmation: z
    .string()
    .trim()
    .min(1, 'Write the confirmation text')
    .max(500, 'At most 500 characters'),
})
export type KeywordSettings = z.infer<typeof keywordSettingsSchema>

export const templateCategorySchema = z.enum(['marketing', 'utility', 'authentication'])
export type TemplateCategorySetting = z.infer<typeof templateCategorySchema>

export const budgetCurrencySchema = z.enum(['USD', 'EUR', 'GBP', 'INR', 'BRL'])
export type BudgetCurrency = z.infer<typeof budgetCurrencySchema>

const priceSchema = z
  .number()
  .min(0, 'A price cannot be negative')
  .max(10, 'That price looks too high for one message')

export const templateSettingsSchema = z.object({
  currency: budgetCurrencySchema,
  /** Per delivered template message, in `currency`. */
  prices: z.object({ marketing: priceSchema, utility: priceSchema, authentication: priceSchema }),
  /** Null: no monthly limit. */
  monthlyBudget: z.number().min(0, 'The budget cannot be negative').max(1_000_000).nullable(),
})
export type TemplateSettings = z.infer<typeof templateSettingsSchema>

/** Measuring results (README "How recovery is counted"): the control group and how long a message gets credit. */
export const measurementSchema = z.object({
  /** Share of abandoned carts that get no recovery messages, so the lift can be measured; 0 = none held out. */
  holdoutPercent: z.number().int('Use a whole number').min(0, 'Use 0 or more').max(50, 'At most 50 %'),
  /** An order up to this many days after the last recovery message counts as recovered by Parley. */
  attributionWindowDays: z
    .number()
    .int('Use a whole number of days')
    .min(1, 'At least 1 day')
    .max(30, 'At most 30 days'),
})
export type MeasurementSettings = z.infer<typeof measurementSchema>

/** Burst merge's quiet window, in ms: whole tenths of a second up to 10 s (typing may extend it to BURST_MAX_WAIT_MS). */
export const burstWindowMsSchema = z
  .number()
  .int('Use whole milliseconds')
  .min(0, 'Use 0 (answer at once) or more')
  .max(10_000, 'Wait at most 10 seconds')
  .refine((ms) => ms % 100 === 0, 'Use tenths of a second, such as 2.5 seconds')

/** The default quiet window for a new merchant. */
export const DEFAULT_BURST_WINDOW_MS = 2500

export const settingsSchema = z
  .object({
    timeZone: timeZoneSchema,
    /** Null: no business hours set. */
    businessHours: businessHoursSchema.nullable(),
    /** Null: marketing messages may go at any hour. Applied in the shopper's zone, else the store's. */
    quietHours: quietHoursSchema.nullable(),
    frequencyCap: frequencyCapSchema,
    keywords: keywordSettingsSchema,
    templates: templateSettingsSchema,
    /** Days after delivery (else shipping, else the order) within which the returns flow accepts a return. */
    returnWindowDays: z
      .number()
      .int('Use whole days')
      .min(1, 'Allow at least 1 day for returns')
      .max(365, 'A return window can be at most 365 days')
      .default(30),
    /** Always in a response; a request without it leaves the stored values as they are. */
    measurement: measurementSchema.optional(),
    /**
     * Burst merge: how long the bot waits for a shopper's follow-up messages before answering, so "hi" and two
     * quick questions get one answer; 0 = answer each message at once. Always in a response; a request without it
     * leaves the stored value as it is.
     */
    burstWindowMs: burstWindowMsSchema.optional(),
  })
  .meta({ id: 'Settings' })
export type Settings = z.infer<typeof settingsSchema>
export type SettingsInput = z.input<typeof settingsSchema>

export const settingsResponseSchema = z
  .object({
    settings: settingsSchema,
    /** What each value is when never set, for "default" hints beside the fields. */
    defaults: settingsSchema,
    /** Meta's list prices per currency, and the date of the rate card they come from. */
    rateCard: z.object({
      date: z.string(),
      prices: z.record(budgetCurrencySchema, templateSettingsSchema.shape.prices),
    }),
    /** Template spend so far this calendar month (store time zone), in the budget currency. */
    spend: z.object({ month: z.string(), amount: z.number(), currency: z.string() }),
  })
  .meta({ id: 'SettingsResponse' })
export type SettingsResponse = z.infer<typeof settingsResponseSchema>
