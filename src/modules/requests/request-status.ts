import type { AppointmentStatus, Mode, RequestAction, RequestStatus, Urgency } from '../../contracts/requests.js';

/**
 * The request lifecycle as one pure table (STYLE C9): which action moves a request from which statuses
 * to which status, and which side may take it. The service applies each as a compare-and-swap update
 * `WHERE status = ANY(from)`; nothing checks the status before the transaction.
 *
 *   requested → accepted | declined | cancelled
 *   accepted  → scheduled | in_progress | cancelled
 *   scheduled → in_progress | cancelled | noshow   (and reschedule: scheduled → scheduled)
 *   in_progress → completed → documented
 */

/** Which side of a request acts: the requester side (patient, representative, requesting specialist) or the provider. */
export type Side = 'requester' | 'provider';

export interface Transition {
  /** Statuses the action is allowed from. */
  from: readonly RequestStatus[];
  /** The status after the action (`reschedule` keeps it). */
  to: RequestStatus;
  /** Who may take it. */
  sides: readonly Side[];
  /** A reason must be given (decline: Art. 9; cancel and reschedule: docs/requests.md#lifecycle). */
  needsReason: boolean;
}

export const TRANSITIONS: Readonly<Record<RequestAction, Transition>> = {
  // the providing specialist takes the request (an emergency: acknowledges it)
  accept: { from: ['requested'], to: 'accepted', sides: ['provider'], needsReason: false },
  // Regulatory: Art. 9 — the specialist decides each case; a refusal keeps its reasons
  decline: { from: ['requested'], to: 'declined', sides: ['provider'], needsReason: true },
  // the time is fixed (real time) or the review is queued (store and forward)
  schedule: { from: ['accepted'], to: 'scheduled', sides: ['provider'], needsReason: false },
  // the service starts (emergencies and store-and-forward may start straight after acceptance)
  start: { from: ['accepted', 'scheduled'], to: 'in_progress', sides: ['provider'], needsReason: false },
  // the service ends; the Art. 17 documentation deadlines start here
  complete: { from: ['in_progress'], to: 'completed', sides: ['provider'], needsReason: false },
  // the results are recorded (Art. 17, 20)
  document: { from: ['completed'], to: 'documented', sides: ['provider'], needsReason: false },
  // either side cancels before the service starts, within the facility's rules
  cancel: { from: ['requested', 'accepted', 'scheduled'], to: 'cancelled', sides: ['requester', 'provider'], needsReason: true },
  // the recipient did not come
  no_show: { from: ['scheduled'], to: 'noshow', sides: ['provider'], needsReason: false },
  // either side moves a real-time request to another free slot, within the facility's rules
  reschedule: { from: ['requested', 'scheduled'], to: 'scheduled', sides: ['requester', 'provider'], needsReason: true },
};

/** Statuses after which the request is over (the care relationship closes). */
export const TERMINAL: ReadonlySet<RequestStatus> = new Set<RequestStatus>(['declined', 'documented', 'cancelled', 'noshow']);

/**
 * Where an action leads from a status, or `null` when it is not allowed.
 * @param from - the current status
 * @param action - the action
 * @returns the next status, or null
 */
export function nextStatus(from: RequestStatus, action: RequestAction): RequestStatus | null {
  const t = TRANSITIONS[action];
  if (!t.from.includes(from)) return null;
  // reschedule keeps a still-unaccepted request `requested`
  if (action === 'reschedule') return from;
  return t.to;
}

/**
 * The actions a side may take now, for the UI (the server still decides by compare-and-swap).
 * @param status - the current status
 * @param side - the viewer's side
 * @param shape - urgency and mode of the request, and whether it has an appointment
 * @returns the allowed actions
 */
export function allowedActions(status: RequestStatus, side: Side, shape: { urgency: Urgency; mode: Mode; hasAppointment: boolean }): RequestAction[] {
  return (Object.keys(TRANSITIONS) as RequestAction[]).filter((a) => {
    const t = TRANSITIONS[a];
    if (!t.sides.includes(side) || !t.from.includes(status)) return false;
    if (a === 'reschedule') return shape.mode === 'synchronous' && shape.hasAppointment;
    if (a === 'no_show') return shape.hasAppointment;
    return true;
  });
}

/**
 * The FHIR Appointment status that goes with a request status.
 * @param status - the request status
 * @param current - the appointment's status now
 * @returns the appointment status to set
 */
export function appointmentStatusFor(status: RequestStatus, current: AppointmentStatus): AppointmentStatus {
  switch (status) {
    case 'requested':
      return 'pending';
    case 'accepted':
      return current === 'pending' ? 'booked' : current;
    case 'scheduled':
      return 'booked';
    case 'in_progress':
      return 'arrived';
    case 'completed':
    case 'documented':
      return 'fulfilled';
    case 'declined':
    case 'cancelled':
      return 'cancelled';
    case 'noshow':
      return 'noshow';
    default: {
      const never: never = status;
      return never;
    }
  }
}

/**
 * Whether a side may still change (cancel or reschedule) an appointment starting at `start`, under the
 * facility's rules. Pure: `now` is an argument (STYLE C10).
 * @param start - appointment start (epoch ms)
 * @param now - now (epoch ms)
 * @param minMinutes - the facility's minimum notice for this side
 * @returns true when the change is still allowed
 */
export function changeAllowed(start: number, now: number, minMinutes: number): boolean {
  return now <= changeDeadline(start, minMinutes);
}

/**
 * The last instant at which a side may still change (cancel or reschedule) an appointment starting at
 * `start`: `changeAllowed` is true up to and including it. Pure.
 * @param start - appointment start (epoch ms)
 * @param minMinutes - the facility's minimum notice for this side
 * @returns the deadline (epoch ms)
 */
export function changeDeadline(start: number, minMinutes: number): number {
  return start - minMinutes * 60_000;
}
