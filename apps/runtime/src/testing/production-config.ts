// A production configuration for tests that check what only production does (cookie prefix, /metrics, HSTS).
import { randomBytes } from 'node:crypto'
import { loadConfig, type RuntimeConfig } from '../config.ts'

export function productionConfig(env: Record<string, string> = {}): RuntimeConfig {
  return loadConfig({
    NODE_ENV: 'production',
    SECRET: randomBytes(32).toString('base64url'),
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
    ...env,
  })
}
