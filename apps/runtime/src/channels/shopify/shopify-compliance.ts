// Shopify's mandatory privacy webhooks and app/uninstalled, after the route verified the HMAC. Deduplicated like
// every Shopify webhook (webhook id and event id receipts), in one transaction each:
//   customers/data_request → an export of everything held about the shopper, for the owner to download
//                            (GET /api/privacy/exports/:id)
//   customers/redact       → the shopper's personal data and transcripts erased, with any earlier export of them
//   shop/redact            → the store's data deleted (contacts/shop-redaction.ts)
//   app/uninstalled        → the store connection disabled and marked disconnected
// Still received on a disabled channel: Shopify sends shop/redact 48 hours after the uninstall.
import type { Channel, JsonObject } from '@parley/db'
import { deleteShopData } from '../../contacts/shop-redaction.ts'
import { exportShopperData, redactShopper, type ShopperRef } from '../../contacts/shopper-privacy.ts'
import type { RuntimeDeps } from '../../deps.ts'
import { claimReceipts } from '../../engine/receipts.ts'

export const SHOPIFY_COMPLIANCE_TOPICS = [
  'customers/data_request',
  'customers/redact',
  'shop/redact',
  'app/uninstalled',
] as const
export type ShopifyComplianceTopic = (typeof SHOPIFY_COMPLIANCE_TOPICS)[number]

export function isShopifyComplianceTopic(topic: string): topic is ShopifyComplianceTopic {
  return (SHOPIFY_COMPLIANCE_TOPICS as readonly string[]).includes(topic)
}

export const UNINSTALLED_REASON = 'The Parley app was uninstalled from the Shopify store'

type Obj = Record<string, unknown>
const isObj = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const idOf = (value: unknown): string | undefined =>
  typeof value === 'number' || (typeof value === 'string' && value !== '') ? String(value) : undefined
const strOf = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined

export interface ComplianceResult {
  duplicate: boolean
  /** The export a data request produced. */
  exportId?: string
}

export async function handleShopifyCompliance(
  deps: RuntimeDeps,
  channel: Channel,
  topic: ShopifyComplianceTopic,
  payload: unknown,
  receipt: { source: string; keys: readonly string[] },
): Promise<ComplianceResult> {
  const body = isObj(payload) ? payload : {}
  const customer = isObj(body.customer) ? body.customer : {}
  const customerId = idOf(customer.id) ?? null
  const merchantId = channel.merchant_id
  const now = deps.clock.now()
  return deps.db.transaction().execute(async (trx) => {
    if (!(await claimReceipts(trx, merchantId, receipt.source, receipt.keys, now))) return { duplicate: true }
    switch (topic) {
      case 'customers/data_request': {
        const ref = shopperRef(customer, body.orders_requested)
        const exported = await exportShopperData(trx, merchantId, ref)
        const row = await trx
          .insertInto('privacy_requests')
          .values({
            merchant_id: merchantId,
            channel_id: channel.id,
            topic,
            shopify_customer_id: customerId,
            shopify_request_id: isObj(body.data_request) ? (idOf(body.data_request.id) ?? null) : null,
            export: {
              shop: strOf(body.shop_domain) ?? null,
              shopifyCustomerId: customerId,
              ...exported,
            } as JsonObject,
            created_at: new Date(now),
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        return { duplicate: false, exportId: row.id }
      }
      case 'customers/redact': {
        const erased = await redactShopper(trx, merchantId, shopperRef(customer, body.orders_to_redact))
        if (customerId !== null) {
          await trx
            .deleteFrom('privacy_requests')
            .where('merchant_id', '=', merchantId)
            .where('shopify_customer_id', '=', customerId)
            .execute()
        }
        // The record that the request was honoured names the shopper by Shopify's id only.
        await trx
          .insertInto('privacy_requests')
          .values({
            merchant_id: merchantId,
            channel_id: channel.id,
            topic,
            shopify_customer_id: customerId,
            created_at: new Date(now),
          })
          .execute()
        deps.logger.info('shopify: shopper redacted', { merchantId, contacts: erased })
        return { duplicate: false }
      }
      case 'shop/redact':
        await deleteShopData(trx, merchantId, channel.id)
        deps.logger.info('shopify: shop data deleted', { merchantId, channelId: channel.id })
        return { duplicate: false }
      case 'app/uninstalled':
        await trx
          .updateTable('channels')
          .set({
            enabled: false,
            disconnected_at: new Date(now),
            disconnected_reason: UNINSTALLED_REASON,
            updated_at: new Date(now),
          })
          .where('merchant_id', '=', merchantId)
          .where('id', '=', channel.id)
          .execute()
        return { duplicate: false }
    }
  })
}

function shopperRef(customer: Obj, orders: unknown): ShopperRef {
  return {
    email: strOf(customer.email),
    phone: strOf(customer.phone),
    orderIds: Array.isArray(orders) ? orders.flatMap((id) => idOf(id) ?? []) : [],
  }
}
