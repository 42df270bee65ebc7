import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { createWorkingCalendar } from '../../platform/calendar.js';
import { breachCause, complexRefusal, computeDeadline, outcomeOf, progress } from './deadline-rules.js';

// Literal instants only (STYLE C16). Sofia is UTC+2 in winter (EET) and UTC+3 in summer (EEST).
const calendar = createWorkingCalendar();
const zone = 'Europe/Sofia';
const I = (s: string) => Temporal.Instant.from(s);
const due = (urgency: 'planned' | 'emergency', completedAt: string, complex = false) =>
  computeDeadline({ urgency, completedAt: I(completedAt), complex, timeZone: zone }, calendar);

describe('Art. 17 deadlines, planned (R-TM-35)', () => {
  it('R-TM-35: a Tuesday completion is due 16:00 Sofia on Wednesday', () => {
    expect(due('planned', '2026-11-24T08:00:00Z').dueAt.toString()).toBe('2026-11-25T14:00:00Z');
  });

  it('R-TM-35: Friday 17:00 is due Monday 16:00 (A-12(a))', () => {
    expect(due('planned', '2026-11-20T15:00:00Z').dueAt.toString()).toBe('2026-11-23T14:00:00Z');
  });

  it('R-TM-35: a Saturday completion is due on Monday, counted from the completion date', () => {
    expect(due('planned', '2026-11-21T10:00:00Z').dueAt.toString()).toBe('2026-11-23T14:00:00Z');
  });

  it('R-TM-35, R-TM-39: 00:30 Sofia on a Friday counts from Friday, not from the UTC date (Thursday)', () => {
    // 2026-11-19T22:30Z is Friday 2026-11-20 00:30 in Sofia.
    expect(due('planned', '2026-11-19T22:30:00Z').dueAt.toString()).toBe('2026-11-23T14:00:00Z');
  });

  it('R-TM-35: Easter — Thursday before Good Friday is due on Tuesday after Easter Monday (2026-04-10..13)', () => {
    expect(due('planned', '2026-04-09T09:00:00Z').dueAt.toString()).toBe('2026-04-14T13:00:00Z');
  });

  it('R-TM-35: St George’s Day (Wednesday 2026-05-06) is skipped', () => {
    expect(due('planned', '2026-05-05T11:00:00Z').dueAt.toString()).toBe('2026-05-07T13:00:00Z');
  });

  it('R-TM-35: a holiday on a Sunday moves to Monday (24 May 2026 → 25 May off)', () => {
    expect(due('planned', '2026-05-22T11:00:00Z').dueAt.toString()).toBe('2026-05-26T13:00:00Z');
  });

  it('R-TM-35: Christmas 2026 (24-26 Dec, Saturday moved to Monday 28th)', () => {
    expect(due('planned', '2026-12-23T10:00:00Z').dueAt.toString()).toBe('2026-12-29T14:00:00Z');
  });

  it('R-TM-35: New Year with the euro-changeover decisions (2025-12-31 and 2026-01-02 off)', () => {
    // Tuesday 2025-12-30 12:00 Sofia: 31 Dec (decision), 1 Jan (holiday), 2 Jan (decision), weekend.
    expect(due('planned', '2025-12-30T10:00:00Z').dueAt.toString()).toBe('2026-01-05T14:00:00Z');
  });

  it('R-TM-35: spring-forward weekend (2026-03-29): Saturday night EET is due Monday 16:00 EEST', () => {
    expect(due('planned', '2026-03-28T20:00:00Z').dueAt.toString()).toBe('2026-03-30T13:00:00Z');
    // 02:30 Sofia on the night of the change, just before the clocks jump.
    expect(due('planned', '2026-03-29T00:30:00Z').dueAt.toString()).toBe('2026-03-30T13:00:00Z');
  });

  it('R-TM-35: fall-back night (2026-10-25): both 03:30s count from Sunday and are due Monday 16:00 EET', () => {
    expect(due('planned', '2026-10-25T00:30:00Z').dueAt.toString()).toBe('2026-10-26T14:00:00Z'); // 03:30 EEST
    expect(due('planned', '2026-10-25T01:30:00Z').dueAt.toString()).toBe('2026-10-26T14:00:00Z'); // 03:30 EET
  });
});

describe('Art. 17 deadlines, planned complex (R-TM-36)', () => {
  it('R-TM-36: the same clock time on the second working day (Tue 10:00 → Thu 10:00)', () => {
    const d = due('planned', '2026-11-24T08:00:00Z', true);
    expect(d.baseDueAt.toString()).toBe('2026-11-25T14:00:00Z');
    expect(d.dueAt.toString()).toBe('2026-11-26T08:00:00Z');
  });

  it('R-TM-36: across the spring-forward weekend the wall time is kept (10:30 EET → 10:30 EEST)', () => {
    expect(due('planned', '2026-03-27T08:30:00Z', true).dueAt.toString()).toBe('2026-03-31T07:30:00Z');
  });

  it('R-TM-36: completion in the repeated hour of 2026-10-25 keeps 03:30 on Tuesday (EET)', () => {
    expect(due('planned', '2026-10-25T00:30:00Z', true).dueAt.toString()).toBe('2026-10-27T01:30:00Z');
  });

  it('R-TM-36: Friday before Easter week-end → Wednesday (Good Friday to Easter Monday off)', () => {
    // Thursday 2026-04-09 15:00 EEST: next working days Tue 14, Wed 15.
    expect(due('planned', '2026-04-09T12:00:00Z', true).dueAt.toString()).toBe('2026-04-15T12:00:00Z');
  });
});

describe('Art. 17 deadlines, emergency (R-TM-37, R-TM-38)', () => {
  it('R-TM-37: 10 minutes after completion, including on a holiday', () => {
    expect(due('emergency', '2026-01-01T10:00:00Z').dueAt.toString()).toBe('2026-01-01T10:10:00Z');
  });

  it('R-TM-37: 10 real minutes across the fall-back change (03:55 EEST → 03:05 EET)', () => {
    expect(due('emergency', '2026-10-25T00:55:00Z').dueAt.toString()).toBe('2026-10-25T01:05:00Z');
  });

  it('R-TM-38: 60 minutes for a complex case, across the spring-forward change', () => {
    const d = due('emergency', '2026-03-29T00:30:00Z', true);
    expect(d.baseDueAt.toString()).toBe('2026-03-29T00:40:00Z');
    expect(d.dueAt.toString()).toBe('2026-03-29T01:30:00Z');
  });
});

describe('escalation and progress', () => {
  it('escalates when 80% of the time has passed', () => {
    // 30 h from Tue 08:00Z to Wed 14:00Z; 80% = 24 h.
    expect(due('planned', '2026-11-24T08:00:00Z').escalateAt.toString()).toBe('2026-11-25T08:00:00Z');
    expect(due('emergency', '2026-11-24T08:00:00Z').escalateAt.toString()).toBe('2026-11-24T08:08:00Z');
  });

  it('reports time left and the elapsed share', () => {
    expect(progress(I('2026-11-24T08:00:00Z'), I('2026-11-25T14:00:00Z'), I('2026-11-25T08:00:00Z'))).toEqual({ secondsLeft: 6 * 3600, elapsedShare: 0.8 });
    expect(progress(I('2026-11-24T08:00:00Z'), I('2026-11-25T14:00:00Z'), I('2026-11-25T15:00:00Z')).secondsLeft).toBe(-3600);
  });

  it('R-TM-35: recording exactly at the deadline is in time; one second later is missed', () => {
    expect(outcomeOf(I('2026-11-25T14:00:00Z'), I('2026-11-25T14:00:00Z'))).toBe('met');
    expect(outcomeOf(I('2026-11-25T14:00:01Z'), I('2026-11-25T14:00:00Z'))).toBe('missed');
  });
});

describe('complexity extension (R-TM-43)', () => {
  const base = { isProvider: true, complex: false, status: 'open' as const, baseDueAt: I('2026-11-25T14:00:00Z') };
  it('R-TM-43: the providing specialist may extend before the base deadline', () => {
    expect(complexRefusal({ ...base, now: I('2026-11-25T13:59:59Z') })).toBeNull();
  });
  it('R-TM-43: nobody else may', () => {
    expect(complexRefusal({ ...base, isProvider: false, now: I('2026-11-25T10:00:00Z') })).toBe('not_provider');
  });
  it('R-TM-43: not at or after the base deadline', () => {
    expect(complexRefusal({ ...base, now: I('2026-11-25T14:00:00Z') })).toBe('base_deadline_passed');
  });
  it('R-TM-43: not twice, and not after recording', () => {
    expect(complexRefusal({ ...base, complex: true, now: I('2026-11-25T10:00:00Z') })).toBe('already_complex');
    expect(complexRefusal({ ...base, status: 'met', now: I('2026-11-25T10:00:00Z') })).toBe('already_recorded');
  });
});

describe('breach causes', () => {
  it('names what was missing when the deadline passed', () => {
    expect(breachCause({ signed: false, submission: null })).toBe('not_signed');
    expect(breachCause({ signed: true, submission: { status: 'pending', failedAttempts: 0 } })).toBe('nhis_pending');
    expect(breachCause({ signed: true, submission: { status: 'opened', failedAttempts: 3 } })).toBe('nhis_unavailable');
    expect(breachCause({ signed: true, submission: { status: 'rejected', failedAttempts: 1 } })).toBe('nhis_rejected');
  });
});
