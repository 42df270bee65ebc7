import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { facilityScope } from '../../platform/crypto/keyring.js';
import { AppError, NotFoundError } from '../../platform/errors/app-error.js';
import type { Consent, ConsentList, ConsentVerification } from '../../contracts/consent.js';
import * as repo from './consent.repo.js';
import { sha256Hex } from './consent-hash.js';
import { renderConsentPdf } from './consent-pdf.js';
import { textOf, type ConsentDeps } from './consent-common.js';
import type { ConsentCore } from './consent-core.js';

/**
 * A patient's consents: the list, one consent, its PDF and the verification of its content hash.
 * @param deps - the consent dependencies
 * @param core - the shared consent helpers
 */
export function createConsentDocuments(deps: ConsentDeps, core: ConsentCore) {
  const { db, audit, keyring, policy } = deps;
  const { ctxKey, recordingOf, consentView, recompute, assertCanRead } = core;

  return {
    /** A patient's signed consents (the patient, a representative, a specialist with care); audited. */
    async listPatientConsents(ctx: RequestCtx, patientId: string): Promise<ConsentList> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const g = await policy.assertCanReadPatient(ctx, tx, patientId, 'clinical');
          const list = (await repo.listConsentsOfPatient(tx, patientId)).filter((c) => !g.facilityScope || g.facilityScope.includes(c.facility_id));
          const items: Consent[] = [];
          for (const c of list) items.push(await consentView(ctx, tx, c));
          await audit.record(tx, ctx, { action: 'consent.read', patientId, subject: { type: 'patient', id: patientId }, reason: g.reason, ...(g.onBehalfOf ? { onBehalfOf: g.onBehalfOf } : {}), data: { count: items.length } });
          return { items };
        }),
      );
    },

    /** One consent, for its signer and whoever may read the patient's data; audited. */
    async getConsent(ctx: RequestCtx, consentId: string): Promise<Consent> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const c = await repo.findConsent(tx, consentId);
          if (!c) throw new NotFoundError('consent', consentId);
          const g = await assertCanRead(ctx, tx, c);
          await audit.record(tx, ctx, { action: 'consent.read', patientId: c.patient_id, subject: { type: 'consent', id: c.id }, reason: g.reason, ...(g.onBehalfOf ? { onBehalfOf: g.onBehalfOf } : {}), data: { format: 'json' } });
          return consentView(ctx, tx, c);
        }),
      );
    },

    /** The printable copy of a signed consent (PDF with Cyrillic text); audited. */
    async consentPdf(ctx: RequestCtx, consentId: string): Promise<{ filename: string; bytes: Buffer }> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const c = await repo.findConsent(tx, consentId);
          if (!c) throw new NotFoundError('consent', consentId);
          const g = await assertCanRead(ctx, tx, c);
          const t = await repo.findTemplate(tx, c.template_id);
          if (!t?.text_sha256) throw new AppError('internal');
          const timeZone = await repo.facilityTimeZone(tx, c.facility_id);
          if (!timeZone) throw new AppError('internal');
          const bytes = await renderConsentPdf({
            id: c.id,
            kind: c.kind,
            lang: c.lang,
            ...textOf(t, c.lang),
            templateVersion: t.version,
            templateSha256: t.text_sha256,
            requestId: c.request_id,
            patientId: c.patient_id,
            signerAccountId: c.signer_account_id,
            signerRole: c.signer_role,
            onBehalfOf: c.on_behalf_of,
            presentedAt: repo.asDate(c.presented_at),
            signedAt: repo.asDate(c.signed_at),
            stepUpId: c.step_up_id,
            contentSha256: c.content_sha256,
            recording: await recordingOf(ctx, tx, c),
            documentSha256: c.document_sha256,
            status: c.status,
            withdrawnAt: c.withdrawn_at ? repo.asDate(c.withdrawn_at) : null,
            timeZone,
          });
          await audit.record(tx, ctx, { action: 'consent.read', patientId: c.patient_id, subject: { type: 'consent', id: c.id }, reason: g.reason, ...(g.onBehalfOf ? { onBehalfOf: g.onBehalfOf } : {}), data: { format: 'pdf' } });
          return { filename: `consent-${c.kind}-${c.id}.pdf`, bytes };
        }),
      );
    },

    /**
     * Verifies a signed consent: recomputes the content hash from the stored parts, checks that the
     * step-up is in the audit trail, that reading preceded signing and that the document is intact.
     */
    async verifyConsent(ctx: RequestCtx, consentId: string): Promise<ConsentVerification> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const c = await repo.findConsent(tx, consentId);
          if (!c) throw new NotFoundError('consent', consentId);
          const g = await assertCanRead(ctx, tx, c);
          const recomputed = await recompute(ctx, tx, c);
          const stepUpAudited = await repo.stepUpAudited(tx, c.step_up_id, c.signer_account_id);
          const presentedBeforeSigning = repo.asDate(c.presented_at).getTime() < repo.asDate(c.signed_at).getTime();
          let documentIntact: boolean | null = null;
          if (c.has_document) {
            const env = await repo.findConsentDocument(tx, c.id);
            documentIntact = env ? sha256Hex(await keyring.decrypt(ctx, tx, facilityScope(c.facility_id), env, ctxKey(c.id, 'document'))) === c.document_sha256 : false;
          }
          const valid = recomputed === c.content_sha256 && stepUpAudited && presentedBeforeSigning && documentIntact !== false;
          await audit.record(tx, ctx, { action: 'consent.verified', patientId: c.patient_id, subject: { type: 'consent', id: c.id }, reason: g.reason, data: { valid } });
          return { consentId: c.id, valid, storedSha256: c.content_sha256, recomputedSha256: recomputed, stepUpAudited, presentedBeforeSigning, documentIntact };
        }),
      );
    },
  };
}
