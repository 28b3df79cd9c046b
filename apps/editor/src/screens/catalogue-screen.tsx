// The catalogue: search and filter the products Parley answers from, open one to see its variants, import a
// Shopify export or a plain CSV with a progress bar and the rows that could not be imported, and the history.
import type { ProductDetail, ProductSearchResult } from '@parley/api'
import { useCallback, useEffect, useId, useRef, useState } from 'react'
import { api, errorMessage } from '../api/api.ts'
import { formatMoney, importOutcome, plural, statusWords, stockWords } from '../catalogue/catalogue-words.ts'
import { type ImportState, useCatalogueImport } from '../catalogue/use-catalogue-import.ts'
import { useConnectedChannels } from '../channels/connected-channels.ts'
import { relativeTime } from '../ui/relative-time.ts'
import { SafeImage } from '../ui/safe-image.tsx'

const PAGE_SIZE = 25

interface Filters {
  q: string
  inStock: boolean
  type: string
  offset: number
}

export function CatalogueScreen() {
  const [filters, setFilters] = useState<Filters>({ q: '', inStock: false, type: '', offset: 0 })
  const [query, setQuery] = useState('')
  const [result, setResult] = useState<ProductSearchResult | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [selected, setSelected] = useState<string | null>(null)
  const [reloads, setReloads] = useState(0)
  const reload = useCallback(() => setReloads((n) => n + 1), [])
  const imports = useCatalogueImport(reload)
  const shopifyConnected = useConnectedChannels()?.has('shopify') ?? false

  // Typing settles for a moment before the search runs.
  useEffect(() => {
    const timer = setTimeout(
      () => setFilters((f) => (f.q === query ? f : { ...f, q: query, offset: 0 })),
      250,
    )
    return () => clearTimeout(timer)
  }, [query])

  useEffect(() => {
    let stale = false
    setLoadError(null)
    // `reloads` re-runs the search after an import finishes.
    void reloads
    api.catalogue
      .search({
        q: filters.q || undefined,
        inStock: filters.inStock ? true : undefined,
        type: filters.type || undefined,
        limit: PAGE_SIZE,
        offset: filters.offset,
      })
      .then(
        (r) => !stale && setResult(r),
        (e) => !stale && setLoadError(errorMessage(e)),
      )
    return () => {
      stale = true
    }
  }, [filters, reloads])

  const searching = filters.q !== '' || filters.inStock || filters.type !== ''
  const emptyCatalogue = result !== null && result.total === 0 && !searching

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Catalogue</h1>
          <p className="muted">The products Parley shows in messages and answers questions about.</p>
        </div>
        <div className="page-actions">
          {shopifyConnected ? <SyncButton imports={imports} /> : null}
          <ImportButton imports={imports} />
        </div>
      </div>
      {imports.error ? (
        <p className="banner error" role="alert">
          {imports.error}
        </p>
      ) : null}
      <ImportPanel imports={imports} />

      {emptyCatalogue ? (
        <div className="empty">
          <h2>No products yet</h2>
          <p>
            Import a product export from Shopify (Products → Export → CSV), or a spreadsheet with the columns
            handle, title, price, currency, image, url and stock.
          </p>
          <div className="page-actions">
            {shopifyConnected ? <SyncButton imports={imports} label="Sync your Shopify products" /> : null}
            <ImportButton imports={imports} label="Import your products" />
          </div>
        </div>
      ) : (
        <div className="catalogue-layout">
          <section className="catalogue-results" aria-label="Products">
            <div className="catalogue-filters">
              <input
                type="search"
                className="input"
                placeholder="Search by name, brand, colour, size or SKU"
                aria-label="Search products"
                value={query}
                onChange={(e) => setQuery(e.target.value)}
              />
              <label className="check">
                <input
                  type="checkbox"
                  checked={filters.inStock}
                  onChange={(e) => setFilters((f) => ({ ...f, inStock: e.target.checked, offset: 0 }))}
                />
                In stock only
              </label>
              <select
                className="input"
                aria-label="Product type"
                value={filters.type}
                onChange={(e) => setFilters((f) => ({ ...f, type: e.target.value, offset: 0 }))}
              >
                <option value="">All types</option>
                {result?.types.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            </div>
            {loadError ? (
              <p className="banner error" role="alert">
                {loadError}{' '}
                <button type="button" className="button ghost sm" onClick={reload}>
                  Try again
                </button>
              </p>
            ) : null}
            {result === null ? (
              <div className="flow-table" aria-busy="true">
                {[0, 1, 2, 3].map((i) => (
                  <div key={i} className="flow-row skeleton" />
                ))}
              </div>
            ) : result.products.length === 0 ? (
              <p className="empty-small">No products match. Try fewer words, or clear the filters.</p>
            ) : (
              <>
                <ul className="product-list">
                  {result.products.map((p) => (
                    <li key={p.id}>
                      <button
                        type="button"
                        className={`product-row${selected === p.id ? ' selected' : ''}`}
                        aria-pressed={selected === p.id}
                        onClick={() => setSelected(p.id)}
                      >
                        <span className="product-thumb">
                          {p.imageUrl ? <SafeImage src={p.imageUrl} /> : null}
                        </span>
                        <span className="product-main">
                          <strong className="product-title">{p.title}</strong>
                          <span className="muted small">
                            {[p.vendor, p.productType, plural(p.variantCount, 'variant')]
                              .filter(Boolean)
                              .join(' · ')}
                          </span>
                        </span>
                        <span className="product-price">
                          {p.variantCount > 1 ? 'from ' : ''}
                          {formatMoney(p.price, p.currency)}
                        </span>
                        <span className={`status ${p.inStock ? 'published' : 'draft'}`}>
                          {p.inStock ? 'In stock' : 'Out of stock'}
                        </span>
                        {p.status !== 'active' ? (
                          <span className="status-note">{statusWords[p.status]}</span>
                        ) : null}
                      </button>
                    </li>
                  ))}
                </ul>
                <Pager
                  total={result.total}
                  offset={filters.offset}
                  onPage={(offset) => setFilters((f) => ({ ...f, offset }))}
                />
              </>
            )}
          </section>
          <aside className="catalogue-detail" aria-label="Product details">
            {selected ? (
              <ProductPanel id={selected} reloads={reloads} />
            ) : (
              <p className="empty-small">Choose a product to see its variants, prices and stock.</p>
            )}
          </aside>
        </div>
      )}
      <ImportHistory imports={imports} />
    </>
  )
}

function ImportButton({ imports, label = 'Import CSV' }: { imports: ImportState; label?: string }) {
  const input = useRef<HTMLInputElement>(null)
  const busy =
    imports.uploading || imports.current?.status === 'queued' || imports.current?.status === 'running'
  return (
    <>
      <input
        ref={input}
        type="file"
        accept=".csv,text/csv"
        hidden
        aria-label="CSV file to import"
        onChange={(e) => {
          const file = e.target.files?.[0]
          e.target.value = ''
          if (file) void imports.upload(file)
        }}
      />
      <button type="button" className="button primary" disabled={busy} onClick={() => input.current?.click()}>
        {imports.uploading ? 'Uploading…' : label}
      </button>
    </>
  )
}

function SyncButton({ imports, label = 'Sync from Shopify' }: { imports: ImportState; label?: string }) {
  const busy =
    imports.uploading || imports.current?.status === 'queued' || imports.current?.status === 'running'
  return (
    <button type="button" className="button" disabled={busy} onClick={() => void imports.syncShopify()}>
      {label}
    </button>
  )
}

function ImportPanel({ imports }: { imports: ImportState }) {
  const job = imports.current
  const headingId = useId()
  if (!job) return null
  const running = job.status === 'queued' || job.status === 'running'
  const percent = Math.floor(job.progress * 100)
  return (
    <section className={`import-panel ${job.status}`} aria-labelledby={headingId}>
      <div className="import-head">
        <h2 id={headingId}>
          {job.source === 'shopify'
            ? `${running ? 'Syncing from' : 'Synced from'} ${job.fileName || 'Shopify'}`
            : `${running ? 'Importing' : 'Imported'} ${job.fileName}`}
        </h2>
        <span className="muted small" aria-live="polite">
          {importOutcome(job)}
        </span>
      </div>
      <div
        className="progress"
        role="progressbar"
        aria-label="Import progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      {job.status === 'running' ? (
        <p className="muted small">
          {plural(job.rows, job.source === 'shopify' ? 'product' : 'row')} read so far. You can leave this
          page; the import carries on.
        </p>
      ) : null}
      {job.status === 'failed' ? (
        <p className="banner error" role="alert">
          {job.failure}
        </p>
      ) : null}
      {imports.errors.length > 0 ? (
        <details className="import-errors" open={!running}>
          <summary>
            {plural(job.errorCount, 'row')} could not be imported
            {job.errorCount > imports.errors.length ? ` (the first ${imports.errors.length} are listed)` : ''}
          </summary>
          <table>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Product</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {imports.errors.map((e, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: errors are a fixed list in file order
                <tr key={i}>
                  <td>{e.line ?? '—'}</td>
                  <td>{e.handle ?? '—'}</td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </section>
  )
}

function Pager({ total, offset, onPage }: { total: number; offset: number; onPage(offset: number): void }) {
  if (total <= PAGE_SIZE) return <p className="muted small pager">{plural(total, 'product')}</p>
  const last = Math.min(total, offset + PAGE_SIZE)
  return (
    <nav className="pager" aria-label="Pages">
      <span className="muted small">
        {(offset + 1).toLocaleString()}–{last.toLocaleString()} of {plural(total, 'product')}
      </span>
      <button
        type="button"
        className="button ghost sm"
        disabled={offset === 0}
        onClick={() => onPage(Math.max(0, offset - PAGE_SIZE))}
      >
        Previous
      </button>
      <button
        type="button"
        className="button ghost sm"
        disabled={last >= total}
        onClick={() => onPage(offset + PAGE_SIZE)}
      >
        Next
      </button>
    </nav>
  )
}

function ProductPanel({ id, reloads }: { id: string; reloads: number }) {
  const [detail, setDetail] = useState<ProductDetail['product'] | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let stale = false
    setDetail(null)
    setError(null)
    void reloads
    api.catalogue.product(id).then(
      (r) => !stale && setDetail(r.product),
      (e) => !stale && setError(errorMessage(e)),
    )
    return () => {
      stale = true
    }
  }, [id, reloads])
  if (error) return <p className="banner error">{error}</p>
  if (!detail) return <p className="muted">Loading…</p>
  const image = detail.images[0]?.src ?? detail.imageUrl
  return (
    <div className="product-detail">
      {image ? <SafeImage className="product-hero" src={image} /> : null}
      <h2>{detail.title}</h2>
      <p className="muted small">
        {[detail.vendor, detail.productType, statusWords[detail.status]].filter(Boolean).join(' · ')}
      </p>
      {detail.url ? (
        <a href={detail.url} target="_blank" rel="noreferrer noopener" className="small">
          View in the store
        </a>
      ) : null}
      {detail.tags.length > 0 ? (
        <p className="tags">
          {detail.tags.map((t) => (
            <span key={t} className="tag">
              {t}
            </span>
          ))}
        </p>
      ) : null}
      <table className="variant-table">
        <caption>{plural(detail.variants.length, 'variant')}</caption>
        <thead>
          <tr>
            <th scope="col">Variant</th>
            <th scope="col">SKU</th>
            <th scope="col">Price</th>
            <th scope="col">Stock</th>
          </tr>
        </thead>
        <tbody>
          {detail.variants.map((v) => (
            <tr key={v.id}>
              <td>
                {v.options.length > 0 ? v.options.map((o) => `${o.name}: ${o.value}`).join(', ') : 'Only one'}
              </td>
              <td className="mono">{v.sku ?? '—'}</td>
              <td>
                {formatMoney(v.price, detail.currency)}
                {v.compareAtPrice ? (
                  <s className="muted small"> {formatMoney(v.compareAtPrice, detail.currency)}</s>
                ) : null}
              </td>
              <td>{stockWords(v.inventory)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function ImportHistory({ imports }: { imports: ImportState }) {
  if (!imports.history || imports.history.length === 0) return null
  return (
    <section className="import-history" aria-label="Import history">
      <h2>Import history</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">File</th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {imports.history.map((job) => (
            <tr key={job.id}>
              <td>{relativeTime(job.createdAt)}</td>
              <td>{job.source === 'shopify' ? 'Shopify store sync' : job.fileName}</td>
              <td className={job.status === 'failed' ? 'danger-text' : ''}>{importOutcome(job)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
