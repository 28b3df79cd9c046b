// The running import, followed by polling its job: the job lives on the server, so a reload picks it up again
// from the import history (the newest import, while it is queued or running).
import type { CatalogueImport, CatalogueImportDetail, CatalogueImportError } from '@parley/api'
import { useCallback, useEffect, useRef, useState } from 'react'
import { api, errorMessage } from '../api/api.ts'

const POLL_MS = 800

export interface ImportState {
  current: CatalogueImport | null
  errors: CatalogueImportError[]
  history: CatalogueImport[] | null
  uploading: boolean
  error: string | null
  upload(file: File): Promise<void>
  /** Imports every product of the connected Shopify store. */
  syncShopify(): Promise<void>
}

export function useCatalogueImport(onFinished: () => void): ImportState {
  const [current, setCurrent] = useState<CatalogueImport | null>(null)
  const [errors, setErrors] = useState<CatalogueImportError[]>([])
  const [history, setHistory] = useState<CatalogueImport[] | null>(null)
  const [uploading, setUploading] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const finished = useRef(onFinished)
  finished.current = onFinished

  const loadHistory = useCallback(async () => {
    const { imports } = await api.catalogue.imports()
    setHistory(imports)
    return imports
  }, [])

  // Follow one import until it is done or failed.
  const follow = useCallback(
    async (id: string, cancelled: () => boolean) => {
      for (;;) {
        const detail = await api.catalogue.importStatus(id)
        if (cancelled()) return
        setCurrent(detail.import)
        setErrors(detail.errors)
        if (detail.import.status === 'done' || detail.import.status === 'failed') {
          finished.current()
          await loadHistory()
          return
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS))
        if (cancelled()) return
      }
    },
    [loadHistory],
  )

  const followId = useRef<string | null>(null)
  useEffect(() => {
    let stop = false
    loadHistory()
      .then((imports) => {
        const latest = imports[0]
        if (latest && (latest.status === 'queued' || latest.status === 'running') && !stop) {
          followId.current = latest.id
          return follow(latest.id, () => stop || followId.current !== latest.id)
        }
      })
      .catch((e) => !stop && setError(errorMessage(e)))
    return () => {
      stop = true
    }
  }, [loadHistory, follow])

  const start = useCallback(
    async (queue: () => Promise<CatalogueImportDetail>) => {
      setError(null)
      setUploading(true)
      try {
        const queued = await queue()
        setCurrent(queued.import)
        setErrors([])
        setUploading(false)
        followId.current = queued.import.id
        await loadHistory()
        await follow(queued.import.id, () => followId.current !== queued.import.id)
      } catch (e) {
        setError(errorMessage(e))
      } finally {
        setUploading(false)
      }
    },
    [follow, loadHistory],
  )
  const upload = useCallback(
    (file: File) =>
      start(() => api.catalogue.upload(file, { fileName: file.name.slice(0, 200) || 'products.csv' })),
    [start],
  )
  const syncShopify = useCallback(() => start(() => api.catalogue.syncShopify()), [start])

  return { current, errors, history, uploading, error, upload, syncShopify }
}
