/** How a paused flow is described everywhere (flows list and editor): what pausing does, not a state name. */
export const PAUSED_WORDS = 'Paused — not starting new conversations'
