// Named prepared statements for the statements a process runs again and again (Postgres through pg only:
// openDatabase({ preparedStatements: true }); the runtime's DATABASE_PREPARED_STATEMENTS, on). Kysely sends every
// query as an unnamed statement, so Postgres parses and analyses the same text on every execution, and pg sends
// the whole text each time. A pg query with a `name` is parsed once per connection, then only bound and executed.
//
// Which texts: the ones with parameters seen twice or more, up to a bound, so texts that vary (an insert of N
// value rows per N) cannot grow a connection's prepared statements without limit. A name is the text's hash, so
// a connection that already holds it (pg remembers per connection) skips the parse.
//
// Plans: Postgres' default (`plan_cache_mode=auto`): the first five executions of a statement on a connection are
// planned with their values, after that the statement runs a generic plan, planned once, unless that plan costs
// more than the custom ones did. Most of what this saves is the planning: the step's write statement (one
// data-modifying CTE per table) took longer to plan than to run. A generic plan cannot use a partial index (or
// infer one as an ON CONFLICT arbiter) whose predicate a parameter decides, so hot statements write such
// predicates as literals (`sql.lit('active')`, as start-runs.ts's arbiter must: with a parameter Postgres
// answered "there is no unique or exclusion constraint matching the ON CONFLICT specification").
// If a table's row type changes under a prepared `select *` (a migration run by a newer replica), Postgres
// answers "cached plan must not change result type": that query fails as any transient error does, and every
// later one uses new names, so each connection prepares afresh.
import { createHash } from 'node:crypto'
import pg from 'pg'

export interface PreparedStatementOptions {
  /** Distinct texts prepared at most (per connection, at most this many statements). */
  maxStatements?: number
  /** Distinct texts counted at most while deciding (a bound on this registry's own memory). */
  maxTracked?: number
}

/** Postgres' plan_cache_mode for the prepared statements: 'auto' is its default (see above); tests force generic. */
export type PlanCacheMode = 'auto' | 'force_generic_plan' | 'force_custom_plan'

/** Connection options for a pool whose clients prepare statements with this plan mode. */
export function planCacheSettings(mode: PlanCacheMode): string {
  return `-c plan_cache_mode=${mode}`
}

/** Postgres' error for a prepared statement whose result row type changed (SQLSTATE 0A000). */
const RESULT_TYPE_CHANGED = 'cached plan must not change result type'

/** Decides which texts run as named statements, and their names. One per pool (per opened database). */
export class PreparedStatements {
  readonly #maxStatements: number
  readonly #maxTracked: number
  /** Text → times seen (a number) or its statement name once prepared. */
  readonly #texts = new Map<string, number | string>()
  #prepared = 0
  #generation = 0

  constructor(options: PreparedStatementOptions = {}) {
    this.#maxStatements = options.maxStatements ?? 500
    this.#maxTracked = options.maxTracked ?? 5_000
  }

  /** The statement name for this text, or undefined to send it unnamed. */
  nameFor(text: string): string | undefined {
    const known = this.#texts.get(text)
    if (typeof known === 'string') return known
    if (known === undefined) {
      if (this.#texts.size < this.#maxTracked) this.#texts.set(text, 1)
      return undefined
    }
    if (this.#prepared >= this.#maxStatements) return undefined
    const name = `p${this.#generation}_${createHash('sha1').update(text).digest('base64url')}`
    this.#texts.set(text, name)
    this.#prepared += 1
    return name
  }

  /** Forgets every name: later queries prepare under new ones (see RESULT_TYPE_CHANGED). */
  reset(): void {
    this.#texts.clear()
    this.#prepared = 0
    this.#generation += 1
  }

  /** Statements prepared so far in this generation. */
  get size(): number {
    return this.#prepared
  }
}

type QueryCallback = (err: Error, result: pg.QueryResult) => void

/**
 * A pg.Client class whose `query(text, values)` (Kysely's call) runs texts `statements` names as prepared
 * statements; everything else (callbacks, configs, cursors, no parameters) is passed on unchanged.
 * @example new pg.Pool({ connectionString, Client: preparingClient(new PreparedStatements()) })
 */
export function preparingClient(statements: PreparedStatements): typeof pg.Client {
  class PreparingClient extends pg.Client {
    // biome-ignore lint/suspicious/noExplicitAny: pg's query has a dozen overloads; this one forwards them all.
    override query(config: any, values?: any, callback?: any): any {
      if (
        typeof config === 'string' &&
        Array.isArray(values) &&
        values.length > 0 &&
        callback === undefined
      ) {
        const name = statements.nameFor(config)
        if (name) {
          return (super.query({ name, text: config, values }) as Promise<pg.QueryResult>).catch(
            (error: unknown) => {
              if (error instanceof Error && error.message === RESULT_TYPE_CHANGED) statements.reset()
              throw error
            },
          )
        }
      }
      return super.query(config, values, callback as QueryCallback)
    }
  }
  return PreparingClient as unknown as typeof pg.Client
}
