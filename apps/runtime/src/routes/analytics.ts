// GET /api/analytics/*: the recovery report (JSON and CSV), per-flow and per-step numbers, conversation numbers
// and each live flow's key number, for the signed-in merchant. Owner and editor only.
import { createRoute, z } from '@hono/zod-openapi'
import {
  conversationReportSchema,
  flowKeyNumbersSchema,
  flowReportQuerySchema,
  flowReportSchema,
  idParamsSchema,
  recoveryReportSchema,
  reportPeriodQuerySchema,
} from '@parley/api'
import { conversationReport } from '../analytics/conversation-report.ts'
import { flowKeyNumbers } from '../analytics/flow-key-numbers.ts'
import { flowReport } from '../analytics/flow-report.ts'
import { recoveryCsv } from '../analytics/recovery-csv.ts'
import { recoveryReport } from '../analytics/recovery-report.ts'
import { resolvePeriods } from '../analytics/report-period.ts'
import type { RuntimeDeps } from '../deps.ts'
import { notFound } from '../http/errors.ts'
import { errorResponses } from '../http/openapi-responses.ts'
import { canReadAnalytics } from '../http/require-role.ts'
import { createRouter } from '../http/router.ts'
import { requireSession } from '../http/session-auth.ts'
import { getSessionCaller } from '../http/tenant.ts'

const guarded = { security: [{ session: [] }], middleware: [requireSession, canReadAnalytics] }

const recovery = createRoute({
  method: 'get',
  path: '/recovery',
  tags: ['analytics'],
  summary:
    'Cart recovery by day: funnel, carts recovered, revenue, cost, ROI, the previous period and the lift',
  ...guarded,
  request: { query: reportPeriodQuerySchema },
  responses: {
    200: { description: 'The report', content: { 'application/json': { schema: recoveryReportSchema } } },
    ...errorResponses,
  },
})

const recoveryCsvRoute = createRoute({
  method: 'get',
  path: '/recovery.csv',
  tags: ['analytics'],
  summary: 'The recovery report as CSV (one row per day and a total row)',
  ...guarded,
  request: { query: reportPeriodQuerySchema },
  responses: {
    200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } },
    ...errorResponses,
  },
})

const flow = createRoute({
  method: 'get',
  path: '/flows/{id}',
  tags: ['analytics'],
  summary: "A flow's runs per version, and per step of one version (the canvas numbers)",
  ...guarded,
  request: { params: idParamsSchema, query: flowReportQuerySchema },
  responses: {
    200: { description: 'The report', content: { 'application/json': { schema: flowReportSchema } } },
    ...errorResponses,
  },
})

const conversations = createRoute({
  method: 'get',
  path: '/conversations',
  tags: ['analytics'],
  summary: 'Escalations, human reply and resolution times, opt-outs, unreachable contacts, skipped sends',
  ...guarded,
  request: { query: reportPeriodQuerySchema },
  responses: {
    200: { description: 'The report', content: { 'application/json': { schema: conversationReportSchema } } },
    ...errorResponses,
  },
})

const keyNumbers = createRoute({
  method: 'get',
  path: '/flow-numbers',
  tags: ['analytics'],
  summary: "Each live flow's key number over the last 30 days",
  ...guarded,
  responses: {
    200: { description: 'Key numbers', content: { 'application/json': { schema: flowKeyNumbersSchema } } },
    ...errorResponses,
  },
})

export function analyticsRoutes(deps: RuntimeDeps) {
  return createRouter()
    .openapi(recovery, async (c) => {
      const { merchantId } = getSessionCaller(c)
      const periods = await resolvePeriods(deps.db, merchantId, c.req.valid('query'), deps.clock.now())
      return c.json(await recoveryReport(deps.db, merchantId, periods), 200)
    })
    .openapi(recoveryCsvRoute, async (c) => {
      const { merchantId } = getSessionCaller(c)
      const periods = await resolvePeriods(deps.db, merchantId, c.req.valid('query'), deps.clock.now())
      const report = await recoveryReport(deps.db, merchantId, periods)
      return c.body(recoveryCsv(report), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="recovery-${report.period.from}-to-${report.period.to}.csv"`,
      })
    })
    .openapi(flow, async (c) => {
      const { merchantId } = getSessionCaller(c)
      const { version, ...query } = c.req.valid('query')
      const { current } = await resolvePeriods(deps.db, merchantId, query, deps.clock.now())
      const report = await flowReport(deps.db, merchantId, c.req.valid('param').id, current, version)
      if (!report) throw notFound(version === undefined ? 'Flow' : 'Flow version')
      return c.json(report, 200)
    })
    .openapi(conversations, async (c) => {
      const { merchantId } = getSessionCaller(c)
      const { current } = await resolvePeriods(deps.db, merchantId, c.req.valid('query'), deps.clock.now())
      return c.json(await conversationReport(deps.db, merchantId, current), 200)
    })
    .openapi(keyNumbers, async (c) => {
      const { merchantId } = getSessionCaller(c)
      return c.json(await flowKeyNumbers(deps.db, merchantId, deps.clock.now()), 200)
    })
}
