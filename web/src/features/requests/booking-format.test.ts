import { describe, expect, it } from 'vitest';
import { formatSlot, formatWeekday, mondayOf, weekColumns } from './booking-format.js';

describe('booking times (DESIGN.md: weekday, no seconds, Europe/Sofia)', () => {
  it('writes a slot as "пн, 7 декември, 10:00" in Sofia time', () => {
    expect(formatSlot('2026-12-07T08:00:00Z', 'bg-BG')).toBe('пн, 7 декември, 10:00');
    expect(formatSlot('2026-12-07T08:00:00Z', 'en-GB')).toBe('Mon, 7 December, 10:00');
  });

  it('crosses the DST change on Sofia wall time (summer: UTC+3)', () => {
    expect(formatSlot('2026-06-01T07:30:00Z', 'bg-BG')).toBe('пн, 1 юни, 10:30');
  });

  it('builds a Monday-first week and puts each slot on its Sofia day', () => {
    expect(mondayOf('2026-12-10')).toBe('2026-12-07');
    expect(mondayOf('2026-12-07')).toBe('2026-12-07');
    expect(mondayOf('2026-12-13')).toBe('2026-12-07');
    const cols = weekColumns('2026-12-07', [{ start: '2026-12-08T22:30:00Z' }, { start: '2026-12-07T08:00:00Z' }]);
    expect(cols.map((c) => c.slots.length)).toEqual([1, 0, 1, 0, 0, 0, 0]);
    expect(formatWeekday('2026-12-09', 'bg-BG')).toBe('ср, 9 декември');
  });
});
