// Connecting a Telegram bot: getMe proves the token and names the bot; setWebhook points Telegram at our
// webhook with the secret it must echo (X-Telegram-Bot-Api-Secret-Token) and only the updates we handle;
// deleteWebhook on disconnect, so Telegram stops posting to a channel that no longer answers.
import type { RuntimeDeps } from '../../deps.ts'
import { callProviderJson, isObj, ProviderRejectedError, str } from './provider-call.ts'

/** The updates the webhook handles; Telegram sends nothing else. */
export const TELEGRAM_ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const

type Deps = Pick<RuntimeDeps, 'egress' | 'config'>

function methodUrl(deps: Deps, botToken: string, method: string): string {
  return `${deps.config.TELEGRAM_API_URL.replace(/\/+$/, '')}/bot${botToken}/${method}`
}

/** Calls a Bot API method; Telegram's { ok: false, description } becomes the error the owner reads. */
async function callBotApi(deps: Deps, botToken: string, method: string, body?: unknown): Promise<unknown> {
  const answer = await callProviderJson(deps, 'Telegram', {
    method: 'POST',
    url: methodUrl(deps, botToken, method),
    body: body ?? {},
  })
  const json = isObj(answer.json) ? answer.json : {}
  if (json.ok !== true) {
    throw new ProviderRejectedError('Telegram', str(json.description) ?? `HTTP ${answer.status}`)
  }
  return json.result
}

/** The bot's @username (getMe). */
export async function telegramBotUsername(deps: Deps, botToken: string): Promise<string> {
  const me = await callBotApi(deps, botToken, 'getMe')
  const username = isObj(me) ? str(me.username) : undefined
  if (!username) throw new ProviderRejectedError('Telegram', 'getMe returned no username')
  return username
}

export async function setTelegramWebhook(
  deps: Deps,
  botToken: string,
  webhook: { url: string; secretToken: string },
): Promise<void> {
  await callBotApi(deps, botToken, 'setWebhook', {
    url: webhook.url,
    secret_token: webhook.secretToken,
    allowed_updates: TELEGRAM_ALLOWED_UPDATES,
  })
}

export async function deleteTelegramWebhook(deps: Deps, botToken: string): Promise<void> {
  await callBotApi(deps, botToken, 'deleteWebhook', { drop_pending_updates: false })
}
