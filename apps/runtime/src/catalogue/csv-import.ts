// Streams a product CSV through csv-parse into product drafts, handing them on in batches: memory holds one
// batch, never the file. The caller writes each batch (and its progress) before the next is read, so a slow
// database slows the reading instead of filling memory.
import type { Readable } from 'node:stream'
import { CsvError, parse } from 'csv-parse'
import { type AssemblerOptions, CsvFormatError, CsvProductAssembler, type RowError } from './csv-products.ts'
import type { ProductDraft } from './product-draft.ts'

export interface CsvBatch {
  products: ProductDraft[]
  errors: RowError[]
  /** Data rows read so far (the header not counted) and bytes of the file consumed. */
  rows: number
  bytes: number
}

/** The file cannot be read as a whole (not a product CSV, a quote never closed); earlier batches stay written. */
export class CsvImportFailure extends Error {}

export const PRODUCTS_PER_BATCH = 250

/**
 * @example await readProductCsv(fs.createReadStream('products.csv'), { currency: 'USD', storeUrl: null }, write)
 */
export async function readProductCsv(
  input: Readable,
  options: AssemblerOptions,
  writeBatch: (batch: CsvBatch) => Promise<void>,
  productsPerBatch = PRODUCTS_PER_BATCH,
): Promise<void> {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true })
  input.on('error', (error) => parser.destroy(error))
  input.pipe(parser)

  let products: ProductDraft[] = []
  let errors: RowError[] = []
  let assembler: CsvProductAssembler | null = null
  let rows = 0
  let bytes = 0
  // csv-parse counts a CRLF inside a quoted field as two lines: undo that to name the lines an editor shows.
  let extraLines = 0
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[]
      info: { lines: number; bytes: number }
    }>) {
      bytes = info.bytes
      if (!assembler) {
        assembler = new CsvProductAssembler(
          record,
          options,
          (p) => products.push(p),
          (e) => errors.push(e),
        )
        continue
      }
      let inner = 0
      for (const field of record) {
        if (field.length === 0) continue
        const crlf = field.match(/\r\n/g)?.length ?? 0
        extraLines += crlf
        inner += field.match(/\r\n|\r|\n/g)?.length ?? 0
      }
      const endLine = info.lines - extraLines
      rows++
      assembler.push(record, endLine - inner)
      if (products.length >= productsPerBatch) {
        await writeBatch({ products, errors, rows, bytes })
        products = []
        errors = []
      }
    }
  } catch (error) {
    if (error instanceof CsvFormatError) throw new CsvImportFailure(error.message)
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines
      throw new CsvImportFailure(
        `The file could not be read${line ? ` at line ${line - extraLines}` : ''}: ${error.message.replace(/^Invalid [^:]*: /, '')}`,
      )
    }
    throw error
  }
  if (!assembler) throw new CsvImportFailure('The file is empty')
  assembler.finish()
  await writeBatch({ products, errors, rows, bytes })
}
