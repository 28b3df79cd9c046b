// Quiet hours: the rule lives in packages/flow, so the simulator defers sends with the same code.
export { isInQuietHours, type QuietHours, quietHoursEnd } from '@parley/flow'
