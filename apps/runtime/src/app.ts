// The Hono app: middleware every request passes through, the JSON error shape, and the route modules.
// Built from RuntimeDeps only, so tests drive it with app.request(...) and server.ts serves the same thing.
import type { OpenAPIHono } from '@hono/zod-openapi'
import { SERVER_TIME_HEADER } from '@parley/api'
import { requestId } from 'hono/request-id'
import { shopifyRoutes } from './channels/shopify/routes.ts'
import { telegramRoutes } from './channels/telegram/routes.ts'
import { webchatAppearanceRoutes } from './channels/webchat/appearance.ts'
import { WEBCHAT_PHOTO_UPLOAD_PATH, webchatRoutes } from './channels/webchat/routes.ts'
import { whatsappRoutes } from './channels/whatsapp/routes.ts'
import { demoRoutes } from './demo/demo-routes.ts'
import type { RuntimeDeps } from './deps.ts'
import { accessLog } from './http/access-log.ts'
import type { AppEnv } from './http/app-env.ts'
import { bodyLimit } from './http/body-limit.ts'
import { AppError, isExpectedError, toErrorResponse } from './http/errors.ts'
import { createRouter } from './http/router.ts'
import { securityHeaders } from './http/security-headers.ts'
import { aiAnswersRoutes } from './routes/ai-answers.ts'
import { analyticsRoutes } from './routes/analytics.ts'
import { apiKeyRoutes } from './routes/api-keys.ts'
import { authRoutes } from './routes/auth.ts'
import { cannedReplyRoutes } from './routes/canned-replies.ts'
import { CATALOGUE_UPLOAD_PATH, catalogueRoutes } from './routes/catalogue.ts'
import { channelRoutes } from './routes/channels.ts'
import { conversationTypingRoutes } from './routes/conversation-typing.ts'
import { conversationRoutes } from './routes/conversations.ts'
import { devClockRoutes } from './routes/dev-clock.ts'
import { eventRoutes } from './routes/events.ts'
import { flowRoutes, starterFlowRoutes } from './routes/flows.ts'
import { inviteRoutes } from './routes/invites.ts'
import { linkRedirectRoutes } from './routes/link-redirect.ts'
import { privacyRoutes } from './routes/privacy.ts'
import { queueRoutes } from './routes/queues.ts'
import { settingsRoutes } from './routes/settings.ts'
import { simulationWorldRoutes } from './routes/simulation-world.ts'
import { staffProfileRoutes } from './routes/staff-profile.ts'
import { staticFileRoutes } from './routes/static-files.ts'
import { systemRoutes } from './routes/system.ts'
import { teamRoutes } from './routes/team.ts'

/** Request bodies above this answer 413 payload_too_large before any handler reads them. */
export const MAX_BODY_BYTES = 1024 * 1024

export function createApp(deps: RuntimeDeps): OpenAPIHono<AppEnv> {
  const app = createRouter()

  app.use('*', requestId(), async (c, next) => {
    c.set('deps', deps)
    // Every line logged while this request is handled (the engine's included) carries its request id.
    await deps.logger.withContext({ requestId: c.get('requestId') }, next)
  })
  app.use('*', accessLog)
  // The runtime's clock on the staff's API answers (the dev clock in a demo): the editor tells times by it. Not on
  // the shoppers' web chat (/api/webchat), the inbound hot path, whose widget does not read it.
  app.use('/api/*', async (c, next) => {
    await next()
    if (!c.req.path.startsWith('/api/webchat/')) c.header(SERVER_TIME_HEADER, String(deps.clock.now()))
  })
  app.use('*', securityHeaders(deps.config))
  const appBodyLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new AppError(413, 'payload_too_large', `The body is larger than ${MAX_BODY_BYTES} bytes`)
    },
  })
  // The catalogue upload streams a file of up to 50 MB into its job and enforces that limit itself; so does a
  // web-chat photo (10 MB, channels/webchat/routes.ts).
  app.use('*', (c, next) =>
    c.req.method === 'POST' &&
    (c.req.path === CATALOGUE_UPLOAD_PATH || WEBCHAT_PHOTO_UPLOAD_PATH.test(c.req.path))
      ? next()
      : appBodyLimit(c, next),
  )

  app.onError((err, c) => {
    if (!isExpectedError(err)) {
      deps.logger.error('request failed', { requestId: c.get('requestId'), path: c.req.path, error: err })
    }
    return toErrorResponse(err, c)
  })
  app.notFound((c) => c.json(new AppError(404, 'not_found', 'No such route').toJSON(), 404))

  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'parley_session',
    description:
      'Staff session (named __Host-parley_session in production); mutations also need the X-CSRF-Token header from GET /api/auth/session',
  })
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'Store API key pk_live_<prefix>_<secret>',
  })

  // ── Route modules: one line each. ──────────────────────────────────────────────────────────────────────────
  app.route('/', systemRoutes(deps))
  app.route('/api/auth', authRoutes(deps))
  app.route('/api/api-keys', apiKeyRoutes(deps))
  app.route('/api/catalogue', catalogueRoutes(deps))
  app.route('/api/flows', flowRoutes(deps))
  app.route('/api/starter-flows', starterFlowRoutes())
  // settings and team (settings-team helper)
  // escalation queues (handoff helper): before /api/settings so its own router answers
  app.route('/api/settings/queues', queueRoutes(deps))
  app.route('/api/settings/ai-answers', aiAnswersRoutes(deps))
  app.route('/api/settings', settingsRoutes(deps))
  app.route('/api/team', teamRoutes(deps))
  app.route('/api/invites', inviteRoutes(deps))
  // engine: events, dev clock (engine helper)
  app.route('/api/events', eventRoutes(deps))
  app.route('/api/analytics', analyticsRoutes(deps))
  app.route('/api/simulation-world', simulationWorldRoutes(deps))
  app.route('/api/dev/clock', devClockRoutes(deps))
  // channels: webhooks, web chat, conversations (channels helper)
  app.route('/', webchatRoutes())
  app.route('/', webchatAppearanceRoutes())
  app.route('/', whatsappRoutes())
  app.route('/', telegramRoutes())
  app.route('/', shopifyRoutes())
  app.route('/api/channels', channelRoutes(deps))
  app.route('/api/conversations', conversationRoutes(deps))
  // inbox: canned replies for the composer (inbox helper)
  app.route('/api/canned-replies', cannedReplyRoutes(deps))
  // the shopper's side of a handoff: staff typing (widget helper)
  app.route('/api/conversations', conversationTypingRoutes(deps))
  app.route('/api/profile', staffProfileRoutes(deps))
  // Shopify privacy requests and their exports (provider-contracts helper)
  app.route('/api/privacy', privacyRoutes(deps))
  // message-link redirects that count clicks (attribution helper)
  app.route('/', linkRedirectRoutes(deps))
  // demo store, the widget bundle and the editor SPA: last, so they only see what nothing else answered. The demo
  // store exists only with the dev clock on (never in production): otherwise /demo is a plain 404.
  if (deps.config.devClock) app.route('/', demoRoutes())
  app.route('/', staticFileRoutes(deps))
  // ───────────────────────────────────────────────────────────────────────────────────────────────────────────

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Parley runtime API', version: '1' },
  })
  return app
}
