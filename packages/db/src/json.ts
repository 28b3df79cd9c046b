// Writing jsonb values portably: pg encodes JS arrays as Postgres arrays, so encode to JSON text ourselves.
import { type RawBuilder, sql } from 'kysely'

/**
 * A jsonb parameter that means the same on pg and PGlite, whatever the value's shape.
 * @example db.insertInto('carts').values({ ..., items: jsonb([{ title: 'Mug', quantity: 1 }]) })
 */
export function jsonb<T>(value: T): RawBuilder<T> {
  return sql<T>`cast(${JSON.stringify(value)} as jsonb)`
}
