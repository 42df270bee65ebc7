import { describe, expect, it } from 'vitest';
import { RequestActionSchema, RequestStatusSchema, type RequestAction, type RequestStatus } from '../../contracts/requests.js';
import { allowedActions, appointmentStatusFor, changeAllowed, changeDeadline, nextStatus, TERMINAL } from './request-status.js';

// STYLE C9: every (status, action) pair of the lifecycle table, spelled out.
const expected: Record<RequestStatus, Partial<Record<RequestAction, RequestStatus>>> = {
  requested: { accept: 'accepted', decline: 'declined', cancel: 'cancelled', reschedule: 'requested' },
  accepted: { schedule: 'scheduled', start: 'in_progress', cancel: 'cancelled' },
  scheduled: { start: 'in_progress', cancel: 'cancelled', no_show: 'noshow', reschedule: 'scheduled' },
  in_progress: { complete: 'completed' },
  completed: { document: 'documented' },
  documented: {},
  declined: {},
  cancelled: {},
  noshow: {},
};

describe('request lifecycle table', () => {
  for (const status of RequestStatusSchema.options) {
    for (const action of RequestActionSchema.options) {
      const to = expected[status][action] ?? null;
      it(`${status} --${action}--> ${to ?? 'refused'}`, () => {
        expect(nextStatus(status, action)).toBe(to);
      });
    }
  }

  it('terminal statuses allow nothing', () => {
    for (const s of TERMINAL) expect(RequestActionSchema.options.filter((a) => nextStatus(s, a) !== null)).toEqual([]);
  });

  it('the requester side may only cancel and reschedule', () => {
    expect(allowedActions('scheduled', 'requester', { urgency: 'planned', mode: 'synchronous', hasAppointment: true })).toEqual(['cancel', 'reschedule']);
    expect(allowedActions('requested', 'requester', { urgency: 'planned', mode: 'asynchronous', hasAppointment: false })).toEqual(['cancel']);
  });

  it('the provider decides a new request', () => {
    expect(allowedActions('requested', 'provider', { urgency: 'emergency', mode: 'synchronous', hasAppointment: false })).toEqual(['accept', 'decline', 'cancel']);
  });

  it('maps request statuses onto FHIR Appointment statuses', () => {
    expect(appointmentStatusFor('requested', 'pending')).toBe('pending');
    expect(appointmentStatusFor('scheduled', 'pending')).toBe('booked');
    expect(appointmentStatusFor('in_progress', 'booked')).toBe('arrived');
    expect(appointmentStatusFor('documented', 'fulfilled')).toBe('fulfilled');
    expect(appointmentStatusFor('declined', 'pending')).toBe('cancelled');
    expect(appointmentStatusFor('noshow', 'booked')).toBe('noshow');
  });

  it('changes are allowed until the facility minimum before the start, not after', () => {
    const start = Date.UTC(2026, 11, 1, 9);
    expect(changeAllowed(start, start - 24 * 3600_000, 1440)).toBe(true);
    expect(changeAllowed(start, start - 24 * 3600_000 + 1, 1440)).toBe(false);
  });

  it('the change deadline the views show is the last instant changeAllowed accepts', () => {
    const start = Date.UTC(2026, 11, 1, 9);
    expect(changeDeadline(start, 1440)).toBe(Date.UTC(2026, 10, 30, 9));
    expect(changeDeadline(start, 60)).toBe(Date.UTC(2026, 11, 1, 8));
    for (const min of [0, 60, 90, 1440]) {
      expect(changeAllowed(start, changeDeadline(start, min), min)).toBe(true);
      expect(changeAllowed(start, changeDeadline(start, min) + 1, min)).toBe(false);
    }
  });
});
