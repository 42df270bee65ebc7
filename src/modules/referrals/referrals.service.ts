import { toDate } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError } from '../../platform/errors/app-error.js';
import type { Budget, Medicine, PathwayHospital } from '../../contracts/referrals.js';
import { budgetStatus, NHIF_FORMS, quarterOf } from './referral-rules.js';
import { localDate, rulesOn, type ReferralsDeps } from './referrals.deps.js';
import { issueReferralUseCase } from './issue-referral.js';
import { issuePrescriptionUseCase } from './issue-prescription.js';
import { readDocumentsUseCases } from './read-documents.js';
import { useReferralUseCase } from './use-referral.js';
import { bookingReferralUseCases } from './book-with-referral.js';
import { sweepReservationsUseCase } from './sweep-reservations.js';
import { listIssuedUseCase } from './list-issued.js';
import { cancelDocumentUseCase } from './cancel-document.js';
import { createNhisDocumentsRecorder } from './nhis-recording.js';
import { MEDICINES_DEMO, parseMedicinesCsv, type MedicineRow } from './medicines.js';
import * as repo from './referrals.repo.js';
import { medicationRequestsOf, serviceRequestOf } from './fhir.js';

const medicineView = (m: MedicineRow): Medicine => ({ code: m.code, name: m.name, inn: m.inn, dosageForm: m.dosage_form, strength: m.strength, pack: m.pack, atc: m.atc, nhifReimbursed: m.nhif_reimbursed, protocolRequired: m.protocol_required, source: m.source });

/**
 * Referrals and e-prescriptions (docs/referrals.md): issue from an encounter, sign, record in the NHIS,
 * cancel and correct, use a referral once by its НРН, the practice's regulatory standards, and the
 * medicines nomenclature.
 * @param deps - see ReferralsDeps
 * @returns the service
 */
export function createReferralsService(deps: ReferralsDeps) {
  const read = readDocumentsUseCases(deps);
  const recorder = createNhisDocumentsRecorder(deps);
  const cancel = cancelDocumentUseCase(deps);
  return {
    issueReferral: issueReferralUseCase(deps),
    issuePrescription: issuePrescriptionUseCase(deps),
    ...read,
    useReferral: useReferralUseCase(deps),
    // W14: a patient's NHIF-paid specialist booking carries its referral (called by the requests module).
    ...bookingReferralUseCases(deps),
    /** W14, R-REF-02: gives back reservations whose booking never came to be (run periodically by the server). */
    sweepOrphanedReservations: sweepReservationsUseCase(deps),
    listIssued: listIssuedUseCase(deps),
    cancelReferral: (ctx: RequestCtx, id: string, body: Parameters<typeof cancel>[3]) => cancel(ctx, 'referral', id, body),
    cancelPrescription: (ctx: RequestCtx, id: string, body: Parameters<typeof cancel>[3]) => cancel(ctx, 'prescription', id, body),
    refreshPrescription: recorder.refreshPrescription,
    /** The outbox handler for `NHIS_DOCUMENT`. */
    handleNhisMessage: recorder.handle,

    /** The patient's referrals and prescriptions as FHIR resources for `$everything` (both reads audited). */
    async fhirResources(ctx: RequestCtx, patientId: string, fhirBase: string): Promise<{ fullUrl: string; resource: Record<string, unknown> }[]> {
      const referrals = await read.listReferrals(ctx, patientId);
      const prescriptions = await read.listPrescriptions(ctx, patientId);
      const resources = [...referrals.items.map(serviceRequestOf), ...prescriptions.items.flatMap(medicationRequestsOf)];
      return resources.map((resource) => ({ fullUrl: `${fhirBase}/${String(resource['resourceType'])}/${String(resource['id'])}`, resource }));
    },

    /** this quarter's budget per NHIF form at a practice, for a doctor or staff of the practice. */
    async readBudgets(ctx: RequestCtx, facilityId: string): Promise<{ items: Budget[] }> {
      if (ctx.actor.type !== 'user' || !ctx.actor.facilityIds.includes(facilityId)) throw new ForbiddenError('Only the practice sees its standards');
      return withTransaction(deps.db, async (tx) => {
        const today = localDate(deps.clock.now(), 'Europe/Sofia');
        const rules = await rulesOn(tx, today.toString());
        const q = quarterOf(today);
        const items: Budget[] = [];
        for (const form of NHIF_FORMS) {
          const b = await repo.budgetOf(tx, facilityId, form, today.toString(), q.from.toString(), q.to.toString());
          items.push({ form, quarterFrom: q.from.toString(), ...budgetStatus(b.used, b.limit, rules.budgetWarnPercent) });
        }
        return { items };
      });
    },

    /** R-REF-07: the hospitals a № 7 for this clinical pathway can name today (contract data, no patient data). */
    async hospitalsForPathway(ctx: RequestCtx, pathway: string): Promise<{ items: PathwayHospital[] }> {
      if (ctx.actor.type !== 'user' || ctx.actor.role !== 'specialist') throw new ForbiddenError('Only a doctor issues a № 7');
      const today = localDate(deps.clock.now(), 'Europe/Sofia').toString();
      const rows = await repo.hospitalsForPathway(deps.db, pathway, today);
      return { items: rows.map((r) => ({ facilityId: r.facility_id, name: r.name, settlement: r.settlement })) };
    },

    /** Searches the medicines nomenclature by name, INN or code (public reference data). */
    async searchMedicines(text: string, limit: number): Promise<{ items: Medicine[] }> {
      return { items: (await repo.searchMedicines(deps.db, text, limit)).map(medicineView) };
    },

    /** Loads the team-written demo subset (idempotent). */
    async seedDemoMedicines(): Promise<number> {
      return withTransaction(deps.db, (tx) => repo.upsertMedicines(tx, MEDICINES_DEMO, toDate(deps.clock.now())));
    },

    /**
     * `distansia import medicines <file>`: the full list as CSV (medicines.ts). All or nothing: a file with
     * a bad line imports nothing and lists the lines.
     */
    async importMedicines(ctx: RequestCtx, csv: string, source: string): Promise<{ imported: number }> {
      const { rows, issues } = parseMedicinesCsv(csv, source);
      if (issues.length) throw new AppError('request.invalid', { detail: `${issues.length} lines could not be read`, meta: { issues: issues.slice(0, 20) } });
      return withTransaction(deps.db, async (tx) => {
        const imported = await repo.upsertMedicines(tx, rows, toDate(deps.clock.now()));
        await deps.audit.record(tx, ctx, { action: 'medicines.imported', subject: { type: 'nomenclature', id: 'medicines' }, data: { imported, source } });
        return { imported };
      });
    },
  };
}
export type ReferralsService = ReturnType<typeof createReferralsService>;
