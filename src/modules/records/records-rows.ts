import type { SQL } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';

// Tricky: depending on the driver path (pg or PGlite's adapter) timestamptz arrives as a Date or as text;
// every `*_at` / `at` column is normalised to a Date here so services see one type.
const INSTANT_COLUMN = /(^|_)at$/;
function normalise(row: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(row)) if (typeof v === 'string' && INSTANT_COLUMN.test(k)) row[k] = new Date(v);
  return row;
}
export async function rows<T>(q: Queryable, query: SQL): Promise<T[]> {
  return (await q.execute(query)).rows.map((r) => normalise(r as Record<string, unknown>)) as T[];
}
export async function one<T>(q: Queryable, query: SQL): Promise<T | undefined> {
  return (await rows<T>(q, query))[0];
}
