// Product-question answers without an LLM (issue 14 acceptance 4: p95 ≤ 50 ms over a 50,000-variant catalogue):
// one merchant with 5,000 products × 2 colours × 5 sizes (50,000 variants, some sold out, prices per size),
// written with the catalogue writer an import uses; then the `product.answer` effect's own path per question —
// retrieval from the database (full-text + trigram candidates, their variants) and the pure answer rule — over
// a mix of questions: a product named exactly with a size, with typos, colours, a comparison, one naming a kind
// many products share (ambiguous: no answer), and one naming nothing. Baseline in the same run and database: a
// one-word catalogue search (catalogue/catalogue-search.ts), so the ratio says what one answer costs in searches.
//   cd bench && node --import tsx product-answer.bench.ts                                       (PGlite)
//   node scripts/with-postgres.mjs sh -c 'cd bench && node --import tsx product-answer.bench.ts'   (Postgres)
import { loadavg } from 'node:os'
import { createTestDatabase } from '@parley/db/testing'
import { sql } from 'kysely'
import { searchProducts } from '../apps/runtime/src/catalogue/catalogue-search.ts'
import { writeProducts } from '../apps/runtime/src/catalogue/catalogue-writer.ts'
import { answerProductQuestion } from '../apps/runtime/src/effects/product-answer.ts'
import { productDraft } from '../apps/runtime/src/testing/catalogue-fixtures.ts'
import { seedMerchant } from '../apps/runtime/src/testing/test-deps.ts'
import { ADJECTIVES, COLOURS, NOUNS } from './generate-catalogue-csv.ts'

const PRODUCTS = Number(process.env.PRODUCT_ANSWER_BENCH_PRODUCTS ?? 5000)
const QUESTIONS = Number(process.env.PRODUCT_ANSWER_BENCH_QUESTIONS ?? 300)
const SIZES = ['XS', 'S', 'M', 'L', 'XL']

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number
}

const SYLLABLES = [
  'ba',
  'ko',
  'mi',
  'ru',
  'te',
  'lo',
  'na',
  'vi',
  'do',
  'se',
  'ka',
  'po',
  'li',
  'mu',
  'fe',
  'ra',
  'to',
  'ne',
  'gu',
  'ho',
]

/** "Classic Hoodie Mirute": a kind many products share, and a name of its own (no numbers, as stores write). */
function title(i: number): string {
  const name = [i % 20, Math.floor(i / 20) % 20, Math.floor(i / 400) % 20].map((k) => SYLLABLES[k]).join('')
  return `${ADJECTIVES[i % ADJECTIVES.length]} ${NOUNS[(i * 7) % NOUNS.length]} ${name[0]?.toUpperCase()}${name.slice(1)}`
}

function colours(i: number): [string, string] {
  return [COLOURS[i % COLOURS.length] as string, COLOURS[(i + 3) % COLOURS.length] as string]
}

function question(n: number): string {
  const i = (n * 7919) % PRODUCTS
  const [first, second] = colours(i)
  switch (n % 7) {
    case 0:
      return `Is the ${title(i)} available in M?`
    case 1:
      // Typos in the product and the colour.
      return `do you have the ${title(i).replace('Hoodie', 'Hodie').replace('Classic', 'Clasic')} in ${first.toLowerCase()}y?`
    case 2:
      return `What colours does the ${title(i)} come in?`
    case 3:
      return `${title(i)} in ${second} size L?`
    case 4:
      return `${title(i)} vs ${title((i + 1) % PRODUCTS)}?`
    case 5:
      // Names a kind of product thousands share: ambiguous, so no answer (a person takes it).
      return `is the ${(NOUNS[n % NOUNS.length] as string).toLowerCase()} in stock?`
    default:
      return 'Do you ship to Iceland?'
  }
}

async function main() {
  const kind = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite'
  const database = await createTestDatabase(kind)
  const db = database.db
  try {
    const merchantId = (await seedMerchant(db)).merchantId
    const seedStarted = performance.now()
    for (let start = 0; start < PRODUCTS; start += 500) {
      const drafts = []
      for (let i = start; i < Math.min(PRODUCTS, start + 500); i++) {
        drafts.push(
          productDraft({
            title: title(i),
            options: { Colour: colours(i), Size: SIZES },
            stock: ([colour, size]) => ((i + (colour?.length ?? 0) + (size?.length ?? 0)) % 4 === 0 ? 0 : 6),
            price: ([, size]) => (size === 'XL' ? '64.00' : '59.00'),
            description: `Our ${title(i).toLowerCase()}, cut from organic cotton. Machine wash cold.`,
          }),
        )
      }
      await writeProducts(db, merchantId, drafts, new Date())
    }
    await sql`analyze products`.execute(db)
    await sql`analyze product_variants`.execute(db)
    const seedSeconds = (performance.now() - seedStarted) / 1000
    const variants = await db
      .selectFrom('product_variants')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('merchant_id', '=', merchantId)
      .executeTakeFirstOrThrow()

    const load = loadavg()[0]
    for (let n = 0; n < 30; n++) await answerProductQuestion(db, merchantId, question(n), [])
    const times: number[] = []
    const byKind = new Map<number, number[]>()
    let answered = 0
    for (let n = 0; n < QUESTIONS; n++) {
      const t0 = performance.now()
      const answer = await answerProductQuestion(db, merchantId, question(n), [])
      const ms = performance.now() - t0
      times.push(ms)
      byKind.set(n % 7, [...(byKind.get(n % 7) ?? []), ms])
      if (answer) answered += 1
    }
    // Baseline: one-word catalogue searches (a page of 25 and the count), as the Catalogue screen runs them.
    const searchTimes: number[] = []
    for (let n = 0; n < 20; n++) await searchProducts(db, merchantId, { q: 'hoodie', limit: 25, offset: 0 })
    for (let n = 0; n < QUESTIONS; n++) {
      const word = (NOUNS[n % NOUNS.length] as string).split(' ')[0] as string
      const t0 = performance.now()
      await searchProducts(db, merchantId, { q: word, limit: 25, offset: 0 })
      searchTimes.push(performance.now() - t0)
    }
    const sample = await answerProductQuestion(db, merchantId, question(0), [])
    const p95 = percentile(times, 95)
    const searchP95 = percentile(searchTimes, 95)
    const kinds = ['named+size', 'typos', 'colours', 'colour+size', 'compare', 'ambiguous', 'nothing']
    console.log(
      JSON.stringify({
        kind,
        loadAverage: load?.toFixed(1),
        products: PRODUCTS,
        variants: Number(variants.n),
        seedSeconds: +seedSeconds.toFixed(1),
        questions: times.length,
        answered,
        answerP50ms: +percentile(times, 50).toFixed(2),
        answerP95ms: +p95.toFixed(2),
        answerMaxMs: +Math.max(...times).toFixed(2),
        p95ByQuestion: Object.fromEntries(
          [...byKind].map(([k, list]) => [kinds[k], +percentile(list, 95).toFixed(2)]),
        ),
        searchP50ms: +percentile(searchTimes, 50).toFixed(2),
        searchP95ms: +searchP95.toFixed(2),
        answerToSearchP95: +(p95 / searchP95).toFixed(2),
        goal: 'answer p95 ≤ 50 ms',
        met: p95 <= 50,
        sample: sample?.text,
      }),
    )
  } finally {
    await database.close()
  }
}

await main()
