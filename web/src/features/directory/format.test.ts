import { describe, expect, it } from 'vitest';
import { formatEur, formatInstant, formatTime, groupByDay, sofiaDate, weekdayName, windowFrom } from './format.js';

/** Intl uses (narrow) no-break spaces; compare with plain ones. */
const plain = (s: string | null) => (s === null ? null : s.replace(/\s/g, ' '));

describe('formatInstant (slot times in Europe/Sofia, R-TM-32)', () => {
  it('formats in Sofia wall time in winter (UTC+2) and omits the local time for a Sofia visitor', () => {
    const f = formatInstant('2026-11-25T08:30:00Z', 'bg-BG', 'Europe/Sofia');
    expect(plain(f.sofia)).toBe('ср, 25 ноември в 10:30');
    expect(f.local).toBeNull();
  });

  it('uses the summer offset (UTC+3)', () => {
    expect(plain(formatInstant('2026-07-01T08:30:00Z', 'en-GB', 'Europe/Sofia').sofia)).toBe('Wed 1 July at 11:30');
  });

  it("adds the visitor's own wall time when their zone differs", () => {
    const f = formatInstant('2026-11-25T08:30:00+00:00', 'bg-BG', 'America/New_York');
    expect(plain(f.sofia)).toBe('ср, 25 ноември в 10:30');
    expect(plain(f.local)).toBe('ср, 25 ноември в 03:30');
  });

  it('treats a zone with the same wall time as Sofia as no difference', () => {
    expect(formatInstant('2026-11-25T08:30:00Z', 'bg-BG', 'Europe/Athens').local).toBeNull();
  });

  it('formats a time of day in Sofia or in a given zone', () => {
    expect(formatTime('2026-11-25T08:30:00Z', 'bg-BG')).toBe('10:30');
    expect(formatTime('2026-11-25T08:30:00Z', 'bg-BG', 'UTC')).toBe('08:30');
  });
});

describe('groupByDay', () => {
  it('groups by the Sofia calendar day, not the UTC one', () => {
    const slots = [
      { id: 'a', start: '2026-11-25T21:30:00Z' }, // 23:30 on the 25th in Sofia
      { id: 'b', start: '2026-11-25T22:30:00Z' }, // 00:30 on the 26th in Sofia
      { id: 'c', start: '2026-11-26T07:00:00Z' },
    ];
    expect(groupByDay(slots).map((g) => [g.day, g.slots.map((s) => s.id)])).toEqual([
      ['2026-11-25', ['a']],
      ['2026-11-26', ['b', 'c']],
    ]);
    expect(sofiaDate('2026-11-25T22:30:00Z')).toBe('2026-11-26');
  });
});

describe('windowFrom, formatEur, weekdayName', () => {
  it('spans seven days from now', () => {
    expect(windowFrom(new Date('2026-11-25T06:00:00Z'))).toEqual({ from: '2026-11-25T06:00:00.000Z', to: '2026-12-02T06:00:00.000Z' });
  });

  it('formats euro cents in the interface locale', () => {
    expect(plain(formatEur(3500, 'bg-BG'))).toBe('35,00 €');
    expect(formatEur(3500, 'en-GB')).toBe('€35.00');
  });

  it('names ISO weekdays (1 = Monday)', () => {
    expect(weekdayName(1, 'bg-BG')).toBe('понеделник');
    expect(weekdayName(7, 'en-GB')).toBe('Sunday');
  });
});
