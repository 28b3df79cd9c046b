import { createReadStream, writeFileSync } from 'node:fs'
import { createTestDatabase } from '@parley/db/testing'
import { writeProducts } from '../apps/runtime/src/catalogue/catalogue-writer.ts'
import { readProductCsv } from '../apps/runtime/src/catalogue/csv-import.ts'
import { seedMerchant } from '../apps/runtime/src/testing/test-deps.ts'

const file = process.argv[2]!
let t0 = performance.now()
let n = 0
await readProductCsv(createReadStream(file), { currency: 'USD', storeUrl: null }, async (b) => {
  n += b.products.length
})
console.log('parse only', n, (performance.now() - t0).toFixed(0), 'ms')
const database = await createTestDatabase(process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite')
const m = await seedMerchant(database.db)
t0 = performance.now()
let w = 0
await readProductCsv(createReadStream(file), { currency: 'USD', storeUrl: null }, async (b) => {
  const s = performance.now()
  await database.db.transaction().execute((trx) => writeProducts(trx, m.merchantId, b.products, new Date()))
  w += performance.now() - s
})
console.log('parse+write', (performance.now() - t0).toFixed(0), 'ms; write', w.toFixed(0))
await database.close()
