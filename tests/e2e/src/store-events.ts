// The store's side of the product, as a shop platform calls it: an API key made by the signed-in owner, then
// commerce events (POST /api/events). Specs use it to put in place the shoppers and carts they rely on, instead of
// relying on what specs that ran before left behind.
import type { APIRequestContext } from 'playwright-core'
import { expect } from 'vitest'

/** A new store API key, made through the owner's session (the request context shares the page's cookie). */
export async function storeApiKey(
  request: APIRequestContext,
  baseUrl: string,
  name: string,
): Promise<string> {
  const { csrfToken } = (await (await request.get(`${baseUrl}/api/auth/session`)).json()) as {
    csrfToken: string
  }
  const created = await request.post(`${baseUrl}/api/api-keys`, {
    headers: { 'x-csrf-token': csrfToken },
    data: { name },
  })
  expect(created.status(), await created.text()).toBe(201)
  return ((await created.json()) as { key: string }).key
}

/** Sends one commerce event as the store; the runtime accepts it (202). */
export async function sendStoreEvent(
  request: APIRequestContext,
  baseUrl: string,
  key: string,
  event: Record<string, unknown>,
): Promise<void> {
  const response = await request.post(`${baseUrl}/api/events`, {
    headers: { authorization: `Bearer ${key}` },
    data: event,
  })
  expect(response.status(), await response.text()).toBe(202)
}
