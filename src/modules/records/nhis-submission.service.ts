import { toDate, type Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import { withTransaction, type Db } from '../../platform/db/index.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import { systemCtx } from '../../platform/auth/request-context.js';
import { facilityScope, type Keyring } from '../../platform/crypto/keyring.js';
import type { OutboxMessage } from '../../platform/outbox/outbox.js';
import { SignedContentSchema, type SignedContent } from '../../contracts/records.js';
import { NhisRejectedError, type ExaminationClose, type ExaminationOpen, type NhisClient, type NhisExchange } from '../nhis/index.js';
import * as repo from './records.repo.js';
import { contentContext } from './records.deps.js';

function closeMessage(nrn: string, c: SignedContent): ExaminationClose {
  const primaryFirst = [...c.body.diagnoses].sort((a, b) => (a.rank === b.rank ? 0 : a.rank === 'primary' ? -1 : 1));
  return {
    nrnExamination: nrn,
    closeDate: c.examination.completedAt ?? c.signedAt,
    purpose: c.body.purpose,
    diagnoses: primaryFirst.map((d, i) => ({ code: d.code, rank: i + 1, ...(d.note ? { note: d.note } : {}), clinicalStatus: d.clinicalStatus, verificationStatus: d.verificationStatus })),
    medicalHistory: c.body.anamnesis ?? c.body.question,
    objectiveCondition: c.body.objectiveFindings,
    assessment: c.body.testsReviewed,
    therapy: [c.body.therapy, ...c.body.medications.map((m) => `${m.name}${m.dosage ? ` — ${m.dosage}` : ''}`)].filter(Boolean).join('\n') || undefined,
    conclusion: [c.body.summary, c.body.recommendations, c.body.followUp].filter(Boolean).join('\n') || undefined,
  };
}

/**
 * The outbox consumer that records signed documents in the NHIS (Art. 17(1)): X001 open (idempotent on
 * our lrn) then X003 close, or X013 (both in one) once a first attempt found the NHIS unreachable, or
 * X009 for a corrected revision. An unavailable NHIS throws, so the outbox
 * retries with backoff; a refusal is final and recorded. Every exchange is kept as evidence. The NHIS
 * acknowledgement closes the documentation deadline (met or missed).
 * @param deps - database, clock, ids, keyring, audit and the NHIS client
 * @returns the handler
 */
export function createNhisSubmissionHandler(deps: { db: Db; clock: Clock; ids: IdGen; keyring: Keyring; audit: AuditLog; nhis: NhisClient }) {
  const { db, clock, ids, keyring, audit, nhis } = deps;
  const ctx = systemCtx('records.nhis');

  async function saveExchanges(submissionId: string, log: NhisExchange[], update: Parameters<typeof repo.updateSubmission>[2]) {
    await withTransaction(db, async (tx) => {
      for (const x of log) {
        await repo.insertAttempt(tx, { id: ids.uuid(), submissionId, messageType: x.messageType, messageId: x.messageId, at: x.startedAt, outcome: x.outcome, error: x.error ?? null, durationMs: x.durationMs });
      }
      await repo.updateSubmission(tx, submissionId, update);
    });
  }

  return async function handle(msg: OutboxMessage): Promise<void> {
    const { submissionId } = msg.payload as { submissionId?: string };
    if (typeof submissionId !== 'string') throw new Error('nhis submission without id');
    const sub = await repo.findSubmission(db, submissionId);
    if (!sub) throw new Error('unknown nhis submission');
    if (sub.status === 'acknowledged' || sub.status === 'rejected') return; // idempotent: handled before
    const doc = await repo.findDocument(db, sub.document_id);
    if (!doc || doc.status !== 'signed') throw new Error('nhis submission of an unsigned document');
    const content = SignedContentSchema.parse(await keyring.decryptJson(ctx, db, facilityScope(doc.facility_id), doc.content_enc, contentContext(doc.id)));
    const senderUin = content.performer.uin;
    const log: NhisExchange[] = [];
    const push = (x: NhisExchange) => log.push(x);
    let nrn = sub.nrn;
    try {
      if (sub.operation === 'open_close') {
        if (!content.subject) throw new NhisRejectedError('no_subject', 'a record without a patient is not sent to the NHIS');
        const open: ExaminationOpen = {
          lrn: sub.lrn,
          openDate: content.examination.completedAt ?? content.signedAt,
          purpose: content.body.purpose,
          subject: { identifierType: content.subject.identifierType, identifier: content.subject.identifier, birthDate: content.subject.birthDate, gender: content.subject.sex, givenName: content.subject.givenName, ...(content.subject.middleName ? { middleName: content.subject.middleName } : {}), familyName: content.subject.familyName },
          performer: { uin: senderUin, qualification: content.performer.qualification, practiceNumber: content.performer.practiceNumber },
        };
        if (!nrn && sub.attempts > 0) {
          // Regulatory: Art. 17(1) — the NHIS was unreachable at the first attempt, so the examination
          // goes after the fact as X013 (open and close in one message), idempotent on our lrn
          // (bulgarian-identifiers-codes-and-nhis.md §2.3; docs/nhis.md#offline).
          const { nrnExamination: _none, ...closing } = closeMessage('', content);
          nrn = (await nhis.submitOffline(senderUin, open, closing, push)).nrn;
        } else {
          if (!nrn) {
            nrn = (await nhis.openExamination(senderUin, open, push)).nrn;
            // Keep the NRN at once: a later retry goes straight to X003.
            await saveExchanges(sub.id, log.splice(0), { status: 'opened', nrn, addAttempts: 1 });
          }
          await nhis.closeExamination(senderUin, closeMessage(nrn, content), push);
        }
      } else {
        // Tricky: X009 needs the examination closed, so a correction waits (retries) for the first record's acknowledgement.
        const examNrn = nrn ?? (await repo.examinationNrn(db, doc.request_id, true));
        if (!examNrn) throw new Error('the first revision is not recorded in the NHIS yet');
        nrn = examNrn;
        await nhis.correctExamination(senderUin, closeMessage(examNrn, content), push);
      }
    } catch (err) {
      if (err instanceof NhisRejectedError) {
        await saveExchanges(sub.id, log, { status: 'rejected', nrn, lastError: err.reason, addAttempts: 1 });
        await withTransaction(db, (tx) => audit.record(tx, ctx, { action: 'nhis.rejected', patientId: doc.patient_id ?? undefined, facilityId: doc.facility_id, subject: { type: 'clinical_document', id: doc.id }, data: { reason: err.reason } }));
        return;
      }
      await saveExchanges(sub.id, log, { status: nrn ? 'opened' : 'pending', nrn, lastError: err instanceof Error ? err.message.slice(0, 200) : 'error', addAttempts: 1 });
      throw err;
    }
    // Regulatory: Art. 17(1) — recording counts when the NHIS acknowledges it; that instant meets or misses the deadline.
    const ackAt = clock.now();
    await withTransaction(db, async (tx) => {
      for (const x of log) {
        await repo.insertAttempt(tx, { id: ids.uuid(), submissionId: sub.id, messageType: x.messageType, messageId: x.messageId, at: x.startedAt, outcome: x.outcome, error: x.error ?? null, durationMs: x.durationMs });
      }
      await repo.updateSubmission(tx, sub.id, { status: 'acknowledged', nrn, acknowledgedAt: toDate(ackAt), addAttempts: 1 });
      if (sub.operation === 'open_close' && nrn) await repo.markRecorded(tx, doc.request_id, toDate(ackAt), nrn);
      await audit.record(tx, ctx, { action: 'nhis.recorded', patientId: doc.patient_id ?? undefined, facilityId: doc.facility_id, subject: { type: 'clinical_document', id: doc.id }, data: { operation: sub.operation, attempts: sub.attempts + 1 } });
    });
  };
}
