import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { backupId, countMismatches, dailyDue, monthlyDue, retentionDrops } from './backup-rules.js';

const ZONE = 'Europe/Sofia';
/** One backup a day at 01:30 Sofia for `days` days ending on 2026-12-06. */
function daily(days: number) {
  const out = [];
  for (let i = 0; i < days; i += 1) {
    const at = Temporal.ZonedDateTime.from('2026-12-06T01:30[Europe/Sofia]').subtract({ days: i }).toInstant();
    out.push({ id: backupId(at, i.toString(16).padStart(8, '0')), startedAt: at.toString() });
  }
  return out;
}

describe('backup retention (S-14)', () => {
  it('S-14: 14 daily and 12 monthly are kept; older ones go', () => {
    const all = daily(400);
    const drops = new Set(retentionDrops(all, { keepDaily: 14, keepMonthly: 12, zone: ZONE }));
    const kept = all.filter((b) => !drops.has(b.id));
    // 14 newest days, plus the first backup of each of the 12 newest months (December's is 1 Dec, inside the 14 days).
    expect(kept.slice(0, 14)).toEqual(all.slice(0, 14));
    const months = kept.slice(14).map((b) => Temporal.Instant.from(b.startedAt).toZonedDateTimeISO(ZONE).toPlainDate().toString());
    expect(months).toEqual(['2026-11-01', '2026-10-01', '2026-09-01', '2026-08-01', '2026-07-01', '2026-06-01', '2026-05-01', '2026-04-01', '2026-03-01', '2026-02-01', '2026-01-01']);
  });
  it('S-14: of two backups on one day, the newer is the daily one', () => {
    const a = { id: '20261205T233000Z-00000001', startedAt: '2026-12-05T23:30:00Z' }; // 01:30 on 6 Dec in Sofia
    const b = { id: '20261206T100000Z-00000002', startedAt: '2026-12-06T10:00:00Z' };
    expect(retentionDrops([a, b], { keepDaily: 1, keepMonthly: 0, zone: ZONE })).toEqual([a.id]);
  });
  it('S-15: counts that differ are named', () => {
    expect(countMismatches({ a: 1, b: 2 }, { a: 1, b: 3, c: 0 })).toEqual([
      { table: 'b', expected: 2, restored: 3 },
      { table: 'c', expected: null, restored: 0 },
    ]);
  });
  it('S-14/S-15: the daily run is due from BACKUP_TIME local, the monthly check from the 1st', () => {
    expect(dailyDue(Temporal.Instant.from('2026-12-05T23:29:00Z'), ZONE, '01:30')).toEqual({ runOn: '2026-12-06', due: false });
    expect(dailyDue(Temporal.Instant.from('2026-12-05T23:30:00Z'), ZONE, '01:30')).toEqual({ runOn: '2026-12-06', due: true });
    expect(monthlyDue(Temporal.Instant.from('2026-12-01T01:59:00Z'), ZONE, '04:00')).toEqual({ runOn: '2026-12-01', due: false });
    expect(monthlyDue(Temporal.Instant.from('2026-12-17T10:00:00Z'), ZONE, '04:00')).toEqual({ runOn: '2026-12-01', due: true });
  });
});
