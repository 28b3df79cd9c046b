// Re-seals every channel secret under the newest encryption key (the first of ENCRYPTION_KEYS), so the older keys
// can be dropped. Run with the same environment as the runtime, after every replica has the new key list:
//   ENCRYPTION_KEYS="k2:<new>,k1:<old>" node --import tsx apps/runtime/src/security/rotate-key.ts
// Safe to run while the runtime serves (each row is rewritten under a row lock) and to run again.
import { pathToFileURL } from 'node:url'
import { openDatabase } from '@parley/db'
import { resealChannelSecrets } from '../channels/channel-secrets.ts'
import { loadConfig } from '../config.ts'

export async function rotateEncryptionKey(env: Record<string, string | undefined> = process.env) {
  const config = loadConfig(env)
  const opened = await openDatabase(
    config.DATABASE_URL ? { url: config.DATABASE_URL, poolSize: 2 } : { dataDir: config.DATA_DIR },
  )
  try {
    const outcome = await resealChannelSecrets(opened.db, config.keyring, { rotate: true })
    return { ...outcome, keyId: config.keyring.currentKeyId }
  } finally {
    await opened.close()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  rotateEncryptionKey().then(
    (outcome) => {
      console.log(
        `Channel secrets now under key "${outcome.keyId}": ${outcome.resealed} re-sealed, ` +
          `${outcome.sealed} plain-text sealed, ${outcome.channels} channels checked.`,
      )
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error)
      process.exit(1)
    },
  )
}
