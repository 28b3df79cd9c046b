// A small typed client for the runtime's API. Every response is parsed with the same schema the server
// answers with; failures throw ApiError carrying the server's { code, message, details }.
import type { z } from 'zod'
import {
  type AiAnswersSettingsInput,
  type AiAnswersTestInput,
  aiAnswersResponseSchema,
  aiAnswersTestResultSchema,
} from './ai-answers.ts'
import {
  conversationReportSchema,
  type FlowReportQuery,
  flowKeyNumbersSchema,
  flowReportSchema,
  type ReportPeriodQuery,
  recoveryReportSchema,
} from './analytics.ts'
import { apiKeyListSchema, type CreateApiKeyRequest, createdApiKeySchema } from './api-keys.ts'
import { CSRF_HEADER, type SignInRequest, sessionSchema } from './auth.ts'
import { type CannedReplyInput, cannedReplyListSchema, cannedReplySchema } from './canned-replies.ts'
import {
  type CatalogueUploadQuery,
  catalogueImportDetailSchema,
  catalogueImportListSchema,
  type ProductSearchQuery,
  productDetailSchema,
  productSearchResultSchema,
} from './catalogue.ts'
import {
  type ConnectChannelRequest,
  channelListSchema,
  channelSchema,
  type SendTestMessageRequest,
  sendTestMessageResultSchema,
  type UpdateChannelRequest,
} from './channels.ts'
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
import {
  conversationActionResultSchema,
  type InboxListQuery,
  inboxDetailSchema,
  inboxListSchema,
  inboxMessageSchema,
  type StaffReplyRequest,
  staffReplyResultSchema,
} from './inbox.ts'
import { inboxContextSchema } from './inbox-context.ts'
import { type AssignRequest, inboxOptionsSchema } from './inbox-team.ts'
import { privacyExportSchema, privacyRequestListSchema } from './privacy.ts'
import { type EscalationQueuesInput, escalationQueuesResponseSchema } from './queues.ts'
import { type SettingsInput, settingsResponseSchema } from './settings.ts'
import { type SimulationWorldQuery, simulationWorldSchema } from './simulation-world.ts'
import { staffProfileSchema, type UpdateStaffProfileRequest } from './staff-profile.ts'
import {
  type AcceptInviteRequest,
  type CreateInviteRequest,
  createdInviteSchema,
  invitationSchema,
  teamSchema,
  type UpdateMemberRequest,
} from './team.ts'

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

  async function call<S extends z.ZodType | null>(
    method: Method,
    path: string,
    schema: S,
    body?: unknown,
    /** A body sent as it is (a file upload) instead of JSON. */
    raw?: { body: Blob | string; contentType: string },
  ): Promise<S extends z.ZodType ? z.infer<S> : undefined> {
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
    if (schema === null) return undefined as never
    const parsed = schema.safeParse(json)
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
      list: () => call('GET', '/api/api-keys', apiKeyListSchema),
      create: (request: CreateApiKeyRequest) => call('POST', '/api/api-keys', createdApiKeySchema, request),
      revoke: (id: string) => call('DELETE', `/api/api-keys/${encodeURIComponent(id)}`, null),
    },
    channels: {
      list: () => call('GET', '/api/channels', channelListSchema),
      connect: (request: ConnectChannelRequest) => call('POST', '/api/channels', channelSchema, request),
      update: (id: string, request: UpdateChannelRequest) =>
        call('PUT', channelPath(id), channelSchema, request),
      verify: (id: string) => call('POST', `${channelPath(id)}/verify`, channelSchema),
      disconnect: (id: string) => call('DELETE', channelPath(id), channelSchema),
      syncTemplates: (id: string) => call('POST', `${channelPath(id)}/templates/sync`, channelSchema),
      sendTestMessage: (id: string, request: SendTestMessageRequest) =>
        call('POST', `${channelPath(id)}/test-message`, sendTestMessageResultSchema, request),
    },
    settings: {
      get: () => call('GET', '/api/settings', settingsResponseSchema),
      save: (settings: SettingsInput) => call('PUT', '/api/settings', settingsResponseSchema, settings),
      /** Escalation queues: acknowledgement, business hours, unclaimed timeout and fallback per queue. */
      queues: {
        get: () => call('GET', '/api/settings/queues', escalationQueuesResponseSchema),
        save: (queues: EscalationQueuesInput) =>
          call('PUT', '/api/settings/queues', escalationQueuesResponseSchema, queues),
      },
      /** Optional AI answers: the merchant's OpenAI-compatible endpoint, its key (write-only) and its cost. */
      aiAnswers: {
        get: () => call('GET', '/api/settings/ai-answers', aiAnswersResponseSchema),
        save: (settings: AiAnswersSettingsInput) =>
          call('PUT', '/api/settings/ai-answers', aiAnswersResponseSchema, settings),
        test: (request: AiAnswersTestInput) =>
          call('POST', '/api/settings/ai-answers/test', aiAnswersTestResultSchema, request),
      },
    },
    team: {
      get: () => call('GET', '/api/team', teamSchema),
      invite: (request: CreateInviteRequest) =>
        call('POST', '/api/team/invites', createdInviteSchema, request),
      withdrawInvite: (id: string) => call('DELETE', `/api/team/invites/${encodeURIComponent(id)}`, null),
      changeRole: (id: string, request: UpdateMemberRequest) =>
        call('PUT', `/api/team/members/${encodeURIComponent(id)}`, null, request),
      remove: (id: string) => call('DELETE', `/api/team/members/${encodeURIComponent(id)}`, null),
    },
    /** How the signed-in staff member appears to shoppers (widget helper, issue 12). */
    profile: {
      get: () => call('GET', '/api/profile', staffProfileSchema),
      save: (request: UpdateStaffProfileRequest) => call('PUT', '/api/profile', staffProfileSchema, request),
    },
    invites: {
      preview: (token: string) => call('GET', `/api/invites/${encodeURIComponent(token)}`, invitationSchema),
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
          simulationWorldSchema,
        ),
    },
    privacy: {
      /** Shopify's privacy requests, newest first (owner only). */
      list: () => call('GET', '/api/privacy/requests', privacyRequestListSchema),
      /** The export a customer data request produced. */
      export: (id: string) =>
        call('GET', `/api/privacy/exports/${encodeURIComponent(id)}`, privacyExportSchema),
    },
    inbox: {
      list: (query: Partial<InboxListQuery> = {}) =>
        call('GET', `/api/conversations${queryString(query)}`, inboxListSchema),
      options: () => call('GET', '/api/conversations/options', inboxOptionsSchema),
      get: (id: string) => call('GET', conversationPath(id), inboxDetailSchema),
      context: (id: string) => call('GET', `${conversationPath(id)}/context`, inboxContextSchema),
      /** 409 `taken` when a colleague has it: `details.by.name` says who. */
      takeOver: (id: string) =>
        call('POST', `${conversationPath(id)}/take-over`, conversationActionResultSchema),
      reply: (id: string, request: StaffReplyRequest) =>
        call('POST', `${conversationPath(id)}/messages`, staffReplyResultSchema, request),
      note: (id: string, text: string) =>
        call('POST', `${conversationPath(id)}/notes`, inboxMessageSchema, { text }),
      assign: (id: string, request: AssignRequest) =>
        call('POST', `${conversationPath(id)}/assign`, conversationActionResultSchema, request),
      handBack: (id: string) =>
        call('POST', `${conversationPath(id)}/hand-back`, conversationActionResultSchema),
      resolve: (id: string) =>
        call('POST', `${conversationPath(id)}/resolve`, conversationActionResultSchema),
      reopen: (id: string) => call('POST', `${conversationPath(id)}/reopen`, conversationActionResultSchema),
      markRead: (id: string) => call('POST', `${conversationPath(id)}/read`, null),
    },
    cannedReplies: {
      list: () => call('GET', '/api/canned-replies', cannedReplyListSchema),
      create: (input: CannedReplyInput) => call('POST', '/api/canned-replies', cannedReplySchema, input),
      update: (id: string, input: CannedReplyInput) =>
        call('PUT', `/api/canned-replies/${encodeURIComponent(id)}`, cannedReplySchema, input),
      remove: (id: string) => call('DELETE', `/api/canned-replies/${encodeURIComponent(id)}`, null),
    },
    analytics: {
      recovery: (query: ReportPeriodQuery = {}) =>
        call('GET', `/api/analytics/recovery${queryString(query)}`, recoveryReportSchema),
      /** Where the browser downloads the same report as CSV (one row per day). */
      recoveryCsvUrl: (query: ReportPeriodQuery = {}) =>
        `${baseUrl}/api/analytics/recovery.csv${queryString(query)}`,
      flow: (id: string, query: FlowReportQuery = {}) =>
        call('GET', `/api/analytics/flows/${encodeURIComponent(id)}${queryString(query)}`, flowReportSchema),
      conversations: (query: ReportPeriodQuery = {}) =>
        call('GET', `/api/analytics/conversations${queryString(query)}`, conversationReportSchema),
      /** Each live flow's key number over the last 30 days. */
      flowKeyNumbers: () => call('GET', '/api/analytics/flow-numbers', flowKeyNumbersSchema),
    },
    catalogue: {
      search: (query: ProductSearchQuery = {}) =>
        call('GET', `/api/catalogue/products${queryString(query)}`, productSearchResultSchema),
      product: (id: string) =>
        call('GET', `/api/catalogue/products/${encodeURIComponent(id)}`, productDetailSchema),
      /** Queues the import; follow it with `importStatus(id)`. */
      upload: (file: Blob | string, query: CatalogueUploadQuery = {}) =>
        call('POST', `/api/catalogue/imports${queryString(query)}`, catalogueImportDetailSchema, undefined, {
          body: file,
          contentType: 'text/csv',
        }),
      imports: () => call('GET', '/api/catalogue/imports', catalogueImportListSchema),
      /** Queues a sync of every product from the connected Shopify store; follow it like an upload. */
      syncShopify: () => call('POST', '/api/catalogue/shopify-sync', catalogueImportDetailSchema),
      importStatus: (id: string) =>
        call('GET', `/api/catalogue/imports/${encodeURIComponent(id)}`, catalogueImportDetailSchema),
    },
  }
}

export type ApiClient = ReturnType<typeof createApiClient>
