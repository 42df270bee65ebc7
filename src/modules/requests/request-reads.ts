import { withTransaction, mapInOrder } from '../../platform/db/index.js';
import { facilityScope } from '../../platform/crypto/keyring.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { ForbiddenError } from '../../platform/errors/app-error.js';
import type { AttachmentMeta, RequestDetail, RequestForm, RequestList, Worklist } from '../../contracts/requests.js';
import { TERMINAL } from './request-status.js';
import * as repo from './requests.repo.js';
import { attachmentContext, formContext, iso, isoOrNull, reasonContext, requireUser, type RequestsDeps } from './request-common.js';
import type { RequestViews } from './request-view.js';

/**
 * Reading requests: one request in detail (an audited read of clinical content), the requester's list
 * and the specialist's worklist.
 * @param deps - the requests dependencies
 * @param views - the shared viewer and view helpers
 * @returns getRequest, listMyRequests, worklist
 */
export function createRequestReads(deps: RequestsDeps, views: RequestViews) {
  const { db, clock, keyring, audit, policy } = deps;
  const { view, loadVisible } = views;

  return {
    /**
     * One request with its form, history, attachments and emergency alerts: an audited read of clinical content.
     * @param ctx - either side
     * @param id - the request
     * @returns the detail
     * @throws {NotFoundError} unknown or not the actor's request
     */
    async getRequest(ctx: RequestCtx, id: string): Promise<RequestDetail> {
      return withTransaction(db, async (tx) => {
        const { row, viewer } = await loadVisible(tx, ctx, id);
        const scope = facilityScope(row.provider_facility_id);
        const form = await keyring.decryptJson<RequestForm>(ctx, tx, scope, row.form_enc, formContext(row.id));
        const events = await repo.listEvents(tx, id);
        const attachments = await repo.listAttachments(tx, id);
        const alerts = await repo.listAlerts(tx, id);
        await audit.record(tx, ctx, {
          action: 'request.read',
          ...(row.patient_id ? { patientId: row.patient_id } : {}),
          facilityId: row.provider_facility_id,
          subject: { type: 'service_request', id },
          reason: viewer.reason,
          ...(viewer.onBehalfOf ? { onBehalfOf: viewer.onBehalfOf } : {}),
        });
        return {
          ...view(row, viewer.side, ctx.lang),
          form,
          events: await mapInOrder(events, async (e) => ({
              id: e.id,
              action: e.action,
              fromStatus: e.from_status,
              toStatus: e.to_status,
              side: e.side,
              reason: e.reason_enc ? (await keyring.decrypt(ctx, tx, scope, e.reason_enc, reasonContext(e.id))).toString('utf8') : null,
              at: iso(e.at),
            })),
          attachments: await mapInOrder(attachments, async (a): Promise<AttachmentMeta> => ({
              id: a.id,
              name: (await keyring.decrypt(ctx, tx, scope, a.name_enc, attachmentContext(id, a.id, 'name'))).toString('utf8'),
              contentType: a.content_type,
              sizeBytes: a.size_bytes,
              createdAt: iso(a.created_at),
            })),
          alerts: alerts.map((a) => ({ position: a.position, practitionerId: a.practitioner_id, practitionerName: a.practitioner_name, alertedAt: iso(a.alerted_at), escalatedAt: isoOrNull(a.escalated_at) })),
        };
      });
    },

    /**
     * The requester side's requests: filed by the actor, or about the patients the actor acts for.
     * @param ctx - a patient, representative or specialist
     * @param when - upcoming, past or all
     * @returns the requests (no clinical content), newest first
     */
    async listMyRequests(ctx: RequestCtx, when: 'upcoming' | 'past' | 'all' = 'all'): Promise<RequestList> {
      const actor = requireUser(ctx);
      return withTransaction(db, async (tx) => {
        const patientIds = (await policy.patientIdsActorMayActFor(ctx, tx)).map((r) => r.patientId);
        const rows = await repo.listRequestsForRequester(tx, actor.id, patientIds);
        const now = clock.now().epochMilliseconds;
        const open = (r: repo.RequestRow) => !TERMINAL.has(r.status) && r.status !== 'completed' && (!r.appointment_end || r.appointment_end.getTime() > now);
        const chosen = rows.filter((r) => (when === 'all' ? true : when === 'upcoming' ? open(r) : !open(r)));
        return { items: chosen.map((r) => view(r, 'requester', ctx.lang)) };
      });
    },

    /**
     * The specialist's worklist: emergencies routed to their rota on top, then their planned requests by time.
     * @param ctx - a specialist
     * @returns both lists (no clinical content)
     * @throws {ForbiddenError} for other roles
     */
    async worklist(ctx: RequestCtx): Promise<Worklist> {
      const actor = requireUser(ctx);
      if (actor.role !== 'specialist') throw new ForbiddenError('The worklist is for specialists');
      return withTransaction(db, async (tx) => {
        const practitionerId = await repo.practitionerOfAccount(tx, actor.id);
        if (!practitionerId) return { emergencies: [], planned: [] };
        const rows = await repo.listWorklist(tx, practitionerId, actor.facilityIds);
        const items = rows.filter((r) => r.requester_practitioner_id !== practitionerId).map((r) => view(r, 'provider', ctx.lang));
        return { emergencies: items.filter((i) => i.request.urgency === 'emergency'), planned: items.filter((i) => i.request.urgency === 'planned') };
      });
    },
  };
}
