import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { NotFoundError } from '../../platform/errors/app-error.js';
import type { LkkCase, TelkCase } from '../../contracts/sick-leave.js';
import type { Patient } from '../../contracts/patients.js';
import { facilityScope } from '../../platform/crypto/keyring.js';
import { caseContext, toSickLeave, type SickLeaveData, type SickLeaveDeps } from './sick-leave.deps.js';
import { renderLkkProtocolPdf, renderSickLeavePdf, type PrintSubject } from './expertise-pdf.js';
import { renderTelkBundlePdf } from './expertise-lists-pdf.js';
import * as repo from './sick-leave.repo.js';

const ID_LABEL: Record<Patient['identifierKind'], string> = { egn: 'ЕГН', lnch: 'ЛНЧ', passport: 'паспорт', other: 'идентификатор' };
export const subjectOf = (p: Patient): PrintSubject => ({ name: [p.givenName, p.middleName, p.familyName].filter(Boolean).join(' '), identifierLabel: ID_LABEL[p.identifierKind], identifier: p.identifier, birthDate: p.birthDate });

/**
 * The PDFs of a certificate (`GET /sick-leaves/:id/pdf`), of an ЛКК protocol (`GET /lkk-cases/:id/pdf`) and
 * of the TELK bundle list (`GET /telk-cases/:id/pdf`), read with the same access check and audit as their
 * JSON (the protocol through `readCase`, the TELK preparation through `readTelkCase`).
 * @param deps - see `SickLeaveDeps`
 * @param readCase - the ЛКК's audited, access-checked read of a case
 * @param readTelkCase - the audited, access-checked read of a TELK preparation
 * @returns the use cases
 */
export function printUseCases(deps: SickLeaveDeps, readCase: (ctx: RequestCtx, id: string) => Promise<LkkCase>, readTelkCase: (ctx: RequestCtx, id: string) => Promise<TelkCase>) {
  return {
    async sickLeavePdf(ctx: RequestCtx, id: string): Promise<{ pdf: Buffer; filename: string }> {
      return deps.policy.guard(ctx, () =>
        withTransaction(deps.db, async (tx) => {
          const row = await repo.findSickLeave(tx, id);
          if (!row) throw new NotFoundError('sick_leave', id);
          const access = await deps.policy.assertCanReadPatient(ctx, tx, row.patient_id, 'clinical');
          if (access.facilityScope && !access.facilityScope.includes(row.facility_id)) throw new NotFoundError('sick_leave', id);
          const leave = await toSickLeave(deps, ctx, tx, row);
          const patient = await deps.patients.readPatientIn(tx, ctx, row.patient_id);
          const facility = await repo.facilityName(tx, row.facility_id);
          await deps.audit.record(tx, ctx, { action: 'sick_leave.read', patientId: row.patient_id, facilityId: row.facility_id, reason: access.reason, subject: { type: 'sick_leave', id }, data: { format: 'pdf' } });
          return { pdf: await renderSickLeavePdf(leave, subjectOf(patient), facility ?? ''), filename: `bolnichen-${leave.startOn}.pdf` };
        }),
      );
    },

    async lkkProtocolPdf(ctx: RequestCtx, id: string): Promise<{ pdf: Buffer; filename: string }> {
      const c = await readCase(ctx, id);
      return deps.policy.guard(ctx, () =>
        withTransaction(deps.db, async (tx) => {
          const lkk = (await repo.listLkks(tx, c.lkkId))[0];
          if (!lkk) throw new NotFoundError('lkk', c.lkkId);
          // The case holds the patient's identity as routed: ЛКК members read it by membership, not through care.
          const row = await repo.findCase(tx, id);
          if (!row) throw new NotFoundError('lkk_case', id);
          const req = await deps.keyring.decryptJson<{ patientName: string; subject: SickLeaveData['subject'] }>(ctx, tx, facilityScope(row.lkk_facility_id), row.request_enc, caseContext(id, 'request'));
          const who: PrintSubject = { name: req.patientName, identifierLabel: ID_LABEL[req.subject.identifierType], identifier: req.subject.identifier, birthDate: req.subject.birthDate };
          const session = c.sessionId ? await repo.findSession(tx, c.sessionId) : undefined;
          const pdf = await renderLkkProtocolPdf(c, lkk, who, session ? { heldOn: session.held_on } : null, deps.zone);
          return { pdf, filename: `lkk-protokol-${c.protocolNo ?? 'proekt'}.pdf` };
        }),
      );
    },

    /** R-TELK-10: the list (опис) of the bundle, each item present or missing. */
    async telkBundlePdf(ctx: RequestCtx, id: string): Promise<{ pdf: Buffer; filename: string }> {
      const c = await readTelkCase(ctx, id);
      return deps.policy.guard(ctx, () =>
        withTransaction(deps.db, async (tx) => {
          const patient = await deps.patients.readPatientIn(tx, ctx, c.patientId);
          const facility = (await repo.facilityName(tx, c.facilityId)) ?? '';
          await deps.audit.record(tx, ctx, { action: 'telk.bundle_printed', patientId: c.patientId, facilityId: c.facilityId, subject: { type: 'telk_case', id }, data: { missing: c.missing.length } });
          return { pdf: await renderTelkBundlePdf(c, subjectOf(patient), facility), filename: `telk-opis-${c.requestedOn}.pdf` };
        }),
      );
    },
  };
}
