import { Temporal } from 'temporal-polyfill';
import type { ErrorCode } from '../../platform/errors/catalog.js';

/**
 * Pure referral rules (§2.C, W13-W14, R-REF-01..15, НРД 2006 R-35..50). No I/O, no clock: the service
 * passes the facts it read and the dated rule values in force on the issue date (docs/referrals.md).
 */

/** МЗ-НЗОК forms № 3, 3А, 4, 6, 7 and the paid МЗ 119а. */
export const REFERRAL_FORMS = ['3', '3A', '4', '6', '7', '119a'] as const;
export type ReferralForm = (typeof REFERRAL_FORMS)[number];
/** The forms the NHIF pays (R-REF-11: none of them for interrupted rights). */
export const NHIF_FORMS: readonly ReferralForm[] = ['3', '3A', '4', '6', '7'];

/** What the referral is for: decides № 3 versus № 6 (R-REF-08) and pre-admission tests (R-REF-13). */
export const REFERRAL_PURPOSES = ['consultation', 'joint_treatment', 'tests', 'highly_specialised', 'hospitalisation', 'telk', 'sick_leave_extension', 'assistive_device_lkk', 'hospital_admission_tests', 'noi_rehabilitation'] as const;
export type ReferralPurpose = (typeof REFERRAL_PURPOSES)[number];

/** Why the doctor issues it (R-REF-10: the patient's wish, another doctor's order or the media are not reasons). */
export const REFERRAL_BASES = ['clinical_need', 'patient_wish', 'ordered_elsewhere', 'relatives_or_media'] as const;
export type ReferralBasis = (typeof REFERRAL_BASES)[number];

/** The issuing doctor's place in outpatient care: PIMP (GP practice), SIMP (specialised), or neither. */
export type IssuerKind = 'pimp' | 'simp' | 'other';

export type { EncounterKind } from '../../contracts/encounters.js';
import type { EncounterKind } from '../../contracts/encounters.js';

/** One refusal: the catalogue code, the rule id and a short reason. */
export interface RuleRefusal {
  code: ErrorCode;
  rule: string;
  detail: string;
}

/** Validity in calendar days per form (R-REF-01/03/04/05), dated data `referral.validity_days`. */
export type ValidityDays = Partial<Record<ReferralForm, number>>;

/**
 * The issuer's kind from the facility type and whether the doctor is a GP there.
 * @param facilityType - `facility_type.code`
 * @param isGp - the doctor holds the GP specialty (0000) or has a GP contract at this facility
 * @returns PIMP, SIMP or other (hospitals do not issue outpatient referrals)
 */
export function issuerKind(facilityType: string, isGp: boolean): IssuerKind {
  if (facilityType === 'ipmp') return isGp ? 'pimp' : 'simp';
  if (['isomp', 'mc', 'dkc'].includes(facilityType)) return 'simp';
  return 'other';
}

/**
 * R-REF-06: who may issue which form. № 3А only SIMP/SIDP contracted with the RHIF; № 4 PIMP or SIMP;
 * № 3 and № 7 outpatient doctors (PIMP or SIMP); № 6 and 119а the GP (§2.C "Issuer: GP").
 * @param form - the form
 * @param issuer - the issuer's kind and whether an RHIF contract is in force on the issue date
 * @returns a refusal, or null when allowed
 */
export function formAllowed(form: ReferralForm, issuer: { kind: IssuerKind; rhifContract: boolean }): RuleRefusal | null {
  const refuse = (detail: string): RuleRefusal => ({ code: 'referral.form_not_allowed', rule: 'R-REF-06', detail });
  switch (form) {
    case '3A':
      if (issuer.kind !== 'simp' || !issuer.rhifContract) return refuse('№ 3А is issued only by a specialist (SIMP/SIDP) contracted with the RHIF');
      return null;
    case '4':
    case '3':
    case '7':
      if (issuer.kind === 'other') return refuse(`№ ${form} is issued only by an outpatient doctor`);
      if (!issuer.rhifContract) return refuse(`№ ${form} needs a contract with the RHIF`);
      return null;
    case '6':
      if (issuer.kind !== 'pimp' || !issuer.rhifContract) return refuse('№ 6 is issued by the patient’s GP');
      return null;
    case '119a':
      if (issuer.kind !== 'pimp') return refuse('МЗ 119а is issued by the GP');
      return null;
  }
}

/** What the service knows when a referral is issued. */
export interface ReferralFacts {
  form: ReferralForm;
  purpose: ReferralPurpose;
  basis: ReferralBasis;
  /** R-REF-10: the doctor judged it necessary on their own assessment (overrides a non-clinical basis). */
  independentlyJudgedNecessary: boolean;
  /** The ICD-10 code of the documented problem (R-REF-10). */
  diagnosisCode: string | null;
  encounter: { kind: EncounterKind; startedAt: Temporal.Instant; ended: boolean };
  issuer: { kind: IssuerKind; rhifContract: boolean };
  /** NHIF pays on the issue date (insurance service, R-NHIF-01). */
  insured: boolean;
  /** № 7 only: the target hospital is contracted for the clinical pathway on the issue date (R-REF-07). */
  hospitalContractedForPathway: boolean | null;
  /** The quarter's budget for this form: issued so far and the limit, or null when none applies. */
  budget: { used: number; limit: number } | null;
}

const TELK_LIKE: readonly ReferralPurpose[] = ['telk', 'sick_leave_extension', 'assistive_device_lkk'];
/** R-REF-15: from a phone consultation no referral to another doctor or to hospital; tests (№ 4) and 119а stay possible. */
const SPECIALIST_FORMS: readonly ReferralForm[] = ['3', '3A', '6', '7'];

/**
 * Every rule an issue request breaks, most specific first. Pure.
 * @param f - the facts
 * @returns the refusals (empty when the referral may be issued)
 */
export function referralRefusals(f: ReferralFacts): RuleRefusal[] {
  const out: RuleRefusal[] = [];
  const formRefusal = formAllowed(f.form, f.issuer);
  if (formRefusal) out.push(formRefusal);
  // R-REF-10 / W13.1: after an exam (the encounter has started; an in-person visit is an exam) and a documented problem.
  if (!f.diagnosisCode) out.push({ code: 'referral.no_documented_problem', rule: 'R-REF-10', detail: 'A referral needs the documented problem (an ICD-10 diagnosis)' });
  if (f.basis !== 'clinical_need' && !f.independentlyJudgedNecessary) {
    out.push({ code: 'referral.not_medically_justified', rule: 'R-REF-10', detail: 'A referral only at the patient’s wish, on another doctor’s order or on advice of relatives or media is refused' });
  }
  if (f.encounter.kind === 'phone' && SPECIALIST_FORMS.includes(f.form)) {
    out.push({ code: 'referral.phone_consultation', rule: 'R-REF-15', detail: 'No referral to other specialists from a phone consultation' });
  }
  if (f.form === '3' && TELK_LIKE.includes(f.purpose)) {
    out.push({ code: 'referral.use_form_6', rule: 'R-REF-08', detail: 'TELK, sick-leave extension and assistive-device LKK consultations go on № 6, not № 3' });
  }
  if (f.purpose === 'hospital_admission_tests') {
    out.push({ code: 'referral.hospital_admission_tests', rule: 'R-REF-13', detail: 'Tests a hospital asks for admission are inside the clinical-pathway price, not outpatient referrals' });
  }
  if (NHIF_FORMS.includes(f.form) && !f.insured) {
    out.push({ code: 'referral.insurance_interrupted', rule: 'R-REF-11', detail: 'Interrupted insurance rights: no NHIF referral; issue МЗ 119а' });
  }
  if (f.form === '7' && f.hospitalContractedForPathway !== true) {
    out.push({ code: 'referral.hospital_not_contracted', rule: 'R-REF-07', detail: 'The hospital is not contracted with the RHIF for this clinical pathway' });
  }
  if (f.budget && f.budget.used >= f.budget.limit) {
    out.push({ code: 'referral.budget_exhausted', rule: 'R-48', detail: 'The practice’s regulatory standard for this form is used up this quarter' });
  }
  return out;
}

/**
 * R-48 / W13.8: the quarter's budget status, warned from 80 %.
 * @param used - referrals of the form issued this quarter (not cancelled)
 * @param limit - the quarter's limit, or null when no standard applies
 * @param warnAtPercent - dated data (80)
 * @returns the status the doctor sees while issuing
 */
export function budgetStatus(used: number, limit: number | null, warnAtPercent = 80): { used: number; limit: number | null; remaining: number | null; level: 'ok' | 'warning' | 'exhausted' | 'none' } {
  if (limit === null) return { used, limit, remaining: null, level: 'none' };
  const remaining = Math.max(0, limit - used);
  const level = used >= limit ? 'exhausted' : used * 100 >= limit * warnAtPercent ? 'warning' : 'ok';
  return { used, limit, remaining, level };
}

/**
 * The calendar quarter of a local date, as [first day, first day of the next quarter).
 * @param d - the date
 * @returns the bounds
 */
export function quarterOf(d: Temporal.PlainDate): { from: Temporal.PlainDate; to: Temporal.PlainDate } {
  const from = Temporal.PlainDate.from({ year: d.year, month: Math.floor((d.month - 1) / 3) * 3 + 1, day: 1 });
  return { from, to: from.add({ months: 3 }) };
}

/**
 * R-REF-01/03/04/05: the last local date a referral may be used (or, for № 3А, booked). "30 calendar days
 * from issue" counts from the day after the issue date (ЗЗД чл. 60: the first day is not counted), so a
 * referral of 5 March is usable to 4 April inclusive and refused on 5 April (day 31). Local dates in the
 * practice's zone: a DST change inside the 30 days moves nothing.
 * @param form - the form
 * @param issuedOn - the local issue date
 * @param validity - dated validity days per form
 * @returns the last valid date, or null when the source states no limit (№ 6, 119а)
 */
export function validUntil(form: ReferralForm, issuedOn: Temporal.PlainDate, validity: ValidityDays): Temporal.PlainDate | null {
  const days = validity[form];
  return days === undefined ? null : issuedOn.add({ days });
}

/**
 * R-REF-01/03/04/05 at use: is the referral still usable at this instant?
 * @param until - the last valid local date (null: no limit)
 * @param at - the instant of use (booking or exam)
 * @param zone - the practice's zone
 * @returns a refusal or null
 */
export function usableAt(until: Temporal.PlainDate | null, at: Temporal.Instant, zone: string): RuleRefusal | null {
  if (until === null) return null;
  const day = at.toZonedDateTimeISO(zone).toPlainDate();
  if (Temporal.PlainDate.compare(day, until) > 0) return { code: 'referral.expired', rule: 'R-REF-01', detail: `The referral was usable until ${until.toString()}` };
  return null;
}

/**
 * R-REF-02: a SIMP secondary exam on a № 3 within N calendar days of the primary exam (N dated data:
 * 30 by [001]; НРД 2006 чл. 121 said 45, superseded).
 * @param primaryOn - local date of the primary exam
 * @param secondaryOn - local date of the secondary exam
 * @param days - the limit in force
 * @returns a refusal or null
 */
export function secondaryExamAllowed(primaryOn: Temporal.PlainDate, secondaryOn: Temporal.PlainDate, days: number): RuleRefusal | null {
  if (Temporal.PlainDate.compare(secondaryOn, primaryOn) < 0 || Temporal.PlainDate.compare(secondaryOn, primaryOn.add({ days })) > 0) {
    return { code: 'referral.secondary_exam_late', rule: 'R-REF-02', detail: `The secondary exam is due within ${days} days of the primary exam` };
  }
  return null;
}
