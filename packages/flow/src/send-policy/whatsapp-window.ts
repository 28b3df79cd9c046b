// WhatsApp's 24-hour customer-service window, opened by the shopper's last inbound message: inside it any
// free-form message is allowed (and free); outside it only an approved template, charged by category.

export const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000

export function isInsideServiceWindow(lastInboundAt: Date | null, at: number): boolean {
  return lastInboundAt !== null && at - lastInboundAt.getTime() < WHATSAPP_WINDOW_MS
}
