import { describe, expect, it } from 'vitest';
import { capacityWarnings, type CapacitySchedule } from './capacity.js';

const s = (id: string, practitionerId: string, rules: CapacitySchedule['rules'], validFrom = '2026-01-01', validTo: string | null = null): CapacitySchedule => ({ id, practitionerId, rules, validFrom, validTo });

describe('capacityWarnings (Art. 16)', () => {
  it('R-TM-33: warns when one specialist is published twice for the same minutes', () => {
    const w = capacityWarnings([s('a', 'p1', [{ weekday: 1, start: '09:00', end: '12:00' }]), s('b', 'p1', [{ weekday: 1, start: '11:00', end: '13:00' }])], 40 * 60);
    expect(w).toEqual([{ kind: 'overlap', practitionerId: 'p1', scheduleIds: ['a', 'b'], weekday: 1, minutes: 60, limitMinutes: null }]);
  });

  it('R-TM-33: no warning for adjacent schedules, other specialists or validity periods that do not meet', () => {
    expect(capacityWarnings([s('a', 'p1', [{ weekday: 1, start: '09:00', end: '12:00' }]), s('b', 'p1', [{ weekday: 1, start: '12:00', end: '13:00' }])], 2400)).toEqual([]);
    expect(capacityWarnings([s('a', 'p1', [{ weekday: 1, start: '09:00', end: '12:00' }]), s('b', 'p2', [{ weekday: 1, start: '09:00', end: '12:00' }])], 2400)).toEqual([]);
    expect(
      capacityWarnings([s('a', 'p1', [{ weekday: 1, start: '09:00', end: '12:00' }], '2026-01-01', '2026-06-30'), s('b', 'p1', [{ weekday: 1, start: '09:00', end: '12:00' }], '2026-07-01')], 2400),
    ).toEqual([]);
  });

  it('R-TM-33: warns when the published weekly time exceeds the limit, counting overlaps once', () => {
    const days = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '17:00' })); // 45 h
    const w = capacityWarnings([s('a', 'p1', days)], 40 * 60);
    expect(w).toEqual([{ kind: 'weekly_hours', practitionerId: 'p1', scheduleIds: ['a'], weekday: null, minutes: 45 * 60, limitMinutes: 2400 }]);
    const twice = capacityWarnings([s('a', 'p1', [{ weekday: 1, start: '08:00', end: '12:00' }]), s('b', 'p1', [{ weekday: 1, start: '08:00', end: '12:00' }])], 5 * 60);
    expect(twice.map((x) => x.kind)).toEqual(['overlap']);
  });
});
