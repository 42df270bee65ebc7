import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { applyNotice, computeSlots, expandRules, intersect, normalize, slice, subtract, wallDays, type Interval } from './slots.js';

const SOFIA = 'Europe/Sofia';
const I = (s: string) => Temporal.Instant.from(s);
const iv = (a: string, b: string): Interval => ({ start: I(a), end: I(b) });
const D = (s: string) => Temporal.PlainDate.from(s);
const day = (s: string) => ({ from: D(s), to: D(s).add({ days: 1 }) });
const hours = (xs: Interval[]) => xs.reduce((n, x) => n + x.start.until(x.end).total('hours'), 0);
const wall = (i: Temporal.Instant) => i.toZonedDateTimeISO(SOFIA).toPlainTime().toString({ smallestUnit: 'minute' });
const iso = (xs: Interval[]) => xs.map((x) => `${x.start.toString()}/${x.end.toString()}`);

describe('expandRules (STYLE C11 DST fixtures, Europe/Sofia)', () => {
  it('2026-03-29 spring forward: a 09:00-17:00 rule still yields exactly 8 hours', () => {
    const out = expandRules([{ weekday: 7, start: '09:00', end: '17:00' }], day('2026-03-29'), SOFIA);
    expect(iso(out)).toEqual(['2026-03-29T06:00:00Z/2026-03-29T14:00:00Z']);
    expect(hours(out)).toBe(8);
  });

  it('2026-03-29: a wall time inside the gap is moved forward (03:30 becomes 04:30 EEST, disambiguation "compatible")', () => {
    const out = expandRules([{ weekday: 7, start: '03:30', end: '05:00' }], day('2026-03-29'), SOFIA);
    expect(out[0]?.start.toString()).toBe('2026-03-29T01:30:00Z');
    expect(out[0]?.start.toZonedDateTimeISO(SOFIA).toString()).toBe('2026-03-29T04:30:00+03:00[Europe/Sofia]');
    expect(hours(out)).toBe(0.5);
  });

  it('2026-03-29: a 02:00-05:00 rule yields 2 real hours (03:00-03:59 does not exist)', () => {
    expect(hours(expandRules([{ weekday: 7, start: '02:00', end: '05:00' }], day('2026-03-29'), SOFIA))).toBe(2);
  });

  it('2026-10-25 fall back: a 02:00-05:00 rule yields 4 real hours', () => {
    const out = expandRules([{ weekday: 7, start: '02:00', end: '05:00' }], day('2026-10-25'), SOFIA);
    expect(iso(out)).toEqual(['2026-10-24T23:00:00Z/2026-10-25T03:00:00Z'] /* 02:00 EEST → 05:00 EET */);
    expect(hours(out)).toBe(4);
  });

  it('2026-10-25: an ambiguous wall time (03:30 happens twice) takes the earlier instant', () => {
    const out = expandRules([{ weekday: 7, start: '03:30', end: '06:00' }], day('2026-10-25'), SOFIA);
    expect(out[0]?.start.toString()).toBe('2026-10-25T00:30:00Z'); // 03:30 EEST (+03:00), not 01:30Z (EET)
  });

  it('2026-10-25: a 09:00-17:00 rule yields 8 hours on the day after the change, with the new offset', () => {
    const out = expandRules([{ weekday: 1, start: '09:00', end: '17:00' }], day('2026-10-26'), SOFIA);
    expect(iso(out)).toEqual(['2026-10-26T07:00:00Z/2026-10-26T15:00:00Z']);
  });

  it('2027 change dates (2027-03-28, 2027-10-31) behave the same way', () => {
    expect(hours(expandRules([{ weekday: 7, start: '02:00', end: '05:00' }], day('2027-03-28'), SOFIA))).toBe(2);
    expect(hours(expandRules([{ weekday: 7, start: '02:00', end: '05:00' }], day('2027-10-31'), SOFIA))).toBe(4);
  });

  it('uses the weekday of each date and skips listed dates (holidays)', () => {
    const rules = [{ weekday: 1, start: '09:00', end: '12:00' }, { weekday: 3, start: '14:00', end: '15:00' }];
    const week = { from: D('2026-12-21'), to: D('2026-12-28') }; // Mon 21 .. Sun 27
    expect(iso(expandRules(rules, week, SOFIA))).toEqual(['2026-12-21T07:00:00Z/2026-12-21T10:00:00Z', '2026-12-23T12:00:00Z/2026-12-23T13:00:00Z']);
    expect(iso(expandRules(rules, week, SOFIA, new Set(['2026-12-21'])))).toEqual(['2026-12-23T12:00:00Z/2026-12-23T13:00:00Z']);
  });

  it('refuses an unknown zone instead of falling back to another one', () => {
    expect(() => expandRules([{ weekday: 1, start: '09:00', end: '10:00' }], day('2026-12-21'), 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('slot slicing across the DST change', () => {
  it('2026-10-25: 30-minute slots in a 02:00-05:00 rule are 8 and round-trip instant → wall time → instant', () => {
    const slots = slice(expandRules([{ weekday: 7, start: '02:00', end: '05:00' }], day('2026-10-25'), SOFIA), { duration: 30 });
    expect(slots).toHaveLength(8);
    expect(slots.map((s) => wall(s.start))).toEqual(['02:00', '02:30', '03:00', '03:30', '03:00', '03:30', '04:00', '04:30']);
    for (const s of slots) {
      // Round trip through the zoned representation (with its offset) gives back the same instant.
      const zoned = s.start.toZonedDateTimeISO(SOFIA);
      expect(Temporal.ZonedDateTime.from(zoned.toString()).toInstant().equals(s.start)).toBe(true);
    }
  });

  it('2026-03-29: 30-minute slots in a 02:00-05:00 rule are 4 and skip the missing hour', () => {
    const slots = slice(expandRules([{ weekday: 7, start: '02:00', end: '05:00' }], day('2026-03-29'), SOFIA), { duration: 30 });
    expect(slots.map((s) => wall(s.start))).toEqual(['02:00', '02:30', '04:00', '04:30']);
  });
});

describe('interval algebra', () => {
  it('normalize merges overlapping and touching intervals and sorts them', () => {
    const out = normalize([iv('2026-01-01T10:00:00Z', '2026-01-01T11:00:00Z'), iv('2026-01-01T09:00:00Z', '2026-01-01T10:00:00Z'), iv('2026-01-01T12:00:00Z', '2026-01-01T13:00:00Z')]);
    expect(iso(out)).toEqual(['2026-01-01T09:00:00Z/2026-01-01T11:00:00Z', '2026-01-01T12:00:00Z/2026-01-01T13:00:00Z']);
  });

  it('subtract cuts holes, including at the edges', () => {
    const out = subtract([iv('2026-01-01T09:00:00Z', '2026-01-01T17:00:00Z')], [iv('2026-01-01T08:00:00Z', '2026-01-01T09:30:00Z'), iv('2026-01-01T12:00:00Z', '2026-01-01T13:00:00Z'), iv('2026-01-01T16:30:00Z', '2026-01-01T18:00:00Z')]);
    expect(iso(out)).toEqual(['2026-01-01T09:30:00Z/2026-01-01T12:00:00Z', '2026-01-01T13:00:00Z/2026-01-01T16:30:00Z']);
  });

  it('intersect keeps the common time', () => {
    const out = intersect([iv('2026-01-01T09:00:00Z', '2026-01-01T12:00:00Z'), iv('2026-01-01T14:00:00Z', '2026-01-01T16:00:00Z')], [iv('2026-01-01T11:00:00Z', '2026-01-01T15:00:00Z')]);
    expect(iso(out)).toEqual(['2026-01-01T11:00:00Z/2026-01-01T12:00:00Z', '2026-01-01T14:00:00Z/2026-01-01T15:00:00Z']);
  });

  it('applyNotice clips availability to now + notice', () => {
    const out = applyNotice([iv('2026-01-01T09:00:00Z', '2026-01-01T17:00:00Z'), iv('2026-01-01T05:00:00Z', '2026-01-01T06:00:00Z')], I('2026-01-01T07:30:00Z'), 120);
    expect(iso(out)).toEqual(['2026-01-01T09:30:00Z/2026-01-01T17:00:00Z']);
  });

  it('wallDays covers whole days in the zone (23 hours on the spring-forward day)', () => {
    const d = wallDays(D('2026-03-29'), D('2026-03-29'), SOFIA);
    expect(d.start.until(d.end).total('hours')).toBe(23);
  });

  it('slice refuses a zero duration', () => {
    expect(() => slice([], { duration: 0 })).toThrow(RangeError);
  });
});

describe('computeSlots', () => {
  const base = {
    rules: [{ weekday: 1, start: '09:00', end: '12:00' }],
    zone: SOFIA,
    range: { from: D('2026-12-07'), to: D('2026-12-15') }, // two Mondays: 7th and 14th
    now: I('2026-12-01T00:00:00Z'),
    slotMinutes: 30,
  };

  it('keeps the grid, drops slots overlapping busy time, exceptions and those before now', () => {
    const all = computeSlots(base);
    expect(all).toHaveLength(12);
    const busy = [iv('2026-12-07T07:15:00Z', '2026-12-07T07:45:00Z')]; // 09:15-09:45 Sofia
    const withBusy = computeSlots({ ...base, busy });
    expect(withBusy.filter((s) => s.start.toString().startsWith('2026-12-07')).map((s) => wall(s.start))).toEqual(['10:00', '10:30', '11:00', '11:30']);
    const onLeave = computeSlots({ ...base, exceptions: [wallDays(D('2026-12-14'), D('2026-12-14'), SOFIA)] });
    expect(onLeave).toHaveLength(6);
    const later = computeSlots({ ...base, now: I('2026-12-07T08:10:00Z') });
    expect(later[0]?.start.toString()).toBe('2026-12-07T08:30:00Z');
    const holiday = computeSlots({ ...base, skipDates: new Set(['2026-12-07']) });
    expect(holiday).toHaveLength(6);
  });
});

describe('properties (fast-check)', () => {
  const minute = Temporal.Instant.from('2026-01-01T00:00:00Z');
  const arbInterval = fc.tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 1, max: 300 })).map(([s, len]) => ({
    start: minute.add({ minutes: s }),
    end: minute.add({ minutes: s + len }),
  }));
  const arbSet = fc.array(arbInterval, { maxLength: 12 });

  it('slots never overlap busy time, always fit availability, and are sorted and unique', () => {
    fc.assert(
      fc.property(arbSet, arbSet, fc.integer({ min: 5, max: 90 }), (avail, busy, duration) => {
        const free = subtract(avail, busy);
        const slots = slice(normalize(free), { duration });
        for (const s of slots) {
          expect(busy.some((b) => Temporal.Instant.compare(s.start, b.end) < 0 && Temporal.Instant.compare(b.start, s.end) < 0)).toBe(false);
          expect(normalize(avail).some((a) => Temporal.Instant.compare(a.start, s.start) <= 0 && Temporal.Instant.compare(s.end, a.end) <= 0)).toBe(true);
        }
        for (let i = 1; i < slots.length; i += 1) {
          expect(Temporal.Instant.compare((slots[i - 1] as Interval).start, (slots[i] as Interval).start)).toBeLessThan(0);
        }
      }),
    );
  });

  it('subtract and intersect partition the available time', () => {
    fc.assert(
      fc.property(arbSet, arbSet, (a, b) => {
        const total = (xs: Interval[]) => xs.reduce((n, x) => n + x.start.until(x.end).total('minutes'), 0);
        expect(total(subtract(a, b)) + total(intersect(a, b))).toBe(total(normalize(a)));
      }),
    );
  });
});
