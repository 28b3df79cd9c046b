// The shopper's wall-clock time: the rule lives in packages/flow (the simulator uses it too).
export { isValidTimeZone, type LocalTime, localTime, monthStart, pickTimeZone } from '@parley/flow'
