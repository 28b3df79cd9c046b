// The simulator's engine: a run in the store's world, with the runtime's rules.
export * from './simulation-world.ts'
export * from './world-simulation.ts'
