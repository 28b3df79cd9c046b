// The flows API: drafts (create, read, save, duplicate, delete), validation, publishing immutable numbered
// versions, version history and rollback. Agents read; editors and owners change.
import { createRoute } from '@hono/zod-openapi'
import {
  createFlowRequestSchema,
  type FlowDocumentJson,
  flowDetailSchema,
  flowListSchema,
  flowSummarySchema,
  flowVersionDetailSchema,
  flowVersionListSchema,
  flowVersionParamsSchema,
  idParamsSchema,
  publishFlowResultSchema,
  starterFlowListSchema,
  updateFlowRequestSchema,
  validateFlowResultSchema,
} from '@parley/api'
import { type RawFlowDocument, triggerOverlaps } from '@parley/flow'
import type { Context } from 'hono'
import type { RuntimeDeps } from '../deps.ts'
import { blankFlowDocument, DEFAULT_FLOW_NAME, triggerKindsOf } from '../flows/flow-documents.ts'
import {
  findFlow,
  findFlowSummary,
  findLiveVersionId,
  findVersion,
  findVersionDocument,
  insertFlow,
  insertLiveVersion,
  listFlows,
  listOtherLiveFlows,
  listVersions,
  lockFlow,
  setFlowPaused,
  softDeleteFlow,
  updateDraft,
} from '../flows/flow-store.ts'
import { findStarterFlow, starterFlows } from '../flows/starter-flows.ts'
import type { AppEnv } from '../http/app-env.ts'
import { AppError, notFound } from '../http/errors.ts'
import { errorResponses } from '../http/openapi-responses.ts'
import { canEditFlows } from '../http/require-role.ts'
import { createRouter } from '../http/router.ts'
import { requireSession } from '../http/session-auth.ts'
import { getSessionCaller } from '../http/tenant.ts'

const tags = ['flows']
const security = [{ session: [] }]
const json = <S>(schema: S, description: string) => ({
  description,
  content: { 'application/json': { schema } },
})
const flowInvalid = {
  422: json(validateFlowResultSchema.pick({ issues: true }), 'Validation has errors: publishing is refused'),
}

const routes = {
  list: createRoute({
    method: 'get',
    path: '/',
    tags,
    security,
    summary: 'Flows with their status (draft / published vN) and last edit',
    middleware: [requireSession],
    responses: { 200: json(flowListSchema, 'Flows'), ...errorResponses },
  }),
  create: createRoute({
    method: 'post',
    path: '/',
    tags,
    security,
    summary: 'Create a flow, blank or from a starter flow',
    middleware: [requireSession, canEditFlows],
    request: {
      body: { required: true, content: { 'application/json': { schema: createFlowRequestSchema } } },
    },
    responses: { 201: json(flowDetailSchema, 'Created'), ...errorResponses },
  }),
  get: createRoute({
    method: 'get',
    path: '/{id}',
    tags,
    security,
    summary: 'A flow with its draft document',
    middleware: [requireSession],
    request: { params: idParamsSchema },
    responses: { 200: json(flowDetailSchema, 'Flow'), ...errorResponses },
  }),
  update: createRoute({
    method: 'put',
    path: '/{id}',
    tags,
    security,
    summary:
      'Save the draft (name and document). Graph issues do not block saving; an unreadable document does',
    middleware: [requireSession, canEditFlows],
    request: {
      params: idParamsSchema,
      body: { required: true, content: { 'application/json': { schema: updateFlowRequestSchema } } },
    },
    responses: { 200: json(flowDetailSchema, 'Saved'), ...errorResponses },
  }),
  remove: createRoute({
    method: 'delete',
    path: '/{id}',
    tags,
    security,
    summary: 'Delete a flow (soft); it stops starting new runs',
    middleware: [requireSession, canEditFlows],
    request: { params: idParamsSchema },
    responses: { 204: { description: 'Deleted' }, ...errorResponses },
  }),
  duplicate: createRoute({
    method: 'post',
    path: '/{id}/duplicate',
    tags,
    security,
    summary: 'Copy the draft into a new unpublished flow',
    middleware: [requireSession, canEditFlows],
    request: { params: idParamsSchema },
    responses: { 201: json(flowDetailSchema, 'The copy'), ...errorResponses },
  }),
  validate: createRoute({
    method: 'post',
    path: '/{id}/validate',
    tags,
    security,
    summary: "Validate and analyze the draft (the editor's live checks, on the server)",
    middleware: [requireSession],
    request: { params: idParamsSchema },
    responses: { 200: json(validateFlowResultSchema, 'Issues and analysis'), ...errorResponses },
  }),
  publish: createRoute({
    method: 'post',
    path: '/{id}/publish',
    tags,
    security,
    summary: 'Publish the draft as a new immutable version; refused while validation has errors',
    middleware: [requireSession, canEditFlows],
    request: { params: idParamsSchema },
    responses: { 201: json(publishFlowResultSchema, 'Published'), ...errorResponses, ...flowInvalid },
  }),
  versions: createRoute({
    method: 'get',
    path: '/{id}/versions',
    tags,
    security,
    summary: 'Published versions, newest first',
    middleware: [requireSession],
    request: { params: idParamsSchema },
    responses: { 200: json(flowVersionListSchema, 'Versions'), ...errorResponses },
  }),
  version: createRoute({
    method: 'get',
    path: '/{id}/versions/{version}',
    tags,
    security,
    summary: 'One published version with its document (for a read-only preview and a diff)',
    middleware: [requireSession],
    request: { params: flowVersionParamsSchema },
    responses: { 200: json(flowVersionDetailSchema, 'Version'), ...errorResponses },
  }),
  pause: createRoute({
    method: 'post',
    path: '/{id}/pause',
    tags,
    security,
    summary: 'Pause the flow: no new runs start from it; runs already going carry on',
    middleware: [requireSession, canEditFlows],
    request: { params: idParamsSchema },
    responses: { 200: json(flowSummarySchema, 'Paused'), ...errorResponses },
  }),
  resume: createRoute({
    method: 'post',
    path: '/{id}/resume',
    tags,
    security,
    summary: 'Resume a paused flow: new runs start from its live version again',
    middleware: [requireSession, canEditFlows],
    request: { params: idParamsSchema },
    responses: { 200: json(flowSummarySchema, 'Resumed'), ...errorResponses },
  }),
  rollback: createRoute({
    method: 'post',
    path: '/{id}/versions/{version}/rollback',
    tags,
    security,
    summary: "Publish an older version's document again as a new version (the draft follows)",
    middleware: [requireSession, canEditFlows],
    request: { params: flowVersionParamsSchema },
    responses: { 201: json(publishFlowResultSchema, 'Published'), ...errorResponses, ...flowInvalid },
  }),
}

const starters = createRoute({
  method: 'get',
  path: '/',
  tags,
  security,
  summary: 'Starter flows to create a flow from',
  middleware: [requireSession],
  responses: { 200: json(starterFlowListSchema, 'Starter flows'), ...errorResponses },
})

/** The document with its name set to the flow's, so the two never disagree. */
function named(document: FlowDocumentJson, name: string): FlowDocumentJson {
  return { ...document, name }
}

export function flowRoutes(deps: RuntimeDeps) {
  const { db, clock } = deps
  const now = () => new Date(clock.now())

  /** Other live flows starting on the same words or event as `document` (warnings, never refusals). */
  async function overlapsOf(merchantId: string, flowId: string, document: unknown) {
    const others = await listOtherLiveFlows(db, merchantId, flowId)
    return triggerOverlaps(document as Pick<RawFlowDocument, 'nodes'>, others)
  }

  async function summary(merchantId: string, id: string) {
    const flow = await findFlowSummary(db, merchantId, id)
    if (!flow) throw notFound('Flow')
    return flow
  }

  async function detail(merchantId: string, id: string) {
    const flow = await findFlow(db, merchantId, id)
    if (!flow) throw notFound('Flow')
    return flow
  }

  /** Publishes `document` as the flow's next version, after the same checks as the editor's publish button. */
  async function publish(c: Context<AppEnv>, flowId: string, source: { version: number } | 'draft') {
    const caller = getSessionCaller(c)
    const version = await db.transaction().execute(async (trx) => {
      const flow = await lockFlow(trx, caller.merchantId, flowId)
      if (!flow) throw notFound('Flow')
      let document = flow.document as FlowDocumentJson
      if (source !== 'draft') {
        const old = await findVersionDocument(trx, caller.merchantId, flowId, source.version)
        if (!old) throw notFound('Version')
        document = old
      }
      const { check } = await deps.flowChecker.check(document)
      if (!check.parsed || check.hasErrors) {
        throw new AppError(422, 'flow_invalid', 'Fix the errors before publishing', { issues: check.issues })
      }
      const published = await insertLiveVersion(trx, {
        merchantId: caller.merchantId,
        flowId,
        document: check.doc as FlowDocumentJson,
        triggerKinds: triggerKindsOf(check.doc),
        publishedBy: caller.userId,
        now: now(),
      })
      if (source !== 'draft') {
        // The draft follows the rollback, so the editor shows what is live and the next publish builds on it.
        const name = typeof document.name === 'string' && document.name.trim() ? document.name : flow.name
        await updateDraft(trx, caller.merchantId, flowId, { name, document, now: now() })
      }
      return { published, document: check.doc }
    })
    const flow = await summary(caller.merchantId, flowId)
    const overlaps = await overlapsOf(caller.merchantId, flowId, version.document)
    return c.json({ flow, version: version.published, overlaps }, 201)
  }

  const flows = createRouter()
    .openapi(routes.list, async (c) => {
      const { merchantId } = getSessionCaller(c)
      return c.json({ flows: await listFlows(db, merchantId) }, 200)
    })
    .openapi(routes.create, async (c) => {
      const { merchantId } = getSessionCaller(c)
      const body = c.req.valid('json')
      let document: FlowDocumentJson
      let name = body.name
      if (body.starterFlowId) {
        const starter = findStarterFlow(body.starterFlowId)
        if (!starter) {
          throw new AppError(400, 'validation_failed', 'The request is not valid', [
            { path: 'starterFlowId', message: 'No starter flow has this id' },
          ])
        }
        name ??= starter.name
        document = structuredClone(starter.document)
      } else {
        name ??= DEFAULT_FLOW_NAME
        document = blankFlowDocument(name)
      }
      const id = await insertFlow(db, { merchantId, name, document: named(document, name), now: now() })
      return c.json(await detail(merchantId, id), 201)
    })
    .openapi(routes.get, async (c) => {
      const { merchantId } = getSessionCaller(c)
      return c.json(await detail(merchantId, c.req.valid('param').id), 200)
    })
    .openapi(routes.update, async (c) => {
      const { merchantId } = getSessionCaller(c)
      const { id } = c.req.valid('param')
      const { name, document } = c.req.valid('json')
      const { check } = await deps.flowChecker.check(named(document, name))
      if (!check.parsed) {
        throw new AppError(400, 'invalid_document', 'The flow document cannot be read', {
          issues: check.issues,
        })
      }
      // Store the parsed document (kind defaults filled in), so every reader sees complete configs.
      const normalized = check.doc as FlowDocumentJson
      if (!(await updateDraft(db, merchantId, id, { name, document: normalized, now: now() }))) {
        throw notFound('Flow')
      }
      return c.json(await detail(merchantId, id), 200)
    })
    .openapi(routes.remove, async (c) => {
      const { merchantId } = getSessionCaller(c)
      if (!(await softDeleteFlow(db, merchantId, c.req.valid('param').id, now()))) throw notFound('Flow')
      return c.body(null, 204)
    })
    .openapi(routes.duplicate, async (c) => {
      const { merchantId } = getSessionCaller(c)
      const source = await detail(merchantId, c.req.valid('param').id)
      const name = `${source.name} (copy)`.slice(0, 120)
      const id = await insertFlow(db, {
        merchantId,
        name,
        document: named(source.document, name),
        now: now(),
      })
      return c.json(await detail(merchantId, id), 201)
    })
    .openapi(routes.validate, async (c) => {
      const { merchantId } = getSessionCaller(c)
      const flow = await detail(merchantId, c.req.valid('param').id)
      const { check, analysis } = await deps.flowChecker.check(flow.document, { analysis: true })
      return c.json(
        {
          ok: !check.hasErrors,
          issues: check.issues,
          overlaps: check.parsed ? await overlapsOf(merchantId, flow.id, check.doc) : [],
          analysis,
        },
        200,
      )
    })
    .openapi(routes.publish, (c) => publish(c, c.req.valid('param').id, 'draft'))
    .openapi(routes.versions, async (c) => {
      const { merchantId } = getSessionCaller(c)
      const { id } = c.req.valid('param')
      const flow = await findLiveVersionId(db, merchantId, id)
      if (!flow) throw notFound('Flow')
      return c.json({ versions: await listVersions(db, merchantId, id, flow.liveVersionId) }, 200)
    })
    .openapi(routes.version, async (c) => {
      const { merchantId } = getSessionCaller(c)
      const { id, version } = c.req.valid('param')
      const flow = await findLiveVersionId(db, merchantId, id)
      if (!flow) throw notFound('Flow')
      const found = await findVersion(db, merchantId, id, version, flow.liveVersionId)
      if (!found) throw notFound('Version')
      return c.json(found, 200)
    })
    .openapi(routes.pause, async (c) => {
      const { merchantId } = getSessionCaller(c)
      const { id } = c.req.valid('param')
      // Pausing twice keeps the first time: it says since when the flow has not been starting conversations.
      const flow = await summary(merchantId, id)
      if (!flow.paused) await setFlowPaused(db, merchantId, id, now())
      return c.json(await summary(merchantId, id), 200)
    })
    .openapi(routes.resume, async (c) => {
      const { merchantId } = getSessionCaller(c)
      const { id } = c.req.valid('param')
      if (!(await setFlowPaused(db, merchantId, id, null))) throw notFound('Flow')
      return c.json(await summary(merchantId, id), 200)
    })
    .openapi(routes.rollback, (c) => {
      const { id, version } = c.req.valid('param')
      return publish(c, id, { version })
    })
  return flows
}

/** GET /api/starter-flows */
export function starterFlowRoutes() {
  return createRouter().openapi(starters, (c) =>
    c.json(
      { starterFlows: starterFlows.map(({ id, name, description }) => ({ id, name, description })) },
      200,
    ),
  )
}
