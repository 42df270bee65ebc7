import { withTransaction } from '../../platform/db/index.js';
import { systemCtx } from '../../platform/auth/request-context.js';
import { facilityScope } from '../../platform/crypto/keyring.js';
import type { OutboxMessage } from '../../platform/outbox/outbox.js';
import { NhisRejectedError } from '../nhis/index.js';
import { dataContext, type SickLeaveData, type SickLeaveDeps } from './sick-leave.deps.js';
import * as repo from './sick-leave.repo.js';

/**
 * The outbox consumer that records a sick leave (X011) or a medical notice (C041, cancel C045) in the
 * NHIS. An unavailable NHIS throws so the outbox retries with backoff; a refusal is final and recorded.
 * @param deps - database, keyring, audit and the NHIS client
 * @returns the handler
 */
export function createExpertiseNhisHandler(deps: Pick<SickLeaveDeps, 'db' | 'keyring' | 'audit' | 'nhis'>) {
  const ctx = systemCtx('sick_leave.nhis');
  const outcome = async (type: string, patientId: string, facilityId: string, subject: { type: string; id: string }, ok: boolean, reason?: string) =>
    withTransaction(deps.db, (tx) => deps.audit.record(tx, ctx, { action: ok ? 'sick_leave.nhis_recorded' : 'sick_leave.nhis_rejected', ...(ok ? {} : { outcome: 'failure' as const }), patientId, facilityId, subject, data: { type, ...(reason ? { reason } : {}) } }));

  return async function handle(msg: OutboxMessage): Promise<void> {
    const { type, id } = msg.payload as { type?: string; id?: string };
    if (typeof id !== 'string') throw new Error('expertise nhis message without id');
    if (type === 'sick_leave') {
      const row = await repo.findSickLeave(deps.db, id);
      if (!row) throw new Error('unknown sick leave');
      if (row.nhis_status !== 'pending') return; // idempotent
      const data = await deps.keyring.decryptJson<SickLeaveData>(ctx, deps.db, facilityScope(row.facility_id), row.data_enc, dataContext('sick_leave', row.id));
      const original = row.duplicate_of ? await repo.findSickLeave(deps.db, row.duplicate_of) : undefined;
      try {
        const { nrn } = await deps.nhis.recordSickLeave(data.performer.uin, {
          lrn: row.id,
          examinationRef: row.encounter_id ?? row.lkk_case_id ?? row.duplicate_of ?? row.id,
          kind: row.kind,
          startDate: row.start_on,
          endDate: row.end_on,
          days: row.days,
          issueDate: row.issued_on,
          retroactive: row.retroactive,
          duplicateOfNrn: original?.nrn ?? null,
          diagnosisCode: data.diagnosis.code,
          employer: data.employer,
          subject: { identifierType: data.subject.identifierType, identifier: data.subject.identifier, birthDate: data.subject.birthDate, gender: data.subject.sex },
          performer: data.performer,
        });
        await withTransaction(deps.db, (tx) => repo.setLeaveNhis(tx, row.id, 'recorded', nrn));
        await outcome('X011', row.patient_id, row.facility_id, { type: 'sick_leave', id: row.id }, true);
      } catch (err) {
        if (!(err instanceof NhisRejectedError)) throw err;
        await withTransaction(deps.db, (tx) => repo.setLeaveNhis(tx, row.id, 'rejected', null));
        await outcome('X011', row.patient_id, row.facility_id, { type: 'sick_leave', id: row.id }, false, err.reason);
      }
      return;
    }
    const row = await repo.findNotice(deps.db, id);
    if (!row) throw new Error('unknown medical notice');
    const data = await deps.keyring.decryptJson<{ text: string; validUntil?: string; cancelReason?: string; subject: SickLeaveData['subject']; performer: SickLeaveData['performer'] }>(ctx, deps.db, facilityScope(row.facility_id), row.data_enc, dataContext('medical_notice', row.id));
    const subject = { type: 'medical_notice', id: row.id };
    try {
      if (type === 'notice_issue') {
        if (row.nhis_status !== 'pending') return;
        const { nrn } = await deps.nhis.issueMedicalNotice(data.performer.uin, { lrn: row.id, purpose: row.purpose, issueDate: row.issued_on, validUntil: data.validUntil ?? null, note: data.text, subject: { identifierType: data.subject.identifierType, identifier: data.subject.identifier, birthDate: data.subject.birthDate, gender: data.subject.sex }, performer: data.performer });
        await withTransaction(deps.db, (tx) => repo.setNoticeNhis(tx, row.id, 'recorded', nrn));
        await outcome('C041', row.patient_id, row.facility_id, subject, true);
      } else if (type === 'notice_cancel') {
        if (row.nhis_status === 'cancelled') return;
        // A cancel that overtook its issue waits for the issue's NRN (the outbox retries).
        if (!row.nrn) throw new Error('the notice is not recorded in the NHIS yet');
        await deps.nhis.cancelMedicalNotice(data.performer.uin, { nrn: row.nrn, reason: data.cancelReason ?? 'cancelled' });
        await withTransaction(deps.db, (tx) => repo.setNoticeNhis(tx, row.id, 'cancelled', null));
        await outcome('C045', row.patient_id, row.facility_id, subject, true);
      }
    } catch (err) {
      if (!(err instanceof NhisRejectedError)) throw err;
      await withTransaction(deps.db, (tx) => repo.setNoticeNhis(tx, row.id, 'rejected', null));
      await outcome(type === 'notice_issue' ? 'C041' : 'C045', row.patient_id, row.facility_id, subject, false, err.reason);
    }
  };
}
