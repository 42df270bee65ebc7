import { toDate } from '../../platform/clock.js';
import { withTransaction, type Queryable } from '../../platform/db/index.js';
import { facilityScope } from '../../platform/crypto/keyring.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError, NotFoundError } from '../../platform/errors/app-error.js';
import type { MedicalNotice } from '../../contracts/sick-leave.js';
import { actingPractitioner, dataContext, examinationOf, EXPERTISE_NHIS, localDate, type SickLeaveData, type SickLeaveDeps } from './sick-leave.deps.js';
import { ruleRefusal } from './issue-sick-leave.js';
import { expertiseRefusal } from './telk-rules.js';
import { renderMedicalNoticePdf } from './expertise-lists-pdf.js';
import { subjectOf } from './print-documents.js';
import * as repo from './sick-leave.repo.js';

interface NoticeData {
  text: string;
  validUntil?: string;
  cancelReason?: string;
  subject: SickLeaveData['subject'];
  performer: SickLeaveData['performer'];
}

/**
 * Medical notices (медицинска бележка) for school, kindergarten, sport, driving, work (E37): issued on an
 * examination (R-EXP-05; a remote one only if recorded as remotely assessable), recorded in the NHIS as
 * C041 and cancelled as C045 through the outbox.
 * @param deps - see `SickLeaveDeps`
 * @returns the use cases
 */
export function medicalNoticeUseCases(deps: SickLeaveDeps) {
  const run = <T>(ctx: RequestCtx, fn: (tx: Queryable) => Promise<T>) => deps.policy.guard(ctx, () => withTransaction(deps.db, fn));
  async function view(ctx: RequestCtx, tx: Queryable, row: repo.NoticeRow): Promise<MedicalNotice> {
    const data = await deps.keyring.decryptJson<NoticeData>(ctx, tx, facilityScope(row.facility_id), row.data_enc, dataContext('medical_notice', row.id));
    return { id: row.id, patientId: row.patient_id, facilityId: row.facility_id, practitionerId: row.practitioner_id, encounterId: row.encounter_id, purpose: row.purpose, issuedOn: row.issued_on, text: data.text, validUntil: data.validUntil ?? null, status: row.status, nhisStatus: row.nhis_status, nrn: row.nrn, createdAt: new Date(row.created_at).toISOString() };
  }
  return {
    async issueMedicalNotice(ctx: RequestCtx, body: { encounterId?: string | undefined; requestId?: string | undefined; purpose: MedicalNotice['purpose']; text: string; validUntil?: string | undefined }): Promise<MedicalNotice> {
      return deps.policy.guard(ctx, async () => {
        try {
          return await withTransaction(deps.db, async (tx) => {
            const encounter = await examinationOf(deps, ctx, tx, body);
            const me = await actingPractitioner(ctx, tx, encounter.facilityId);
            if (me.practitionerId !== encounter.practitionerId) throw new ForbiddenError('Only the doctor who examined the patient issues the notice');
            const examined = encounter.kind === 'in_person' || encounter.kind === 'home_visit' || (encounter.kind === 'remote' && encounter.remoteAssessable === true);
            const refusal = expertiseRefusal(body.purpose, { examined, booked: true });
            if (refusal) throw ruleRefusal('notice.exam_required', refusal.rule, refusal.detail, '#/encounterId');
            const p = await deps.patients.readPatientIn(tx, ctx, encounter.patientId);
            const practitioner = await repo.practitionerInfo(tx, me.practitionerId);
            const facility = await repo.facilityInfo(tx, encounter.facilityId);
            if (!practitioner || !facility) throw new Error('practitioner or facility vanished');
            const id = deps.ids.uuid();
            const data: NoticeData = { text: body.text, ...(body.validUntil ? { validUntil: body.validUntil } : {}), subject: { identifierType: p.identifierKind, identifier: p.identifier, birthDate: p.birthDate, sex: p.sex }, performer: { uin: practitioner.uin, practiceNumber: facility.number } };
            await repo.insertNotice(tx, { id, patient_id: encounter.patientId, facility_id: encounter.facilityId, practitioner_id: me.practitionerId, encounter_id: encounter.id, purpose: body.purpose, issued_on: localDate(deps.clock.now(), deps.zone), data_enc: await deps.keyring.encryptJson(tx, facilityScope(encounter.facilityId), data, dataContext('medical_notice', id)), created_at: toDate(deps.clock.now()) });
            await deps.outbox.enqueue(tx, EXPERTISE_NHIS, { type: 'notice_issue', id });
            await deps.audit.record(tx, ctx, { action: 'notice.issued', patientId: encounter.patientId, facilityId: encounter.facilityId, subject: { type: 'medical_notice', id }, data: { purpose: body.purpose } });
            return view(ctx, tx, (await repo.findNotice(tx, id)) as repo.NoticeRow);
          });
        } catch (err) {
          const rule = err instanceof AppError && typeof err.meta?.['rule'] === 'string' ? err.meta['rule'] : undefined;
          if (rule) await deps.audit.recordStandalone(ctx, { action: 'sick_leave.refused', outcome: 'failure', data: { rule, code: (err as AppError).code, notice: body.purpose } });
          throw err;
        }
      });
    },

    async cancelMedicalNotice(ctx: RequestCtx, id: string, reason: string): Promise<MedicalNotice> {
      return run(ctx, async (tx) => {
        const row = await repo.findNotice(tx, id, true);
        if (!row) throw new NotFoundError('medical_notice', id);
        await actingPractitioner(ctx, tx, row.facility_id);
        await deps.policy.assertCanReadPatient(ctx, tx, row.patient_id, 'clinical', row.facility_id);
        if (row.status === 'cancelled') throw new AppError('notice.cancelled');
        const data = await deps.keyring.decryptJson<NoticeData>(ctx, tx, facilityScope(row.facility_id), row.data_enc, dataContext('medical_notice', row.id));
        await repo.cancelNotice(tx, id, toDate(deps.clock.now()));
        await deps.keyring.encryptJson(tx, facilityScope(row.facility_id), { ...data, cancelReason: reason }, dataContext('medical_notice', row.id)).then((enc) => repo.setNoticeData(tx, id, enc));
        await deps.outbox.enqueue(tx, EXPERTISE_NHIS, { type: 'notice_cancel', id });
        await deps.audit.record(tx, ctx, { action: 'notice.cancelled', patientId: row.patient_id, facilityId: row.facility_id, subject: { type: 'medical_notice', id } });
        return view(ctx, tx, (await repo.findNotice(tx, id)) as repo.NoticeRow);
      });
    },

    /** The notice as a PDF for the patient, a representative or the care team (access as for the list; audited). */
    async medicalNoticePdf(ctx: RequestCtx, id: string): Promise<{ pdf: Buffer; filename: string }> {
      return run(ctx, async (tx) => {
        const row = await repo.findNotice(tx, id);
        if (!row) throw new NotFoundError('medical_notice', id);
        const access = await deps.policy.assertCanReadPatient(ctx, tx, row.patient_id, 'clinical');
        if (access.facilityScope && !access.facilityScope.includes(row.facility_id)) throw new NotFoundError('medical_notice', id);
        const notice = await view(ctx, tx, row);
        const patient = await deps.patients.readPatientIn(tx, ctx, row.patient_id);
        const doctor = await repo.practitionerInfo(tx, row.practitioner_id);
        const facilityName = (await repo.facilityName(tx, row.facility_id)) ?? '';
        await deps.audit.record(tx, ctx, { action: 'notice.printed', patientId: row.patient_id, facilityId: row.facility_id, reason: access.reason, subject: { type: 'medical_notice', id }, data: { purpose: row.purpose } });
        return { pdf: await renderMedicalNoticePdf(notice, subjectOf(patient), { name: doctor?.name ?? '', uin: doctor?.uin ?? '', facilityName }), filename: `med-belezhka-${row.issued_on}.pdf` };
      });
    },

    async listPatientNotices(ctx: RequestCtx, patientId: string): Promise<{ items: MedicalNotice[] }> {
      return run(ctx, async (tx) => {
        const access = await deps.policy.assertCanReadPatient(ctx, tx, patientId, 'clinical');
        const rows = (await repo.listNotices(tx, patientId)).filter((r) => !access.facilityScope || access.facilityScope.includes(r.facility_id));
        await deps.audit.record(tx, ctx, { action: 'notice.read', patientId, reason: access.reason, data: { count: rows.length } });
        return { items: await Promise.all(rows.map((r) => view(ctx, tx, r))) };
      });
    },
  };
}
