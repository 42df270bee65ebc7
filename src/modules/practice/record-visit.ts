import { Temporal } from 'temporal-polyfill';
import { withTransaction, type Tx } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError, NotFoundError } from '../../platform/errors/app-error.js';
import type { CreatePaymentBody, PracticeVisit, RecordVisitBody } from '../../contracts/practice.js';
import { recordPaymentInUseCase } from './record-payment.js';
import { assessVisitFee, isExemptionCode, ruleOn, showPrice, type DatedRule, type VisitFee } from './fee-rules.js';
import { ageInMonths } from './desk-rules.js';
import { inEur, sumAmounts } from './money.js';
import { assertPracticeStaff, ruleRefusal, type PracticeDeps } from './practice.deps.js';
import { localDay } from './price-list.js';
import * as repo from './practice.repo.js';
import { isListedAtIn } from '../gp/index.js';

const GP_ONLY = new Set(['specialist']);

/** The capitation age group (R-76 bands, `gp.age_bands`) of an age. */
export function ageGroupOf(rules: readonly DatedRule[], on: string, ageYears: number): string {
  const bands = rules.find((r) => r.key === 'gp.age_bands' && r.validFrom <= on && (r.validTo === null || on < r.validTo))?.value as { code: string; fromAge: number; toAge: number | null }[] | undefined;
  const hit = bands?.find((b) => ageYears >= b.fromAge && (b.toAge === null || ageYears < b.toAge));
  if (!hit) throw new Error(`no age band for ${ageYears} on ${on}`);
  return hit.code;
}

/**
 * A visit row in its wire form: the fee as charged and in EUR, and what was paid.
 * @returns the contract shape
 */
export function toVisit(v: repo.VisitRow, rate: string): PracticeVisit {
  return {
    encounterId: v.encounter_id,
    facilityId: v.facility_id,
    patientId: v.patient_id,
    practitionerId: v.practitioner_id,
    kind: v.kind,
    visitOn: v.visit_on,
    nhifPaid: v.nhif_paid,
    purpose: v.purpose,
    ageGroup: v.age_group,
    fee: { basis: v.fee_basis, rule: v.fee_rule, exemptionCode: v.exemption_code, itemCode: v.price_item_code, due: v.fee_amount !== null && v.fee_currency ? showPrice({ amount: v.fee_amount, currency: v.fee_currency }, rate) : null },
    paidEur: sumAmounts(v.paid.map((p) => inEur(p, rate))),
  };
}

export interface VisitInput {
  facilityId: string;
  patientId: string;
  kind: 'in_person' | 'phone' | 'home_visit';
  purpose: 'treatment' | 'prophylaxis' | 'dispensary';
  startedAt: Temporal.Instant;
  exemptionCode?: string | undefined;
  emergency: boolean;
  priceTold: boolean;
  homeVisitPaid?: boolean | undefined;
  reason?: string | undefined;
  /** the desk's payment for this visit, in the visit's transaction */
  payment?: CreatePaymentBody | undefined;
}

/**
 * Records a visit of the practice (in person, by phone, at home) as an encounter with its fee. The GP
 * records it: the patient's age comes from the registry under the GP's care relationship (Art. 13). The
 * fee is assessed from the dated rules and the price list in force that day (R-PC-12/13/16, R-72):
 * - the insurance status of the day (R-NHIF-01) decides NHIF-paid or price list;
 * - R-PC-13: a price-list visit is refused until the patient was told the price.
 * @returns the use case; `afterInsert` runs in the same transaction as the visit row
 */
export function recordVisitUseCase(deps: PracticeDeps) {
  const recordPaymentIn = recordPaymentInUseCase(deps);
  return async function recordPracticeVisit(ctx: RequestCtx, input: VisitInput, afterInsert?: (tx: Tx, encounterId: string) => Promise<void>): Promise<PracticeVisit> {
    const actor = await assertPracticeStaff(deps, ctx, input.facilityId, GP_ONLY);
    const practitionerId = await repo.practitionerOfAccount(deps.db, actor.id);
    if (!practitionerId) throw new ForbiddenError('Only a doctor of the practice records a visit');
    const visitOn = localDay(input.startedAt, deps.zone);
    // Before the encounter: what decides NHIF-paid or price list needs no patient data (R-PC-13), so an
    // unlisted patient is told the price before the GP has any access to their record.
    const pre = await withTransaction(deps.db, async (tx) => ({
      rules: await repo.loadRules(tx),
      prices: await repo.listPriceLists(tx, input.facilityId),
      listed: await isListedAtIn(tx, input.patientId, input.facilityId, visitOn),
    }));
    if (input.exemptionCode && !isExemptionCode(pre.rules, visitOn, input.exemptionCode)) throw ruleRefusal('practice.exemption_unknown', 'R-72');
    let insurance: 'insured' | 'interrupted' | 'unknown' = 'unknown';
    if (pre.listed) {
      try {
        const check = await deps.insurance.checkInsuranceStatus(ctx, input.patientId, visitOn);
        insurance = check.status === 'insured' && check.nhifPays ? 'insured' : 'interrupted';
      } catch (err) {
        // R-NHIF-01: a registry outage does not stop care; the visit is recorded as unchecked.
        if (!(err instanceof AppError && (err.code === 'insurance.registry_unavailable' || err.code === 'insurance.identifier_not_supported'))) throw err;
      }
    }
    const facts = { date: visitOn, kind: input.kind, nhifPaid: true, insurance, registeredHere: pre.listed, emergency: input.emergency, exemptionCode: input.exemptionCode, homeVisitPaid: input.homeVisitPaid };
    const rate = ruleOn(pre.rules, 'money.bgn_per_eur', visitOn).rate;
    const prelim = assessVisitFee({ ...facts, ageYears: Number.POSITIVE_INFINITY }, pre.rules, pre.prices);
    if (prelim.basis === 'price_list') {
      if (!prelim.due) throw ruleRefusal('practice.no_price', prelim.ruleId, `The price list in force has no item ${prelim.itemCode}`);
      if (!input.priceTold) {
        await deps.audit.recordStandalone(ctx, { action: 'practice.visit_refused', outcome: 'failure', patientId: input.patientId, facilityId: input.facilityId, data: { rule: 'R-PC-13' } });
        throw new AppError('practice.price_not_told', { detail: `Tell the patient the price first: ${prelim.due.amount} ${prelim.due.currency}`, meta: { rule: 'R-PC-13', price: showPrice(prelim.due, rate) } });
      }
    }
    const nhifPaid = prelim.basis !== 'price_list';
    // One transaction: the encounter, its care relationship (Art. 13), the visit's fee and any payment
    // commit together, so a refused fee or payment leaves no visit behind.
    return deps.policy.guard(ctx, () => withTransaction(deps.db, async (tx) => {
      const encounter = await deps.encounters.recordVisitIn(tx, ctx, {
        facilityId: input.facilityId,
        patientId: input.patientId,
        practitionerId,
        kind: input.kind,
        startedAt: input.startedAt.toString(),
        nhifPaid,
        ...(input.reason ? { reason: input.reason } : {}),
      });
      const now = deps.clock.now().toString();
      const patient = await deps.patients.readPatientIn(tx, ctx, input.patientId);
      const ageYears = Math.floor(ageInMonths(patient.birthDate, visitOn) / 12);
      const fee: VisitFee = assessVisitFee({ ...facts, ageYears }, pre.rules, pre.prices);
      await repo.insertVisit(tx, {
        encounterId: encounter.id,
        facilityId: input.facilityId,
        patientId: input.patientId,
        practitionerId,
        kind: input.kind,
        visitOn,
        nhifPaid,
        purpose: input.purpose,
        ageGroup: ageGroupOf(pre.rules, visitOn, ageYears),
        feeBasis: fee.basis,
        feeRule: fee.ruleId,
        exemptionCode: fee.basis === 'exempt' ? fee.exemption : null,
        itemCode: fee.basis === 'price_list' ? fee.itemCode : null,
        amount: fee.due?.amount ?? null,
        currency: fee.due?.currency ?? null,
        informedAt: fee.basis === 'price_list' ? now : null,
        createdAt: now,
      });
      if (afterInsert) await afterInsert(tx, encounter.id);
      if (input.payment) await recordPaymentIn(tx, ctx, actor.id, encounter.id, input.payment);
      await deps.audit.record(tx, ctx, { action: 'practice.visit_recorded', patientId: input.patientId, facilityId: input.facilityId, subject: { type: 'encounter', id: encounter.id }, data: { kind: input.kind, feeBasis: fee.basis, rule: fee.ruleId } });
      const row = await repo.findVisit(tx, encounter.id);
      if (!row) throw new NotFoundError('visit', encounter.id);
      return toVisit(row, rate);
    }));
  };
}

/**
 * `POST /practices/:id/visits` and `GET /practices/:id/visits?date=`: the GP records a visit; the staff
 * see the day's visits with their fees (the front desk takes the payments).
 * @returns the use cases
 */
export function visitUseCases(deps: PracticeDeps) {
  const record = recordVisitUseCase(deps);
  return {
    recordPracticeVisit: record,
    async recordVisit(ctx: RequestCtx, facilityId: string, body: RecordVisitBody): Promise<PracticeVisit> {
      const startedAt = body.startedAt ? Temporal.Instant.from(body.startedAt) : deps.clock.now();
      // W18 / R-PC-16: a home visit answering a request takes the GP's category from it.
      let homeVisitPaid = body.homeVisitPaid;
      if (body.homeVisitId) {
        const h = await repo.findHomeVisit(deps.db, body.homeVisitId);
        if (!h || h.facility_id !== facilityId || h.patient_id !== body.patientId || body.kind !== 'home_visit') throw new NotFoundError('home visit', body.homeVisitId);
        if (!h.category) throw ruleRefusal('resource.conflict', 'R-PC-16', 'The GP decides covered or paid first');
        homeVisitPaid = h.category === 'paid';
      }
      return record(
        ctx,
        { facilityId, patientId: body.patientId, kind: body.kind, purpose: body.purpose, startedAt, exemptionCode: body.exemptionCode, emergency: body.emergency, priceTold: body.priceTold, homeVisitPaid, reason: body.reason, payment: body.payment },
        async (tx, encounterId) => {
          if (body.queueEntryId) {
            const entry = await repo.findQueueEntry(tx, body.queueEntryId);
            if (!entry || entry.facility_id !== facilityId || entry.patient_id !== body.patientId) throw new NotFoundError('queue entry', body.queueEntryId);
            await repo.closeQueueEntry(tx, entry.id, 'seen', encounterId, deps.clock.now().toString());
          }
          if (body.homeVisitId && !(await repo.linkHomeVisit(tx, body.homeVisitId, encounterId))) throw ruleRefusal('resource.conflict', 'R-PC-16', 'The home visit is already recorded');
        },
      );
    },
    async listVisits(ctx: RequestCtx, facilityId: string, date?: string): Promise<{ date: string; items: PracticeVisit[] }> {
      await assertPracticeStaff(deps, ctx, facilityId);
      const day = date ?? localDay(deps.clock.now(), deps.zone);
      return withTransaction(deps.db, async (tx) => {
        const rate = ruleOn(await repo.loadRules(tx), 'money.bgn_per_eur', day).rate;
        const rows = await repo.listVisitsOn(tx, facilityId, day);
        // Ids, codes and amounts only; names stay in the registry (read with the patient's own audit).
        await deps.audit.record(tx, ctx, { action: 'practice.queue_read', facilityId, subject: { type: 'facility', id: facilityId }, data: { count: rows.length, list: 'visits', date: day } });
        return { date: day, items: rows.map((r) => toVisit(r, rate)) };
      });
    },
  };
}
