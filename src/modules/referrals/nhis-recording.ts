import { toDate } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import { facilityScope } from '../../platform/crypto/keyring.js';
import { systemCtx, type RequestCtx } from '../../platform/auth/request-context.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { OutboxMessage } from '../../platform/outbox/outbox.js';
import type { Prescription } from '../../contracts/referrals.js';
import { NhisRejectedError, type DocumentExchange, type PrescriptionIssue, type ReferralIssue, type Requester } from '../nhis/index.js';
import { decryptContent, dispensationContext, type IssuerSnapshot, type NhisDocumentMessage, type PrescriptionContent, type ReferralContent, type ReferralsDeps, type SubjectSnapshot } from './referrals.deps.js';
import * as repo from './referrals.repo.js';
import { prescriptionView } from './views.js';

const subjectOf = (s: SubjectSnapshot) => ({ identifierType: s.identifierType, identifier: s.identifier, birthDate: s.birthDate, gender: s.sex, givenName: s.givenName, ...(s.middleName ? { middleName: s.middleName } : {}), familyName: s.familyName });
const requesterOf = (i: IssuerSnapshot): Requester => ({ uin: i.uin, qualification: i.qualification, practiceNumber: i.practiceNumber, rhifAreaNumber: i.rhifAreaNumber });

function referralMessage(row: repo.ReferralRow, c: ReferralContent): ReferralIssue {
  // МЗ 119а is not an NHIF form: it goes as a consultation or tests referral paid by the patient.
  const category = c.form === '119a' ? (c.purpose === 'tests' ? '4' : '3') : c.form;
  return {
    lrn: row.lrn,
    authoredOn: c.issuedOn,
    category,
    financingSource: c.form === '119a' ? '4' : '2',
    qualification: c.specialtyCode,
    activityCodes: c.activityCodes,
    clinicalPathway: c.hospital?.clinicalPathway ?? null,
    hospitalNumber: c.hospital?.number ?? null,
    expertisePurpose: c.form === '6' ? c.purpose : null,
    diagnosisCode: c.diagnosisCode,
    note: c.request,
    subject: subjectOf(c.subject),
    requester: requesterOf(c.issuer),
  };
}

function prescriptionMessage(row: repo.PrescriptionRow, c: PrescriptionContent): PrescriptionIssue {
  return {
    lrn: row.lrn,
    authoredOn: c.issuedOn,
    category: c.kind === 'nhif' ? 'T1' : 'T2',
    financingSource: c.kind === 'nhif' ? '2' : '4',
    isProtocolBased: c.protocolNumber !== null,
    protocolNumber: c.protocolNumber,
    diagnosisCode: c.diagnosisCode,
    medications: c.lines.map((l) => ({ medicationCode: l.medicineCode, name: l.name, quantity: l.packages, dosageText: l.dosage, days: l.days, substitutionAllowed: l.substitutionAllowed })),
    subject: subjectOf(c.subject),
    requester: requesterOf(c.issuer),
  };
}

/**
 * The outbox consumer that records referrals and prescriptions in the NHIS: R001/P001 to issue (the
 * НРН is stored and the document counts as issued), R007/P007 to cancel. An unreachable NHIS throws so the
 * outbox retries with backoff; a refusal is final (`rejected`, or the cancel is undone) and audited. Every
 * exchange is kept as evidence. Idempotent: a message for a document already past the step is a no-op,
 * and the NHIS is idempotent on our lrn.
 * @param deps - see ReferralsDeps
 * @returns the handler and the P017 refresh
 */
export function createNhisDocumentsRecorder(deps: ReferralsDeps) {
  const { db, clock, ids, audit, nhis } = deps;
  const sys = systemCtx('referrals.nhis');

  async function saveLog(kind: repo.DocKind, id: string, log: DocumentExchange[], tx: Parameters<Parameters<typeof withTransaction>[1]>[0]) {
    for (const x of log) await repo.insertAttempt(tx, { id: ids.uuid(), kind, documentId: id, messageType: x.messageType, messageId: x.messageId, at: x.startedAt, outcome: x.outcome, error: x.error ?? null, durationMs: x.durationMs });
  }

  async function handle(msg: OutboxMessage): Promise<void> {
    const { kind, id, op } = msg.payload as NhisDocumentMessage;
    if ((kind !== 'referral' && kind !== 'prescription') || typeof id !== 'string') throw new Error('malformed referrals.nhis message');
    const row = kind === 'referral' ? await repo.findReferral(db, id) : await repo.findPrescription(db, id);
    if (!row) throw new Error('unknown document');
    const expected = op === 'issue' ? 'pending' : 'cancelling';
    if (row.status !== expected) return; // handled before
    const log: DocumentExchange[] = [];
    const push = (x: DocumentExchange) => log.push(x);
    try {
      let nrn: string;
      if (kind === 'referral') {
        const c = await decryptContent<ReferralContent>(deps, sys, db, 'referral', row);
        nrn = op === 'issue' ? (await nhis.issueReferral(c.issuer.uin, referralMessage(row as repo.ReferralRow, c), push)).nrn : (await nhis.cancelReferral(c.issuer.uin, { nrnReferral: (row.nrn ?? '').trim(), cancelReason: row.cancel_reason ?? '' }, push)).nrn;
      } else {
        const c = await decryptContent<PrescriptionContent>(deps, sys, db, 'prescription', row);
        nrn = op === 'issue' ? (await nhis.issuePrescription(c.issuer.uin, prescriptionMessage(row as repo.PrescriptionRow, c), push)).nrn : (await nhis.cancelPrescription(c.issuer.uin, { nrnPrescription: (row.nrn ?? '').trim(), revokeReason: row.cancel_reason ?? '' }, push)).nrn;
      }
      const at = clock.now();
      await withTransaction(db, async (tx) => {
        await saveLog(kind, id, log, tx);
        if (op === 'issue') {
          // Regulatory: the document counts as issued from the NHIS acknowledgement, with its НРН.
          await repo.moveStatus(tx, kind, id, ['pending'], { status: 'issued', nrn, acknowledgedAt: toDate(at), nhisError: null, addAttempts: 1 });
        } else {
          // A correction's old version ends as superseded, a plain cancellation as cancelled.
          await repo.moveStatus(tx, kind, id, ['cancelling'], { status: (await repo.isReplaced(tx, kind, id)) ? 'superseded' : 'cancelled', nhisError: null, addAttempts: 1 });
        }
        await audit.record(tx, sys, { action: op === 'issue' ? `${kind}.recorded` : `${kind}.cancelled`, patientId: row.patient_id, facilityId: row.facility_id, subject: { type: kind, id }, data: { attempts: row.nhis_attempts + 1 } });
      });
    } catch (err) {
      if (err instanceof NhisRejectedError) {
        await withTransaction(db, async (tx) => {
          await saveLog(kind, id, log, tx);
          // A refused cancel leaves the document issued, with the reason shown to the doctor.
          await repo.moveStatus(tx, kind, id, [expected], { status: op === 'issue' ? 'rejected' : 'issued', nhisError: err.reason, addAttempts: 1 });
          await audit.record(tx, sys, { action: 'nhis.rejected', patientId: row.patient_id, facilityId: row.facility_id, subject: { type: kind, id }, data: { op, reason: err.reason } });
        });
        return;
      }
      await withTransaction(db, async (tx) => {
        await saveLog(kind, id, log, tx);
        await repo.recordAttemptError(tx, kind, id, err instanceof Error ? err.message.slice(0, 200) : 'error');
      });
      throw err;
    }
  }

  /**
   * `POST /prescriptions/:id/nhis-status`: asks the NHIS (P017) for the status and which pharmacy
   * dispensed it, and stores the answer (encrypted). The prescriber or the patient may ask.
   */
  async function refreshPrescription(ctx: RequestCtx, id: string): Promise<Prescription> {
    return deps.policy.guard(ctx, async () => {
      const first = await withTransaction(db, async (tx) => {
        const row = await repo.findPrescription(tx, id);
        if (!row) throw new AppError('auth.forbidden', { detail: 'You have no access to this prescription' });
        await deps.policy.assertCanReadPatient(ctx, tx, row.patient_id, 'clinical', row.facility_id);
        const c = await decryptContent<PrescriptionContent>(deps, ctx, tx, 'prescription', row);
        return { row, uin: c.issuer.uin };
      });
      if (!first.row.nrn) throw new AppError('referral.not_issued');
      const log: DocumentExchange[] = [];
      let answer;
      try {
        answer = await nhis.fetchPrescription(first.uin, first.row.nrn.trim(), (x) => log.push(x));
      } catch (err) {
        await withTransaction(db, (tx) => saveLog('prescription', id, log, tx));
        throw new AppError('dependency.unavailable', { detail: 'The NHIS did not answer; try again later', cause: err });
      }
      return withTransaction(db, async (tx) => {
        await saveLog('prescription', id, log, tx);
        const row = (await repo.findPrescription(tx, id, true)) as repo.PrescriptionRow;
        if (answer.dispensations.length > 0) {
          const enc = await deps.keyring.encryptJson(tx, facilityScope(row.facility_id), answer.dispensations, dispensationContext(id));
          await repo.moveStatus(tx, 'prescription', id, ['issued', 'dispensed'], { status: 'dispensed', dispensationEnc: enc });
        }
        const access = await deps.policy.assertCanReadPatient(ctx, tx, row.patient_id, 'clinical', row.facility_id);
        await audit.record(tx, ctx, { action: 'prescription.read', patientId: row.patient_id, facilityId: row.facility_id, subject: { type: 'prescription', id }, reason: access.reason, data: { nhisStatus: answer.status } });
        const fresh = (await repo.findPrescription(tx, id)) as repo.PrescriptionRow;
        const c = await decryptContent<PrescriptionContent>(deps, ctx, tx, 'prescription', fresh);
        return prescriptionView(fresh, c, answer.dispensations);
      });
    });
  }

  return { handle, refreshPrescription };
}
