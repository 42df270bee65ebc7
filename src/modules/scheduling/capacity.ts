import type { CapacityWarning } from '../../contracts/scheduling.js';
import type { WallRule } from './slots.js';

/** A schedule as the capacity check sees it: whose time, which weekly rules, valid when (ISO dates). */
export interface CapacitySchedule {
  id: string;
  practitionerId: string;
  validFrom: string;
  validTo: string | null;
  rules: readonly WallRule[];
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function periodsMeet(a: CapacitySchedule, b: CapacitySchedule): boolean {
  return (a.validTo === null || a.validTo >= b.validFrom) && (b.validTo === null || b.validTo >= a.validFrom);
}

/**
 * Art. 16 (R-TM-33): warns when the published capacity exceeds the specialists' time. Two checks on the
 * weekly pattern, in wall time: a specialist published twice for the same minutes (two services, or two
 * facilities, whose validity periods meet), and more published minutes a week than the facility's limit.
 * Pure; the warning does not block publication (the ordinance asks facilities to staff enough, A-14).
 * @param schedules - the active schedules of the specialists concerned, at every facility
 * @param weeklyLimitMinutes - the facility's limit per specialist and week
 * @param onlyPractitioners - restrict the report to these specialists (the facility's own)
 * @returns warnings, one per overlapping pair and weekday, and one per specialist over the limit
 */
export function capacityWarnings(
  schedules: readonly CapacitySchedule[],
  weeklyLimitMinutes: number,
  onlyPractitioners?: ReadonlySet<string>,
): CapacityWarning[] {
  const byPractitioner = new Map<string, CapacitySchedule[]>();
  for (const s of schedules) {
    if (onlyPractitioners && !onlyPractitioners.has(s.practitionerId)) continue;
    byPractitioner.set(s.practitionerId, [...(byPractitioner.get(s.practitionerId) ?? []), s]);
  }
  const warnings: CapacityWarning[] = [];
  for (const [practitionerId, list] of [...byPractitioner.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    for (let i = 0; i < list.length; i += 1) {
      for (let j = i + 1; j < list.length; j += 1) {
        const a = list[i] as CapacitySchedule;
        const b = list[j] as CapacitySchedule;
        if (!periodsMeet(a, b)) continue;
        for (let weekday = 1; weekday <= 7; weekday += 1) {
          let minutes = 0;
          for (const ra of a.rules.filter((r) => r.weekday === weekday)) {
            for (const rb of b.rules.filter((r) => r.weekday === weekday)) {
              minutes += Math.max(0, Math.min(minutesOf(ra.end), minutesOf(rb.end)) - Math.max(minutesOf(ra.start), minutesOf(rb.start)));
            }
          }
          if (minutes > 0) warnings.push({ kind: 'overlap', practitionerId, scheduleIds: [a.id, b.id], weekday, minutes, limitMinutes: null });
        }
      }
    }
    // Tricky: overlapping time counts once toward the weekly total — it is one person's time.
    let weekly = 0;
    for (let weekday = 1; weekday <= 7; weekday += 1) {
      const dayRules = list.flatMap((s) => s.rules.filter((r) => r.weekday === weekday)).map((r) => [minutesOf(r.start), minutesOf(r.end)] as const);
      dayRules.sort((x, y) => x[0] - y[0]);
      let end = -1;
      for (const [s, e] of dayRules) {
        if (s >= end) weekly += e - s;
        else if (e > end) weekly += e - end;
        end = Math.max(end, e);
      }
    }
    if (weekly > weeklyLimitMinutes) {
      warnings.push({ kind: 'weekly_hours', practitionerId, scheduleIds: list.map((s) => s.id), weekday: null, minutes: weekly, limitMinutes: weeklyLimitMinutes });
    }
  }
  return warnings;
}
