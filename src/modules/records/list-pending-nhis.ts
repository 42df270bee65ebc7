import type { Clock } from '../../platform/clock.js';
import { withTransaction, type Db, type Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError, NotFoundError } from '../../platform/errors/app-error.js';
import type { PendingNhisSubmission } from '../../contracts/records.js';
import { AccessDeniedError } from '../access/index.js';
import type { PatientsService } from '../patients/index.js';
import * as repo from './records.repo.js';

/** All but the last two characters hidden, as the patient banner masks it (docs/design-system.md#patient-banner). */
const mask = (identifier: string) => `${'•'.repeat(Math.max(0, identifier.length - 2))}${identifier.slice(-2)}`;

/**
 * What is waiting for the NHIS and why (docs/nhis.md#offline; Art. 17(1): the deadline counts the NHIS
 * acknowledgement): a specialist sees the records of their own services, facility administrators and
 * coordinators those of their facilities. Identifiers, statuses and error codes, no clinical content; the
 * patient's name and masked identifier only where the access policy lets the caller read that patient,
 * each such read audited as `patient.read` (deny by default: a refused read leaves the name out).
 * @param deps - database, clock and the patient registry
 * @param ctx - the caller
 * @returns the submissions not acknowledged, oldest first
 * @throws {ForbiddenError} for anyone else
 */
export async function listPendingNhis(deps: { db: Db; clock: Clock; patients: Pick<PatientsService, 'readPatientIn'> }, ctx: RequestCtx): Promise<{ now: string; items: PendingNhisSubmission[] }> {
  const actor = ctx.actor;
  if (actor.type === 'anonymous') throw new AppError('auth.unauthenticated');
  if (actor.type !== 'user') throw new ForbiddenError();
  const now = deps.clock.now();
  return withTransaction(deps.db, async (tx) => {
    let rows: repo.PendingSubmissionRow[];
    if (actor.role === 'specialist') {
      const practitionerId = await repo.practitionerOfAccount(tx, actor.id);
      if (!practitionerId) throw new ForbiddenError('The list belongs to specialists and facility staff');
      rows = await repo.listPendingSubmissions(tx, { practitionerId });
    } else if (actor.role === 'facility_admin' || actor.role === 'coordinator') {
      rows = await repo.listPendingSubmissions(tx, { facilityIds: actor.facilityIds });
    } else {
      throw new ForbiddenError('The list belongs to specialists and facility staff');
    }
    const patients = await patientsShown(deps.patients, tx, ctx, rows);
    return {
      now: now.toString(),
      items: rows.map((r) => ({
        submissionId: r.id,
        requestId: r.request_id,
        documentId: r.document_id,
        facilityId: r.facility_id,
        operation: r.operation,
        status: r.status,
        attempts: r.attempts,
        lastError: r.last_error,
        lastAttemptAt: r.last_at ? r.last_at.toISOString() : null,
        lastMessageType: r.last_type,
        // Mirrors nhis-submission.service.ts: a first revision without an NRN that already failed goes as X013.
        offline: r.operation === 'open_close' && r.status === 'pending' && r.attempts > 0,
        queuedAt: r.created_at.toISOString(),
        dueAt: r.due_at ? r.due_at.toISOString() : null,
        patient: (r.patient_id ? patients.get(r.patient_id) : undefined) ?? null,
      })),
    };
  });
}

/**
 * The patients of the rows the caller may read, each read once (and audited once) however many of their
 * records wait. Security: the policy decides per patient; a refusal is not an error here, the row stays
 * anonymous, as it was before names were shown.
 */
async function patientsShown(patients: Pick<PatientsService, 'readPatientIn'>, tx: Queryable, ctx: RequestCtx, rows: readonly repo.PendingSubmissionRow[]): Promise<Map<string, NonNullable<PendingNhisSubmission['patient']>>> {
  const out = new Map<string, NonNullable<PendingNhisSubmission['patient']>>();
  for (const id of new Set(rows.flatMap((r) => (r.patient_id ? [r.patient_id] : [])))) {
    try {
      const p = await patients.readPatientIn(tx, ctx, id);
      out.set(id, { name: [p.givenName, p.familyName].join(' '), identifierKind: p.identifierKind, identifierMasked: mask(p.identifier) });
    } catch (err) {
      if (!(err instanceof AccessDeniedError) && !(err instanceof NotFoundError)) throw err;
    }
  }
  return out;
}
