// A fake Shopify Admin GraphQL API on loopback: the `shop` query and webhookSubscriptionCreate, checking the
// access token header, the API path and the mutation's variables as Shopify's schema types them.
import {
  type FakeAnswer,
  type FakeProvider,
  type RecordedRequest,
  startFakeProvider,
} from './fake-provider.ts'

export interface FakeShopify extends FakeProvider {
  /** Registered subscriptions: topic → callback URL. */
  subscriptions: Map<string, string>
}

const TOPIC = /^[A-Z_]+$/

export async function startFakeShopify(options: {
  accessToken: string
  shopName: string
  apiVersion: string
}): Promise<FakeShopify> {
  let counter = 0
  const fake = (await startFakeProvider(() => ({
    status: 404,
    body: { errors: 'Not Found' },
  }))) as FakeShopify
  fake.subscriptions = new Map()
  fake.fallback = (request: RecordedRequest): FakeAnswer => {
    if (request.method !== 'POST' || request.path !== `/admin/api/${options.apiVersion}/graphql.json`) {
      return { status: 404, body: { errors: 'Not Found' } }
    }
    if (request.headers['x-shopify-access-token'] !== options.accessToken) {
      return {
        status: 401,
        body: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' },
      }
    }
    const body = (request.body ?? {}) as { query?: unknown; variables?: Record<string, unknown> }
    const query = typeof body.query === 'string' ? body.query : ''
    if (/^\s*query\s*\{\s*shop\s*\{/.test(query)) {
      return {
        status: 200,
        body: { data: { shop: { name: options.shopName, myshopifyDomain: 'fake.myshopify.com' } } },
      }
    }
    if (
      /mutation webhookSubscriptionCreate\(\$topic: WebhookSubscriptionTopic!, \$webhookSubscription: WebhookSubscriptionInput!\)/.test(
        query,
      )
    ) {
      const topic = body.variables?.topic
      const input = body.variables?.webhookSubscription as Record<string, unknown> | undefined
      if (typeof topic !== 'string' || !TOPIC.test(topic)) {
        return {
          status: 200,
          body: {
            errors: [
              { message: `Variable $topic of type WebhookSubscriptionTopic! was provided invalid value` },
            ],
          },
        }
      }
      if (!input || typeof input.callbackUrl !== 'string' || input.format !== 'JSON') {
        return {
          status: 200,
          body: { errors: [{ message: 'Variable $webhookSubscription was provided invalid value' }] },
        }
      }
      const taken = fake.subscriptions.get(topic) === input.callbackUrl
      fake.subscriptions.set(topic, input.callbackUrl)
      counter += 1
      return {
        status: 200,
        body: {
          data: {
            webhookSubscriptionCreate: taken
              ? {
                  webhookSubscription: null,
                  userErrors: [
                    { field: ['callbackUrl'], message: 'Address for this topic has already been taken' },
                  ],
                }
              : {
                  webhookSubscription: { id: `gid://shopify/WebhookSubscription/${counter}`, topic },
                  userErrors: [],
                },
          },
        },
      }
    }
    return { status: 200, body: { errors: [{ message: 'Unexpected query' }] } }
  }
  return fake
}
