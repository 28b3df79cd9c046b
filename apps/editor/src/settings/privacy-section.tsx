// Shopify's privacy requests (customers/data_request, customers/redact, shop/redact) as the owner sees them: what
// was asked, when, and for a data request the export to download and send on to the shopper.
import type { PrivacyRequestSummary } from '@parley/api'
import { useEffect, useState } from 'react'
import { api, errorMessage } from '../api/api.ts'
import { relativeTime } from '../ui/relative-time.ts'

const WHAT: Record<PrivacyRequestSummary['topic'], string> = {
  'customers/data_request': 'A shopper asked for the data Parley holds about them',
  'customers/redact': 'A shopper’s data was erased, as Shopify asked',
  'shop/redact': 'The store’s shopper data was erased, as Shopify asked after uninstalling',
}

export function PrivacySection() {
  const [requests, setRequests] = useState<PrivacyRequestSummary[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [downloading, setDownloading] = useState<string | null>(null)

  useEffect(() => {
    api.privacy.list().then(
      (r) => setRequests(r.requests),
      (e) => setError(errorMessage(e)),
    )
  }, [])

  const download = async (request: PrivacyRequestSummary) => {
    setDownloading(request.id)
    setError(null)
    try {
      const data = await api.privacy.export(request.id)
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }))
      const link = document.createElement('a')
      link.href = url
      link.download = `shopper-data-${request.shopifyCustomerId ?? request.id}.json`
      link.click()
      URL.revokeObjectURL(url)
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setDownloading(null)
    }
  }

  return (
    <div className="settings-section">
      <p className="muted">
        Shopify passes on shoppers’ privacy requests. Parley answers them on its own: erasures happen at once,
        and a request for data produces a file here for you to send to the shopper.
      </p>
      {error ? (
        <p className="banner error" role="alert">
          {error}
        </p>
      ) : null}
      {requests === null ? (
        error ? null : (
          <p className="muted">Loading requests…</p>
        )
      ) : requests.length === 0 ? (
        <p className="empty-small">No privacy requests so far.</p>
      ) : (
        <ul className="settings-list" aria-label="Privacy requests">
          {requests.map((r) => (
            <li key={r.id}>
              <div className="grow">
                <strong>{WHAT[r.topic]}</strong>
                <div className="muted small">
                  {relativeTime(r.receivedAt)}
                  {r.shopifyCustomerId ? ` · Shopify customer ${r.shopifyCustomerId}` : ''}
                </div>
              </div>
              {r.hasExport ? (
                <button
                  type="button"
                  className="button ghost sm"
                  disabled={downloading === r.id}
                  onClick={() => download(r)}
                >
                  {downloading === r.id ? 'Preparing…' : 'Download their data'}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
