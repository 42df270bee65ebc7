import { sql } from 'drizzle-orm';
import type { Queryable } from './db/index.js';
import { createWorkingCalendar, type CalendarDecision } from './calendar.js';

export type WorkingCalendar = ReturnType<typeof createWorkingCalendar>;

/**
 * Builds the working-day calendar from the Labour Code rules plus the government decisions that
 * administrators keep in `calendar_decision` (docs/decisions.md#d10).
 * @param q - the database
 * @returns the calendar
 */
export async function loadWorkingCalendar(q: Queryable): Promise<WorkingCalendar> {
  const result = await q.execute<{ date: string; kind: CalendarDecision['kind']; source: string }>(
    sql`SELECT to_char(date, 'YYYY-MM-DD') AS date, kind, source FROM calendar_decision ORDER BY date`,
  );
  return createWorkingCalendar(result.rows);
}
