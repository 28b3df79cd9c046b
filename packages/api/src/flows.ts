// Flows: the merchant's drafts, their validation, and published (immutable, numbered) versions.
import { z } from 'zod'
import { isoDateTime } from './common.ts'

/**
 * A flow document as JSON (packages/flow's `RawFlowDocument`). The runtime checks it with
 * `parseFlowDocument`, which reports problems as flow issues pointing at nodes, not as field errors.
 */
export const flowDocumentJsonSchema = z
  .record(z.string(), z.unknown())
  .meta({ id: 'FlowDocument', description: 'A flow document: { version, name, nodes, edges, settings }' })
export type FlowDocumentJson = z.infer<typeof flowDocumentJsonSchema>

/** One finding of `parseFlowDocument` / `validate` (packages/flow's `FlowIssue`). */
export const flowIssueSchema = z
  .object({
    severity: z.enum(['error', 'warning']),
    code: z.string(),
    message: z.string(),
    nodeId: z.string().optional(),
    edgeId: z.string().optional(),
  })
  .meta({ id: 'FlowIssue' })
export type FlowIssue = z.infer<typeof flowIssueSchema>

/** `details` of 400 invalid_document and 422 flow_invalid. */
export const flowIssuesDetailsSchema = z.object({ issues: z.array(flowIssueSchema) })

export const flowSummarySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    status: z.enum(['draft', 'published']),
    /** The live version's number, or null while never published. */
    publishedVersion: z.number().int().positive().nullable(),
    /** True when the draft was edited after the live version was published. */
    hasUnpublishedChanges: z.boolean(),
    /** Trigger kinds of the live version (e.g. 'cart.abandoned'). */
    triggerKinds: z.array(z.string()),
    /** Paused by the merchant: no new conversations start; those already going carry on. */
    paused: z.boolean(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'FlowSummary' })
export type FlowSummary = z.infer<typeof flowSummarySchema>

export const flowListSchema = z.object({ flows: z.array(flowSummarySchema) }).meta({ id: 'FlowList' })
export type FlowList = z.infer<typeof flowListSchema>

export const flowDetailSchema = flowSummarySchema
  .extend({ document: flowDocumentJsonSchema })
  .meta({ id: 'FlowDetail' })
export type FlowDetail = z.infer<typeof flowDetailSchema>

export const createFlowRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    /** Start from one of packages/flow's starter flows instead of a blank canvas. */
    starterFlowId: z.string().min(1).max(64).optional(),
  })
  .meta({ id: 'CreateFlowRequest' })
export type CreateFlowRequest = z.input<typeof createFlowRequestSchema>

export const updateFlowRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    document: flowDocumentJsonSchema,
  })
  .meta({ id: 'UpdateFlowRequest' })
export type UpdateFlowRequest = z.input<typeof updateFlowRequestSchema>

/** JSON has no Infinity: in the analysis, null means unbounded (or never, for an unreachable node). */
const boundedMs = z.number().nullable()

/** packages/flow's `analyze(doc)` as JSON. */
export const flowAnalysisSchema = z
  .object({
    nodes: z.record(
      z.string(),
      z.object({
        nodeId: z.string(),
        reachable: z.boolean(),
        earliestMs: boundedMs,
        latestMs: boundedMs,
        sinceLastInboundMs: boundedMs,
        sends: z.number(),
        needsTemplate: z.boolean(),
      }),
    ),
    maxMessagesPerRun: z.number().nullable(),
    maxMessagesPer24h: z.number().nullable(),
    sendsNeedingTemplate: z.array(z.string()),
    summary: z.string(),
  })
  .meta({ id: 'FlowAnalysis' })
export type FlowAnalysisJson = z.infer<typeof flowAnalysisSchema>

/** Another live flow that starts on the same words or event (packages/flow's `TriggerOverlap`). */
export const triggerOverlapSchema = z
  .object({
    flowId: z.uuid(),
    flowName: z.string(),
    kind: z.enum(['keyword', 'greeting', 'any-message', 'event']),
    words: z.array(z.string()),
    message: z.string(),
  })
  .meta({ id: 'TriggerOverlap' })
export type TriggerOverlapJson = z.infer<typeof triggerOverlapSchema>

export const validateFlowResultSchema = z
  .object({
    /** Other live flows starting on the same words or event as this draft (warnings: publishing goes ahead). */
    overlaps: z.array(triggerOverlapSchema),
    /** False while any issue has severity 'error' (publishing is refused then). */
    ok: z.boolean(),
    issues: z.array(flowIssueSchema),
    /** Null when the document does not parse. */
    analysis: flowAnalysisSchema.nullable(),
  })
  .meta({ id: 'ValidateFlowResult' })
export type ValidateFlowResult = z.infer<typeof validateFlowResultSchema>

export const flowVersionSchema = z
  .object({
    id: z.uuid(),
    version: z.number().int().positive(),
    publishedAt: isoDateTime,
    publishedBy: z.uuid().nullable(),
    /** Who published it, by name (null when that person's account is gone or it was published by the system). */
    publishedByName: z.string().nullable(),
    triggerKinds: z.array(z.string()),
    /** True for the version new runs start on. */
    live: z.boolean(),
  })
  .meta({ id: 'FlowVersion' })
export type FlowVersion = z.infer<typeof flowVersionSchema>

export const flowVersionListSchema = z
  .object({ versions: z.array(flowVersionSchema) })
  .meta({ id: 'FlowVersionList' })
export type FlowVersionList = z.infer<typeof flowVersionListSchema>

export const flowVersionDetailSchema = flowVersionSchema
  .extend({ document: flowDocumentJsonSchema })
  .meta({ id: 'FlowVersionDetail' })
export type FlowVersionDetail = z.infer<typeof flowVersionDetailSchema>

export const publishFlowResultSchema = z
  .object({
    flow: flowSummarySchema,
    version: flowVersionSchema,
    /** Other live flows that start on the same words or event, as at validate. */
    overlaps: z.array(triggerOverlapSchema),
  })
  .meta({ id: 'PublishFlowResult' })
export type PublishFlowResult = z.infer<typeof publishFlowResultSchema>

export const flowVersionParamsSchema = z.object({
  id: z.uuid(),
  version: z.coerce.number().int().positive().max(1_000_000),
})
export type FlowVersionParams = z.infer<typeof flowVersionParamsSchema>

export const starterFlowSummarySchema = z
  .object({ id: z.string(), name: z.string(), description: z.string() })
  .meta({ id: 'StarterFlowSummary' })
export type StarterFlowSummary = z.infer<typeof starterFlowSummarySchema>

export const starterFlowListSchema = z
  .object({ starterFlows: z.array(starterFlowSummarySchema) })
  .meta({ id: 'StarterFlowList' })
export type StarterFlowList = z.infer<typeof starterFlowListSchema>
