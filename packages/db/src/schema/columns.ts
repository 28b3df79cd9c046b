// Column types shared by the table interfaces: how timestamps, money and jsonb read and write on both drivers.
import type { ColumnType, Generated, RawBuilder } from 'kysely'

/** timestamptz: both pg and PGlite read it as a Date; write a Date or an ISO string. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>
/** timestamptz with a database default (usually now()). */
export type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>
/** timestamptz that may be null. */
export type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>

/** numeric: read as a decimal string on both drivers (exact money); write a string or number. */
export type Numeric = ColumnType<string, string | number, string | number>
export type NullableNumeric = ColumnType<
  string | null,
  string | number | null | undefined,
  string | number | null
>

/**
 * uuid primary key with a database default: gen_random_uuid(), or time-ordered uuid_v7() on the tables the engine
 * writes (migration 202612040000).
 */
export type Id = Generated<string>

/**
 * jsonb. Objects can be written as they are (pg JSON-encodes them), but pg sends a JS array as a Postgres
 * array literal, so arrays (and bare strings) must go through `jsonb(value)` from `json.ts`.
 */
export type Json<T> = ColumnType<T, JsonInput<T>, JsonInput<T>>
export type JsonWithDefault<T> = ColumnType<T, JsonInput<T> | undefined, JsonInput<T>>
type JsonInput<T> = T extends readonly unknown[] | string ? RawBuilder<T> : T | RawBuilder<T>

export type JsonPrimitive = string | number | boolean | null
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue }
export type JsonObject = { [key: string]: JsonValue }
