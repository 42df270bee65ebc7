import { toDate } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError } from '../../platform/errors/app-error.js';
import type { ErrorCode } from '../../platform/errors/catalog.js';
import type { NhisCardStep, NhisCardStepBody, SignedContent } from '../../contracts/records.js';
import { NhisRejectedError, NhisTokenRequiredError, type CardMessageHeader, type NhisCardMessages, type NhisExchange } from '../nhis/index.js';
import { isSignedCopyOf, verifyXmlSignature } from '../signing/index.js';
import * as repo from './records.repo.js';
import { closeMessage, createSubmissionRecording, openMessage } from './nhis-submission.service.js';
import type { RecordsDeps } from './records.deps.js';
import type { DocumentAccess } from './document-access.js';

/** How long one step holds the record against the outbox: the card signs in seconds (the agent holds the PIN). */
const CARD_CLAIM_SECONDS = 120;

type Kind = 'challenge' | 'X001' | 'X003';

/**
 * The NHIS messages of a record signed by the doctor's card while the doctor is at the screen
 * (docs/nhis.md#signer). The real NHIS binds a bearer token to the certificate that signed its challenge
 * and expects the doctor's own qualified certificate on every message; the card is on the doctor's
 * computer, so the server drives the loop and the browser has the local agent sign each step
 * (`POST /v1/sign/xml`): the token challenge for this doctor (when no token bound to the card's certificate
 * is held), then X001, then X003 once X002 gave the NRN. Each signed step must be made by the certificate
 * that signed the record and be exactly what the server asked for; it is sent over the HTTP transport
 * (its retries, the same bytes, the same messageId) and recorded as the outbox records it. The outbox does
 * not send the record meanwhile (claimed); an unreachable NHIS leaves it to the outbox (the server's key).
 * @param deps - the records dependencies (nhis: the client with its card messages)
 * @param access - the shared document helpers
 * @returns the step use case
 */
export function createNhisCardSteps(deps: RecordsDeps, access: DocumentAccess) {
  const { db, clock, audit, policy } = deps;
  const recording = createSubmissionRecording(deps);

  return {
    /**
     * Takes the step the card signed (if any), sends it, and answers the next thing to sign or the end.
     * @param ctx - the record's author
     * @param documentId - the signed record
     * @param body - the signed step, absent to start (or resume) the loop
     * @returns the next step: `sign` (what the card signs) or `done` (recorded, rejected, unreachable now, or the outbox's)
     * @throws {AppError} `auth.forbidden` for anyone but the author; `state.bad_transition` for a draft;
     *   `signing.signature_invalid`, `signing.certificate_untrusted`, `signing.certificate_not_document_signer`,
     *   `signing.content_mismatch` for a signed step that is not the one asked for (audited)
     */
    async nextNhisCardStep(ctx: RequestCtx, documentId: string, body: NhisCardStepBody): Promise<NhisCardStep> {
      return policy.guard(ctx, () => step(ctx, documentId, body));
    },
  };

  async function step(ctx: RequestCtx, documentId: string, body: NhisCardStepBody): Promise<NhisCardStep> {
    const row = await access.readRow(ctx, db, documentId);
    if (ctx.actor.type !== 'user' || ctx.actor.id !== row.author_account_id) throw new ForbiddenError('Only the author sends the record with the card');
    if (row.status !== 'signed') throw new AppError('state.bad_transition', { detail: 'Sign the document first', meta: { from: row.status } });
    const sub = await repo.findSubmissionByDocument(db, row.id);
    if (!sub) return { step: 'done', outcome: 'outbox', nrn: null };
    if (sub.status === 'acknowledged') return { step: 'done', outcome: 'recorded', nrn: sub.nrn };
    if (sub.status === 'rejected') return { step: 'done', outcome: 'rejected', nrn: sub.nrn };
    const key = row.signing_key_id ? await repo.findKey(db, row.signing_key_id) : undefined;
    const card = deps.nhis?.card;
    const certificateSha256 = key?.level === 'qualified' ? key.certificate_sha256 : null;
    // The card sends a first record (X001 + X003) of a record it signed. A record whose first attempt
    // failed goes as X013, and a correction as X009: both with the outbox (docs/nhis.md#signer).
    if (!card || !certificateSha256 || sub.operation !== 'open_close' || (sub.attempts > 0 && !sub.nrn)) return { step: 'done', outcome: 'outbox', nrn: sub.nrn };
    const now = clock.now();
    // Concurrency: the outbox may be sending this record right now; then it is the outbox's.
    if (!(await repo.claimSubmission(db, sub.id, 'card', toDate(now), toDate(now.add({ seconds: CARD_CLAIM_SECONDS }))))) return { step: 'done', outcome: 'outbox', nrn: sub.nrn };

    const stored = await access.loadStored(ctx, db, row);
    if (stored.state !== 'signed') throw new AppError('state.bad_transition', { detail: 'Sign the document first' });
    const content = stored.signed;
    const uin = content.performer.uin;
    const pending = cardStepOf(sub.card_step);
    const auditStep = (kind: Kind, outcome: 'prepared' | 'sent' | 'rejected' | 'unavailable' | 'token_required') =>
      withTransaction(db, (tx) => audit.record(tx, ctx, { action: 'nhis.card_step', patientId: row.patient_id ?? undefined, facilityId: row.facility_id, subject: { type: 'clinical_document', id: row.id }, data: { kind, outcome } }));
    const toOutbox = async (kind: Kind): Promise<NhisCardStep> => {
      await repo.releaseSubmission(db, sub.id, 'card');
      await auditStep(kind, 'unavailable');
      return { step: 'done', outcome: 'unreachable', nrn: (await repo.findSubmission(db, sub.id))?.nrn ?? null };
    };
    let nrn = sub.nrn;

    if (body.signed) {
      const signed = body.signed;
      const refuse = async (code: ErrorCode): Promise<never> => {
        await audit.recordStandalone(ctx, { action: 'nhis.card_refused', outcome: 'denied', patientId: row.patient_id ?? undefined, facilityId: row.facility_id, subject: { type: 'clinical_document', id: row.id }, data: { code } });
        throw new AppError(code);
      };
      if (!pending || pending.kind !== signed.kind) return refuse('signing.content_mismatch');
      const check = verifyXmlSignature(signed.xml, { trusted: deps.qualified?.trusted ?? [], at: toDate(now) });
      if (!check.valid) return refuse(check.reason === 'untrusted_certificate' ? 'signing.certificate_untrusted' : 'signing.signature_invalid');
      // Security: the NHIS messages of a record carry the certificate that signed the record, no other.
      if (check.certificate.sha256 !== certificateSha256) return refuse('signing.certificate_not_document_signer');
      const expected = pending.kind === 'challenge' ? pending.challenge : build(card, pending.kind, uin, pending, sub, content, nrn);
      if (expected === null || !isSignedCopyOf(signed.xml, expected)) return refuse('signing.content_mismatch');

      const log: NhisExchange[] = [];
      const push = (x: NhisExchange) => log.push(x);
      try {
        if (pending.kind === 'challenge') {
          await card.channel.redeem(uin, certificateSha256, signed.xml);
        } else if (pending.kind === 'X001') {
          nrn = (await card.send('X001', signed.xml, pending, certificateSha256, push)).nrn;
          await recording.opened(sub, log, nrn);
        } else {
          await card.send('X003', signed.xml, pending, certificateSha256, push);
          await recording.acknowledged(ctx, sub, row, log, nrn, 'card');
          await repo.releaseSubmission(db, sub.id, 'card');
          await auditStep('X003', 'sent');
          return { step: 'done', outcome: 'recorded', nrn };
        }
        await auditStep(pending.kind, 'sent');
      } catch (err) {
        if (err instanceof NhisTokenRequiredError) {
          // The token expired or was revoked: the card signs a new challenge, then this message again.
          await auditStep(pending.kind, 'token_required');
        } else if (err instanceof NhisRejectedError) {
          await recording.rejected(ctx, sub, row, log, nrn, err);
          await repo.releaseSubmission(db, sub.id, 'card');
          await auditStep(pending.kind, 'rejected');
          return { step: 'done', outcome: 'rejected', nrn };
        } else {
          // Unreachable (after the transport's retries): the outbox takes the record, signed with the
          // server's key. A failed message counts as an attempt (X013 later if nothing was opened); a
          // failed token request does not, as no record message went out.
          if (pending.kind !== 'challenge') await recording.failed(sub, log, nrn, err);
          return toOutbox(pending.kind);
        }
      }
    }

    // The next thing the card signs.
    if (!(await card.channel.hasToken(uin, certificateSha256))) {
      let challenge: string;
      try {
        challenge = await card.channel.challenge();
      } catch {
        return toOutbox('challenge');
      }
      await withTransaction(db, async (tx) => {
        // A message that met an expired token keeps its messageId for after the new token.
        const resume = pending?.kind === 'challenge' ? pending.resume : pending;
        await repo.setCardStep(tx, sub.id, { kind: 'challenge', challenge, ...(resume ? { resume } : {}) });
        await audit.record(tx, ctx, { action: 'nhis.card_step', patientId: row.patient_id ?? undefined, facilityId: row.facility_id, subject: { type: 'clinical_document', id: row.id }, data: { kind: 'challenge', outcome: 'prepared' } });
      });
      return { step: 'sign', kind: 'challenge', xml: challenge };
    }
    const kind = nrn ? 'X003' : 'X001';
    // A message the NHIS did not take yet (a token was missing) goes again with the same messageId.
    const last = pending?.kind === 'challenge' ? pending.resume : pending;
    const header: CardMessageHeader = last && last.kind === kind ? { messageId: last.messageId, createdOn: last.createdOn } : card.newHeader();
    let xml: string | null;
    try {
      xml = build(card, kind, uin, header, sub, content, nrn);
    } catch (err) {
      if (!(err instanceof NhisRejectedError)) throw err;
      await recording.rejected(ctx, sub, row, [], nrn, err);
      await repo.releaseSubmission(db, sub.id, 'card');
      return { step: 'done', outcome: 'rejected', nrn };
    }
    if (xml === null) return toOutbox(kind);
    await withTransaction(db, async (tx) => {
      await repo.setCardStep(tx, sub.id, { kind, ...header });
      // The message carries the patient's identity to the doctor's browser: audited as a read of the record.
      await audit.record(tx, ctx, { action: 'nhis.card_step', patientId: row.patient_id ?? undefined, facilityId: row.facility_id, subject: { type: 'clinical_document', id: row.id }, data: { kind, outcome: 'prepared' } });
    });
    return { step: 'sign', kind, xml };
  }
}

/**
 * The unsigned X001 or X003 of a record, as the outbox would build it (the same message fields).
 * @returns null for an X003 before the NRN is known
 * @throws {NhisRejectedError} `no_subject` for a record without a patient
 */
function build(card: NhisCardMessages, kind: 'X001' | 'X003', uin: string, header: CardMessageHeader, sub: repo.SubmissionRow, content: SignedContent, nrn: string | null): string | null {
  if (kind === 'X001') return card.build('X001', uin, header, openMessage(sub, content));
  return nrn ? card.build('X003', uin, header, closeMessage(nrn, content)) : null;
}

/** The stored step (jsonb; some drivers hand it back as text). */
function cardStepOf(value: repo.SubmissionRow['card_step']): repo.CardStep | null {
  if (value === null) return null;
  return typeof value === 'string' ? (JSON.parse(value) as repo.CardStep) : value;
}
