import { Temporal } from 'temporal-polyfill';
import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { CreatePrescriptionBody, Prescription } from '../../contracts/referrals.js';
import { prescriptionKind, prescriptionRefusals, type PrescriptionLine } from './prescription-rules.js';
import { encounterOf, localDate, rulesOn, type PrescriptionContent, type ReferralsDeps } from './referrals.deps.js';
import { insuredOn, issuerFacts, refuse, resolveIssuer, subjectOf, withStepUpFailure } from './issue-common.js';
import * as repo from './referrals.repo.js';
import { refusedRules, signStoreAndQueue, supersede } from './sign-document.js';
import type { MedicineRow } from './medicines.js';
import { prescriptionView } from './views.js';
import { historyRefusals, type EarlierPrescription } from './prescription-history-rules.js';
import { decryptContent } from './referrals.deps.js';
import type { Queryable } from '../../platform/db/index.js';

/** The statuses of an earlier prescription that still count (cancelled, refused and replaced ones do not). */
const LIVE = new Set(['pending', 'issued', 'dispensed', 'cancelling']);

/** The patient's live earlier prescriptions as the history rules see them. */
async function earlierPrescriptions(deps: ReferralsDeps, ctx: RequestCtx, q: Queryable, patientId: string, replacing: string | null): Promise<EarlierPrescription[]> {
  const out: EarlierPrescription[] = [];
  for (const row of await repo.listPrescriptions(q, patientId)) {
    if (!LIVE.has(row.status) || row.id === replacing) continue;
    const c = await decryptContent<PrescriptionContent>(deps, ctx, q, 'prescription', row);
    // a form with a protocol number carries only its protocol medicine.
    out.push({ issuedOn: row.issued_on, diagnosisCode: c.diagnosisCode, kind: c.kind, protocolNumber: c.protocolNumber, lines: c.lines.map((l) => ({ inn: l.inn, days: l.days, protocol: c.protocolNumber !== null })) });
  }
  return out;
}

/**
 * `POST /prescriptions`: an e-prescription from an encounter (W27). Checks R-PC-05/06, R-NHIF-05 and
 * НРД 2006 R-51..60 (prescription-rules.ts) against the medicines nomenclature, confirms a fresh second
 * factor, signs, stores encrypted and immutable, and queues P001. Issued when the NHIS acknowledges it.
 * @param deps - see ReferralsDeps
 * @returns the use case
 */
export function issuePrescriptionUseCase(deps: ReferralsDeps) {
  const { db, clock, ids, audit, policy } = deps;

  return async function issuePrescription(ctx: RequestCtx, body: CreatePrescriptionBody): Promise<Prescription> {
    try {
      return await policy.guard(ctx, () =>
        withStepUpFailure(deps, ctx, async () => {
          const now = clock.now();
          const pre = await withTransaction(db, async (tx) => {
            const e = await encounterOf(deps, ctx, tx, body);
            const meds = await repo.findMedicines(tx, body.lines.map((l) => l.medicineCode));
            const f = await issuerFacts(tx, e.practitionerId, e.facilityId, localDate(now, 'Europe/Sofia').toString());
            return { patientId: e.patientId, zone: f?.time_zone ?? 'Europe/Sofia', anyReimbursed: meds.some((m) => m.nhif_reimbursed) };
          });
          const on = localDate(now, pre.zone).toString();
          // insurance on the prescription date matters only for NHIF-reimbursed medicines.
          const insured = pre.anyReimbursed ? await insuredOn(deps, ctx, pre.patientId, on) : true;

          return withTransaction(db, async (tx) => {
            const e = await encounterOf(deps, ctx, tx, body);
            const { snapshot } = await resolveIssuer(ctx, tx, e, on);
            const access = await policy.assertCanReadPatient(ctx, tx, e.patientId, 'clinical');
            const rules = await rulesOn(tx, on);
            const meds = new Map((await repo.findMedicines(tx, body.lines.map((l) => l.medicineCode))).map((m) => [m.code, m]));
            const unknown = body.lines.filter((l) => !meds.has(l.medicineCode));
            if (unknown.length) throw new AppError('request.invalid', { detail: 'Unknown medicine code', errors: unknown.map((l) => ({ in: 'body' as const, pointer: '/lines', detail: `unknown medicine ${l.medicineCode}` })) });
            const lines: (PrescriptionLine & { body: CreatePrescriptionBody['lines'][number]; row: MedicineRow })[] = [];
            for (const l of body.lines) {
              const m = meds.get(l.medicineCode);
              if (m) lines.push({ medicine: { code: m.code, inn: m.inn, nhifReimbursed: m.nhif_reimbursed, protocolRequired: m.protocol_required }, packages: l.packages, days: l.days, body: l, row: m });
            }
            const started = Temporal.Instant.compare(Temporal.Instant.from(e.startedAt), now) <= 0;
            const refusals = prescriptionRefusals({
              encounter: { kind: e.kind, started, ended: e.endedAt !== null },
              diagnosisCode: body.diagnosisCode,
              lines,
              insured,
              protocolNumber: body.protocolNumber ?? null,
              limits: rules.prescription,
            });
            // the patient's earlier prescriptions (decrypted here, never leaving the transaction).
            const earlier = await earlierPrescriptions(deps, ctx, tx, e.patientId, body.replacesId ?? null);
            refusals.push(
              ...historyRefusals({
                today: Temporal.PlainDate.from(on),
                diagnosisCode: body.diagnosisCode,
                lines: lines.map((l) => ({ inn: l.medicine.inn, nhifReimbursed: l.medicine.nhifReimbursed, protocol: l.medicine.protocolRequired })),
                earlier,
                earlyAlignment: body.earlyAlignment ?? null,
                hospitalStay: body.hospitalStay ?? null,
                earlyDays: rules.earlyPrescriptionDays,
                protocolMonths: rules.prescription.protocolMaxMonths,
              }),
            );
            if (refusals.length) refuse(refusals);

            const { replaces, revision } = body.replacesId
              ? await supersede(deps, tx, 'prescription', await repo.findPrescription(tx, body.replacesId, true), { patientId: e.patientId, practitionerId: snapshot.practitionerId }, {
                  forbidden: 'Only the prescribing doctor corrects a prescription',
                  notCorrectable: 'Only an issued, undispensed or refused prescription is corrected',
                  cancelReason: 'Коригирана с нова версия',
                })
              : { replaces: null, revision: 1 };

            const up = await deps.stepUp.confirmStepUp(tx, ctx, body.code, 'prescription.sign');
            const patient = await deps.patients.readPatientIn(tx, ctx, e.patientId);
            const id = ids.uuid();
            const kind = prescriptionKind(lines);
            const content: PrescriptionContent = {
              schema: 'distansia.prescription/1',
              documentId: id,
              revision,
              replaces,
              kind,
              diagnosisCode: body.diagnosisCode,
              lines: lines.map((l) => ({ medicineCode: l.row.code, name: l.row.name, inn: l.row.inn, nhifReimbursed: l.row.nhif_reimbursed, packages: l.packages, days: l.days, dosage: l.body.dosage, substitutionAllowed: l.body.substitutionAllowed })),
              protocolNumber: body.protocolNumber ?? null,
              ...(body.earlyAlignment ? { earlyCoversUntil: body.earlyAlignment.coversUntil } : {}),
              ...(body.hospitalStay ? { hospitalStay: body.hospitalStay } : {}),
              encounter: { id: e.id, kind: e.kind, consultationId: e.consultationId, requestId: e.requestId, startedAt: e.startedAt },
              subject: subjectOf(patient),
              issuer: snapshot,
              issuedOn: on,
              signedAt: up.at.toString(),
            };
            const sig = await signStoreAndQueue(deps, ctx, tx, { kind: 'prescription', signedKind: `prescription:${kind}`, id, revision, replaces, encounter: e, issuer: snapshot, content, up, on, now }, (columns) =>
              repo.insertPrescription(tx, { ...columns, kind }),
            );
            await audit.record(tx, ctx, {
              action: 'prescription.issued',
              patientId: e.patientId,
              facilityId: e.facilityId,
              subject: { type: 'prescription', id },
              reason: access.reason,
              data: { kind, revision, lines: lines.length, encounterId: e.id, encounterKind: e.kind, keyId: sig.keyId, stepUpId: up.stepUpId },
            });
            const row = await repo.findPrescription(tx, id);
            if (!row) throw new AppError('internal');
            return prescriptionView(row, content, []);
          });
        }),
      );
    } catch (err) {
      const rules = refusedRules(err);
      if (rules) await audit.recordStandalone(ctx, { action: 'prescription.refused', outcome: 'denied', subject: { type: 'encounter', id: body.encounterId ?? body.requestId ?? '' }, data: { rules } });
      throw err;
    }
  };
}
