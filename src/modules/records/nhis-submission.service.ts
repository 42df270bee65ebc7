import { toDate, type Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import { withTransaction, type Db, type Queryable } from '../../platform/db/index.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import { systemCtx, type RequestCtx } from '../../platform/auth/request-context.js';
import { facilityScope, type Keyring } from '../../platform/crypto/keyring.js';
import type { OutboxMessage } from '../../platform/outbox/outbox.js';
import { SignedContentSchema, type SignedContent } from '../../contracts/records.js';
import { NhisRejectedError, NhisUnavailableError, type ExaminationClose, type ExaminationOpen, type NhisClient, type NhisExchange } from '../nhis/index.js';
import * as repo from './records.repo.js';
import { contentContext } from './records.deps.js';

/** The X003/X009 of a signed record (the X013 takes the same fields). */
export function closeMessage(nrn: string, c: SignedContent): ExaminationClose {
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
 * The X001 of a signed record.
 * @throws {NhisRejectedError} `no_subject` for a record without a patient (never sent)
 */
export function openMessage(sub: repo.SubmissionRow, c: SignedContent): ExaminationOpen {
  if (!c.subject) throw new NhisRejectedError('no_subject', 'a record without a patient is not sent to the NHIS');
  return {
    lrn: sub.lrn,
    openDate: c.examination.completedAt ?? c.signedAt,
    purpose: c.body.purpose,
    subject: { identifierType: c.subject.identifierType, identifier: c.subject.identifier, birthDate: c.subject.birthDate, gender: c.subject.sex, givenName: c.subject.givenName, ...(c.subject.middleName ? { middleName: c.subject.middleName } : {}), familyName: c.subject.familyName },
    performer: { uin: c.performer.uin, qualification: c.performer.qualification, practiceNumber: c.performer.practiceNumber },
  };
}

/** Who signed the NHIS messages of a record: the server's key (NHIS_SIGNER_FILE) or the doctor's card. */
export type MessageSigner = 'server' | 'card';

/**
 * How an NHIS exchange of a submission is recorded, whoever sent it (the outbox with the server's key, or
 * the doctor's card through the local agent): one way to keep the attempts, the NRN, a refusal and the
 * acknowledgement that closes the Art. 17 deadline.
 * @param deps - database, ids, clock and audit
 * @returns the recording steps
 */
export function createSubmissionRecording(deps: { db: Db; clock: Clock; ids: IdGen; audit: AuditLog }) {
  const { db, clock, ids, audit } = deps;

  async function insertAttempts(tx: Queryable, submissionId: string, log: NhisExchange[]) {
    for (const x of log) {
      await repo.insertAttempt(tx, { id: ids.uuid(), submissionId, messageType: x.messageType, messageId: x.messageId, at: x.startedAt, outcome: x.outcome, error: x.error ?? null, durationMs: x.durationMs });
    }
  }

  async function saveExchanges(submissionId: string, log: NhisExchange[], update: Parameters<typeof repo.updateSubmission>[2]) {
    await withTransaction(db, async (tx) => {
      await insertAttempts(tx, submissionId, log);
      await repo.updateSubmission(tx, submissionId, update);
    });
  }

  return {
    /** X002 gave the examination's NRN: kept at once, so a later attempt goes straight to X003. */
    opened: (sub: repo.SubmissionRow, log: NhisExchange[], nrn: string) => saveExchanges(sub.id, log.splice(0), { status: 'opened', nrn, addAttempts: 1 }),
    /** The NHIS refused the record: final, recorded and audited. */
    async rejected(ctx: RequestCtx, sub: repo.SubmissionRow, doc: repo.DocumentRow, log: NhisExchange[], nrn: string | null, err: NhisRejectedError) {
      await saveExchanges(sub.id, log, { status: 'rejected', nrn, lastError: err.reason, addAttempts: 1 });
      await withTransaction(db, (tx) => audit.record(tx, ctx, { action: 'nhis.rejected', patientId: doc.patient_id ?? undefined, facilityId: doc.facility_id, subject: { type: 'clinical_document', id: doc.id }, data: { reason: err.reason } }));
    },
    /** The NHIS could not be reached (or another failure): the attempt counts, the outbox tries again. */
    failed: (sub: repo.SubmissionRow, log: NhisExchange[], nrn: string | null, err: unknown) =>
      saveExchanges(sub.id, log, { status: nrn ? 'opened' : 'pending', nrn, lastError: err instanceof Error ? err.message.slice(0, 200) : 'error', addAttempts: 1 }),
    /** The NHIS acknowledged the record: the instant that meets or misses the deadline. */
    async acknowledged(ctx: RequestCtx, sub: repo.SubmissionRow, doc: repo.DocumentRow, log: NhisExchange[], nrn: string | null, signedBy: MessageSigner) {
      // Regulatory: Art. 17(1) — recording counts when the NHIS acknowledges it; that instant meets or misses the deadline.
      const ackAt = clock.now();
      await withTransaction(db, async (tx) => {
        await insertAttempts(tx, sub.id, log);
        await repo.updateSubmission(tx, sub.id, { status: 'acknowledged', nrn, acknowledgedAt: toDate(ackAt), addAttempts: 1 });
        if (sub.operation === 'open_close' && nrn) await repo.markRecorded(tx, doc.request_id, toDate(ackAt), nrn);
        await audit.record(tx, ctx, { action: 'nhis.recorded', patientId: doc.patient_id ?? undefined, facilityId: doc.facility_id, subject: { type: 'clinical_document', id: doc.id }, data: { operation: sub.operation, attempts: sub.attempts + 1, signedBy } });
      });
    },
  };
}

/** How long the outbox holds a submission while it sends it (three attempts with timeouts fit in it). */
const OUTBOX_CLAIM_SECONDS = 120;

/**
 * The outbox consumer that records signed documents in the NHIS (Art. 17(1)): X001 open (idempotent on
 * our lrn) then X003 close, or X013 (both in one) once a first attempt found the NHIS unreachable, or
 * X009 for a corrected revision. An unavailable NHIS throws, so the outbox
 * retries with backoff; a refusal is final and recorded. Every exchange is kept as evidence. The NHIS
 * acknowledgement closes the documentation deadline (met or missed). Messages are signed by the
 * transport's signer (NHIS_SIGNER_FILE); while the doctor's card is sending the record (nhis-card-steps.ts)
 * the submission is claimed and the outbox tries again later.
 * @param deps - database, clock, ids, keyring, audit and the NHIS client
 * @returns the handler
 */
export function createNhisSubmissionHandler(deps: { db: Db; clock: Clock; ids: IdGen; keyring: Keyring; audit: AuditLog; nhis: NhisClient }) {
  const { db, clock, keyring, nhis } = deps;
  const ctx = systemCtx('records.nhis');
  const recording = createSubmissionRecording(deps);

  return async function handle(msg: OutboxMessage): Promise<void> {
    const { submissionId } = msg.payload as { submissionId?: string };
    if (typeof submissionId !== 'string') throw new Error('nhis submission without id');
    const sub = await repo.findSubmission(db, submissionId);
    if (!sub) throw new Error('unknown nhis submission');
    if (sub.status === 'acknowledged' || sub.status === 'rejected') return; // idempotent: handled before
    const doc = await repo.findDocument(db, sub.document_id);
    if (!doc || doc.status !== 'signed') throw new Error('nhis submission of an unsigned document');
    // Concurrency: the doctor's card may be sending this record right now; the outbox waits its turn.
    const now = clock.now();
    if (!(await repo.claimSubmission(db, sub.id, 'outbox', toDate(now), toDate(now.add({ seconds: OUTBOX_CLAIM_SECONDS }))))) throw new NhisUnavailableError('the doctor’s card is sending this record');
    try {
      await send(sub, doc);
    } finally {
      await repo.releaseSubmission(db, sub.id, 'outbox');
    }
  };

  async function send(sub: repo.SubmissionRow, doc: repo.DocumentRow): Promise<void> {
    const content = SignedContentSchema.parse(await keyring.decryptJson(ctx, db, facilityScope(doc.facility_id), doc.content_enc, contentContext(doc.id)));
    const senderUin = content.performer.uin;
    const log: NhisExchange[] = [];
    const push = (x: NhisExchange) => log.push(x);
    let nrn = sub.nrn;
    try {
      if (sub.operation === 'open_close') {
        const open = openMessage(sub, content);
        if (!nrn && sub.attempts > 0) {
          // Regulatory: Art. 17(1) — the NHIS was unreachable at the first attempt, so the examination
          // goes after the fact as X013 (open and close in one message), idempotent on our lrn
          // (bulgarian-identifiers-codes-and-nhis.md §2.3; docs/nhis.md#offline).
          const { nrnExamination: _none, ...closing } = closeMessage('', content);
          nrn = (await nhis.submitOffline(senderUin, open, closing, push)).nrn;
        } else {
          if (!nrn) {
            nrn = (await nhis.openExamination(senderUin, open, push)).nrn;
            await recording.opened(sub, log, nrn);
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
      if (err instanceof NhisRejectedError) return recording.rejected(ctx, sub, doc, log, nrn, err);
      await recording.failed(sub, log, nrn, err);
      throw err;
    }
    await recording.acknowledged(ctx, sub, doc, log, nrn, 'server');
  }
}
