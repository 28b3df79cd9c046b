// Send policy: the pure rules (shared by the runtime and the simulator) and their plain-language reasons.
export * from './local-time.ts'
export * from './opt-out-keywords.ts'
export * from './quiet-hours.ts'
export * from './send-policy.ts'
export * from './send-reasons.ts'
export * from './whatsapp-window.ts'
