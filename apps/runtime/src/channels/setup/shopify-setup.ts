// Connecting a Shopify store through the Admin GraphQL API: the `shop` query proves the access token and
// names the shop; webhookSubscriptionCreate registers each topic the runtime handles at our webhook URL.
import type { RuntimeDeps } from '../../deps.ts'
import { callProviderJson, isObj, type Obj, ProviderRejectedError, str } from './provider-call.ts'

export const SHOPIFY_API_VERSION = '2025-01'

/** The topics registered on connect, as the GraphQL WebhookSubscriptionTopic enum names them. */
export const SHOPIFY_WEBHOOK_TOPICS = [
  'CHECKOUTS_CREATE',
  'CHECKOUTS_UPDATE',
  'ORDERS_CREATE',
  'ORDERS_PAID',
  'FULFILLMENTS_CREATE',
  'FULFILLMENTS_UPDATE',
  'PRODUCTS_CREATE',
  'PRODUCTS_UPDATE',
  'PRODUCTS_DELETE',
  'APP_UNINSTALLED',
] as const

export const SHOP_QUERY = 'query { shop { name myshopifyDomain } }'

export const WEBHOOK_SUBSCRIPTION_CREATE = `mutation webhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {
    webhookSubscription { id topic }
    userErrors { field message }
  }
}`

type Deps = Pick<RuntimeDeps, 'egress' | 'config'>
export interface ShopifyCredentials {
  shopDomain: string
  accessToken: string
}

function adminUrl(deps: Deps, shopDomain: string): string {
  const base = (deps.config.SHOPIFY_ADMIN_URL ?? `https://${shopDomain}`).replace(/\/+$/, '')
  return `${base}/admin/api/${SHOPIFY_API_VERSION}/graphql.json`
}

/** One Admin GraphQL call under the egress policy; Shopify's refusal (or a GraphQL error) is thrown in its words. */
export async function shopifyGraphql(
  deps: Deps,
  credentials: ShopifyCredentials,
  query: string,
  variables?: Obj,
): Promise<Obj> {
  const answer = await callProviderJson(deps, 'Shopify', {
    method: 'POST',
    url: adminUrl(deps, credentials.shopDomain),
    headers: { 'x-shopify-access-token': credentials.accessToken },
    body: variables ? { query, variables } : { query },
  })
  const json = isObj(answer.json) ? answer.json : {}
  if (answer.status < 200 || answer.status >= 300) {
    // REST-style { errors: "[API] Invalid API key or access token ..." } on 401.
    const words = str(json.errors) ?? `HTTP ${answer.status}`
    throw new ProviderRejectedError('Shopify', words)
  }
  if (Array.isArray(json.errors) && json.errors.length > 0) {
    const first = isObj(json.errors[0]) ? str(json.errors[0].message) : undefined
    throw new ProviderRejectedError('Shopify', first ?? 'the query failed')
  }
  return isObj(json.data) ? json.data : {}
}

export async function readShop(deps: Deps, credentials: ShopifyCredentials): Promise<{ name: string }> {
  const data = await shopifyGraphql(deps, credentials, SHOP_QUERY)
  const name = isObj(data.shop) ? str(data.shop.name) : undefined
  if (!name) throw new ProviderRejectedError('Shopify', 'the shop query returned no shop')
  return { name }
}

/** Registers every topic; a topic already registered at this address counts as done. */
export async function registerShopifyWebhooks(
  deps: Deps,
  credentials: ShopifyCredentials,
  callbackUrl: string,
): Promise<string[]> {
  const registered: string[] = []
  for (const topic of SHOPIFY_WEBHOOK_TOPICS) {
    const data = await shopifyGraphql(deps, credentials, WEBHOOK_SUBSCRIPTION_CREATE, {
      topic,
      webhookSubscription: { callbackUrl, format: 'JSON' },
    })
    const result = isObj(data.webhookSubscriptionCreate) ? data.webhookSubscriptionCreate : {}
    const errors = Array.isArray(result.userErrors) ? result.userErrors.filter(isObj) : []
    const refusal = errors.map((e) => str(e.message)).find((m) => m && !/already been taken/i.test(m))
    if (refusal) throw new ProviderRejectedError('Shopify', `${topic}: ${refusal}`)
    registered.push(topic)
  }
  return registered
}
