import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { ForbiddenError } from '../../platform/errors/app-error.js';
import type { IssuedDocument } from '../../contracts/referrals.js';
import { decryptContent, type PrescriptionContent, type ReferralContent, type ReferralsDeps } from './referrals.deps.js';
import * as repo from './referrals.repo.js';

/** How many of each kind the doctor's list shows (the newest). */
const LIST_LIMIT = 100;

const nameOf = (s: ReferralContent['subject']) => [s.givenName, s.middleName, s.familyName].filter(Boolean).join(' ');

/**
 * `GET /issued-documents`: the signed-in doctor's own referrals and prescriptions, newest first. Only the
 * author sees this list (they signed every line); each patient whose documents it shows is audited as a
 * read by the author, in the same transaction.
 * @param deps - see ReferralsDeps
 * @returns the use case
 */
export function listIssuedUseCase(deps: ReferralsDeps) {
  return async function listIssued(ctx: RequestCtx): Promise<{ items: IssuedDocument[] }> {
    if (ctx.actor.type !== 'user' || ctx.actor.role !== 'specialist') throw new ForbiddenError('Only a doctor has a list of issued documents');
    const accountId = ctx.actor.id;
    return deps.policy.guard(ctx, () =>
      withTransaction(deps.db, async (tx) => {
        const practitionerId = await repo.practitionerOfAccount(tx, accountId);
        if (!practitionerId) throw new ForbiddenError('Only a doctor has a list of issued documents');
        const rows = await repo.listIssuedBy(tx, practitionerId, LIST_LIMIT);
        const items: (IssuedDocument & { at: string; facilityId: string; patientId: string })[] = [];
        for (const row of rows.referrals) {
          const c = await decryptContent<ReferralContent>(deps, ctx, tx, 'referral', row);
          items.push({ kind: 'referral', id: row.id, form: row.form, status: row.status, issuedOn: row.issued_on, validUntil: row.valid_until, nrn: row.nrn?.trim() ?? null, diagnosisCode: c.diagnosisCode, patientName: nameOf(c.subject), requestId: c.encounter.requestId, encounterId: row.encounter_id, summary: c.request, at: c.signedAt, facilityId: row.facility_id, patientId: row.patient_id });
        }
        for (const row of rows.prescriptions) {
          const c = await decryptContent<PrescriptionContent>(deps, ctx, tx, 'prescription', row);
          items.push({ kind: 'prescription', id: row.id, form: null, status: row.status, issuedOn: row.issued_on, validUntil: null, nrn: row.nrn?.trim() ?? null, diagnosisCode: c.diagnosisCode, patientName: nameOf(c.subject), requestId: c.encounter.requestId, encounterId: row.encounter_id, summary: c.lines.map((l) => `${l.name} × ${l.packages}`).join(', '), at: c.signedAt, facilityId: row.facility_id, patientId: row.patient_id });
        }
        items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
        // Audit: one read per patient shown, by the author of the documents.
        const seen = new Map<string, { facilityId: string; count: number }>();
        for (const i of items) seen.set(i.patientId, { facilityId: i.facilityId, count: (seen.get(i.patientId)?.count ?? 0) + 1 });
        for (const [patientId, s] of seen) {
          await deps.audit.record(tx, ctx, { action: 'referral.listed', patientId, facilityId: s.facilityId, subject: { type: 'practitioner', id: practitionerId }, reason: 'author', data: { count: s.count } });
        }
        return { items: items.map(({ at: _at, facilityId: _f, patientId: _p, ...wire }) => wire) };
      }),
    );
  };
}
