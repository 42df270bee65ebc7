import type { Deadline } from './api.js';

/**
 * An open Art. 17 deadline of a planned request completed on 24 November 2026 at 08:00 UTC: due on the
 * 25th at 14:00 UTC, escalated at 08:00 (for the screens' tests). `over` names the request and its
 * parties, and whatever else the test is about.
 */
export const deadlineFixture = (over: Pick<Deadline, 'requestId' | 'facilityId' | 'practitionerId'> & Partial<Deadline>): Deadline => ({
  urgency: 'planned',
  mode: 'synchronous',
  documentKind: 'ambulatory_sheet',
  timeZone: 'Europe/Sofia',
  completedAt: '2026-11-24T08:00:00Z',
  baseDueAt: '2026-11-25T14:00:00Z',
  dueAt: '2026-11-25T14:00:00Z',
  escalateAt: '2026-11-25T08:00:00Z',
  complex: false,
  complexKind: null,
  status: 'open',
  recordedAt: null,
  nrn: null,
  escalatedAt: null,
  breachedAt: null,
  breachCause: null,
  secondsLeft: 30 * 3600,
  elapsedShare: 0,
  documentStatus: 'none',
  ...over,
});
