import type { SQL } from 'drizzle-orm';
import type { Queryable } from './index.js';

// One way to read raw SQL rows (STYLE C7 repositories). Tricky: drizzle's node-postgres driver hands
// timestamptz back as text ("2026-12-01 07:00:00+00", PostgreSQL's output format) on both engines,
// while other paths give a Date; rows are normalised so services always see a Date.

type Row = Record<string, unknown>;

/** PostgreSQL's text output of a timestamptz (DateStyle ISO): date, space, time, numeric offset. */
const PG_TIMESTAMPTZ = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}(:\d{2})?$/;

/**
 * Parses PostgreSQL's text form of a timestamptz.
 * @param text - e.g. `2026-12-01 09:00:00.123+02`
 * @returns the instant as a Date, or undefined when the text is not a timestamptz
 */
export function parseTimestamptz(text: string): Date | undefined {
  if (!PG_TIMESTAMPTZ.test(text)) return undefined;
  return new Date(text.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00'));
}

/**
 * Converts the timestamptz text values of a raw row to Date, in place.
 * @returns the same row
 */
export function normaliseRow<T = Row>(row: Row): T {
  for (const [k, v] of Object.entries(row)) {
    if (typeof v === 'string') {
      const d = parseTimestamptz(v);
      if (d) row[k] = d;
    }
  }
  return row as T;
}

/**
 * Runs a query and returns its rows with timestamps as Date.
 * @param q - the database or a transaction
 * @param query - drizzle `sql` template
 */
export async function rows<T = Row>(q: Queryable, query: SQL): Promise<T[]> {
  const r = await q.execute(query);
  return (r.rows as Row[]).map((row) => normaliseRow<T>(row));
}

/** The first row of a query (see `rows`), or undefined. */
export async function one<T = Row>(q: Queryable, query: SQL): Promise<T | undefined> {
  return (await rows<T>(q, query))[0];
}

type CamelCase<S extends string> = S extends `${infer H}_${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S;
/** A snake_case row type with camelCase keys. */
export type Camel<T> = { [K in keyof T as K extends string ? CamelCase<K> : K]: T[K] };

/**
 * Maps a snake_case row to camelCase keys (`created_at` → `createdAt`), for repositories that hand
 * services domain-shaped objects.
 */
export function camelRow<T extends Row>(row: T): Camel<T> {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) out[k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())] = v;
  return out as Camel<T>;
}

type SnakeCase<S extends string> = S extends `${infer H}${infer T}` ? `${H extends Lowercase<H> ? H : `_${Lowercase<H>}`}${SnakeCase<T>}` : S;
/** A camelCase object type with snake_case keys. */
export type Snake<T> = { [K in keyof T as K extends string ? SnakeCase<K> : K]: T[K] };

/**
 * The inverse of `camelRow` (`createdAt` → `created_at`) for keys without digits, for a module that
 * keeps row-shaped types over another module's camelCase port.
 */
export function snakeRow<T extends Row>(obj: T): Snake<T> {
  const out: Row = {};
  for (const [k, v] of Object.entries(obj)) out[k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = v;
  return out as Snake<T>;
}
