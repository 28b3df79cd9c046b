// What domain code (engine, commerce, inbox, flows, channels) reports when a request cannot be done: plain errors
// with no HTTP in them. http/errors.ts maps each kind to a status and an error code in one table, so a caller
// that is not HTTP (a webhook that ignores a missing order, a background loop) can tell the kinds apart too.

export type DomainErrorKind = 'not_found' | 'conflict' | 'validation' | 'taken' | 'outside_window'

/** The base of every domain error; `details` is shown to the caller as is. */
export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind

  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = new.target.name
  }
}

/** The thing named does not exist (or is not the caller's to see). */
export class NotFoundError extends DomainError {
  readonly kind = 'not_found'

  constructor(what: string) {
    super(`${what} not found`)
  }
}

/** The request clashes with the thing's current state (e.g. another staff member holds the conversation). */
export class ConflictError extends DomainError {
  readonly kind = 'conflict'
}

/** The input is well formed but not acceptable. */
export class ValidationError extends DomainError {
  readonly kind = 'validation'
}

/** Another staff member has the conversation (two took it at once, or it was already theirs). */
export class ConversationTakenError extends DomainError {
  readonly kind = 'taken'

  constructor(byName: string) {
    super(`${byName} has this conversation`, { by: { name: byName } })
  }
}

/** A free-form staff reply on WhatsApp outside the 24-hour window: only an approved template can go. */
export class OutsideWindowError extends DomainError {
  readonly kind = 'outside_window'

  constructor() {
    super(
      'More than 24 hours have passed since the shopper last wrote on WhatsApp, so only an approved template can reach them. Choose a template to send.',
    )
  }
}
