// The merchant's settings (owner only): one document read and replaced whole, validated by the shared schema.
import { createRoute } from '@hono/zod-openapi'
import { type Settings, type SettingsResponse, settingsResponseSchema, settingsSchema } from '@parley/api'
import type { Merchant } from '@parley/db'
import type { RuntimeDeps } from '../deps.ts'
import { notFound } from '../http/errors.ts'
import { errorResponses } from '../http/openapi-responses.ts'
import { ownerOnly } from '../http/require-role.ts'
import { createRouter } from '../http/router.ts'
import { requireSession } from '../http/session-auth.ts'
import { getSessionCaller } from '../http/tenant.ts'
import { monthStart } from '../policy/local-time.ts'
import { TEMPLATE_PRICES, TEMPLATE_RATE_CARD_DATE } from '../policy/template-pricing.ts'
import { DEFAULT_SETTINGS, merchantUpdateOf, settingsOf } from '../settings/merchant-settings.ts'
import {
  monthTemplateSpend,
  readMerchantRow,
  updateMerchantSettings,
} from '../settings/settings-repository.ts'

const guard = [requireSession, ownerOnly]
const settingsResponse = {
  description: 'The settings, their defaults, the rate card and this month’s template spend',
  content: { 'application/json': { schema: settingsResponseSchema } },
}

const read = createRoute({
  method: 'get',
  path: '/',
  tags: ['settings'],
  summary: "The merchant's settings",
  security: [{ session: [] }],
  middleware: guard,
  responses: { 200: settingsResponse, ...errorResponses },
})

const replace = createRoute({
  method: 'put',
  path: '/',
  tags: ['settings'],
  summary: 'Replace the settings (every group at once)',
  security: [{ session: [] }],
  middleware: guard,
  request: { body: { required: true, content: { 'application/json': { schema: settingsSchema } } } },
  responses: { 200: settingsResponse, ...errorResponses },
})

export function settingsRoutes(deps: RuntimeDeps) {
  const { db, clock } = deps

  async function respond(merchant: Merchant): Promise<SettingsResponse> {
    const settings: Settings = settingsOf(merchant)
    const month = monthStart(clock.now(), merchant.timezone)
    return {
      settings,
      defaults: DEFAULT_SETTINGS as unknown as Settings,
      rateCard: {
        date: TEMPLATE_RATE_CARD_DATE,
        prices: TEMPLATE_PRICES as SettingsResponse['rateCard']['prices'],
      },
      spend: {
        month,
        amount: await monthTemplateSpend(db, merchant.id, month),
        currency: settings.templates.currency,
      },
    }
  }

  return createRouter()
    .openapi(read, async (c) => {
      const caller = getSessionCaller(c)
      const merchant = await readMerchantRow(db, caller.merchantId)
      if (!merchant) throw notFound('Store')
      return c.json(await respond(merchant), 200)
    })
    .openapi(replace, async (c) => {
      const caller = getSessionCaller(c)
      const settings = c.req.valid('json')
      const merchant = await updateMerchantSettings(
        db,
        caller.merchantId,
        merchantUpdateOf(settings),
        new Date(clock.now()),
      )
      return c.json(await respond(merchant), 200)
    })
}
