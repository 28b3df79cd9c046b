// Acceptance "bad input": every route answers malformed JSON, wrong types, oversized bodies, unknown or foreign
// ids, missing or wrong auth and a missing CSRF header with the right 4xx in the JSON error shape, and writes
// nothing (a fingerprint of every table is compared before and after each request).
//
// To cover a new route, append cases to `cases` below. Paths may use {placeholders} from `Fixture`; add a
// field to Fixture and set it in `setUpFixture` when your route needs an object of its own.
import { type ErrorCode, errorBodySchema } from '@parley/api'
import { testDatabases } from '@parley/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, MAX_BODY_BYTES } from '../app.ts'
import { createChannel, ensureConversation } from '../channels/testing/channel-fixtures.ts'
import { issueVisitorToken } from '../channels/webchat/visitor-token.ts'
import { DEMO_MERCHANT_NAME } from '../demo/seed.ts'
import type { RuntimeDeps } from '../deps.ts'
import { signShopifyBody, signWhatsAppBody } from '../security/signatures.ts'
import { DEFAULT_SETTINGS } from '../settings/merchant-settings.ts'
import { snapshotDatabase } from '../testing/db-snapshot.ts'
import {
  flowDocumentCalling,
  flowDocumentWithErrors,
  flowDocumentWithSteps,
  unreadableFlowDocument,
  validFlowDocument,
} from '../testing/flow-fixtures.ts'
import { type SignedIn, signIn } from '../testing/sign-in.ts'
import { createTestDeps, seedMerchant, seedUser, type TestDeps } from '../testing/test-deps.ts'

type Auth =
  /** No credentials at all. */
  | 'none'
  /** Merchant A's owner, with the CSRF header. */
  | 'session'
  | 'editor'
  | 'agent'
  /** Merchant A's owner without the CSRF header. */
  | 'no-csrf'
  /** Merchant B's owner (with CSRF) asking for merchant A's objects. */
  | 'wrong-merchant'
  /** Merchant A's store API key. */
  | 'apikey'
  /** A well-formed but unknown API key. */
  | 'bad-apikey'
  /** Merchant B's store API key. */
  | 'apikey-b'
  /** A visitor token for merchant A's web-chat channel (the one in {webchatChannelId}). */
  | 'visitor'
  /** That token with its signature changed. */
  | 'visitor-forged'
  /** A valid visitor token for merchant B's web-chat channel. */
  | 'visitor-other-merchant'
  /** A valid visitor token for merchant A's second web-chat channel. */
  | 'visitor-other-channel'
  /** A visitor token for {webchatChannelId} that expired. */
  | 'visitor-expired'
  /** A visitor token for the demo store's web-chat channel. */
  | 'demo-visitor'

interface BadInputCase {
  name?: string
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** May contain {placeholders} naming Fixture fields (merchant A's objects). */
  path: string
  auth: Auth
  /** JSON-encoded; use rawBody for bytes that are not JSON. */
  body?: unknown
  rawBody?: string
  /** Header values may contain {placeholders} too. */
  headers?: Record<string, string>
  /** Sign the body as the webhook provider would, with the right channel's secret or another channel's. */
  sign?: 'whatsapp' | 'whatsapp-other' | 'shopify' | 'shopify-other'
  expectStatus: number
  expectCode: ErrorCode
}

interface Fixture {
  merchantA: string
  merchantB: string
  /** A's only owner (the last owner: cannot be demoted or removed). */
  ownerId: string
  ownerEmail: string
  /** A's published flow (version 1). */
  flowId: string
  /** A's flow whose draft has validation errors. */
  badFlowId: string
  /** A's flows whose drafts call out where the egress rules refuse: a templated host, the metadata service. */
  templatedHostFlowId: string
  metadataFlowId: string
  apiKeyId: string
  apiKey: string
  apiKeyB: string
  /** A's conversation (status bot, nobody assigned) on {webchatChannelId}, with one shopper message. */
  conversationId: string
  messageId: string
  /** B's conversation and message. */
  conversationBId: string
  messageBId: string
  webchatChannelId: string
  webchatChannel2Id: string
  webchatChannelBId: string
  disabledWebchatChannelId: string
  whatsappChannelId: string
  telegramChannelId: string
  shopifyChannelId: string
  visitorToken: string
  visitorTokenForged: string
  visitorTokenOtherMerchant: string
  visitorTokenOtherChannel: string
  visitorTokenExpired: string
  demoVisitorToken: string
}

const WHATSAPP = { appSecret: 'wa-app-secret-a', verifyToken: 'wa-verify-a' }
const WHATSAPP_B = { appSecret: 'wa-app-secret-b', verifyToken: 'wa-verify-b' }
const TELEGRAM_SECRET = 'tg-secret-a'
const SHOPIFY_SECRET = 'shop-secret-a'
const SHOPIFY_SECRET_B = 'shop-secret-b'
const SHOPIFY_HEADERS = { 'x-shopify-webhook-id': 'wh-1', 'x-shopify-topic': 'checkouts/update' }
const WEBCHAT_MAX_BYTES = 16 * 1024
/** Merchant A's order (reported in setUpFixture). */
const ORDER_NUMBER_A = 'A-1001'
const OVERSIZED_WEBCHAT = `{"text":"${'x'.repeat(WEBCHAT_MAX_BYTES + 16)}","clientMessageId":"m1"}`

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000'
/** A's staff member whose account has had 15 wrong passwords (setUpFixture): the next try must wait. */
const LOCKED_OUT = { email: 'locked-out@test.parley.dev', password: 'the right password' }
const OVERSIZED = `{"name":"${'x'.repeat(MAX_BODY_BYTES + 1024)}"}`
/** A valid escalation queue (bad cases change one field of it). */
const VALID_QUEUE = {
  key: 'returns',
  name: 'Returns',
  businessHours: null,
  replyWithinMinutes: 60,
  // No {{placeholders}} here: the case runner fills {names} in bodies from the fixture.
  acknowledgement: 'A person will reply soon.',
  acknowledgementClosed: 'A person will reply when the team is back.',
  unclaimedTimeoutMinutes: 15,
  fallbackMessage: 'Nobody is free right now.',
}

/** A complete, valid settings document (bad cases change one group of it). */
const VALID_SETTINGS = DEFAULT_SETTINGS
const OVERSIZED_DOCUMENT = JSON.stringify({
  name: 'big',
  document: { ...validFlowDocument(), padding: 'x'.repeat(MAX_BODY_BYTES) },
})

/** A valid AI answers form (bad cases change one field); the address is never called by these cases. */
const VALID_AI_ANSWERS = {
  enabled: true,
  baseUrl: 'https://api.example.com/v1',
  model: 'small-model',
  apiKey: 'sk-bad-input-0000',
  inputPricePer1k: 0.15,
  outputPricePer1k: 0.6,
  currency: 'USD',
  stream: true,
}
const VALID_AI_TEST = {
  baseUrl: 'https://api.example.com/v1',
  model: 'small-model',
  stream: false,
  apiKey: 'sk-x',
}

const cases: BadInputCase[] = [
  // ── system ──────────────────────────────────────────────────────────────────────────────────────────────
  { method: 'GET', path: '/no/such/route', auth: 'none', expectStatus: 404, expectCode: 'not_found' },
  {
    method: 'POST',
    path: '/api/flows/x/y/z',
    auth: 'session',
    body: {},
    expectStatus: 404,
    expectCode: 'not_found',
  },

  // ── auth ────────────────────────────────────────────────────────────────────────────────────────────────
  {
    method: 'POST',
    path: '/api/auth/sign-in',
    auth: 'none',
    rawBody: '{"email": ',
    expectStatus: 400,
    expectCode: 'invalid_json',
  },
  {
    method: 'POST',
    path: '/api/auth/sign-in',
    auth: 'none',
    body: { email: 5, password: [] },
    expectStatus: 400,
    expectCode: 'validation_failed',
  },
  {
    method: 'POST',
    path: '/api/auth/sign-in',
    auth: 'none',
    body: { email: 'not-an-email', password: 'x' },
    expectStatus: 400,
    expectCode: 'validation_failed',
  },
  {
    method: 'POST',
    path: '/api/auth/sign-in',
    auth: 'none',
    body: [],
    expectStatus: 400,
    expectCode: 'validation_failed',
  },
  {
    method: 'POST',
    path: '/api/auth/sign-in',
    auth: 'none',
    rawBody: 'email=a@b.c',
    headers: { 'content-type': 'text/plain' },
    expectStatus: 415,
    expectCode: 'unsupported_media_type',
  },
  {
    method: 'POST',
    path: '/api/auth/sign-in',
    auth: 'none',
    rawBody: OVERSIZED,
    expectStatus: 413,
    expectCode: 'payload_too_large',
  },
  {
    name: 'wrong password',
    method: 'POST',
    path: '/api/auth/sign-in',
    auth: 'none',
    body: { email: 'nobody@test.parley.dev', password: 'guess' },
    expectStatus: 401,
    expectCode: 'unauthorized',
  },
  {
    name: 'the right password while the account must wait after many wrong ones',
    method: 'POST',
    path: '/api/auth/sign-in',
    auth: 'none',
    body: { email: LOCKED_OUT.email, password: LOCKED_OUT.password },
    expectStatus: 429,
    expectCode: 'rate_limited',
  },
  { method: 'GET', path: '/api/auth/session', auth: 'none', expectStatus: 401, expectCode: 'unauthorized' },
  { method: 'GET', path: '/api/auth/session', auth: 'apikey', expectStatus: 401, expectCode: 'unauthorized' },
  { method: 'POST', path: '/api/auth/sign-out', auth: 'none', expectStatus: 401, expectCode: 'unauthorized' },
  {
    method: 'POST',
    path: '/api/auth/sign-out',
    auth: 'no-csrf',
    expectStatus: 403,
    expectCode: 'csrf_failed',
  },

  // ── API keys ────────────────────────────────────────────────────────────────────────────────────────────
  { method: 'GET', path: '/api/api-keys', auth: 'none', expectStatus: 401, expectCode: 'unauthorized' },
  { method: 'GET', path: '/api/api-keys', auth: 'apikey', expectStatus: 401, expectCode: 'unauthorized' },
  { method: 'GET', path: '/api/api-keys', auth: 'editor', expectStatus: 403, expectCode: 'forbidden' },
  { method: 'GET', path: '/api/api-keys', auth: 'agent', expectStatus: 403, expectCode: 'forbidden' },
  {
    method: 'POST',
    path: '/api/api-keys',
    auth: 'session',
    rawBody: '{name:',
    expectStatus: 400,
    expectCode: 'invalid_json',
  },
  {
    method: 'POST',
    path: '/api/api-keys',
    auth: 'session',
    body: { name: 123 },
    expectStatus: 400,
    expectCode: 'validation_failed',
  },
  {
    method: 'POST',
    path: '/api/api-keys',
    auth: 'session',
    body: { name: '   ' },
    expectStatus: 400,
    expectCode: 'validation_failed',
  },
  {
    method: 'POST',
    path: '/api/api-keys',
    auth: 'session',
    rawBody: OVERSIZED,
    expectStatus: 413,
    expectCode: 'payload_too_large',
  },
  {
    method: 'POST',
    path: '/api/api-keys',
    auth: 'no-csrf',
    body: { name: 'k' },
    expectStatus: 403,
    expectCode: 'csrf_failed',
  },
  {
    method: 'POST',
    path: '/api/api-keys',
    auth: 'editor',
    body: { name: 'k' },
    expectStatus: 403,
    expectCode: 'forbidden',
  },
  {
    method: 'POST',
    path: '/api/api-keys',
    auth: 'apikey',
    body: { name: 'k' },
    expectStatus: 401,
    expectCode: 'unauthorized',
  },
  {
    method: 'DELETE',
    path: '/api/api-keys/not-a-uuid',
    auth: 'session',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'DELETE',
    path: `/api/api-keys/${UNKNOWN_ID}`,
    auth: 'session',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'DELETE',
    path: '/api/api-keys/{apiKeyId}',
    auth: 'wrong-merchant',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'DELETE',
    path: '/api/api-keys/{apiKeyId}',
    auth: 'agent',
    expectStatus: 403,
    expectCode: 'forbidden',
  },
  {
    method: 'DELETE',
    path: '/api/api-keys/{apiKeyId}',
    auth: 'no-csrf',
    expectStatus: 403,
    expectCode: 'csrf_failed',
  },
  {
    method: 'DELETE',
    path: '/api/api-keys/{apiKeyId}',
    auth: 'none',
    expectStatus: 401,
    expectCode: 'unauthorized',
  },

  // ── settings, team and invitations (issue 11) ───────────────────────────────────────────────────────────
  bad('GET', '/api/settings', 'none', 401, 'unauthorized'),
  bad('GET', '/api/settings', 'apikey', 401, 'unauthorized'),
  bad('GET', '/api/settings', 'editor', 403, 'forbidden'),
  bad('GET', '/api/settings', 'agent', 403, 'forbidden'),
  bad('PUT', '/api/settings', 'session', 400, 'invalid_json', { rawBody: '{timeZone:' }),
  bad('PUT', '/api/settings', 'session', 400, 'validation_failed', { body: {} }),
  bad('PUT', '/api/settings', 'session', 400, 'validation_failed', {
    name: 'an unknown time zone and quiet hours that start and end at once',
    body: { ...VALID_SETTINGS, timeZone: 'Mars/Olympus', quietHours: { start: '22:00', end: '22:00' } },
  }),
  bad('PUT', '/api/settings', 'session', 400, 'validation_failed', {
    name: 'business hours closing before they open',
    body: { ...VALID_SETTINGS, businessHours: { days: ['mon'], open: '18:00', close: '09:00' } },
  }),
  bad('PUT', '/api/settings', 'session', 400, 'validation_failed', {
    name: 'an unknown keyword language and a negative price',
    body: {
      ...VALID_SETTINGS,
      keywords: { ...VALID_SETTINGS.keywords, languages: ['xx'] },
      templates: { ...VALID_SETTINGS.templates, prices: { marketing: -1, utility: 0, authentication: 0 } },
    },
  }),
  bad('PUT', '/api/settings', 'session', 400, 'validation_failed', {
    name: 'a holdout above 50 % and a 31-day attribution window',
    body: { ...VALID_SETTINGS, measurement: { holdoutPercent: 60, attributionWindowDays: 31 } },
  }),
  // Burst merge's quiet window (issue 14): 0–10 s, in tenths of a second.
  bad('PUT', '/api/settings', 'session', 400, 'validation_failed', {
    name: 'a negative wait for follow-up messages',
    body: { ...VALID_SETTINGS, burstWindowMs: -100 },
  }),
  bad('PUT', '/api/settings', 'session', 400, 'validation_failed', {
    name: 'a wait for follow-up messages over 10 seconds',
    body: { ...VALID_SETTINGS, burstWindowMs: 10_100 },
  }),
  bad('PUT', '/api/settings', 'session', 400, 'validation_failed', {
    name: 'a wait for follow-up messages that is not in tenths of a second',
    body: { ...VALID_SETTINGS, burstWindowMs: 2550 },
  }),
  bad('PUT', '/api/settings', 'session', 400, 'validation_failed', {
    name: 'a wait for follow-up messages given as text',
    body: { ...VALID_SETTINGS, burstWindowMs: '2.5s' },
  }),
  bad('PUT', '/api/settings', 'session', 413, 'payload_too_large', { rawBody: OVERSIZED }),
  bad('PUT', '/api/settings', 'no-csrf', 403, 'csrf_failed', { body: VALID_SETTINGS }),
  bad('PUT', '/api/settings', 'editor', 403, 'forbidden', { body: VALID_SETTINGS }),
  bad('GET', '/api/team', 'none', 401, 'unauthorized'),
  bad('GET', '/api/team', 'agent', 403, 'forbidden'),
  bad('GET', '/api/team', 'editor', 403, 'forbidden'),
  bad('POST', '/api/team/invites', 'session', 400, 'invalid_json', { rawBody: '{email' }),
  bad('POST', '/api/team/invites', 'session', 400, 'validation_failed', {
    body: { email: 'not an email', role: 'agent' },
  }),
  bad('POST', '/api/team/invites', 'session', 400, 'validation_failed', {
    body: { email: 'sam@example.com', role: 'admin' },
  }),
  bad('POST', '/api/team/invites', 'no-csrf', 403, 'csrf_failed', {
    body: { email: 'sam@example.com', role: 'agent' },
  }),
  bad('POST', '/api/team/invites', 'editor', 403, 'forbidden', {
    body: { email: 'sam@example.com', role: 'agent' },
  }),
  bad('POST', '/api/team/invites', 'session', 409, 'conflict', {
    name: 'an email already on the team',
    body: { email: '{ownerEmail}', role: 'agent' },
  }),
  bad('DELETE', '/api/team/invites/not-a-uuid', 'session', 404, 'not_found'),
  bad('DELETE', `/api/team/invites/${UNKNOWN_ID}`, 'session', 404, 'not_found'),
  bad('PUT', `/api/team/members/${UNKNOWN_ID}`, 'session', 404, 'not_found', { body: { role: 'agent' } }),
  bad('PUT', '/api/team/members/{ownerId}', 'session', 400, 'validation_failed', { body: { role: 'boss' } }),
  bad('PUT', '/api/team/members/{ownerId}', 'session', 409, 'conflict', {
    name: 'demoting the last owner',
    body: { role: 'agent' },
  }),
  bad('DELETE', '/api/team/members/{ownerId}', 'session', 409, 'conflict', {
    name: 'removing the last owner',
  }),
  bad('DELETE', '/api/team/members/{ownerId}', 'wrong-merchant', 404, 'not_found'),
  bad('DELETE', '/api/team/members/{ownerId}', 'agent', 403, 'forbidden'),
  bad('GET', '/api/invites/short', 'none', 404, 'not_found'),
  bad('GET', `/api/invites/${'a'.repeat(43)}`, 'none', 404, 'not_found'),
  bad('POST', '/api/invites/accept', 'none', 400, 'invalid_json', { rawBody: '{token' }),
  bad('POST', '/api/invites/accept', 'none', 400, 'validation_failed', {
    body: { token: 'a'.repeat(43), name: '', password: 'short' },
  }),
  bad('POST', '/api/invites/accept', 'none', 404, 'not_found', {
    name: 'a well-formed token no invitation has',
    body: { token: 'a'.repeat(43), name: 'Sam', password: 'a long enough password' },
  }),
  bad('GET', '/api/analytics/recovery', 'agent', 403, 'forbidden'),

  // ── flows ───────────────────────────────────────────────────────────────────────────────────────────────
  { method: 'GET', path: '/api/flows', auth: 'none', expectStatus: 401, expectCode: 'unauthorized' },
  { method: 'GET', path: '/api/flows', auth: 'apikey', expectStatus: 401, expectCode: 'unauthorized' },
  { method: 'GET', path: '/api/flows', auth: 'bad-apikey', expectStatus: 401, expectCode: 'unauthorized' },
  { method: 'GET', path: '/api/starter-flows', auth: 'none', expectStatus: 401, expectCode: 'unauthorized' },
  {
    method: 'POST',
    path: '/api/flows',
    auth: 'session',
    rawBody: '{"name": "x",}',
    expectStatus: 400,
    expectCode: 'invalid_json',
  },
  {
    method: 'POST',
    path: '/api/flows',
    auth: 'session',
    body: { name: 5 },
    expectStatus: 400,
    expectCode: 'validation_failed',
  },
  {
    method: 'POST',
    path: '/api/flows',
    auth: 'session',
    body: { name: 'x'.repeat(500) },
    expectStatus: 400,
    expectCode: 'validation_failed',
  },
  {
    method: 'POST',
    path: '/api/flows',
    auth: 'session',
    body: { starterFlowId: 'no-such-starter' },
    expectStatus: 400,
    expectCode: 'validation_failed',
  },
  {
    method: 'POST',
    path: '/api/flows',
    auth: 'session',
    rawBody: OVERSIZED,
    expectStatus: 413,
    expectCode: 'payload_too_large',
  },
  {
    method: 'POST',
    path: '/api/flows',
    auth: 'session',
    rawBody: 'name=x',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    expectStatus: 415,
    expectCode: 'unsupported_media_type',
  },
  { method: 'POST', path: '/api/flows', auth: 'agent', body: {}, expectStatus: 403, expectCode: 'forbidden' },
  {
    method: 'POST',
    path: '/api/flows',
    auth: 'no-csrf',
    body: {},
    expectStatus: 403,
    expectCode: 'csrf_failed',
  },
  {
    method: 'POST',
    path: '/api/flows',
    auth: 'none',
    body: {},
    expectStatus: 401,
    expectCode: 'unauthorized',
  },
  {
    method: 'GET',
    path: '/api/flows/{flowId}',
    auth: 'wrong-merchant',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'GET',
    path: '/api/flows/not-a-uuid',
    auth: 'session',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'GET',
    path: `/api/flows/${UNKNOWN_ID}`,
    auth: 'session',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  { method: 'GET', path: '/api/flows/{flowId}', auth: 'none', expectStatus: 401, expectCode: 'unauthorized' },
  {
    method: 'PUT',
    path: '/api/flows/{flowId}',
    auth: 'session',
    rawBody: '{"name":"x","document":{',
    expectStatus: 400,
    expectCode: 'invalid_json',
  },
  {
    method: 'PUT',
    path: '/api/flows/{flowId}',
    auth: 'session',
    body: { name: 'x', document: 'not an object' },
    expectStatus: 400,
    expectCode: 'validation_failed',
  },
  {
    method: 'PUT',
    path: '/api/flows/{flowId}',
    auth: 'session',
    body: { document: validFlowDocument() },
    expectStatus: 400,
    expectCode: 'validation_failed',
  },
  {
    method: 'PUT',
    path: '/api/flows/{flowId}',
    auth: 'session',
    body: { name: 'x', document: unreadableFlowDocument() },
    expectStatus: 400,
    expectCode: 'invalid_document',
  },
  {
    method: 'PUT',
    path: '/api/flows/{flowId}',
    auth: 'session',
    body: { name: 'x', document: { ...validFlowDocument(), version: 99 } },
    expectStatus: 400,
    expectCode: 'invalid_document',
  },
  {
    method: 'PUT',
    path: '/api/flows/{flowId}',
    auth: 'session',
    rawBody: OVERSIZED_DOCUMENT,
    expectStatus: 413,
    expectCode: 'payload_too_large',
  },
  {
    method: 'PUT',
    path: '/api/flows/{flowId}',
    auth: 'wrong-merchant',
    body: { name: 'x', document: validFlowDocument() },
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'PUT',
    path: `/api/flows/${UNKNOWN_ID}`,
    auth: 'session',
    body: { name: 'x', document: validFlowDocument() },
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'PUT',
    path: '/api/flows/{flowId}',
    auth: 'agent',
    body: { name: 'x', document: validFlowDocument() },
    expectStatus: 403,
    expectCode: 'forbidden',
  },
  {
    method: 'PUT',
    path: '/api/flows/{flowId}',
    auth: 'no-csrf',
    body: { name: 'x', document: validFlowDocument() },
    expectStatus: 403,
    expectCode: 'csrf_failed',
  },
  {
    method: 'DELETE',
    path: '/api/flows/{flowId}',
    auth: 'wrong-merchant',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'DELETE',
    path: '/api/flows/not-a-uuid',
    auth: 'session',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'DELETE',
    path: '/api/flows/{flowId}',
    auth: 'agent',
    expectStatus: 403,
    expectCode: 'forbidden',
  },
  {
    method: 'DELETE',
    path: '/api/flows/{flowId}',
    auth: 'no-csrf',
    expectStatus: 403,
    expectCode: 'csrf_failed',
  },
  {
    method: 'POST',
    path: '/api/flows/{flowId}/duplicate',
    auth: 'wrong-merchant',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'POST',
    path: '/api/flows/{flowId}/duplicate',
    auth: 'agent',
    expectStatus: 403,
    expectCode: 'forbidden',
  },
  {
    method: 'POST',
    path: '/api/flows/{flowId}/validate',
    auth: 'wrong-merchant',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'POST',
    path: '/api/flows/{flowId}/validate',
    auth: 'no-csrf',
    expectStatus: 403,
    expectCode: 'csrf_failed',
  },
  {
    method: 'POST',
    path: '/api/flows/{flowId}/publish',
    auth: 'wrong-merchant',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'POST',
    path: '/api/flows/{flowId}/publish',
    auth: 'agent',
    expectStatus: 403,
    expectCode: 'forbidden',
  },
  {
    method: 'POST',
    path: '/api/flows/{flowId}/publish',
    auth: 'no-csrf',
    expectStatus: 403,
    expectCode: 'csrf_failed',
  },
  {
    method: 'POST',
    path: '/api/flows/{badFlowId}/publish',
    auth: 'session',
    expectStatus: 422,
    expectCode: 'flow_invalid',
  },
  {
    method: 'POST',
    path: '/api/flows/{badFlowId}/publish',
    auth: 'editor',
    expectStatus: 422,
    expectCode: 'flow_invalid',
  },
  // Egress (issue 8): a flow whose HTTP request lets the shopper pick the server, or calls the cloud metadata
  // service, is refused at publish.
  bad('POST', '/api/flows/{templatedHostFlowId}/publish', 'session', 422, 'flow_invalid'),
  bad('POST', '/api/flows/{metadataFlowId}/publish', 'editor', 422, 'flow_invalid'),
  // Flow size limits (issue 8): more steps than a flow may have, or a document over 512 KB in a body under 1 MB.
  bad('PUT', '/api/flows/{flowId}', 'session', 400, 'invalid_document', {
    body: { name: 'Huge', document: flowDocumentWithSteps(1001) },
  }),
  bad('PUT', '/api/flows/{flowId}', 'session', 400, 'invalid_document', {
    body: { name: 'Heavy', document: flowDocumentWithSteps(150, 'x'.repeat(4000)) },
  }),
  {
    method: 'GET',
    path: '/api/flows/{flowId}/versions',
    auth: 'wrong-merchant',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'GET',
    path: '/api/flows/not-a-uuid/versions',
    auth: 'session',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'POST',
    path: '/api/flows/{flowId}/versions/1/rollback',
    auth: 'wrong-merchant',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'POST',
    path: '/api/flows/{flowId}/versions/99/rollback',
    auth: 'session',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'POST',
    path: '/api/flows/{flowId}/versions/abc/rollback',
    auth: 'session',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'POST',
    path: '/api/flows/{flowId}/versions/0/rollback',
    auth: 'session',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'POST',
    path: '/api/flows/{flowId}/versions/1/rollback',
    auth: 'agent',
    expectStatus: 403,
    expectCode: 'forbidden',
  },
  {
    method: 'POST',
    path: '/api/flows/{badFlowId}/versions/1/rollback',
    auth: 'session',
    expectStatus: 404,
    expectCode: 'not_found',
  },

  // ── flows: the remaining auth, CSRF and unknown-id combinations ─────────────────────────────────────────
  bad('GET', '/api/starter-flows', 'apikey', 401, 'unauthorized'),
  bad('DELETE', '/api/flows/{flowId}', 'none', 401, 'unauthorized'),
  bad('DELETE', `/api/flows/${UNKNOWN_ID}`, 'session', 404, 'not_found'),
  bad('POST', '/api/flows/{flowId}/duplicate', 'none', 401, 'unauthorized'),
  bad('POST', '/api/flows/{flowId}/duplicate', 'no-csrf', 403, 'csrf_failed'),
  bad('POST', `/api/flows/${UNKNOWN_ID}/duplicate`, 'session', 404, 'not_found'),
  bad('POST', '/api/flows/{flowId}/duplicate', 'session', 413, 'payload_too_large', { rawBody: OVERSIZED }),
  bad('POST', '/api/flows/{flowId}/validate', 'none', 401, 'unauthorized'),
  bad('POST', `/api/flows/${UNKNOWN_ID}/validate`, 'session', 404, 'not_found'),
  bad('POST', '/api/flows/not-a-uuid/validate', 'session', 404, 'not_found'),
  bad('POST', '/api/flows/{flowId}/publish', 'none', 401, 'unauthorized'),
  bad('POST', '/api/flows/{flowId}/publish', 'apikey', 401, 'unauthorized'),
  bad('POST', `/api/flows/${UNKNOWN_ID}/publish`, 'session', 404, 'not_found'),
  bad('GET', '/api/flows/{flowId}/versions', 'none', 401, 'unauthorized'),
  bad('GET', `/api/flows/${UNKNOWN_ID}/versions`, 'session', 404, 'not_found'),
  bad('POST', '/api/flows/{flowId}/versions/1/rollback', 'none', 401, 'unauthorized'),
  bad('POST', '/api/flows/{flowId}/versions/1/rollback', 'no-csrf', 403, 'csrf_failed'),
  bad('POST', `/api/flows/${UNKNOWN_ID}/versions/1/rollback`, 'session', 404, 'not_found'),
  bad('PATCH', '/api/flows/{flowId}', 'session', 404, 'not_found', { name: 'wrong method', body: {} }),

  // ── flows: one version's document, pause and resume (authoring) ─────────────────────────────────────────
  bad('GET', '/api/flows/{flowId}/versions/1', 'none', 401, 'unauthorized'),
  bad('GET', '/api/flows/{flowId}/versions/1', 'wrong-merchant', 404, 'not_found'),
  bad('GET', '/api/flows/{flowId}/versions/99', 'session', 404, 'not_found'),
  bad('GET', '/api/flows/{flowId}/versions/abc', 'session', 404, 'not_found'),
  bad('GET', '/api/flows/{flowId}/versions/0', 'session', 404, 'not_found'),
  bad('GET', `/api/flows/${UNKNOWN_ID}/versions/1`, 'session', 404, 'not_found'),
  bad('POST', '/api/flows/{flowId}/pause', 'none', 401, 'unauthorized'),
  bad('POST', '/api/flows/{flowId}/pause', 'apikey', 401, 'unauthorized'),
  bad('POST', '/api/flows/{flowId}/pause', 'no-csrf', 403, 'csrf_failed'),
  bad('POST', '/api/flows/{flowId}/pause', 'agent', 403, 'forbidden'),
  bad('POST', '/api/flows/{flowId}/pause', 'wrong-merchant', 404, 'not_found'),
  bad('POST', `/api/flows/${UNKNOWN_ID}/pause`, 'session', 404, 'not_found'),
  bad('POST', '/api/flows/not-a-uuid/pause', 'session', 404, 'not_found'),
  bad('POST', '/api/flows/{flowId}/resume', 'none', 401, 'unauthorized'),
  bad('POST', '/api/flows/{flowId}/resume', 'no-csrf', 403, 'csrf_failed'),
  bad('POST', '/api/flows/{flowId}/resume', 'agent', 403, 'forbidden'),
  bad('POST', '/api/flows/{flowId}/resume', 'wrong-merchant', 404, 'not_found'),
  bad('POST', `/api/flows/${UNKNOWN_ID}/resume`, 'session', 404, 'not_found'),

  // ── static files: a wrong method ────────────────────────────────────────────────────────────────────────
  bad('POST', '/widget.js', 'none', 404, 'not_found'),
  bad('DELETE', '/', 'none', 404, 'not_found'),

  // ── system: a wrong method ──────────────────────────────────────────────────────────────────────────────
  bad('POST', '/healthz', 'none', 404, 'not_found'),
  bad('DELETE', '/metrics', 'none', 404, 'not_found'),
  bad('PUT', '/openapi.json', 'none', 404, 'not_found'),

  // ── events (API key) ────────────────────────────────────────────────────────────────────────────────────
  bad('POST', '/api/events', 'none', 401, 'unauthorized', { body: cartEvent('e-none') }),
  bad('POST', '/api/events', 'bad-apikey', 401, 'unauthorized', { body: cartEvent('e-bad') }),
  bad('POST', '/api/events', 'session', 401, 'unauthorized', { body: cartEvent('e-session') }),
  bad('POST', '/api/events', 'apikey', 401, 'unauthorized', {
    name: 'malformed bearer',
    body: cartEvent('e-malformed'),
    headers: { authorization: 'Bearer not-a-key' },
  }),
  bad('POST', '/api/events', 'apikey', 400, 'invalid_json', { rawBody: '{"id":"e1","type":' }),
  bad('POST', '/api/events', 'apikey', 400, 'validation_failed', { body: { id: 5, type: 'cart.updated' } }),
  bad('POST', '/api/events', 'apikey', 400, 'validation_failed', {
    body: { id: 'e2', type: 'cart.exploded' },
  }),
  bad('POST', '/api/events', 'apikey', 400, 'validation_failed', { body: [] }),
  bad('POST', '/api/events', 'apikey', 400, 'validation_failed', {
    body: { ...cartEvent('e3'), cart: { token: 'c', value: -1, currency: 'eur', items: 'none' } },
  }),
  bad('POST', '/api/events', 'apikey', 413, 'payload_too_large', { rawBody: OVERSIZED }),
  bad('POST', '/api/events', 'apikey', 415, 'unsupported_media_type', {
    rawBody: 'id=e4',
    headers: { 'content-type': 'text/plain' },
  }),
  bad('POST', '/api/events', 'apikey', 404, 'not_found', {
    name: 'unknown channel',
    body: cartEvent('e5', UNKNOWN_ID),
  }),
  bad('POST', '/api/events', 'apikey-b', 404, 'not_found', {
    name: "another merchant's channel",
    body: cartEvent('e6', '{webchatChannelId}'),
  }),
  bad('POST', '/api/events', 'apikey-b', 404, 'not_found', {
    name: "shipped for another merchant's order",
    body: {
      id: 'e8',
      type: 'order.shipped',
      order: { number: ORDER_NUMBER_A, trackingNumber: 'T-1', carrier: 'DHL' },
    },
  }),
  bad('POST', '/api/events', 'apikey', 415, 'unsupported_media_type', {
    name: 'no content type',
    rawBody: JSON.stringify(cartEvent('e9')),
    headers: { 'content-type': '' },
  }),
  bad('POST', '/api/events', 'apikey', 400, 'validation_failed', {
    body: { ...cartEvent('e10'), id: 'x'.repeat(1000) },
  }),
  bad('POST', '/api/events', 'apikey', 400, 'validation_failed', { body: null }),
  bad('POST', '/api/events', 'apikey', 404, 'not_found', {
    name: 'shipped for an unknown order',
    body: {
      id: 'e7',
      type: 'order.shipped',
      contact: { email: 'alex@example.com' },
      order: { number: 'NO-SUCH-ORDER', trackingNumber: 'T-1', carrier: 'DHL' },
    },
  }),

  // ── analytics ───────────────────────────────────────────────────────────────────────────────────────────
  bad('GET', '/api/analytics/recovery', 'none', 401, 'unauthorized'),
  bad('GET', '/api/analytics/recovery', 'apikey', 401, 'unauthorized'),
  bad('GET', '/api/analytics/recovery?from=yesterday', 'session', 400, 'validation_failed'),
  bad('GET', '/api/analytics/recovery?to=5', 'session', 400, 'validation_failed'),
  bad('GET', '/api/analytics/recovery?from=2026-02-01T00:00:00Z', 'session', 400, 'validation_failed'),
  bad('GET', '/api/analytics/recovery?from=2026-02-01&to=2026-01-01', 'session', 400, 'bad_request'),
  bad('GET', '/api/analytics/recovery?from=2024-01-01&to=2026-01-01', 'session', 400, 'bad_request', {
    name: 'more than a year',
  }),
  bad('GET', '/api/analytics/recovery.csv?from=2026-02-30', 'session', 400, 'validation_failed'),
  bad('GET', '/api/analytics/recovery.csv', 'none', 401, 'unauthorized'),
  bad('GET', '/api/analytics/recovery.csv', 'agent', 403, 'forbidden'),
  bad('GET', '/api/analytics/flows/not-a-uuid', 'session', 404, 'not_found'),
  bad('GET', `/api/analytics/flows/${UNKNOWN_ID}`, 'session', 404, 'not_found'),
  bad('GET', '/api/analytics/flows/{flowId}', 'wrong-merchant', 404, 'not_found'),
  bad('GET', '/api/analytics/flows/{flowId}?version=0', 'session', 400, 'validation_failed'),
  bad('GET', '/api/analytics/flows/{flowId}', 'agent', 403, 'forbidden'),
  bad('GET', '/api/analytics/conversations?to=tomorrow', 'session', 400, 'validation_failed'),
  bad('GET', '/api/analytics/conversations', 'agent', 403, 'forbidden'),
  bad('GET', '/api/analytics/flow-numbers', 'none', 401, 'unauthorized'),
  bad('GET', '/api/analytics/flow-numbers', 'agent', 403, 'forbidden'),
  bad('POST', '/api/analytics/recovery', 'session', 404, 'not_found', { body: {} }),

  // ── dev clock ───────────────────────────────────────────────────────────────────────────────────────────
  bad('GET', '/api/dev/clock', 'none', 401, 'unauthorized'),
  bad('GET', '/api/dev/clock', 'apikey', 401, 'unauthorized'),
  bad('POST', '/api/dev/clock/advance', 'none', 401, 'unauthorized', { body: { hours: 1 } }),
  bad('POST', '/api/dev/clock/advance', 'apikey', 401, 'unauthorized', { body: { hours: 1 } }),
  bad('POST', '/api/dev/clock/advance', 'no-csrf', 403, 'csrf_failed', { body: { hours: 1 } }),
  bad('POST', '/api/dev/clock/advance', 'agent', 403, 'forbidden', { body: { hours: 1 } }),
  bad('POST', '/api/dev/clock/advance', 'session', 400, 'invalid_json', { rawBody: '{"hours":' }),
  bad('POST', '/api/dev/clock/advance', 'session', 400, 'validation_failed', { body: { hours: 'one' } }),
  bad('POST', '/api/dev/clock/advance', 'session', 400, 'validation_failed', { body: { ms: -5 } }),
  bad('POST', '/api/dev/clock/advance', 'session', 400, 'validation_failed', { body: { ms: 1, hours: 1 } }),
  bad('POST', '/api/dev/clock/advance', 'session', 400, 'validation_failed', { body: { hours: 1e9 } }),
  bad('POST', '/api/dev/clock/advance', 'session', 400, 'validation_failed', { body: {} }),
  bad('POST', '/api/dev/clock/advance', 'editor', 400, 'validation_failed', { body: { ms: 1.5 } }),
  bad('POST', '/api/dev/clock/advance', 'session', 413, 'payload_too_large', { rawBody: OVERSIZED }),
  bad('POST', '/api/dev/clock', 'session', 404, 'not_found', { body: { hours: 1 } }),

  // ── conversations (staff inbox) ─────────────────────────────────────────────────────────────────────────
  bad('GET', '/api/conversations', 'none', 401, 'unauthorized'),
  bad('GET', '/api/conversations', 'apikey', 401, 'unauthorized'),
  bad('GET', '/api/conversations?status=lost', 'session', 400, 'validation_failed'),
  bad('GET', '/api/conversations?limit=0', 'session', 400, 'validation_failed'),
  bad('GET', '/api/conversations?limit=many', 'agent', 400, 'validation_failed'),
  bad('GET', '/api/conversations?assigned=them', 'session', 400, 'validation_failed'),
  bad('GET', '/api/conversations/{conversationId}', 'none', 401, 'unauthorized'),
  bad('GET', '/api/conversations/{conversationId}', 'wrong-merchant', 404, 'not_found'),
  bad('GET', '/api/conversations/{conversationBId}', 'agent', 404, 'not_found'),
  bad('GET', `/api/conversations/${UNKNOWN_ID}`, 'session', 404, 'not_found'),
  bad('GET', '/api/conversations/not-a-uuid', 'session', 404, 'not_found'),
  bad('GET', '/api/conversations/socket', 'none', 401, 'unauthorized'),
  bad('GET', '/api/conversations/socket', 'session', 426, 'bad_request', { name: 'no upgrade' }),
  // take over (optional body { force })
  bad('POST', '/api/conversations/{conversationId}/take-over', 'none', 401, 'unauthorized'),
  bad('POST', '/api/conversations/{conversationId}/take-over', 'apikey', 401, 'unauthorized'),
  bad('POST', '/api/conversations/{conversationId}/take-over', 'no-csrf', 403, 'csrf_failed'),
  bad('POST', '/api/conversations/{conversationId}/take-over', 'wrong-merchant', 404, 'not_found'),
  bad('POST', '/api/conversations/{conversationBId}/take-over', 'agent', 404, 'not_found'),
  bad('POST', `/api/conversations/${UNKNOWN_ID}/take-over`, 'session', 404, 'not_found'),
  bad('POST', '/api/conversations/not-a-uuid/take-over', 'session', 404, 'not_found'),
  bad('POST', '/api/conversations/{conversationId}/take-over', 'agent', 400, 'invalid_json', {
    rawBody: '{"force":',
  }),
  bad('POST', '/api/conversations/{conversationId}/take-over', 'agent', 400, 'validation_failed', {
    body: { force: 'yes' },
  }),
  bad('POST', '/api/conversations/{conversationId}/take-over', 'agent', 400, 'validation_failed', {
    body: [],
  }),
  bad('POST', '/api/conversations/{conversationId}/take-over', 'agent', 413, 'payload_too_large', {
    rawBody: OVERSIZED,
  }),
  // reply as staff
  bad('POST', '/api/conversations/{conversationId}/messages', 'none', 401, 'unauthorized', {
    body: { text: 'hi' },
  }),
  bad('POST', '/api/conversations/{conversationId}/messages', 'no-csrf', 403, 'csrf_failed', {
    body: { text: 'hi' },
  }),
  bad('POST', '/api/conversations/{conversationId}/messages', 'wrong-merchant', 404, 'not_found', {
    body: { text: 'hi' },
  }),
  bad('POST', `/api/conversations/${UNKNOWN_ID}/messages`, 'session', 404, 'not_found', {
    body: { text: 'hi' },
  }),
  bad('POST', '/api/conversations/not-a-uuid/messages', 'session', 404, 'not_found', {
    body: { text: 'hi' },
  }),
  bad('POST', '/api/conversations/{conversationId}/messages', 'session', 400, 'invalid_json', {
    rawBody: '{"text":"hi"',
  }),
  bad('POST', '/api/conversations/{conversationId}/messages', 'session', 400, 'validation_failed', {
    body: { text: 42 },
  }),
  bad('POST', '/api/conversations/{conversationId}/messages', 'session', 400, 'validation_failed', {
    body: { text: '   ' },
  }),
  bad('POST', '/api/conversations/{conversationId}/messages', 'session', 400, 'validation_failed', {
    body: { text: 'x'.repeat(5000) },
  }),
  bad('POST', '/api/conversations/{conversationId}/messages', 'session', 400, 'validation_failed', {
    body: { text: 'hi', clientMessageId: 'has spaces' },
  }),
  bad('POST', '/api/conversations/{conversationId}/messages', 'session', 413, 'payload_too_large', {
    rawBody: OVERSIZED,
  }),
  bad('POST', '/api/conversations/{conversationId}/messages', 'session', 415, 'unsupported_media_type', {
    rawBody: 'text=hi',
    headers: { 'content-type': 'text/plain' },
  }),
  bad('POST', '/api/conversations/{conversationId}/messages', 'session', 409, 'conflict', {
    name: 'not taken over',
    body: { text: 'hi' },
  }),
  // hand back (optional body { note })
  bad('POST', '/api/conversations/{conversationId}/hand-back', 'none', 401, 'unauthorized'),
  bad('POST', '/api/conversations/{conversationId}/hand-back', 'no-csrf', 403, 'csrf_failed'),
  bad('POST', '/api/conversations/{conversationId}/hand-back', 'wrong-merchant', 404, 'not_found'),
  bad('POST', `/api/conversations/${UNKNOWN_ID}/hand-back`, 'session', 404, 'not_found'),
  bad('POST', '/api/conversations/{conversationId}/hand-back', 'session', 400, 'invalid_json', {
    rawBody: '{note}',
  }),
  bad('POST', '/api/conversations/{conversationId}/hand-back', 'session', 400, 'validation_failed', {
    body: { note: 7 },
  }),
  bad('POST', '/api/conversations/{conversationId}/hand-back', 'session', 400, 'validation_failed', {
    body: { note: 'n'.repeat(1001) },
  }),
  bad('POST', '/api/conversations/{conversationId}/hand-back', 'session', 413, 'payload_too_large', {
    rawBody: OVERSIZED,
  }),
  bad('POST', '/api/conversations/{conversationId}/hand-back', 'session', 409, 'conflict', {
    name: 'not taken over',
  }),
  // resolve
  bad('POST', '/api/conversations/{conversationId}/resolve', 'none', 401, 'unauthorized'),
  bad('POST', '/api/conversations/{conversationId}/resolve', 'apikey', 401, 'unauthorized'),
  bad('POST', '/api/conversations/{conversationId}/resolve', 'no-csrf', 403, 'csrf_failed'),
  bad('POST', '/api/conversations/{conversationId}/resolve', 'wrong-merchant', 404, 'not_found'),
  bad('POST', '/api/conversations/{conversationBId}/resolve', 'session', 404, 'not_found'),
  bad('POST', `/api/conversations/${UNKNOWN_ID}/resolve`, 'session', 404, 'not_found'),
  bad('POST', '/api/conversations/not-a-uuid/resolve', 'session', 404, 'not_found'),
  bad('POST', '/api/conversations/{conversationId}/resolve', 'session', 413, 'payload_too_large', {
    rawBody: OVERSIZED,
  }),
  // a photo the shopper sent
  bad('GET', '/api/conversations/{conversationId}/messages/{messageId}/media/0', 'none', 401, 'unauthorized'),
  bad(
    'GET',
    '/api/conversations/{conversationId}/messages/{messageId}/media/0',
    'wrong-merchant',
    404,
    'not_found',
  ),
  bad('GET', '/api/conversations/{conversationBId}/messages/{messageBId}/media/0', 'agent', 404, 'not_found'),
  bad(
    'GET',
    '/api/conversations/{conversationId}/messages/{messageBId}/media/0',
    'session',
    404,
    'not_found',
  ),
  bad(
    'GET',
    '/api/conversations/{conversationId}/messages/{messageId}/media/0',
    'session',
    404,
    'not_found',
    {
      name: 'a message without media',
    },
  ),
  bad(
    'GET',
    `/api/conversations/{conversationId}/messages/${UNKNOWN_ID}/media/0`,
    'session',
    404,
    'not_found',
  ),
  bad(
    'GET',
    '/api/conversations/{conversationId}/messages/{messageId}/media/abc',
    'session',
    404,
    'not_found',
  ),
  bad(
    'GET',
    '/api/conversations/{conversationId}/messages/{messageId}/media/999',
    'session',
    404,
    'not_found',
  ),
  bad('GET', '/api/conversations/{conversationId}/messages/not-a-uuid/media/0', 'session', 404, 'not_found'),
  // inbox list views, search and pages; notes, assign, reopen, read, context, canned replies (inbox helper)
  bad('GET', '/api/conversations?view=everything', 'agent', 400, 'validation_failed'),
  bad('GET', '/api/conversations?channelId=whatsapp', 'agent', 400, 'validation_failed'),
  bad('GET', `/api/conversations?q=${'a'.repeat(201)}`, 'agent', 400, 'validation_failed'),
  bad('GET', '/api/conversations?cursor=not%20a%20cursor', 'agent', 400, 'validation_failed'),
  bad('GET', '/api/conversations?cursor=WzEsMl0', 'agent', 400, 'validation_failed', {
    name: 'forged cursor',
  }),
  bad('GET', '/api/conversations/options', 'none', 401, 'unauthorized'),
  bad('GET', '/api/conversations/{conversationId}/context', 'wrong-merchant', 404, 'not_found'),
  bad('POST', '/api/conversations/{conversationId}/notes', 'no-csrf', 403, 'csrf_failed', {
    body: { text: 'x' },
  }),
  bad('POST', '/api/conversations/{conversationId}/notes', 'agent', 400, 'validation_failed', {
    body: { text: '' },
  }),
  bad('POST', '/api/conversations/{conversationId}/notes', 'agent', 400, 'invalid_json', {
    rawBody: '{"text":',
  }),
  bad('POST', '/api/conversations/{conversationId}/notes', 'wrong-merchant', 404, 'not_found', {
    body: { text: 'x' },
  }),
  bad('POST', '/api/conversations/{conversationId}/assign', 'agent', 400, 'validation_failed', { body: {} }),
  bad('POST', '/api/conversations/{conversationId}/assign', 'agent', 400, 'validation_failed', {
    body: { userId: UNKNOWN_ID, queue: 'returns' },
  }),
  bad('POST', '/api/conversations/{conversationId}/assign', 'agent', 404, 'not_found', {
    body: { userId: UNKNOWN_ID },
  }),
  bad('POST', '/api/conversations/{conversationId}/reopen', 'wrong-merchant', 404, 'not_found'),
  bad('POST', '/api/conversations/{conversationId}/read', 'no-csrf', 403, 'csrf_failed'),
  bad('POST', `/api/conversations/${UNKNOWN_ID}/read`, 'agent', 404, 'not_found'),
  bad('GET', '/api/canned-replies', 'none', 401, 'unauthorized'),
  bad('POST', '/api/canned-replies', 'agent', 403, 'forbidden', { body: { title: 'Hi', body: 'Hello' } }),
  bad('POST', '/api/canned-replies', 'session', 400, 'validation_failed', {
    body: { title: '', body: 'Hello' },
  }),
  bad('POST', '/api/canned-replies', 'session', 400, 'invalid_json', { rawBody: '{"title":' }),
  bad('POST', '/api/canned-replies', 'session', 413, 'payload_too_large', { rawBody: OVERSIZED }),
  bad('PUT', `/api/canned-replies/${UNKNOWN_ID}`, 'session', 404, 'not_found', {
    body: { title: 'a', body: 'b' },
  }),
  bad('DELETE', '/api/canned-replies/not-a-uuid', 'session', 404, 'not_found'),

  // ── web chat (public; the visitor token is the credential) ──────────────────────────────────────────────
  bad('POST', `/api/webchat/${UNKNOWN_ID}/session`, 'none', 404, 'not_found'),
  bad('POST', '/api/webchat/not-a-uuid/session', 'none', 404, 'not_found'),
  bad('POST', '/api/webchat/{disabledWebchatChannelId}/session', 'none', 404, 'not_found'),
  bad('POST', '/api/webchat/{whatsappChannelId}/session', 'none', 404, 'not_found', {
    name: 'a channel of another kind',
  }),
  bad('POST', '/api/webchat/{webchatChannelId}/session', 'none', 400, 'invalid_json', {
    rawBody: '{"token":',
  }),
  bad('POST', '/api/webchat/{webchatChannelId}/session', 'none', 400, 'validation_failed', {
    body: { token: 5 },
  }),
  bad('POST', '/api/webchat/{webchatChannelId}/session', 'none', 400, 'validation_failed', {
    body: { token: 'x', visitorId: 'v_mine' },
  }),
  bad('POST', '/api/webchat/{webchatChannelId}/session', 'none', 400, 'validation_failed', { body: [] }),
  bad('POST', '/api/webchat/{webchatChannelId}/session', 'none', 413, 'payload_too_large', {
    rawBody: OVERSIZED_WEBCHAT,
  }),
  bad('GET', '/api/webchat/{webchatChannelId}/session', 'none', 404, 'not_found', { name: 'wrong method' }),
  bad('GET', '/api/webchat/{webchatChannelId}/messages', 'none', 401, 'unauthorized'),
  bad('GET', '/api/webchat/{webchatChannelId}/messages', 'visitor-forged', 401, 'unauthorized'),
  bad('GET', '/api/webchat/{webchatChannelId}/messages', 'visitor-other-merchant', 401, 'unauthorized'),
  bad('GET', '/api/webchat/{webchatChannelId}/messages', 'visitor-other-channel', 401, 'unauthorized'),
  bad('GET', '/api/webchat/{webchatChannelId}/messages', 'visitor-expired', 401, 'unauthorized'),
  bad('GET', '/api/webchat/{webchatChannelId}/messages', 'session', 401, 'unauthorized'),
  bad('GET', '/api/webchat/{webchatChannelId}/messages', 'visitor', 401, 'unauthorized', {
    name: 'not a bearer token',
    headers: { authorization: '{visitorToken}' },
  }),
  bad('GET', '/api/webchat/{webchatChannelBId}/messages', 'visitor', 401, 'unauthorized'),
  bad('GET', `/api/webchat/${UNKNOWN_ID}/messages`, 'visitor', 404, 'not_found'),
  bad('GET', '/api/webchat/{disabledWebchatChannelId}/messages', 'visitor', 404, 'not_found'),
  bad('POST', '/api/webchat/{webchatChannelId}/messages', 'none', 401, 'unauthorized', {
    body: { clientMessageId: 'm1', text: 'hi' },
  }),
  bad('POST', '/api/webchat/{webchatChannelId}/messages', 'visitor-forged', 401, 'unauthorized', {
    body: { clientMessageId: 'm1', text: 'hi' },
  }),
  bad('POST', '/api/webchat/{webchatChannelId}/messages', 'visitor-other-merchant', 401, 'unauthorized', {
    body: { clientMessageId: 'm1', text: 'hi' },
  }),
  bad('POST', '/api/webchat/{webchatChannelId}/messages', 'visitor-other-channel', 401, 'unauthorized', {
    body: { clientMessageId: 'm1', text: 'hi' },
  }),
  bad('POST', '/api/webchat/{webchatChannelId}/messages', 'visitor-expired', 401, 'unauthorized', {
    body: { clientMessageId: 'm1', text: 'hi' },
  }),
  bad('POST', '/api/webchat/{webchatChannelId}/messages', 'none', 401, 'unauthorized', {
    name: 'no token, bad body',
    rawBody: '{"text":',
  }),
  bad('POST', `/api/webchat/${UNKNOWN_ID}/messages`, 'visitor', 404, 'not_found', {
    body: { clientMessageId: 'm1', text: 'hi' },
  }),
  bad('POST', '/api/webchat/{webchatChannelId}/messages', 'visitor', 400, 'invalid_json', {
    rawBody: '{"clientMessageId":"m1","text":',
  }),
  bad('POST', '/api/webchat/{webchatChannelId}/messages', 'visitor', 400, 'validation_failed', {
    body: { clientMessageId: 1, text: 'hi' },
  }),
  bad('POST', '/api/webchat/{webchatChannelId}/messages', 'visitor', 400, 'validation_failed', {
    body: { clientMessageId: 'm1', text: ['hi'] },
  }),
  bad('POST', '/api/webchat/{webchatChannelId}/messages', 'visitor', 400, 'validation_failed', {
    name: 'neither text nor button',
    body: { clientMessageId: 'm1', text: ' ' },
  }),
  bad('POST', '/api/webchat/{webchatChannelId}/messages', 'visitor', 400, 'validation_failed', {
    body: { clientMessageId: 'm1', text: 'hi', merchantId: '{merchantB}' },
  }),
  bad('POST', '/api/webchat/{webchatChannelId}/messages', 'visitor', 413, 'payload_too_large', {
    rawBody: OVERSIZED_WEBCHAT,
  }),
  bad('POST', '/api/webchat/{webchatChannelId}/messages', 'visitor', 415, 'unsupported_media_type', {
    name: 'no content type',
    rawBody: JSON.stringify({ clientMessageId: 'm1', text: 'hi' }),
    headers: { 'content-type': '' },
  }),
  bad(
    'GET',
    '/api/webchat/{webchatChannelId}/socket?token={visitorTokenOtherMerchant}',
    'none',
    401,
    'unauthorized',
  ),
  bad('POST', '/api/webchat/{webchatChannelId}/messages', 'visitor', 415, 'unsupported_media_type', {
    rawBody: 'text=hi',
    headers: { 'content-type': 'text/plain' },
  }),
  bad(
    'GET',
    '/api/webchat/{webchatChannelId}/socket?token={visitorTokenForged}',
    'none',
    401,
    'unauthorized',
  ),
  bad('GET', `/api/webchat/${UNKNOWN_ID}/socket?token={visitorToken}`, 'none', 404, 'not_found'),

  // ── WhatsApp webhook ────────────────────────────────────────────────────────────────────────────────────
  bad(
    'GET',
    `/webhooks/whatsapp/{whatsappChannelId}?hub.mode=subscribe&hub.verify_token=${WHATSAPP_B.verifyToken}&hub.challenge=1`,
    'none',
    403,
    'forbidden',
  ),
  bad(
    'GET',
    '/webhooks/whatsapp/{whatsappChannelId}?hub.mode=subscribe&hub.challenge=1',
    'none',
    403,
    'forbidden',
  ),
  bad(
    'GET',
    `/webhooks/whatsapp/{whatsappChannelId}?hub.mode=unsubscribe&hub.verify_token=${WHATSAPP.verifyToken}&hub.challenge=1`,
    'none',
    403,
    'forbidden',
  ),
  bad(
    'GET',
    `/webhooks/whatsapp/${UNKNOWN_ID}?hub.mode=subscribe&hub.verify_token=${WHATSAPP.verifyToken}&hub.challenge=1`,
    'none',
    404,
    'not_found',
  ),
  bad(
    'GET',
    `/webhooks/whatsapp/{telegramChannelId}?hub.mode=subscribe&hub.verify_token=${WHATSAPP.verifyToken}&hub.challenge=1`,
    'none',
    404,
    'not_found',
  ),
  bad('POST', '/webhooks/whatsapp/{whatsappChannelId}', 'none', 401, 'unauthorized', {
    name: 'no signature',
    body: whatsappMessage(),
  }),
  bad('POST', '/webhooks/whatsapp/{whatsappChannelId}', 'none', 401, 'unauthorized', {
    name: 'wrong signature',
    body: whatsappMessage(),
    headers: { 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` },
  }),
  bad('POST', '/webhooks/whatsapp/{whatsappChannelId}', 'none', 401, 'unauthorized', {
    name: 'signature without the sha256= prefix',
    body: whatsappMessage(),
    headers: { 'x-hub-signature-256': '0'.repeat(64) },
  }),
  bad('POST', '/webhooks/whatsapp/{whatsappChannelId}', 'none', 401, 'unauthorized', {
    name: "another channel's secret",
    body: whatsappMessage(),
    sign: 'whatsapp-other',
  }),
  bad('POST', '/webhooks/whatsapp/{whatsappChannelId}', 'none', 401, 'unauthorized', {
    name: 'unsigned malformed JSON',
    rawBody: '{"object":',
  }),
  bad('POST', '/webhooks/whatsapp/{whatsappChannelId}', 'none', 400, 'invalid_json', {
    name: 'signed malformed JSON',
    rawBody: '{"object":',
    sign: 'whatsapp',
  }),
  bad('POST', '/webhooks/whatsapp/{whatsappChannelId}', 'none', 413, 'payload_too_large', {
    rawBody: OVERSIZED,
    sign: 'whatsapp',
  }),
  bad('POST', `/webhooks/whatsapp/${UNKNOWN_ID}`, 'none', 404, 'not_found', {
    body: whatsappMessage(),
    sign: 'whatsapp',
  }),
  bad('POST', '/webhooks/whatsapp/not-a-uuid', 'none', 404, 'not_found', {
    body: whatsappMessage(),
    sign: 'whatsapp',
  }),

  // ── Telegram webhook ────────────────────────────────────────────────────────────────────────────────────
  bad('POST', '/webhooks/telegram/{telegramChannelId}', 'none', 401, 'unauthorized', {
    name: 'no secret token',
    body: telegramMessage(),
  }),
  bad('POST', '/webhooks/telegram/{telegramChannelId}', 'none', 401, 'unauthorized', {
    name: 'wrong secret token',
    body: telegramMessage(),
    headers: { 'x-telegram-bot-api-secret-token': `${TELEGRAM_SECRET}x` },
  }),
  bad('POST', '/webhooks/telegram/{telegramChannelId}', 'none', 401, 'unauthorized', {
    name: 'unverified malformed JSON',
    rawBody: '{"update_id":',
  }),
  bad('POST', '/webhooks/telegram/{telegramChannelId}', 'none', 400, 'invalid_json', {
    name: 'verified malformed JSON',
    rawBody: '{"update_id":',
    headers: { 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET },
  }),
  bad('POST', '/webhooks/telegram/{telegramChannelId}', 'none', 413, 'payload_too_large', {
    rawBody: OVERSIZED,
    headers: { 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET },
  }),
  bad('POST', `/webhooks/telegram/${UNKNOWN_ID}`, 'none', 404, 'not_found', {
    body: telegramMessage(),
    headers: { 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET },
  }),
  bad('POST', '/webhooks/telegram/{whatsappChannelId}', 'none', 404, 'not_found', {
    body: telegramMessage(),
    headers: { 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET },
  }),
  bad('GET', '/webhooks/telegram/{telegramChannelId}', 'none', 404, 'not_found', { name: 'wrong method' }),

  // ── Shopify webhook ─────────────────────────────────────────────────────────────────────────────────────
  bad('POST', '/webhooks/shopify/{shopifyChannelId}', 'none', 401, 'unauthorized', {
    name: 'no HMAC',
    body: { id: 1 },
    headers: SHOPIFY_HEADERS,
  }),
  bad('POST', '/webhooks/shopify/{shopifyChannelId}', 'none', 401, 'unauthorized', {
    name: 'wrong HMAC',
    body: { id: 1 },
    headers: { ...SHOPIFY_HEADERS, 'x-shopify-hmac-sha256': 'AAAA' },
  }),
  bad('POST', '/webhooks/shopify/{shopifyChannelId}', 'none', 401, 'unauthorized', {
    name: "another channel's secret",
    body: { id: 1 },
    headers: SHOPIFY_HEADERS,
    sign: 'shopify-other',
  }),
  bad('POST', '/webhooks/shopify/{shopifyChannelId}', 'none', 400, 'invalid_json', {
    name: 'signed malformed JSON',
    rawBody: '{"id":',
    headers: SHOPIFY_HEADERS,
    sign: 'shopify',
  }),
  bad('POST', '/webhooks/shopify/{shopifyChannelId}', 'none', 400, 'bad_request', {
    name: 'signed, no topic',
    body: { id: 1 },
    headers: { 'x-shopify-webhook-id': 'wh-1' },
    sign: 'shopify',
  }),
  bad('POST', '/webhooks/shopify/{shopifyChannelId}', 'none', 413, 'payload_too_large', {
    rawBody: OVERSIZED,
    headers: SHOPIFY_HEADERS,
    sign: 'shopify',
  }),
  bad('POST', `/webhooks/shopify/${UNKNOWN_ID}`, 'none', 404, 'not_found', {
    body: { id: 1 },
    headers: SHOPIFY_HEADERS,
    sign: 'shopify',
  }),

  // ── Shopify privacy webhooks and app/uninstalled (provider-contracts) ───────────────────────────────────
  ...['customers/data_request', 'customers/redact', 'shop/redact', 'app/uninstalled'].flatMap((topic) => [
    bad('POST', '/webhooks/shopify/{shopifyChannelId}', 'none', 401, 'unauthorized', {
      name: `${topic}, no HMAC`,
      body: { customer: { id: 1, email: 'ana@example.com' } },
      headers: { ...SHOPIFY_HEADERS, 'x-shopify-topic': topic },
    }),
    bad('POST', '/webhooks/shopify/{shopifyChannelId}', 'none', 401, 'unauthorized', {
      name: `${topic}, another channel's secret`,
      body: { customer: { id: 1, email: 'ana@example.com' } },
      headers: { ...SHOPIFY_HEADERS, 'x-shopify-topic': topic },
      sign: 'shopify-other',
    }),
    bad('POST', '/webhooks/shopify/{shopifyChannelId}', 'none', 400, 'invalid_json', {
      name: `${topic}, signed malformed JSON`,
      rawBody: '{"customer":',
      headers: { ...SHOPIFY_HEADERS, 'x-shopify-topic': topic },
      sign: 'shopify',
    }),
  ]),
  bad('POST', `/webhooks/shopify/${UNKNOWN_ID}`, 'none', 404, 'not_found', {
    name: 'customers/redact for an unknown channel',
    body: { customer: { id: 1 } },
    headers: { ...SHOPIFY_HEADERS, 'x-shopify-topic': 'customers/redact' },
    sign: 'shopify',
  }),
  bad('POST', '/webhooks/telegram/{telegramChannelId}', 'none', 401, 'unauthorized', {
    name: 'my_chat_member without the secret token',
    body: {
      update_id: 1,
      my_chat_member: { chat: { id: 5, type: 'private' }, new_chat_member: { status: 'kicked' } },
    },
  }),

  // ── privacy requests and exports (owner only) ──────────────────────────────────────────────────────────
  bad('GET', '/api/privacy/requests', 'none', 401, 'unauthorized'),
  bad('GET', '/api/privacy/requests', 'apikey', 401, 'unauthorized'),
  bad('GET', '/api/privacy/requests', 'editor', 403, 'forbidden'),
  bad('GET', '/api/privacy/requests', 'agent', 403, 'forbidden'),
  bad('GET', `/api/privacy/exports/${UNKNOWN_ID}`, 'none', 401, 'unauthorized'),
  bad('GET', `/api/privacy/exports/${UNKNOWN_ID}`, 'editor', 403, 'forbidden'),
  bad('GET', `/api/privacy/exports/${UNKNOWN_ID}`, 'agent', 403, 'forbidden'),
  bad('GET', `/api/privacy/exports/${UNKNOWN_ID}`, 'session', 404, 'not_found'),
  bad('GET', '/api/privacy/exports/not-a-uuid', 'session', 404, 'not_found'),

  // ── demo store (dev only) ───────────────────────────────────────────────────────────────────────────────
  bad('GET', '/demo/api/clock', 'visitor', 401, 'unauthorized', { name: "another channel's visitor" }),
  bad('GET', '/demo/api/clock', 'visitor-forged', 401, 'unauthorized'),
  bad('POST', '/demo/api/abandon', 'none', 401, 'unauthorized', { body: demoCart() }),
  bad('POST', '/demo/api/abandon', 'visitor', 401, 'unauthorized', { body: demoCart() }),
  bad('POST', '/demo/api/abandon', 'demo-visitor', 400, 'invalid_json', { rawBody: '{"cartToken":' }),
  bad('POST', '/demo/api/abandon', 'demo-visitor', 400, 'validation_failed', {
    body: { cartToken: 5, items: 'all' },
  }),
  bad('POST', '/demo/api/abandon', 'demo-visitor', 400, 'validation_failed', {
    body: { ...demoCart(), items: [] },
  }),
  bad('POST', '/demo/api/abandon', 'demo-visitor', 400, 'bad_request', {
    name: 'unknown product',
    body: demoCart('no-such-sku'),
  }),
  bad('POST', '/demo/api/abandon', 'demo-visitor', 413, 'payload_too_large', { rawBody: OVERSIZED }),
  bad('POST', '/demo/api/order', 'none', 401, 'unauthorized', { body: demoCart() }),
  bad('POST', '/demo/api/order', 'visitor-other-merchant', 401, 'unauthorized', { body: demoCart() }),
  bad('POST', '/demo/api/order', 'demo-visitor', 400, 'invalid_json', { rawBody: '[' }),
  bad('POST', '/demo/api/order', 'demo-visitor', 400, 'validation_failed', {
    body: { ...demoCart(), extra: true },
  }),
  bad('POST', '/demo/api/order', 'demo-visitor', 400, 'bad_request', {
    name: 'unknown product',
    body: demoCart('no-such-sku'),
  }),
  bad('POST', '/demo/api/advance', 'visitor', 401, 'unauthorized', { body: { hours: 1 } }),
  bad('POST', '/demo/api/advance', 'none', 400, 'invalid_json', { rawBody: '{"hours":' }),
  bad('POST', '/demo/api/advance', 'none', 400, 'validation_failed', { body: { hours: 'one' } }),
  bad('POST', '/demo/api/advance', 'none', 400, 'validation_failed', { body: { hours: 10_000 } }),
  bad('POST', '/demo/api/advance', 'none', 400, 'validation_failed', { body: { next: false } }),
  bad('POST', '/demo/api/advance', 'none', 413, 'payload_too_large', { rawBody: OVERSIZED }),

  // ── text hygiene: NUL and unpaired surrogates (the database cannot hold them) ─────────────────────────
  // JSON.stringify writes them as \u0000 / \ud800 escapes, the way a client would send them.
  ...unsafeTexts().flatMap(([label, unsafe]) => [
    bad('POST', '/api/auth/sign-in', 'none', 400, 'validation_failed', {
      name: `${label} in a password`,
      body: { email: 'nobody@test.parley.dev', password: `pass${unsafe}word` },
    }),
    bad('POST', '/api/api-keys', 'session', 400, 'validation_failed', {
      name: `${label} in a key name`,
      body: { name: `Store${unsafe}` },
    }),
    bad('POST', '/api/flows', 'session', 400, 'validation_failed', {
      name: `${label} in a flow name`,
      body: { name: `Flow${unsafe}` },
    }),
    bad('PUT', '/api/flows/{flowId}', 'session', 400, 'validation_failed', {
      name: `${label} in a flow name`,
      body: { name: `Live${unsafe}`, document: validFlowDocument('Live') },
    }),
    bad('PUT', '/api/flows/{flowId}', 'session', 400, 'validation_failed', {
      name: `${label} in a message of the flow document`,
      body: { name: 'Live', document: validFlowDocument('Live', `Hi${unsafe}`) },
    }),
    bad('PUT', '/api/flows/{flowId}', 'session', 400, 'validation_failed', {
      name: `${label} in a key of the flow document`,
      body: { name: 'Live', document: { ...validFlowDocument('Live'), [`x${unsafe}`]: 1 } },
    }),
    bad('POST', '/api/events', 'apikey', 400, 'validation_failed', {
      name: `${label} in an event id`,
      body: cartEvent(`e-${unsafe}`),
    }),
    bad('POST', '/api/events', 'apikey', 400, 'validation_failed', {
      name: `${label} in a shopper's name`,
      body: { ...cartEvent('e-name'), contact: { email: 'alex@example.com', name: `Alex${unsafe}` } },
    }),
    bad('POST', '/api/events', 'apikey', 400, 'validation_failed', {
      name: `${label} in a cart item`,
      body: (() => {
        const event = cartEvent('e-item')
        return {
          ...event,
          cart: { ...event.cart, items: [{ title: `Tee${unsafe}`, price: '1', quantity: 1 }] },
        }
      })(),
    }),
    bad('POST', '/api/conversations/{conversationId}/messages', 'session', 400, 'validation_failed', {
      name: `${label} in a staff reply`,
      body: { text: `On its way${unsafe}` },
    }),
    bad('POST', '/api/conversations/{conversationId}/hand-back', 'session', 400, 'validation_failed', {
      name: `${label} in a hand-back note`,
      body: { note: `done${unsafe}` },
    }),
    bad('POST', '/api/conversations/{conversationId}/take-over', 'agent', 400, 'validation_failed', {
      name: `${label} in a take-over body`,
      body: { force: true, [`why${unsafe}`]: 'x' },
    }),
    bad('POST', '/api/webchat/{webchatChannelId}/session', 'none', 400, 'validation_failed', {
      name: `${label} in a visitor token`,
      body: { token: `x${unsafe}` },
    }),
    bad('POST', '/api/webchat/{webchatChannelId}/messages', 'visitor', 400, 'validation_failed', {
      name: `${label} in a shopper's message`,
      body: { clientMessageId: 'm-unsafe', text: `hello${unsafe}` },
    }),
    bad('POST', '/api/webchat/{webchatChannelId}/messages', 'visitor', 400, 'validation_failed', {
      name: `${label} in a client message id`,
      body: { clientMessageId: `m${unsafe}`, text: 'hello' },
    }),
    bad('POST', '/demo/api/abandon', 'demo-visitor', 400, 'validation_failed', {
      name: `${label} in a demo cart token`,
      body: { ...demoCart(), cartToken: `demo-cart${unsafe}` },
    }),
  ]),
  // ── catalogue ───────────────────────────────────────────────────────────────────────────────────────────
  bad('GET', '/api/catalogue/products', 'none', 401, 'unauthorized'),
  bad('GET', '/api/catalogue/products', 'apikey', 401, 'unauthorized'),
  bad('GET', '/api/catalogue/products', 'agent', 403, 'forbidden'),
  bad('GET', '/api/catalogue/products?limit=0', 'session', 400, 'validation_failed'),
  bad('GET', '/api/catalogue/products?limit=5000', 'session', 400, 'validation_failed'),
  bad('GET', '/api/catalogue/products?inStock=maybe', 'editor', 400, 'validation_failed'),
  bad('GET', `/api/catalogue/products?q=${'x'.repeat(300)}`, 'session', 400, 'validation_failed'),
  bad('GET', '/api/catalogue/products?q=linen%00', 'session', 400, 'validation_failed'),
  bad('GET', `/api/catalogue/products/${UNKNOWN_ID}`, 'session', 404, 'not_found'),
  bad('GET', '/api/catalogue/products/not-an-id', 'session', 404, 'not_found'),
  bad('GET', '/api/catalogue/imports', 'agent', 403, 'forbidden'),
  bad('GET', `/api/catalogue/imports/${UNKNOWN_ID}`, 'session', 404, 'not_found'),
  ...(
    [
      ['none', 401, 'unauthorized'],
      ['no-csrf', 403, 'csrf_failed'],
      ['agent', 403, 'forbidden'],
      ['apikey', 401, 'unauthorized'],
    ] as const
  ).map(([auth, status, code]) =>
    bad('POST', '/api/catalogue/imports', auth, status, code, {
      rawBody: 'handle,title,price\nmug,Mug,9\n',
      headers: { 'content-type': 'text/csv' },
    }),
  ),
  // catalogue-sync: the Shopify sync button and the products/* webhooks (refused before anything is written).
  ...(
    [
      ['none', 401, 'unauthorized'],
      ['no-csrf', 403, 'csrf_failed'],
      ['agent', 403, 'forbidden'],
      ['apikey', 401, 'unauthorized'],
    ] as const
  ).map(([auth, status, code]) => bad('POST', '/api/catalogue/shopify-sync', auth, status, code)),
  ...['products/create', 'products/update', 'products/delete'].flatMap((topic) => [
    bad('POST', '/webhooks/shopify/{shopifyChannelId}', 'none', 401, 'unauthorized', {
      name: `${topic}, wrong HMAC`,
      body: { id: 632910392, handle: 'mug', title: 'Mug', variants: [{ price: '9.00' }] },
      headers: { ...SHOPIFY_HEADERS, 'x-shopify-topic': topic, 'x-shopify-hmac-sha256': 'AAAA' },
    }),
    bad('POST', '/webhooks/shopify/{shopifyChannelId}', 'none', 401, 'unauthorized', {
      name: `${topic}, another channel's secret`,
      body: { id: 632910392, handle: 'mug', title: 'Mug', variants: [{ price: '9.00' }] },
      headers: { ...SHOPIFY_HEADERS, 'x-shopify-topic': topic },
      sign: 'shopify-other',
    }),
  ]),
  bad('POST', '/api/catalogue/imports', 'session', 415, 'unsupported_media_type', {
    name: 'JSON instead of a file',
    body: { handle: 'mug' },
  }),
  bad('POST', '/api/catalogue/imports', 'session', 400, 'bad_request', {
    name: 'an empty file',
    rawBody: '',
    headers: { 'content-type': 'text/csv' },
  }),
  bad('POST', '/api/catalogue/imports', 'session', 413, 'payload_too_large', {
    name: 'a file over the upload limit',
    rawBody: 'handle,title,price\n',
    headers: { 'content-type': 'text/csv', 'content-length': String(50 * 1024 * 1024 + 1) },
  }),
  bad('POST', '/api/catalogue/imports?currency=EURO', 'session', 400, 'validation_failed', {
    rawBody: 'handle,title,price\nmug,Mug,9\n',
    headers: { 'content-type': 'text/csv' },
  }),
  bad('POST', '/api/catalogue/imports?storeUrl=javascript:alert(1)', 'editor', 400, 'validation_failed', {
    rawBody: 'handle,title,price\nmug,Mug,9\n',
    headers: { 'content-type': 'text/csv' },
  }),
  // Still authentication first: an unauthenticated caller learns nothing about what a valid body is.
  bad('POST', '/api/webchat/{webchatChannelId}/messages', 'none', 401, 'unauthorized', {
    name: 'NUL without a token',
    body: { clientMessageId: 'm1', text: 'a\u0000' },
  }),
  bad('POST', '/api/flows', 'no-csrf', 403, 'csrf_failed', {
    name: 'NUL without the CSRF header',
    body: { name: 'a\u0000' },
  }),
  // A raw NUL byte inside a JSON string is not JSON at all.
  bad('POST', '/api/webchat/{webchatChannelId}/messages', 'visitor', 400, 'invalid_json', {
    name: 'a raw NUL byte',
    rawBody: '{"clientMessageId":"m1","text":"a\u0000b"}',
  }),
  {
    method: 'GET',
    path: `/api/webchat/${UNKNOWN_ID}/appearance`,
    auth: 'none',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'GET',
    path: '/api/webchat/{disabledWebchatChannelId}/appearance',
    auth: 'none',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'GET',
    path: '/api/webchat/{whatsappChannelId}/appearance',
    auth: 'none',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  // ── Channels (connect, change, check, disconnect): owners only; nothing reaches a provider on bad input. ──
  { method: 'GET', path: '/api/channels', auth: 'none', expectStatus: 401, expectCode: 'unauthorized' },
  { method: 'GET', path: '/api/channels', auth: 'apikey', expectStatus: 401, expectCode: 'unauthorized' },
  {
    method: 'POST',
    path: '/api/channels',
    auth: 'editor',
    body: { kind: 'webchat' },
    expectStatus: 403,
    expectCode: 'forbidden',
  },
  {
    method: 'POST',
    path: '/api/channels',
    auth: 'agent',
    body: { kind: 'webchat' },
    expectStatus: 403,
    expectCode: 'forbidden',
  },
  {
    method: 'POST',
    path: '/api/channels',
    auth: 'no-csrf',
    body: { kind: 'webchat' },
    expectStatus: 403,
    expectCode: 'csrf_failed',
  },
  {
    method: 'POST',
    path: '/api/channels',
    auth: 'session',
    rawBody: '{kind:',
    expectStatus: 400,
    expectCode: 'invalid_json',
  },
  {
    method: 'POST',
    path: '/api/channels',
    auth: 'session',
    body: { kind: 'sms' },
    expectStatus: 400,
    expectCode: 'validation_failed',
  },
  {
    name: 'a Telegram token that is not shaped like one',
    method: 'POST',
    path: '/api/channels',
    auth: 'session',
    body: { kind: 'telegram', botToken: 'not a token' },
    expectStatus: 400,
    expectCode: 'validation_failed',
  },
  {
    name: 'WhatsApp without its secrets',
    method: 'POST',
    path: '/api/channels',
    auth: 'session',
    body: { kind: 'whatsapp', wabaId: '1029384756', phoneNumberId: '1098765432' },
    expectStatus: 400,
    expectCode: 'validation_failed',
  },
  {
    name: 'a Shopify domain that is not a myshopify.com one',
    method: 'POST',
    path: '/api/channels',
    auth: 'session',
    body: { kind: 'shopify', shopDomain: 'evil.example', accessToken: 'shpat_x', clientSecret: 'shpss_x' },
    expectStatus: 400,
    expectCode: 'validation_failed',
  },
  {
    name: 'web chat with an origin that has a path',
    method: 'POST',
    path: '/api/channels',
    auth: 'session',
    body: { kind: 'webchat', allowedOrigins: ['https://shop.example/cart'] },
    expectStatus: 400,
    expectCode: 'validation_failed',
  },
  {
    method: 'PUT',
    path: '/api/channels/not-a-uuid',
    auth: 'session',
    body: { name: 'x' },
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'PUT',
    path: `/api/channels/${UNKNOWN_ID}`,
    auth: 'session',
    body: { name: 'x' },
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'PUT',
    path: '/api/channels/{webchatChannelId}',
    auth: 'wrong-merchant',
    body: { name: 'x' },
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'PUT',
    path: '/api/channels/{webchatChannelId}',
    auth: 'editor',
    body: { name: 'x' },
    expectStatus: 403,
    expectCode: 'forbidden',
  },
  {
    method: 'PUT',
    path: '/api/channels/{webchatChannelId}',
    auth: 'session',
    body: { colour: 'x' },
    expectStatus: 400,
    expectCode: 'validation_failed',
  },
  {
    method: 'PUT',
    path: '/api/channels/{webchatChannelId}',
    auth: 'session',
    body: { brandColor: 'blue' },
    expectStatus: 400,
    expectCode: 'validation_failed',
  },
  {
    name: "another kind's setting on a web chat channel",
    method: 'PUT',
    path: '/api/channels/{webchatChannelId}',
    auth: 'session',
    body: { appSecret: 'abcdef' },
    expectStatus: 400,
    expectCode: 'bad_request',
  },
  {
    method: 'DELETE',
    path: '/api/channels/{webchatChannelId}',
    auth: 'wrong-merchant',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'DELETE',
    path: '/api/channels/{webchatChannelId}',
    auth: 'agent',
    expectStatus: 403,
    expectCode: 'forbidden',
  },
  {
    method: 'POST',
    path: '/api/channels/{whatsappChannelId}/verify',
    auth: 'wrong-merchant',
    expectStatus: 404,
    expectCode: 'not_found',
  },
  {
    method: 'POST',
    path: '/api/channels/{webchatChannelId}/templates/sync',
    auth: 'session',
    expectStatus: 400,
    expectCode: 'bad_request',
  },
  {
    method: 'POST',
    path: '/api/channels/{webchatChannelId}/test-message',
    auth: 'session',
    body: { to: '+447700900123' },
    expectStatus: 400,
    expectCode: 'bad_request',
  },
  {
    method: 'POST',
    path: '/api/channels/{whatsappChannelId}/test-message',
    auth: 'session',
    body: { to: 'call me' },
    expectStatus: 400,
    expectCode: 'validation_failed',
  },
  // The simulator's world: staff who edit flows, one of the merchant's own contacts.
  bad('GET', '/api/simulation-world', 'none', 401, 'unauthorized'),
  bad('GET', '/api/simulation-world', 'apikey', 401, 'unauthorized'),
  bad('GET', '/api/simulation-world', 'agent', 403, 'forbidden'),
  bad('GET', '/api/simulation-world?contactId=not-a-uuid', 'session', 400, 'validation_failed'),
  bad('GET', `/api/simulation-world?contactId=${UNKNOWN_ID}`, 'session', 404, 'not_found'),
  // Escalation queues (issue 12, handoff): owner only, validated whole.
  bad('GET', '/api/settings/queues', 'none', 401, 'unauthorized'),
  bad('GET', '/api/settings/queues', 'agent', 403, 'forbidden'),
  bad('PUT', '/api/settings/queues', 'editor', 403, 'forbidden', { body: { queues: [VALID_QUEUE] } }),
  bad('PUT', '/api/settings/queues', 'no-csrf', 403, 'csrf_failed', { body: { queues: [VALID_QUEUE] } }),
  bad('PUT', '/api/settings/queues', 'session', 400, 'invalid_json', { rawBody: '{"queues":' }),
  bad('PUT', '/api/settings/queues', 'session', 400, 'validation_failed', { body: { queues: [] } }),
  bad('PUT', '/api/settings/queues', 'session', 400, 'validation_failed', {
    body: { queues: [VALID_QUEUE, VALID_QUEUE] },
  }),
  bad('PUT', '/api/settings/queues', 'session', 400, 'validation_failed', {
    body: { queues: [{ ...VALID_QUEUE, key: 'Returns Desk' }] },
  }),
  bad('PUT', '/api/settings/queues', 'session', 400, 'validation_failed', {
    body: { queues: [{ ...VALID_QUEUE, unclaimedTimeoutMinutes: 0 }] },
  }),
  bad('PUT', '/api/settings/queues', 'session', 400, 'validation_failed', {
    body: { queues: [{ ...VALID_QUEUE, acknowledgement: '   ' }] },
  }),
  bad('PUT', '/api/settings/queues', 'session', 400, 'validation_failed', {
    body: { queues: [{ ...VALID_QUEUE, businessHours: { days: ['mon'], open: '18:00', close: '09:00' } }] },
  }),
  bad('PUT', '/api/settings/queues', 'session', 413, 'payload_too_large', { rawBody: OVERSIZED }),
  // A staff reply's template: well formed or refused before anything is written.
  bad('POST', '/api/conversations/{conversationId}/messages', 'session', 400, 'validation_failed', {
    body: { text: 'hi', template: { name: '', language: 'en' } },
  }),
  bad('POST', '/api/conversations/{conversationId}/messages', 'session', 400, 'validation_failed', {
    body: { text: 'hi', template: { name: 'x', language: 'en', parameters: 'one' } },
  }),
  // ── the shopper's side of a handoff: typing both ways, web-chat photos (widget helper) ─────────────────────
  bad('POST', '/api/conversations/{conversationId}/typing', 'none', 401, 'unauthorized'),
  bad('POST', '/api/conversations/{conversationId}/typing', 'apikey', 401, 'unauthorized'),
  bad('POST', '/api/conversations/{conversationId}/typing', 'no-csrf', 403, 'csrf_failed'),
  bad('POST', '/api/conversations/{conversationId}/typing', 'wrong-merchant', 404, 'not_found'),
  bad('POST', `/api/conversations/${UNKNOWN_ID}/typing`, 'agent', 404, 'not_found'),
  bad('POST', '/api/conversations/{conversationId}/typing', 'agent', 409, 'conflict', {
    name: 'nobody took the conversation over',
  }),
  bad('POST', '/api/webchat/{webchatChannelId}/typing', 'none', 401, 'unauthorized'),
  bad('POST', '/api/webchat/{webchatChannelId}/typing', 'visitor-forged', 401, 'unauthorized'),
  bad('POST', '/api/webchat/{webchatChannelId}/typing', 'visitor-other-channel', 401, 'unauthorized'),
  bad('POST', `/api/webchat/${UNKNOWN_ID}/typing`, 'visitor', 404, 'not_found'),
  bad('POST', '/api/webchat/{webchatChannelId}/photos?clientMessageId=p1', 'none', 401, 'unauthorized', {
    rawBody: '\u0089PNG',
    headers: { 'content-type': 'image/png' },
  }),
  bad(
    'POST',
    '/api/webchat/{webchatChannelId}/photos?clientMessageId=p1',
    'visitor-expired',
    401,
    'unauthorized',
    {
      rawBody: '\u0089PNG',
      headers: { 'content-type': 'image/png' },
    },
  ),
  bad('POST', '/api/webchat/{webchatChannelId}/photos', 'visitor', 400, 'validation_failed', {
    name: 'no client message id',
    rawBody: '\u0089PNG',
    headers: { 'content-type': 'image/png' },
  }),
  bad(
    'POST',
    '/api/webchat/{webchatChannelId}/photos?clientMessageId=a%20b',
    'visitor',
    400,
    'validation_failed',
    {
      rawBody: '\u0089PNG',
      headers: { 'content-type': 'image/png' },
    },
  ),
  bad(
    'POST',
    '/api/webchat/{webchatChannelId}/photos?clientMessageId=p1',
    'visitor',
    400,
    'validation_failed',
    {
      name: 'text claiming to be a PNG',
      rawBody: 'not a picture at all',
      headers: { 'content-type': 'image/png' },
    },
  ),
  bad(
    'POST',
    '/api/webchat/{webchatChannelId}/photos?clientMessageId=p1',
    'visitor',
    400,
    'validation_failed',
    {
      name: 'a GIF',
      rawBody: 'GIF89a\u0001\u0000',
      headers: { 'content-type': 'image/gif' },
    },
  ),
  bad(
    'POST',
    '/api/webchat/{webchatChannelId}/photos?clientMessageId=p1',
    'visitor',
    400,
    'validation_failed',
    {
      name: 'an empty photo',
      rawBody: '',
      headers: { 'content-type': 'image/jpeg' },
    },
  ),
  bad('GET', `/api/webchat/{webchatChannelId}/photos/${UNKNOWN_ID}`, 'visitor', 404, 'not_found'),
  bad('GET', '/api/webchat/{webchatChannelId}/photos/not-a-uuid', 'visitor', 404, 'not_found'),
  bad('GET', `/api/webchat/{webchatChannelId}/photos/${UNKNOWN_ID}`, 'none', 401, 'unauthorized'),
  bad('GET', '/api/profile', 'none', 401, 'unauthorized'),
  bad('PUT', '/api/profile', 'none', 401, 'unauthorized', { body: { displayName: 'Sam', avatarUrl: null } }),
  bad('PUT', '/api/profile', 'no-csrf', 403, 'csrf_failed', {
    body: { displayName: 'Sam', avatarUrl: null },
  }),
  bad('PUT', '/api/profile', 'agent', 400, 'invalid_json', { rawBody: '{"displayName":' }),
  bad('PUT', '/api/profile', 'agent', 400, 'validation_failed', { body: { displayName: 'Sam' } }),
  bad('PUT', '/api/profile', 'agent', 400, 'validation_failed', {
    body: { displayName: 'Sam', avatarUrl: 'data:image/png;base64,AAAA' },
  }),
  // ── AI answers settings (issue 14, llm): owner only; the key write-only; on needs an address, model and key ──
  bad('GET', '/api/settings/ai-answers', 'none', 401, 'unauthorized'),
  bad('GET', '/api/settings/ai-answers', 'apikey', 401, 'unauthorized'),
  bad('GET', '/api/settings/ai-answers', 'editor', 403, 'forbidden'),
  bad('GET', '/api/settings/ai-answers', 'agent', 403, 'forbidden'),
  bad('PUT', '/api/settings/ai-answers', 'session', 400, 'invalid_json', { rawBody: '{"enabled":' }),
  bad('PUT', '/api/settings/ai-answers', 'session', 400, 'validation_failed', { body: {} }),
  bad('PUT', '/api/settings/ai-answers', 'session', 400, 'validation_failed', {
    name: 'switched on without an address or model',
    body: { ...VALID_AI_ANSWERS, baseUrl: '', model: '' },
  }),
  bad('PUT', '/api/settings/ai-answers', 'session', 400, 'validation_failed', {
    name: 'not a web address',
    body: { ...VALID_AI_ANSWERS, baseUrl: 'file:///etc/passwd' },
  }),
  bad('PUT', '/api/settings/ai-answers', 'session', 400, 'validation_failed', {
    name: 'credentials in the address',
    body: { ...VALID_AI_ANSWERS, baseUrl: 'https://user:pass@api.example.com/v1' },
  }),
  bad('PUT', '/api/settings/ai-answers', 'session', 400, 'validation_failed', {
    name: 'a negative price',
    body: { ...VALID_AI_ANSWERS, outputPricePer1k: -1 },
  }),
  bad('PUT', '/api/settings/ai-answers', 'session', 400, 'validation_failed', {
    name: 'an unknown currency',
    body: { ...VALID_AI_ANSWERS, currency: 'XYZ' },
  }),
  bad('PUT', '/api/settings/ai-answers', 'session', 400, 'validation_failed', {
    name: 'an unknown field',
    body: { ...VALID_AI_ANSWERS, temperature: 2 },
  }),
  bad('PUT', '/api/settings/ai-answers', 'session', 400, 'validation_failed', {
    name: 'switched on with no key stored or given',
    body: { ...VALID_AI_ANSWERS, apiKey: undefined },
  }),
  bad('PUT', '/api/settings/ai-answers', 'session', 413, 'payload_too_large', { rawBody: OVERSIZED }),
  bad('PUT', '/api/settings/ai-answers', 'no-csrf', 403, 'csrf_failed', { body: VALID_AI_ANSWERS }),
  bad('PUT', '/api/settings/ai-answers', 'editor', 403, 'forbidden', { body: VALID_AI_ANSWERS }),
  bad('POST', '/api/settings/ai-answers/test', 'none', 401, 'unauthorized', { body: VALID_AI_TEST }),
  bad('POST', '/api/settings/ai-answers/test', 'no-csrf', 403, 'csrf_failed', { body: VALID_AI_TEST }),
  bad('POST', '/api/settings/ai-answers/test', 'agent', 403, 'forbidden', { body: VALID_AI_TEST }),
  bad('POST', '/api/settings/ai-answers/test', 'session', 400, 'invalid_json', { rawBody: '{"baseUrl":' }),
  bad('POST', '/api/settings/ai-answers/test', 'session', 400, 'validation_failed', { body: {} }),
  bad('POST', '/api/settings/ai-answers/test', 'session', 400, 'validation_failed', {
    name: 'no key saved or given',
    body: { ...VALID_AI_TEST, apiKey: undefined },
  }),
]

/** The characters text hygiene refuses, each as a label and the text. */
function unsafeTexts(): [string, string][] {
  return [
    ['NUL', '\u0000'],
    ['a lone high surrogate', '\uD83D'],
    ['a lone low surrogate', '\uDE00'],
  ]
}

/** A case in one line: method, path, auth, the expected status and code, then body, headers or a name. */
function bad(
  method: BadInputCase['method'],
  path: string,
  auth: Auth,
  expectStatus: number,
  expectCode: ErrorCode,
  extra: Partial<Pick<BadInputCase, 'name' | 'body' | 'rawBody' | 'headers' | 'sign'>> = {},
): BadInputCase {
  return { method, path, auth, expectStatus, expectCode, ...extra }
}

function cartEvent(id: string, channelId?: string) {
  return {
    id,
    type: 'cart.updated',
    contact: channelId ? { channelId, externalId: 'v_1' } : { email: 'alex@example.com' },
    cart: { token: `cart-${id}`, value: '10.00', currency: 'EUR', items: [] },
  }
}

function whatsappMessage() {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'waba',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { phone_number_id: '1000' },
              contacts: [{ wa_id: '491700000000', profile: { name: 'Alex' } }],
              messages: [
                { from: '491700000000', id: 'wamid.1', timestamp: '1', type: 'text', text: { body: 'hi' } },
              ],
            },
          },
        ],
      },
    ],
  }
}

function telegramMessage() {
  return {
    update_id: 1,
    message: { message_id: 1, date: 1, chat: { id: 42, type: 'private' }, from: { id: 42 }, text: 'hi' },
  }
}

function demoCart(sku = 'tee-1') {
  return { cartToken: 'demo-cart-123', items: [{ sku, quantity: 1 }] }
}

async function setUpFixture(deps: RuntimeDeps, app: ReturnType<typeof createApp>) {
  const a = await seedMerchant(deps.db, { name: 'Merchant A' })
  const b = await seedMerchant(deps.db, { name: 'Merchant B' })
  const sessions: Record<'owner' | 'editor' | 'agent' | 'other', SignedIn> = {
    owner: await signIn(app, a),
    editor: await signIn(app, await seedUser(deps.db, a.merchantId, { role: 'editor' })),
    agent: await signIn(app, await seedUser(deps.db, a.merchantId, { role: 'agent' })),
    other: await signIn(app, b),
  }
  const json = async <T>(res: Response | Promise<Response>) => (await (await res).json()) as T
  const write = (path: string, body: unknown, method = 'POST') =>
    app.request(path, { method, headers: sessions.owner.write, body: JSON.stringify(body) })

  const flow = await json<{ id: string }>(write('/api/flows', { name: 'Live' }))
  await write(`/api/flows/${flow.id}`, { name: 'Live', document: validFlowDocument('Live') }, 'PUT')
  await write(`/api/flows/${flow.id}/publish`, undefined)
  const badFlow = await json<{ id: string }>(write('/api/flows', { name: 'Unfinished' }))
  await write(`/api/flows/${badFlow.id}`, { name: 'Unfinished', document: flowDocumentWithErrors() }, 'PUT')
  const draftCalling = async (name: string, url: string) => {
    const created = await json<{ id: string }>(write('/api/flows', { name }))
    await write(`/api/flows/${created.id}`, { name, document: flowDocumentCalling(url, name) }, 'PUT')
    return created.id
  }
  const templatedHostFlowId = await draftCalling('Shopper picks the host', 'http://{{reply}}/x')
  const metadataFlowId = await draftCalling('Metadata', 'http://169.254.169.254/latest/meta-data/')
  const key = await json<{ apiKey: { id: string }; key: string }>(write('/api/api-keys', { name: 'Store' }))
  const keyB = await json<{ key: string }>(
    app.request('/api/api-keys', {
      method: 'POST',
      headers: sessions.other.write,
      body: JSON.stringify({ name: 'Store B' }),
    }),
  )

  const orderEvent = {
    id: 'order-a-1',
    type: 'order.created',
    contact: { email: 'alex@example.com' },
    order: { id: 'store-order-1', number: ORDER_NUMBER_A, total: '10.00', currency: 'EUR' },
  }
  const order = await app.request('/api/events', {
    method: 'POST',
    headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' },
    body: JSON.stringify(orderEvent),
  })
  if (order.status !== 202) throw new Error(`order event: ${order.status} ${await order.text()}`)

  const { db } = deps
  await seedUser(db, a.merchantId, { role: 'agent', ...LOCKED_OUT })
  for (let i = 0; i < 15; i++) await deps.rateLimits.signIn.failed(LOCKED_OUT.email, '192.0.2.1')
  const webchat = await createChannel(db, a.merchantId, 'webchat')
  const webchat2 = await createChannel(db, a.merchantId, 'webchat')
  const webchatB = await createChannel(db, b.merchantId, 'webchat')
  const disabled = await createChannel(db, a.merchantId, 'webchat')
  await db.updateTable('channels').set({ enabled: false }).where('id', '=', disabled.id).execute()
  const whatsapp = await createChannel(deps, a.merchantId, 'whatsapp', {
    phoneNumberId: '1000',
    accessToken: 'wa-access',
    ...WHATSAPP,
  })
  await createChannel(deps, b.merchantId, 'whatsapp', {
    phoneNumberId: '2000',
    accessToken: 'wa-access-b',
    ...WHATSAPP_B,
  })
  const telegram = await createChannel(deps, a.merchantId, 'telegram', {
    botToken: '1:abc',
    webhookSecret: TELEGRAM_SECRET,
  })
  const shopify = await createChannel(deps, a.merchantId, 'shopify', { webhookSecret: SHOPIFY_SECRET })
  await createChannel(deps, b.merchantId, 'shopify', { webhookSecret: SHOPIFY_SECRET_B })

  const shopperMessage = async (merchantId: string, channelId: string) => {
    const ids = await ensureConversation(db, merchantId, channelId, 'v_shopper')
    const message = await db
      .insertInto('messages')
      .values({
        merchant_id: merchantId,
        conversation_id: ids.conversationId,
        contact_id: ids.contactId,
        direction: 'in',
        author: 'shopper',
        body: { text: 'Where is my order?' },
        status: 'delivered',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return { conversationId: ids.conversationId, messageId: message.id }
  }
  const conversationA = await shopperMessage(a.merchantId, webchat.id)
  const conversationB = await shopperMessage(b.merchantId, webchatB.id)

  // The demo store's merchant and web-chat channel (the /demo/api/* routes look them up by name).
  const demo = await seedMerchant(db, { name: DEMO_MERCHANT_NAME })
  const demoChannel = await createChannel(db, demo.merchantId, 'webchat')

  const now = deps.clock.now()
  const token = (merchantId: string, channelId: string, at = now) =>
    issueVisitorToken({ merchantId, channelId, visitorId: 'v_shopper' }, deps.config.secret, at).token
  const visitorToken = token(a.merchantId, webchat.id)
  // Change the signature's first character (its last may carry only padding bits).
  const [payload, signature = ''] = visitorToken.split('.')
  const visitorTokenForged = `${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`

  const fixture: Fixture = {
    merchantA: a.merchantId,
    merchantB: b.merchantId,
    ownerId: a.userId,
    ownerEmail: a.email,
    flowId: flow.id,
    badFlowId: badFlow.id,
    templatedHostFlowId,
    metadataFlowId,
    apiKeyId: key.apiKey.id,
    apiKey: key.key,
    apiKeyB: keyB.key,
    conversationId: conversationA.conversationId,
    messageId: conversationA.messageId,
    conversationBId: conversationB.conversationId,
    messageBId: conversationB.messageId,
    webchatChannelId: webchat.id,
    webchatChannel2Id: webchat2.id,
    webchatChannelBId: webchatB.id,
    disabledWebchatChannelId: disabled.id,
    whatsappChannelId: whatsapp.id,
    telegramChannelId: telegram.id,
    shopifyChannelId: shopify.id,
    visitorToken,
    visitorTokenForged,
    visitorTokenOtherMerchant: token(b.merchantId, webchatB.id),
    visitorTokenOtherChannel: token(a.merchantId, webchat2.id),
    visitorTokenExpired: token(a.merchantId, webchat.id, now - 31 * 24 * 60 * 60 * 1000),
    demoVisitorToken: token(demo.merchantId, demoChannel.id),
  }
  return { fixture, sessions }
}

function authHeaders(
  auth: Auth,
  sessions: Awaited<ReturnType<typeof setUpFixture>>['sessions'],
  fixture: Fixture,
): Record<string, string> {
  switch (auth) {
    case 'none':
      return {}
    case 'session':
      return { cookie: sessions.owner.cookie, 'x-csrf-token': sessions.owner.csrfToken }
    case 'editor':
      return { cookie: sessions.editor.cookie, 'x-csrf-token': sessions.editor.csrfToken }
    case 'agent':
      return { cookie: sessions.agent.cookie, 'x-csrf-token': sessions.agent.csrfToken }
    case 'no-csrf':
      return { cookie: sessions.owner.cookie }
    case 'wrong-merchant':
      return { cookie: sessions.other.cookie, 'x-csrf-token': sessions.other.csrfToken }
    case 'apikey':
      return { authorization: `Bearer ${fixture.apiKey}` }
    case 'bad-apikey':
      return { authorization: `Bearer pk_live_0badc0de_${'x'.repeat(43)}` }
    case 'apikey-b':
      return { authorization: `Bearer ${fixture.apiKeyB}` }
    case 'visitor':
      return { authorization: `Bearer ${fixture.visitorToken}` }
    case 'visitor-forged':
      return { authorization: `Bearer ${fixture.visitorTokenForged}` }
    case 'visitor-other-merchant':
      return { authorization: `Bearer ${fixture.visitorTokenOtherMerchant}` }
    case 'visitor-other-channel':
      return { authorization: `Bearer ${fixture.visitorTokenOtherChannel}` }
    case 'visitor-expired':
      return { authorization: `Bearer ${fixture.visitorTokenExpired}` }
    case 'demo-visitor':
      return { authorization: `Bearer ${fixture.demoVisitorToken}` }
  }
}

describe.each(testDatabases())('bad input on %s', (kind) => {
  let t: TestDeps
  let app: ReturnType<typeof createApp>
  let setup: Awaited<ReturnType<typeof setUpFixture>>
  beforeAll(async () => {
    t = await createTestDeps(kind)
    app = createApp(t.deps)
    setup = await setUpFixture(t.deps, app)
  })
  afterAll(() => t.close())

  it.each(cases.map((c) => [`${c.name ? `${c.name}: ` : ''}${c.method} ${c.path} as ${c.auth}`, c] as const))(
    '%s',
    async (_label, c) => {
      const fill = (text: string) =>
        text.replace(/\{(\w+)\}/g, (_m, key: string) => {
          const value = setup.fixture[key as keyof Fixture]
          if (value === undefined) throw new Error(`No fixture field ${key}`)
          return value
        })
      const path = fill(c.path)
      const hasBody = c.body !== undefined || c.rawBody !== undefined
      const bodyText = c.rawBody ?? (c.body === undefined ? '' : fill(JSON.stringify(c.body)))
      const headers: Record<string, string> = {
        ...(hasBody ? { 'content-type': 'application/json' } : {}),
        ...authHeaders(c.auth, setup.sessions, setup.fixture),
        ...Object.fromEntries(Object.entries(c.headers ?? {}).map(([name, value]) => [name, fill(value)])),
      }
      if (c.sign === 'whatsapp' || c.sign === 'whatsapp-other') {
        const secret = c.sign === 'whatsapp' ? WHATSAPP.appSecret : WHATSAPP_B.appSecret
        headers['x-hub-signature-256'] = signWhatsAppBody(bodyText, secret)
      }
      if (c.sign === 'shopify' || c.sign === 'shopify-other') {
        const secret = c.sign === 'shopify' ? SHOPIFY_SECRET : SHOPIFY_SECRET_B
        headers['x-shopify-hmac-sha256'] = signShopifyBody(bodyText, secret)
      }
      const before = await snapshotDatabase(t.deps.db)
      const res = await app.request(path, {
        method: c.method,
        headers,
        ...(hasBody ? { body: bodyText } : {}),
      })
      const text = await res.text()
      expect(res.status, text.slice(0, 300)).toBe(c.expectStatus)
      expect(res.headers.get('content-type')).toContain('application/json')
      const body = errorBodySchema.parse(JSON.parse(text))
      expect(body.error.code).toBe(c.expectCode)
      expect(await snapshotDatabase(t.deps.db)).toEqual(before)
    },
  )

  it('the snapshot does see writes (a control)', async () => {
    const before = await snapshotDatabase(t.deps.db)
    const res = await app.request('/api/flows', {
      method: 'POST',
      headers: setup.sessions.owner.write,
      body: JSON.stringify({ name: 'Control' }),
    })
    expect(res.status).toBe(201)
    const after = await snapshotDatabase(t.deps.db)
    expect(after.flows?.rows).toBe((before.flows?.rows ?? 0) + 1)
    expect(after.flows?.hash).not.toBe(before.flows?.hash)
  })
})
