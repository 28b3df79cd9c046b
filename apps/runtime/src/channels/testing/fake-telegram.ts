// A fake Telegram Bot API on loopback: the methods Parley calls, each checking the exact request shape it
// documents and answering as Telegram does ({ ok, result } or { ok: false, error_code, description }). One
// bot token is valid; anything else is 401 Unauthorized, as Telegram answers a revoked token.
import {
  type FakeAnswer,
  type FakeProvider,
  type RecordedRequest,
  startFakeProvider,
} from './fake-provider.ts'

export interface FakeTelegram extends FakeProvider {
  /** The webhook Telegram would post to, as the last setWebhook set it (null after deleteWebhook). */
  webhook: { url: string; secretToken: string; allowedUpdates: string[] } | null
  /** sendMessage / sendPhoto bodies, in order. */
  sent: Record<string, unknown>[]
}

const refuse = (code: number, description: string): FakeAnswer => ({
  status: code,
  body: { ok: false, error_code: code, description },
})
const ok = (result: unknown): FakeAnswer => ({ status: 200, body: { ok: true, result } })

export async function startFakeTelegram(options: {
  botToken: string
  username: string
}): Promise<FakeTelegram> {
  let messageId = 0
  const fake = (await startFakeProvider(() => refuse(404, 'Not Found'))) as FakeTelegram
  fake.webhook = null
  fake.sent = []
  fake.fallback = (request: RecordedRequest): FakeAnswer => {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(request.path)
    if (!match || request.method !== 'POST') return refuse(404, 'Not Found')
    const [, token, method] = match
    if (token !== options.botToken) return refuse(401, 'Unauthorized')
    const body = (request.body ?? {}) as Record<string, unknown>
    if (request.body !== undefined && !String(request.headers['content-type']).includes('application/json')) {
      return refuse(400, 'Bad Request: expected JSON')
    }
    switch (method) {
      case 'getMe':
        return ok({
          id: Number(token!.split(':')[0]),
          is_bot: true,
          first_name: 'Shop bot',
          username: options.username,
        })
      case 'setWebhook': {
        if (typeof body.url !== 'string' || !/^https?:\/\//.test(body.url)) {
          return refuse(400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook')
        }
        if (typeof body.secret_token !== 'string' || !/^[A-Za-z0-9_-]{1,256}$/.test(body.secret_token)) {
          return refuse(400, 'Bad Request: secret token contains unallowed characters')
        }
        if (
          !Array.isArray(body.allowed_updates) ||
          !body.allowed_updates.every((u) => typeof u === 'string')
        ) {
          return refuse(400, 'Bad Request: allowed_updates must be an array of strings')
        }
        fake.webhook = {
          url: body.url,
          secretToken: body.secret_token,
          allowedUpdates: body.allowed_updates as string[],
        }
        return ok(true)
      }
      case 'deleteWebhook':
        fake.webhook = null
        return ok(true)
      case 'sendMessage':
      case 'sendPhoto': {
        if (body.chat_id === undefined) return refuse(400, 'Bad Request: chat_id is empty')
        if (method === 'sendMessage' && (typeof body.text !== 'string' || body.text === '')) {
          return refuse(400, 'Bad Request: message text is empty')
        }
        fake.sent.push({ method, ...body })
        messageId += 1
        return ok({ message_id: messageId, chat: { id: body.chat_id }, date: 0, text: body.text })
      }
      case 'answerCallbackQuery':
        return ok(true)
      default:
        return refuse(404, 'Not Found')
    }
  }
  return fake
}
