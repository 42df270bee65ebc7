import { toDate, type Temporal } from '../../platform/clock.js';
import { withTransaction, type Tx } from '../../platform/db/index.js';
import { facilityScope } from '../../platform/crypto/keyring.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError, InvalidTransitionError, NotFoundError } from '../../platform/errors/app-error.js';
import { pgErrorOf, PgCode } from '../../platform/db/pg-errors.js';
import type { RequestAction, RequestWithAppointment, TransitionBody } from '../../contracts/requests.js';
import { appointmentStatusFor, changeAllowed, nextStatus, TERMINAL, TRANSITIONS } from './request-status.js';
import * as repo from './requests.repo.js';
import { invalid, reasonContext, slotTaken, type RequestsDeps, type UserActor } from './request-common.js';
import type { RequestViews, Viewer } from './request-view.js';

type RequestStatus = repo.RequestRow['status'];

/** Everything a step of one transition sees: the request as read, who acts, and the target status. */
interface Step {
  tx: Tx;
  ctx: RequestCtx;
  id: string;
  body: TransitionBody;
  row: repo.RequestRow;
  viewer: Viewer;
  actor: UserActor;
  now: Temporal.Instant;
  nowDate: Date;
  to: RequestStatus;
  /** The request's appointment while it still holds time (not cancelled, no-show or in error). */
  liveAppointment: repo.RequestRow | null;
}

/** A check that runs before the compare-and-swap and may refuse the action. */
type Guard = (s: Step) => Promise<void>;
/** What the action does after its compare-and-swap; returns the request's final status. */
type Effect = (s: Step) => Promise<RequestStatus>;

/**
 * The request lifecycle (STYLE C9): one action is a compare-and-swap on the status, with a table of
 * per-action checks before it and per-action effects after it, all in one transaction.
 * @param deps - the requests dependencies
 * @param views - the shared viewer and view helpers
 * @returns transition
 */
export function createTransitionRequest(deps: RequestsDeps, views: RequestViews) {
  const { db, clock, ids, keyring, audit } = deps;
  const { view, loadVisible, notify } = views;

  /** Regulatory: the facility's change window (request_policy) for cancelling or moving a booked time. */
  const changeWindow: Guard = async ({ tx, row, viewer, now, liveAppointment }) => {
    if (!liveAppointment?.appointment_start) return;
    const rules = await repo.findPolicy(tx, row.provider_facility_id);
    const min = viewer.side === 'provider' ? rules.provider_change_min_minutes : rules.requester_change_min_minutes;
    if (!changeAllowed(liveAppointment.appointment_start.getTime(), now.epochMilliseconds, min)) {
      throw new AppError('request.change_window_closed', { detail: `Changes are possible until ${min} minutes before the start`, meta: { minMinutes: min } });
    }
  };

  /**
   * Regulatory: R-TM-10 (Art. 9) — the decision is the specialist's, with the Art. 7 checklist,
   * recorded in this transaction (the database refuses the status change without it, 0008_consent.sql).
   */
  const decision: Guard = async ({ tx, ctx, id, body }) => {
    if (!body.checklist) throw invalid('#/checklist', 'Confirm the Art. 7 checklist');
    if (body.action !== 'accept' && body.action !== 'decline') return;
    await deps.admissibility.recordDecision(tx, ctx, id, { outcome: body.action, checklist: body.checklist, ...(body.reason ? { reasons: body.reason } : {}) });
  };

  const guards: Partial<Record<RequestAction, Guard>> = {
    cancel: changeWindow,
    reschedule: changeWindow,
    accept: async (s) => {
      if (s.row.urgency === 'emergency' && !s.viewer.practitionerId) throw new ForbiddenError('Only a specialist on duty acknowledges an emergency');
      await decision(s);
    },
    decline: decision,
    // Regulatory: R-TM-10, R-TM-15, R-TM-23 — a service starts only with the decision, a verified identity and consent.
    start: ({ tx, ctx, id }) => deps.admissibility.assertServiceMayStart(tx, ctx, id),
    // Regulatory: R-TM-40/41 — the request closes only with the signed document (a trigger checks it too).
    document: ({ tx, id }) => deps.documentation.assertCanClose(tx, id),
  };

  /** The appointment follows the request's new status; a cancelled or declined request frees its slot. */
  const followAppointment: Effect = async ({ tx, row, to, nowDate, liveAppointment }) => {
    if (liveAppointment?.appointment_id && liveAppointment.appointment_status) {
      const apptTo = appointmentStatusFor(to, liveAppointment.appointment_status);
      // Concurrency (STYLE C9): the appointment moved since it was read; the whole transition rolls back.
      if (!(await repo.casAppointmentStatus(tx, liveAppointment.appointment_id, liveAppointment.appointment_status, apptTo, nowDate))) {
        throw new InvalidTransitionError(liveAppointment.appointment_status, apptTo);
      }
      if ((to === 'cancelled' || to === 'declined') && row.slot_id) await repo.releaseSlot(tx, row.slot_id);
    }
    return to;
  };

  /** The old appointment is cancelled and its slot freed; another free slot of the same specialist and service is taken. */
  const reschedule: Effect = async ({ tx, id, body, row, to, nowDate, liveAppointment }) => {
    if (!body.slotId) throw invalid('#/slotId', 'Choose the new time');
    if (!liveAppointment?.appointment_id || !row.practitioner_id || !row.service_id) throw new InvalidTransitionError(row.status, 'rescheduled');
    const current = liveAppointment.appointment_status ?? 'pending';
    if (!(await repo.casAppointmentStatus(tx, liveAppointment.appointment_id, current, 'cancelled', nowDate))) throw new InvalidTransitionError(current, 'cancelled');
    if (row.slot_id) await repo.releaseSlot(tx, row.slot_id);
    let taken: { start: Date; end: Date } | undefined;
    try {
      taken = await repo.takeSlotForReschedule(tx, {
        slotId: body.slotId,
        requestId: id,
        appointmentId: ids.uuid(),
        practitionerId: row.practitioner_id,
        serviceId: row.service_id,
        facilityId: row.provider_facility_id,
        status: liveAppointment.appointment_status === 'pending' ? 'pending' : 'booked',
        now: nowDate,
      });
    } catch (err) {
      if (pgErrorOf(err)?.code === PgCode.exclusionViolation) throw slotTaken();
      throw err;
    }
    if (!taken) throw slotTaken('That time is not free (or belongs to another specialist or service)');
    await repo.setRequestSlot(tx, id, body.slotId);
    return to;
  };

  /** Accepting opens the patient's data to the providing specialist and schedules a request that holds a time. */
  const accept: Effect = async (s) => {
    await followAppointment(s);
    const { tx, ctx, id, row, viewer, actor, nowDate, liveAppointment } = s;
    const practitionerId = row.practitioner_id ?? viewer.practitionerId;
    // Regulatory: Art. 13 — taking the request opens the patient's data to the providing specialist.
    if (row.patient_id && practitionerId) {
      await deps.access.openCareRelationship(tx, ctx, { patientId: row.patient_id, practitionerId, facilityId: row.provider_facility_id, sourceType: 'request', sourceId: id });
    }
    if (!liveAppointment) return s.to;
    // A real-time request already holds its time: accepting it also schedules it (a second CAS step).
    const sched = await repo.casRequestStatus(tx, id, ['accepted'], 'scheduled', nowDate);
    if (!sched) throw new InvalidTransitionError('accepted', 'scheduled');
    await repo.insertEvent(tx, { id: ids.uuid(), requestId: id, action: 'schedule', fromStatus: 'accepted', toStatus: 'scheduled', side: 'provider', actorAccountId: actor.id, reasonEnc: null, at: nowDate });
    return 'scheduled';
  };

  const effects: Partial<Record<RequestAction, Effect>> = { reschedule, accept };

  async function transitionTx(tx: Tx, ctx: RequestCtx, id: string, body: TransitionBody): Promise<RequestWithAppointment> {
    const { row, viewer, actor } = await loadVisible(tx, ctx, id);
    const t = TRANSITIONS[body.action];
    if (!t.sides.includes(viewer.side)) throw new ForbiddenError(`Only the ${t.sides.join(' or ')} side may ${body.action}`);
    if (t.needsReason && !body.reason) throw invalid('#/reason', 'Give a reason');
    const now = clock.now();
    const nowDate = toDate(now);
    const to = nextStatus(row.status, body.action);
    if (!to) throw new InvalidTransitionError(row.status, TRANSITIONS[body.action].to);
    const liveAppointment = row.appointment_id && row.appointment_status && !['cancelled', 'noshow', 'entered-in-error'].includes(row.appointment_status) ? row : null;
    const step: Step = { tx, ctx, id, body, row, viewer, actor, now, nowDate, to, liveAppointment };

    await guards[body.action]?.(step);

    // Concurrency: compare-and-swap on the status (and the version when the client sent one), STYLE C9.
    const cas = await repo.casRequestStatus(tx, id, t.from.filter((s) => s === row.status), to, nowDate, {
      ...(body.version !== undefined ? { version: body.version } : {}),
      ...(body.action === 'accept' && viewer.practitionerId ? { acceptedBy: { accountId: actor.id, practitionerId: viewer.practitionerId } } : {}),
    });
    if (!cas) {
      if (body.version !== undefined && body.version !== row.version) throw new AppError('resource.version_mismatch');
      throw new InvalidTransitionError(row.status, to);
    }
    const reasonEventId = ids.uuid();
    const reasonEnc = body.reason ? await keyring.encrypt(tx, facilityScope(row.provider_facility_id), body.reason, reasonContext(reasonEventId)) : null;
    await repo.insertEvent(tx, { id: reasonEventId, requestId: id, action: body.action, fromStatus: row.status, toStatus: to, side: viewer.side, actorAccountId: actor.id, reasonEnc, at: nowDate });

    const status = await (effects[body.action] ?? followAppointment)(step);
    // Regulatory: W14 — a request that ends before the visit gives its referral back to the patient.
    if ((status === 'cancelled' || status === 'declined') && deps.referrals) await deps.referrals.releaseForRequestIn(tx, ctx, id);

    // Regulatory: Art. 17 — the documentation deadline runs from the moment the service is completed.
    if (status === 'completed') await deps.documentation.startDeadline(tx, ctx, id, now);
    if (TERMINAL.has(status)) {
      await deps.access.closeCareRelationship(tx, ctx, { sourceType: 'request', sourceId: id });
    }
    await audit.record(tx, ctx, {
      action: 'request.transitioned',
      ...(row.patient_id ? { patientId: row.patient_id } : {}),
      facilityId: row.provider_facility_id,
      subject: { type: 'service_request', id },
      reason: viewer.reason,
      ...(viewer.onBehalfOf ? { onBehalfOf: viewer.onBehalfOf } : {}),
      data: { action: body.action, from: row.status, to: status, side: viewer.side, ...(body.slotId ? { slotId: body.slotId } : {}) },
    });
    await notify(tx, id, body.action === 'accept' && row.urgency === 'emergency' ? 'emergency_accepted' : body.action, { side: viewer.side });
    const updated = await repo.findRequest(tx, id);
    if (!updated) throw new NotFoundError('service_request', id);
    return view(updated, viewer.side, ctx.lang);
  }

  return {
    /**
     * Applies one lifecycle action as a compare-and-swap update, audited and visible to both sides.
     * @param ctx - the requester or provider side
     * @param id - the request
     * @param body - action, reason, new slot (reschedule), expected version
     * @returns the request after the change
     * @throws {InvalidTransitionError} `state.bad_transition` when the status does not allow it (e.g. a
     *   second specialist acknowledging an emergency); `resource.version_mismatch`; `request.change_window_closed`;
     *   `appointment.slot_taken` (reschedule)
     */
    async transition(ctx: RequestCtx, id: string, body: TransitionBody): Promise<RequestWithAppointment> {
      return deps.admissibility.guardDecision(ctx, id, () => withTransaction(db, (tx) => transitionTx(tx, ctx, id, body)));
    },
  };
}
