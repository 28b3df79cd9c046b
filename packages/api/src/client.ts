// A small typed client for the runtime's API. Every response is parsed with the same schema the server
// answers with; failures throw ApiError carrying the server's { code, message, details }.
import type { z } from 'zod'
import type { AiAnswersSettingsInput, AiAnswersTestInput } from './ai-answers.ts'
import type { FlowReportQuery, ReportPeriodQuery } from './analytics.ts'
import type { CreateApiKeyRequest } from './api-keys.ts'
import { CSRF_HEADER, SERVER_TIME_HEADER, type SignInRequest, sessionSchema } from './auth.ts'
import type { CannedReplyInput } from './canned-replies.ts'
import type { CatalogueUploadQuery, ProductSearchQuery } from './catalogue.ts'
import type { ConnectChannelRequest, SendTestMessageRequest, UpdateChannelRequest } from './channels.ts'
import { type ErrorCode, errorBodySchema } from './errors.ts'
import {
  type CreateFlowRequest,
  flowDetailSchema,
  flowListSchema,
  flowSummarySchema,
  flowVersionDetailSchema,
  flowVersionListSchema,
  publishFlowResultSchema,
  starterFlowListSchema,
  type UpdateFlowRequest,
  validateFlowResultSchema,
} from './flows.ts'
import type { InboxListQuery, StaffReplyRequest } from './inbox.ts'
import type { AssignRequest } from './inbox-team.ts'
import type { EscalationQueuesInput } from './queues.ts'
import type { SettingsInput } from './settings.ts'
import type { SimulationWorldQuery } from './simulation-world.ts'
import type { UpdateStaffProfileRequest } from './staff-profile.ts'
import type { AcceptInviteRequest, CreateInviteRequest, UpdateMemberRequest } from './team.ts'

// Building zod schemas costs time when their module is evaluated, and the editor's first screen (a flow, after
// the session) needs only the session's, the error's and the flows' schemas, imported above. Every other
// resource's schemas are imported when one of its responses is first parsed (the import starts with the
// request, so it adds no wait); a bundler makes each its own chunk, so they are neither downloaded nor built at
// page load. Every response is still parsed, with the same schema the server answers with.
const aiAnswersSchemas = () => import('./ai-answers.ts')
const analyticsSchemas = () => import('./analytics.ts')
const apiKeysSchemas = () => import('./api-keys.ts')
const cannedRepliesSchemas = () => import('./canned-replies.ts')
const catalogueSchemas = () => import('./catalogue.ts')
const channelsSchemas = () => import('./channels.ts')
const inboxSchemas = () => import('./inbox.ts')
const inboxContextSchemas = () => import('./inbox-context.ts')
const inboxTeamSchemas = () => import('./inbox-team.ts')
const privacySchemas = () => import('./privacy.ts')
const queuesSchemas = () => import('./queues.ts')
const settingsSchemas = () => import('./settings.ts')
const simulationWorldSchemas = () => import('./simulation-world.ts')
const staffProfileSchemas = () => import('./staff-profile.ts')
const teamSchemas = () => import('./team.ts')

/** `key` of the module `load` imports, loaded on first use (`load` is one of the imports above). */
function lazySchema<M, K extends keyof M>(load: () => Promise<M>, key: K): () => Promise<M[K]> {
  return () => load().then((module) => module[key])
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export interface ApiClientOptions {
  /** e.g. '' (same origin) or 'http://127.0.0.1:3000'. */
  baseUrl?: string
  fetch?: typeof fetch
  /** A CSRF token known from an earlier page load; otherwise learnt from signIn() / session(). */
  csrfToken?: string
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'

/**
 * @example
 * const api = createApiClient({ baseUrl: '' })
 * await api.auth.signIn({ email, password })
 * const { flows } = await api.flows.list()
 */
export function createApiClient(options: ApiClientOptions = {}) {
  const baseUrl = (options.baseUrl ?? '').replace(/\/$/, '')
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init))
  let csrfToken = options.csrfToken
  /** The server's clock minus this device's, as the latest answer told it (SERVER_TIME_HEADER). */
  let clockOffset = 0

  async function call<S extends z.ZodType | null>(
    method: Method,
    path: string,
    schema: S | (() => Promise<S>),
    body?: unknown,
    /** A body sent as it is (a file upload) instead of JSON. */
    raw?: { body: Blob | string; contentType: string },
  ): Promise<S extends z.ZodType ? z.infer<S> : undefined> {
    // A schema loaded on first use starts loading with the request, not after its answer. Its failure (the
    // chunk could not be fetched) is reported below, once the answer is known, so it is never left unhandled.
    const ready = Promise.resolve(typeof schema === 'function' ? schema() : schema)
    ready.catch(() => {})
    const headers: Record<string, string> = { accept: 'application/json' }
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (raw) headers['content-type'] = raw.contentType
    if (method !== 'GET' && csrfToken) headers[CSRF_HEADER] = csrfToken
    const response = await doFetch(`${baseUrl}${path}`, {
      method,
      headers,
      credentials: 'include',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(raw ? { body: raw.body } : {}),
    })
    const serverTime = Number(response.headers.get(SERVER_TIME_HEADER))
    if (Number.isFinite(serverTime) && serverTime > 0) clockOffset = serverTime - Date.now()
    const text = await response.text()
    let json: unknown
    try {
      json = text ? JSON.parse(text) : undefined
    } catch {
      json = undefined
    }
    if (!response.ok) {
      const parsed = errorBodySchema.safeParse(json)
      if (parsed.success) {
        const { code, message, details } = parsed.data.error
        throw new ApiError(response.status, code, message, details)
      }
      throw new ApiError(response.status, 'internal', `Request failed with status ${response.status}`)
    }
    const resolved = await ready
    if (resolved === null) return undefined as never
    const parsed = resolved.safeParse(json)
    if (!parsed.success) {
      throw new ApiError(
        response.status,
        'internal',
        `Unexpected response from ${method} ${path}`,
        parsed.error.issues,
      )
    }
    return parsed.data as never
  }

  const flowPath = (id: string) => `/api/flows/${encodeURIComponent(id)}`
  const channelPath = (id: string) => `/api/channels/${encodeURIComponent(id)}`
  const conversationPath = (id: string) => `/api/conversations/${encodeURIComponent(id)}`
  const queryString = (query: Record<string, string | number | boolean | undefined>) => {
    const params = new URLSearchParams()
    for (const [key, value] of Object.entries(query))
      if (value !== undefined && value !== '') params.set(key, String(value))
    const text = params.toString()
    return text ? `?${text}` : ''
  }

  return {
    /** The server's clock now (epoch ms), as the latest answer told it; this device's until one has. */
    now: () => Date.now() + clockOffset,
    /** The CSRF token in use (after signIn or session). */
    get csrfToken() {
      return csrfToken
    },
    auth: {
      async signIn(request: SignInRequest) {
        const session = await call('POST', '/api/auth/sign-in', sessionSchema, request)
        csrfToken = session.csrfToken
        return session
      },
      async session() {
        const session = await call('GET', '/api/auth/session', sessionSchema)
        csrfToken = session.csrfToken
        return session
      },
      async signOut() {
        await call('POST', '/api/auth/sign-out', null)
        csrfToken = undefined
      },
    },
    flows: {
      list: () => call('GET', '/api/flows', flowListSchema),
      starters: () => call('GET', '/api/starter-flows', starterFlowListSchema),
      create: (request: CreateFlowRequest = {}) => call('POST', '/api/flows', flowDetailSchema, request),
      get: (id: string) => call('GET', flowPath(id), flowDetailSchema),
      update: (id: string, request: UpdateFlowRequest) =>
        call('PUT', flowPath(id), flowDetailSchema, request),
      remove: (id: string) => call('DELETE', flowPath(id), null),
      duplicate: (id: string) => call('POST', `${flowPath(id)}/duplicate`, flowDetailSchema),
      validate: (id: string) => call('POST', `${flowPath(id)}/validate`, validateFlowResultSchema),
      publish: (id: string) => call('POST', `${flowPath(id)}/publish`, publishFlowResultSchema),
      versions: (id: string) => call('GET', `${flowPath(id)}/versions`, flowVersionListSchema),
      rollback: (id: string, version: number) =>
        call('POST', `${flowPath(id)}/versions/${version}/rollback`, publishFlowResultSchema),
      version: (id: string, version: number) =>
        call('GET', `${flowPath(id)}/versions/${version}`, flowVersionDetailSchema),
      pause: (id: string) => call('POST', `${flowPath(id)}/pause`, flowSummarySchema),
      resume: (id: string) => call('POST', `${flowPath(id)}/resume`, flowSummarySchema),
    },
    apiKeys: {
      list: () => call('GET', '/api/api-keys', lazySchema(apiKeysSchemas, 'apiKeyListSchema')),
      create: (request: CreateApiKeyRequest) =>
        call('POST', '/api/api-keys', lazySchema(apiKeysSchemas, 'createdApiKeySchema'), request),
      revoke: (id: string) => call('DELETE', `/api/api-keys/${encodeURIComponent(id)}`, null),
    },
    channels: {
      list: () => call('GET', '/api/channels', lazySchema(channelsSchemas, 'channelListSchema')),
      connect: (request: ConnectChannelRequest) =>
        call('POST', '/api/channels', lazySchema(channelsSchemas, 'channelSchema'), request),
      update: (id: string, request: UpdateChannelRequest) =>
        call('PUT', channelPath(id), lazySchema(channelsSchemas, 'channelSchema'), request),
      verify: (id: string) =>
        call('POST', `${channelPath(id)}/verify`, lazySchema(channelsSchemas, 'channelSchema')),
      disconnect: (id: string) =>
        call('DELETE', channelPath(id), lazySchema(channelsSchemas, 'channelSchema')),
      syncTemplates: (id: string) =>
        call('POST', `${channelPath(id)}/templates/sync`, lazySchema(channelsSchemas, 'channelSchema')),
      sendTestMessage: (id: string, request: SendTestMessageRequest) =>
        call(
          'POST',
          `${channelPath(id)}/test-message`,
          lazySchema(channelsSchemas, 'sendTestMessageResultSchema'),
          request,
        ),
    },
    settings: {
      get: () => call('GET', '/api/settings', lazySchema(settingsSchemas, 'settingsResponseSchema')),
      save: (settings: SettingsInput) =>
        call('PUT', '/api/settings', lazySchema(settingsSchemas, 'settingsResponseSchema'), settings),
      /** Escalation queues: acknowledgement, business hours, unclaimed timeout and fallback per queue. */
      queues: {
        get: () =>
          call('GET', '/api/settings/queues', lazySchema(queuesSchemas, 'escalationQueuesResponseSchema')),
        save: (queues: EscalationQueuesInput) =>
          call(
            'PUT',
            '/api/settings/queues',
            lazySchema(queuesSchemas, 'escalationQueuesResponseSchema'),
            queues,
          ),
      },
      /** Optional AI answers: the merchant's OpenAI-compatible endpoint, its key (write-only) and its cost. */
      aiAnswers: {
        get: () =>
          call('GET', '/api/settings/ai-answers', lazySchema(aiAnswersSchemas, 'aiAnswersResponseSchema')),
        save: (settings: AiAnswersSettingsInput) =>
          call(
            'PUT',
            '/api/settings/ai-answers',
            lazySchema(aiAnswersSchemas, 'aiAnswersResponseSchema'),
            settings,
          ),
        test: (request: AiAnswersTestInput) =>
          call(
            'POST',
            '/api/settings/ai-answers/test',
            lazySchema(aiAnswersSchemas, 'aiAnswersTestResultSchema'),
            request,
          ),
      },
    },
    team: {
      get: () => call('GET', '/api/team', lazySchema(teamSchemas, 'teamSchema')),
      invite: (request: CreateInviteRequest) =>
        call('POST', '/api/team/invites', lazySchema(teamSchemas, 'createdInviteSchema'), request),
      withdrawInvite: (id: string) => call('DELETE', `/api/team/invites/${encodeURIComponent(id)}`, null),
      changeRole: (id: string, request: UpdateMemberRequest) =>
        call('PUT', `/api/team/members/${encodeURIComponent(id)}`, null, request),
      remove: (id: string) => call('DELETE', `/api/team/members/${encodeURIComponent(id)}`, null),
    },
    /** How the signed-in staff member appears to shoppers (widget helper, issue 12). */
    profile: {
      get: () => call('GET', '/api/profile', lazySchema(staffProfileSchemas, 'staffProfileSchema')),
      save: (request: UpdateStaffProfileRequest) =>
        call('PUT', '/api/profile', lazySchema(staffProfileSchemas, 'staffProfileSchema'), request),
    },
    invites: {
      preview: (token: string) =>
        call('GET', `/api/invites/${encodeURIComponent(token)}`, lazySchema(teamSchemas, 'invitationSchema')),
      async accept(request: AcceptInviteRequest) {
        const session = await call('POST', '/api/invites/accept', sessionSchema, request)
        csrfToken = session.csrfToken
        return session
      },
    },
    simulation: {
      /** The store's world for the simulator: catalogue, sample carts and orders, policy settings. */
      world: (query: SimulationWorldQuery = {}) =>
        call(
          'GET',
          `/api/simulation-world${query.contactId ? `?contactId=${encodeURIComponent(query.contactId)}` : ''}`,
          lazySchema(simulationWorldSchemas, 'simulationWorldSchema'),
        ),
    },
    privacy: {
      /** Shopify's privacy requests, newest first (owner only). */
      list: () =>
        call('GET', '/api/privacy/requests', lazySchema(privacySchemas, 'privacyRequestListSchema')),
      /** The export a customer data request produced. */
      export: (id: string) =>
        call(
          'GET',
          `/api/privacy/exports/${encodeURIComponent(id)}`,
          lazySchema(privacySchemas, 'privacyExportSchema'),
        ),
    },
    inbox: {
      list: (query: Partial<InboxListQuery> = {}) =>
        call('GET', `/api/conversations${queryString(query)}`, lazySchema(inboxSchemas, 'inboxListSchema')),
      options: () =>
        call('GET', '/api/conversations/options', lazySchema(inboxTeamSchemas, 'inboxOptionsSchema')),
      get: (id: string) => call('GET', conversationPath(id), lazySchema(inboxSchemas, 'inboxDetailSchema')),
      context: (id: string) =>
        call('GET', `${conversationPath(id)}/context`, lazySchema(inboxContextSchemas, 'inboxContextSchema')),
      /** 409 `taken` when a colleague has it: `details.by.name` says who. */
      takeOver: (id: string) =>
        call(
          'POST',
          `${conversationPath(id)}/take-over`,
          lazySchema(inboxSchemas, 'conversationActionResultSchema'),
        ),
      reply: (id: string, request: StaffReplyRequest) =>
        call(
          'POST',
          `${conversationPath(id)}/messages`,
          lazySchema(inboxSchemas, 'staffReplyResultSchema'),
          request,
        ),
      note: (id: string, text: string) =>
        call('POST', `${conversationPath(id)}/notes`, lazySchema(inboxSchemas, 'inboxMessageSchema'), {
          text,
        }),
      assign: (id: string, request: AssignRequest) =>
        call(
          'POST',
          `${conversationPath(id)}/assign`,
          lazySchema(inboxSchemas, 'conversationActionResultSchema'),
          request,
        ),
      handBack: (id: string) =>
        call(
          'POST',
          `${conversationPath(id)}/hand-back`,
          lazySchema(inboxSchemas, 'conversationActionResultSchema'),
        ),
      resolve: (id: string) =>
        call(
          'POST',
          `${conversationPath(id)}/resolve`,
          lazySchema(inboxSchemas, 'conversationActionResultSchema'),
        ),
      reopen: (id: string) =>
        call(
          'POST',
          `${conversationPath(id)}/reopen`,
          lazySchema(inboxSchemas, 'conversationActionResultSchema'),
        ),
      markRead: (id: string) => call('POST', `${conversationPath(id)}/read`, null),
    },
    cannedReplies: {
      list: () =>
        call('GET', '/api/canned-replies', lazySchema(cannedRepliesSchemas, 'cannedReplyListSchema')),
      create: (input: CannedReplyInput) =>
        call('POST', '/api/canned-replies', lazySchema(cannedRepliesSchemas, 'cannedReplySchema'), input),
      update: (id: string, input: CannedReplyInput) =>
        call(
          'PUT',
          `/api/canned-replies/${encodeURIComponent(id)}`,
          lazySchema(cannedRepliesSchemas, 'cannedReplySchema'),
          input,
        ),
      remove: (id: string) => call('DELETE', `/api/canned-replies/${encodeURIComponent(id)}`, null),
    },
    analytics: {
      recovery: (query: ReportPeriodQuery = {}) =>
        call(
          'GET',
          `/api/analytics/recovery${queryString(query)}`,
          lazySchema(analyticsSchemas, 'recoveryReportSchema'),
        ),
      /** Where the browser downloads the same report as CSV (one row per day). */
      recoveryCsvUrl: (query: ReportPeriodQuery = {}) =>
        `${baseUrl}/api/analytics/recovery.csv${queryString(query)}`,
      flow: (id: string, query: FlowReportQuery = {}) =>
        call(
          'GET',
          `/api/analytics/flows/${encodeURIComponent(id)}${queryString(query)}`,
          lazySchema(analyticsSchemas, 'flowReportSchema'),
        ),
      conversations: (query: ReportPeriodQuery = {}) =>
        call(
          'GET',
          `/api/analytics/conversations${queryString(query)}`,
          lazySchema(analyticsSchemas, 'conversationReportSchema'),
        ),
      /** Each live flow's key number over the last 30 days. */
      flowKeyNumbers: () =>
        call('GET', '/api/analytics/flow-numbers', lazySchema(analyticsSchemas, 'flowKeyNumbersSchema')),
    },
    catalogue: {
      search: (query: ProductSearchQuery = {}) =>
        call(
          'GET',
          `/api/catalogue/products${queryString(query)}`,
          lazySchema(catalogueSchemas, 'productSearchResultSchema'),
        ),
      product: (id: string) =>
        call(
          'GET',
          `/api/catalogue/products/${encodeURIComponent(id)}`,
          lazySchema(catalogueSchemas, 'productDetailSchema'),
        ),
      /** Queues the import; follow it with `importStatus(id)`. */
      upload: (file: Blob | string, query: CatalogueUploadQuery = {}) =>
        call(
          'POST',
          `/api/catalogue/imports${queryString(query)}`,
          lazySchema(catalogueSchemas, 'catalogueImportDetailSchema'),
          undefined,
          {
            body: file,
            contentType: 'text/csv',
          },
        ),
      imports: () =>
        call('GET', '/api/catalogue/imports', lazySchema(catalogueSchemas, 'catalogueImportListSchema')),
      /** Queues a sync of every product from the connected Shopify store; follow it like an upload. */
      syncShopify: () =>
        call(
          'POST',
          '/api/catalogue/shopify-sync',
          lazySchema(catalogueSchemas, 'catalogueImportDetailSchema'),
        ),
      importStatus: (id: string) =>
        call(
          'GET',
          `/api/catalogue/imports/${encodeURIComponent(id)}`,
          lazySchema(catalogueSchemas, 'catalogueImportDetailSchema'),
        ),
    },
  }
}

export type ApiClient = ReturnType<typeof createApiClient>
