// WhatsApp's 24-hour window: the rule lives in packages/flow, so the simulator applies the same code.
export { isInsideServiceWindow, WHATSAPP_WINDOW_MS } from '@parley/flow'
