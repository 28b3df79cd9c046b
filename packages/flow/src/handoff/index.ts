// The handoff to a person: business hours and what the shopper is told (shared by the runtime and the simulator).
export * from './business-hours.ts'
export * from './queue-words.ts'
