import type { Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { NotFoundError } from '../../platform/errors/app-error.js';
import type { RequestWithAppointment } from '../../contracts/requests.js';
import { allowedActions, changeDeadline, type Side } from './request-status.js';
import * as repo from './requests.repo.js';
import { iso, isoOrNull, requireUser, type RequestsDeps, type UserActor } from './request-common.js';

export interface Viewer {
  side: Side;
  /** Audit reason of the read. */
  reason: string;
  onBehalfOf?: string;
  practitionerId?: string;
}

/**
 * Who sees a request, on which side, and the shape they see it in (shared by every use case).
 * @param deps - the access policy and the outbox
 * @returns viewerOf, view, loadVisible and notify
 */
export function createRequestViews(deps: Pick<RequestsDeps, 'policy' | 'outbox'>) {
  const { policy, outbox } = deps;


  /**
   * Decides whether the actor sees the request and on which side; deny by default.
   * @returns the viewer, or undefined when the actor has nothing to do with it
   */
  async function viewerOf(q: Queryable, ctx: RequestCtx, actor: UserActor, row: repo.RequestRow): Promise<Viewer | undefined> {
    if (actor.role === 'specialist') {
      const practitionerId = await repo.practitionerOfAccount(q, actor.id);
      if (!practitionerId) return undefined;
      if (row.requester_practitioner_id === practitionerId || row.requester_account_id === actor.id) return { side: 'requester', reason: `request:${row.id}`, practitionerId };
      if (row.practitioner_id === practitionerId && actor.facilityIds.includes(row.provider_facility_id)) return { side: 'provider', reason: `request:${row.id}`, practitionerId };
      // Emergencies are open to every specialist on the provider's rota until one acknowledges.
      if (
        row.urgency === 'emergency' &&
        row.status === 'requested' &&
        actor.facilityIds.includes(row.provider_facility_id) &&
        (await repo.isOnRota(q, row.provider_facility_id, row.specialty_code, practitionerId))
      ) {
        return { side: 'provider', reason: `request:${row.id}`, practitionerId };
      }
      return undefined;
    }
    if (row.requester_account_id === actor.id) {
      return { side: 'requester', reason: actor.role === 'representative' ? `request:${row.id}` : 'self', ...(row.patient_id && actor.role === 'representative' ? { onBehalfOf: row.patient_id } : {}) };
    }
    if (actor.role === 'patient' && row.patient_id && actor.patientId === row.patient_id) return { side: 'requester', reason: 'self' };
    if (actor.role === 'representative' && row.patient_id) {
      const refs = await policy.patientIdsActorMayActFor(ctx, q);
      const ref = refs.find((r) => r.patientId === row.patient_id);
      if (ref) return { side: 'requester', reason: `representative_link:${ref.linkId ?? ''}`, onBehalfOf: row.patient_id };
    }
    return undefined;
  }

  /** The viewer side's change deadline for the live appointment (the same rule transitionTx enforces), or null. */
  function changeableUntil(row: repo.RequestRow, side: Side, live: boolean, actions: readonly string[]): string | null {
    if (!live || !row.appointment_start || !(actions.includes('cancel') || actions.includes('reschedule'))) return null;
    const min =
      side === 'provider'
        ? (row.provider_change_min_minutes ?? repo.DEFAULT_POLICY.provider_change_min_minutes)
        : (row.requester_change_min_minutes ?? repo.DEFAULT_POLICY.requester_change_min_minutes);
    return new Date(changeDeadline(row.appointment_start.getTime(), min)).toISOString();
  }

  function view(row: repo.RequestRow, side: Side, lang: 'bg' | 'en', acceptedByName: string | null = null): RequestWithAppointment {
    const hasAppointment = row.appointment_id !== null;
    const live = hasAppointment && !['cancelled', 'noshow', 'entered-in-error'].includes(row.appointment_status ?? '');
    const actions = allowedActions(row.status, side, { urgency: row.urgency, mode: row.mode, hasAppointment: live });
    return {
      request: {
        id: row.id,
        urgency: row.urgency,
        mode: row.mode,
        status: row.status,
        version: row.version,
        requester: {
          kind: row.requester_kind,
          accountId: row.requester_account_id,
          practitionerId: row.requester_practitioner_id,
          practitionerName: row.requester_practitioner_name,
          facilityId: row.requester_facility_id,
          facilityName: row.requester_facility_name,
          patientId: row.requester_kind === 'specialist' ? null : row.patient_id,
        },
        recipient: {
          kind: row.recipient_kind,
          accountId: row.recipient_kind === 'patient' ? null : row.requester_account_id,
          practitionerId: row.recipient_practitioner_id,
          practitionerName: row.recipient_practitioner_name,
          facilityId: row.recipient_facility_id,
          facilityName: row.recipient_facility_name,
          patientId: row.recipient_kind === 'patient' ? row.patient_id : null,
        },
        patientId: row.patient_id,
        provider: {
          facilityId: row.provider_facility_id,
          facilityName: row.provider_facility_name,
          specialtyCode: row.specialty_code,
          specialtyName: lang === 'en' ? row.specialty_name_en : row.specialty_name_bg,
          serviceId: row.service_id,
          serviceName: row.service_name,
          practitionerId: row.practitioner_id,
          practitionerName: row.practitioner_name,
        },
        slotId: row.slot_id,
        acceptedAt: isoOrNull(row.accepted_at),
        acceptedByPractitionerName: row.accepted_at ? (acceptedByName ?? row.practitioner_name) : null,
        createdAt: iso(row.created_at),
        updatedAt: iso(row.updated_at),
        viewerSide: side,
        allowedActions: actions,
        changeableUntil: changeableUntil(row, side, live, actions),
      },
      appointment:
        row.appointment_id && row.appointment_start && row.appointment_end && row.appointment_status && row.appointment_practitioner_id && row.appointment_facility_id
          ? {
              id: row.appointment_id,
              requestId: row.id,
              practitionerId: row.appointment_practitioner_id,
              facilityId: row.appointment_facility_id,
              start: iso(row.appointment_start),
              end: iso(row.appointment_end),
              status: row.appointment_status,
              version: row.appointment_version ?? 1,
            }
          : null,
    };
  }

  async function loadVisible(tx: Queryable, ctx: RequestCtx, id: string): Promise<{ row: repo.RequestRow; viewer: Viewer; actor: UserActor }> {
    const actor = requireUser(ctx);
    const row = await repo.findRequest(tx, id);
    if (!row) throw new NotFoundError('service_request', id);
    const viewer = await viewerOf(tx, ctx, actor, row);
    // Security: a request the actor has nothing to do with is "not found" (its existence is not revealed).
    if (!viewer) throw new NotFoundError('service_request', id);
    return { row, viewer, actor };
  }

  async function notify(tx: Queryable, requestId: string, event: string, extra: Record<string, unknown> = {}): Promise<void> {
    await outbox.enqueue(tx, 'request.notify', { requestId, event, ...extra });
  }

  return { viewerOf, changeableUntil, view, loadVisible, notify };
}

export type RequestViews = ReturnType<typeof createRequestViews>;
