// The store-event triggers have nothing to configure; their inspector explains what starts the flow.
export function TriggerSummary({ explanation }: { explanation: string }) {
  return <span className="muted">{explanation}</span>
}

export function TriggerExplanation({ explanation, data }: { explanation: string; data: string }) {
  return (
    <div className="form">
      <p className="form-note">{explanation}</p>
      <p className="field-hint">
        Steps after this trigger can use <code>{data}</code>.
      </p>
    </div>
  )
}
