// The Analytics screen's entry in the navigation: the screen and its chart library load on first visit only.
import { lazy, Suspense } from 'react'

const AnalyticsScreen = lazy(() => import('./analytics-screen.tsx'))

export function AnalyticsEntry() {
  return (
    <Suspense
      fallback={
        <p className="muted" aria-busy="true">
          Loading analytics…
        </p>
      }
    >
      <AnalyticsScreen />
    </Suspense>
  )
}
