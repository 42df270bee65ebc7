import { withTransaction, type Queryable } from '../../platform/db/index.js';
import { facilityScope } from '../../platform/crypto/keyring.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError } from '../../platform/errors/app-error.js';
import type { Prescription, Referral } from '../../contracts/referrals.js';
import type { Dispensation } from '../nhis/index.js';
import { decryptContent, dispensationContext, localDate, rulesOn, type PrescriptionContent, type ReferralContent, type ReferralsDeps } from './referrals.deps.js';
import { secondaryUntil } from './referral-booking-rules.js';
import { primaryExamAt } from './secondary-visit.js';
import * as repo from './referrals.repo.js';
import { prescriptionView, referralView } from './views.js';
import { renderPrescriptionPdf, renderReferralPdf } from './document-pdf.js';

/**
 * Reading referrals and prescriptions: one by id, a patient's list, and a referral by its НРН for the
 * receiving specialist. Access-checked (deny by default, an unknown id answers as forbidden) and every
 * read audited in the same transaction.
 * @param deps - see ReferralsDeps
 * @returns the use cases
 */
export function readDocumentsUseCases(deps: ReferralsDeps) {
  const { db, audit, policy } = deps;

  async function dispensationsOf(ctx: RequestCtx, q: Queryable, row: repo.PrescriptionRow): Promise<Dispensation[]> {
    if (!row.dispensation_enc) return [];
    return deps.keyring.decryptJson<Dispensation[]>(ctx, q, facilityScope(row.facility_id), row.dispensation_enc, dispensationContext(row.id));
  }

  /** A specialist working at an outpatient facility: the receiving side of a referral (W14). */
  function assertReceivingSpecialist(ctx: RequestCtx, facilityId: string) {
    if (ctx.actor.type !== 'user' || ctx.actor.role !== 'specialist' || !ctx.actor.facilityIds.includes(facilityId)) throw new ForbiddenError('Only a specialist of the receiving facility uses a referral');
  }

  return {
    async getReferral(ctx: RequestCtx, id: string): Promise<Referral> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          if (ctx.actor.type === 'anonymous') throw new AppError('auth.unauthenticated');
          const row = await repo.findReferral(tx, id);
          if (!row) throw new ForbiddenError('You have no access to this referral');
          const access = await policy.assertCanReadPatient(ctx, tx, row.patient_id, 'clinical', row.facility_id);
          const c = await decryptContent<ReferralContent>(deps, ctx, tx, 'referral', row);
          await audit.record(tx, ctx, { action: 'referral.read', patientId: row.patient_id, facilityId: row.facility_id, subject: { type: 'referral', id }, reason: access.reason, ...(access.onBehalfOf ? { onBehalfOf: access.onBehalfOf } : {}) });
          return referralView(row, c, ctx.lang);
        }),
      );
    },

    async listReferrals(ctx: RequestCtx, patientId: string): Promise<{ items: Referral[] }> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const access = await policy.assertCanReadPatient(ctx, tx, patientId, 'clinical');
          const rows = (await repo.listReferrals(tx, patientId)).filter((r) => !access.facilityScope || access.facilityScope.includes(r.facility_id));
          const items: Referral[] = [];
          const days = (await rulesOn(tx, localDate(deps.clock.now(), 'Europe/Sofia').toString())).secondaryExamDays;
          for (const row of rows) {
            const view = referralView(row, await decryptContent<ReferralContent>(deps, ctx, tx, 'referral', row), ctx.lang);
            // R-REF-02: a used № 3 still books its secondary examination with the primary's provider.
            const primaryAt = row.status === 'used' && row.form === '3' && row.used_by_facility_id ? await primaryExamAt(deps, tx, row) : null;
            items.push(primaryAt && row.used_by_facility_id ? { ...view, followUp: { facilityId: row.used_by_facility_id, until: secondaryUntil(primaryAt, days, 'Europe/Sofia') } } : view);
          }
          await audit.record(tx, ctx, { action: 'referral.listed', patientId, subject: { type: 'patient', id: patientId }, reason: access.reason, ...(access.onBehalfOf ? { onBehalfOf: access.onBehalfOf } : {}), data: { count: items.length } });
          return { items };
        }),
      );
    },

    /**
     * The receiving specialist finds a referral by its НРН (W14). Regulatory: the НРН the patient brings is
     * the basis to read it, as the NHIS's own performer fetch (R003) is; the read is audited with it.
     */
    async findReferralByNrn(ctx: RequestCtx, nrn: string, facilityId: string): Promise<Referral> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          assertReceivingSpecialist(ctx, facilityId);
          const row = await repo.findReferralByNrn(tx, nrn.toUpperCase());
          if (!row) throw new AppError('resource.not_found', { detail: 'No referral with this НРН', meta: { kind: 'referral' } });
          const c = await decryptContent<ReferralContent>(deps, ctx, tx, 'referral', row);
          await audit.record(tx, ctx, { action: 'referral.read', patientId: row.patient_id, facilityId, subject: { type: 'referral', id: row.id }, reason: `referral_nrn:${nrn}` });
          return referralView(row, c, ctx.lang);
        }),
      );
    },

    /** The print-ready PDF of a referral or prescription, with its НРН and QR code (audited as a read). */
    async documentPdf(ctx: RequestCtx, kind: repo.DocKind, id: string): Promise<{ pdf: Buffer; filename: string }> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          if (ctx.actor.type === 'anonymous') throw new AppError('auth.unauthenticated');
          const row = kind === 'referral' ? await repo.findReferral(tx, id) : await repo.findPrescription(tx, id);
          if (!row) throw new ForbiddenError('You have no access to this document');
          const access = await policy.assertCanReadPatient(ctx, tx, row.patient_id, 'clinical', row.facility_id);
          const meta = { nrn: row.nrn?.trim() ?? null, sha256: row.content_sha256, keyId: row.signing_key_id, zone: 'Europe/Sofia' };
          const pdf =
            kind === 'referral'
              ? await renderReferralPdf(await decryptContent<ReferralContent>(deps, ctx, tx, 'referral', row), meta)
              : await renderPrescriptionPdf(await decryptContent<PrescriptionContent>(deps, ctx, tx, 'prescription', row), meta);
          await audit.record(tx, ctx, { action: kind === 'referral' ? 'referral.read' : 'prescription.read', patientId: row.patient_id, facilityId: row.facility_id, subject: { type: kind, id }, reason: access.reason, ...(access.onBehalfOf ? { onBehalfOf: access.onBehalfOf } : {}), data: { format: 'pdf' } });
          return { pdf, filename: `${kind}-${meta.nrn ?? id}.pdf` };
        }),
      );
    },

    async getPrescription(ctx: RequestCtx, id: string): Promise<Prescription> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          if (ctx.actor.type === 'anonymous') throw new AppError('auth.unauthenticated');
          const row = await repo.findPrescription(tx, id);
          if (!row) throw new ForbiddenError('You have no access to this prescription');
          const access = await policy.assertCanReadPatient(ctx, tx, row.patient_id, 'clinical', row.facility_id);
          const c = await decryptContent<PrescriptionContent>(deps, ctx, tx, 'prescription', row);
          await audit.record(tx, ctx, { action: 'prescription.read', patientId: row.patient_id, facilityId: row.facility_id, subject: { type: 'prescription', id }, reason: access.reason, ...(access.onBehalfOf ? { onBehalfOf: access.onBehalfOf } : {}) });
          return prescriptionView(row, c, await dispensationsOf(ctx, tx, row));
        }),
      );
    },

    async listPrescriptions(ctx: RequestCtx, patientId: string): Promise<{ items: Prescription[] }> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const access = await policy.assertCanReadPatient(ctx, tx, patientId, 'clinical');
          const rows = (await repo.listPrescriptions(tx, patientId)).filter((r) => !access.facilityScope || access.facilityScope.includes(r.facility_id));
          const items: Prescription[] = [];
          for (const row of rows) items.push(prescriptionView(row, await decryptContent<PrescriptionContent>(deps, ctx, tx, 'prescription', row), await dispensationsOf(ctx, tx, row)));
          await audit.record(tx, ctx, { action: 'prescription.listed', patientId, subject: { type: 'patient', id: patientId }, reason: access.reason, ...(access.onBehalfOf ? { onBehalfOf: access.onBehalfOf } : {}), data: { count: items.length } });
          return { items };
        }),
      );
    },
  };
}
