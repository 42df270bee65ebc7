import type { Clock } from '../../platform/clock.js';
import { withTransaction, type Db } from '../../platform/db/index.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError, NotFoundError } from '../../platform/errors/app-error.js';
import { RoleSchema } from '../../contracts/identity.js';
import type { AccessLog, AccessLogEntry, AccessLogQuery, AuditEventBundle, AuditExportQuery } from '../../contracts/audit-trail.js';
import type { AccessPolicy } from '../access/index.js';
import { facilityExists, hasOpenSupervisionCase, listFacilityEvents, listPatientEvents, type AccessLogRow } from './audit-trail.repo.js';
import { pseudonymiseRows } from './pseudonymise.js';
import { toCsv, toFhirAuditEvent } from './fhir-audit-event.js';

/** Most events one export returns; a longer period is split by the supervisor. */
export const MAX_EXPORT_EVENTS = 50_000;

export type AuditExport = { format: 'csv'; filename: string; body: string } | { format: 'fhir'; filename: string; body: AuditEventBundle };

function toEntry(row: AccessLogRow, callerId: string): AccessLogEntry {
  const role = RoleSchema.safeParse(row.actor_role);
  const name = [row.practitioner_given_name, row.practitioner_family_name].filter(Boolean).join(' ');
  return {
    id: row.id,
    at: row.recorded_at,
    action: row.action,
    outcome: row.outcome,
    actor: {
      type: row.actor_type,
      role: role.success ? role.data : null,
      // Security: only practitioners' names (public, Art. 15); other people are shown by role alone.
      displayName: name || null,
      isYou: row.actor_type === 'user' && row.actor_id === callerId,
    },
    facility: row.facility_id ? { id: row.facility_id, name: row.facility_name } : null,
    reason: row.reason,
    supervision: row.supervision_legal_basis ? { legalBasis: row.supervision_legal_basis } : null,
  };
}

function parseCursor(before: string | undefined): { at: string; id: string } | undefined {
  if (!before) return undefined;
  const i = before.lastIndexOf('_');
  return { at: before.slice(0, i), id: before.slice(i + 1) };
}

/**
 * The audit trail's views: "who accessed my data" for patients and representatives, and the
 * supervisor's export (docs/decisions.md#d12).
 * @param deps - database, clock, audit log and the access policy
 * @returns the service
 */
export function createAuditTrailService(deps: { db: Db; clock: Clock; audit: AuditLog; policy: AccessPolicy }) {
  const { db, audit, policy } = deps;
  return {
    /**
     * Every recorded access to a patient's data, newest first: who (role, practitioner name), facility,
     * when, what and why. The view itself is audited.
     * @param ctx - a patient (own record) or a representative (a linked patient's `patientId`)
     * @param query - patientId, cursor, page size
     * @returns one page of the access log
     * @throws {AppError} `auth.unauthenticated` for anonymous callers, `request.invalid` without a patient
     * @throws {AccessDeniedError} `auth.forbidden` for anyone else (recorded as `access.denied`)
     */
    async getAccessLog(ctx: RequestCtx, query: AccessLogQuery): Promise<AccessLog> {
      const actor = ctx.actor;
      if (actor.type !== 'user') throw new AppError('auth.unauthenticated');
      const patientId = query.patientId ?? actor.patientId;
      if (!patientId) {
        throw new AppError('request.invalid', { detail: 'Name the patient', errors: [{ in: 'query', pointer: '#/patientId', detail: 'required for accounts without their own patient record' }] });
      }
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const granted = await policy.assertCanActForPatient(ctx, tx, patientId, 'audit.access_log');
          const rows = await listPatientEvents(tx, patientId, parseCursor(query.before), query.limit + 1);
          const page = rows.slice(0, query.limit);
          await audit.record(tx, ctx, {
            action: 'audit.access_log_viewed',
            patientId,
            reason: granted.reason,
            onBehalfOf: granted.onBehalfOf,
            subject: { type: 'patient', id: patientId },
            data: { count: page.length },
          });
          const last = page.at(-1);
          return {
            patientId,
            items: page.map((r) => toEntry(r, actor.id)),
            nextBefore: rows.length > query.limit && last ? `${last.recorded_at}_${last.id}` : null,
          };
        }),
      );
    },

    /**
     * The audit trail of one facility for a period, as CSV or a FHIR Bundle of AuditEvent. Supervisors
     * only (Art. 21); the export is itself audited, and a refused export is recorded as a denial. Without
     * an open supervision case about the facility, patients are pseudonymised (docs/access.md).
     * @param ctx - the caller
     * @param query - facility, [from, to), format
     * @returns the file to send
     * @throws {ForbiddenError} `auth.forbidden` for every role but supervisor
     * @throws {NotFoundError} when the facility does not exist
     * @throws {AppError} `rule.violated` when the period holds more than MAX_EXPORT_EVENTS events
     */
    async exportFacilityTrail(ctx: RequestCtx, query: AuditExportQuery): Promise<AuditExport> {
      const actor = ctx.actor;
      if (actor.type === 'anonymous') throw new AppError('auth.unauthenticated');
      if (actor.type !== 'user' || actor.role !== 'supervisor') {
        // Regulatory: denials are recorded in their own transaction (STYLE C13); none is open here.
        await audit.recordStandalone(ctx, { action: 'access.denied', outcome: 'denied', facilityId: query.facilityId, data: { operation: 'audit.export' } });
        throw new ForbiddenError('Only the supervisory agency may export the audit trail');
      }
      return withTransaction(db, async (tx) => {
        if (!(await facilityExists(tx, query.facilityId))) throw new NotFoundError('facility', query.facilityId);
        // Regulatory: Art. 21, Art. 28(1) item 3 — patients' identities are the facility's to disclose only inside an
        // open case about it; otherwise the supervisor sees the trail with patients pseudonymised.
        const pseudonymised = !(await hasOpenSupervisionCase(tx, actor.id, query.facilityId));
        const found = await listFacilityEvents(tx, query.facilityId, query.from, query.to, MAX_EXPORT_EVENTS + 1);
        const rows = pseudonymised ? pseudonymiseRows(found) : found;
        if (rows.length > MAX_EXPORT_EVENTS) {
          throw new AppError('rule.violated', { detail: `The period holds more than ${MAX_EXPORT_EVENTS} events; export a shorter period`, meta: { max: MAX_EXPORT_EVENTS } });
        }
        await audit.record(tx, ctx, {
          action: 'audit.exported',
          facilityId: query.facilityId,
          subject: { type: 'facility', id: query.facilityId },
          data: { format: query.format, from: query.from, to: query.to, count: rows.length, pseudonymised },
        });
        const filename = `audit-${query.facilityId}-${query.from.slice(0, 10)}-${query.to.slice(0, 10)}`;
        if (query.format === 'csv') return { format: 'csv', filename: `${filename}.csv`, body: toCsv(rows) };
        return {
          format: 'fhir',
          filename: `${filename}.json`,
          body: {
            resourceType: 'Bundle',
            type: 'collection',
            timestamp: deps.clock.now().toString(),
            // FHIR JSON never carries an empty array: an empty period has no `entry`.
            ...(rows.length ? { entry: rows.map((r) => ({ fullUrl: `urn:uuid:${r.id}`, resource: toFhirAuditEvent(r) })) } : {}),
          },
        };
      });
    },
  };
}

export type AuditTrailService = ReturnType<typeof createAuditTrailService>;
