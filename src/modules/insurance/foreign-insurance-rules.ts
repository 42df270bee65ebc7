import { Temporal } from 'temporal-polyfill';
import type { InsuranceStatus } from '../../contracts/insurance.js';

/**
 * Foreigners' mandatory medical insurance (W22-W23, seed [003], Наредба ПМС № 80/2005) and who pays for
 * a booking (R-NHIF-01, R-PC-13, R-INS-01, R-INS-11). Pure: the dated values come from `nhif_rule`.
 */

export type StayKind = 'short' | 'transit' | 'long';

/** The dated values these rules read (DECISIONS.md item 17). */
export interface ForeignInsuranceRuleValues {
  'ins.min_sum': { bgn: string };
  'ins.max_term_days': Record<StayKind, number>;
  'ins.notice_hours': { hours: number };
  'ins.payout_days': { days: number };
  'ins.claim_documents': ClaimDocumentKind[];
  'ins.covered': CatalogueItem[];
  'ins.exclusions': ExclusionItem[];
  'money.bgn_per_eur': { rate: string };
  'ins.claim_limitation': { years: number };
}

export interface CatalogueItem {
  code: string;
  bg: string;
  en: string;
}
export interface ExclusionItem extends CatalogueItem {
  rule: string;
  article: string;
}
export interface ClaimDocumentKind extends CatalogueItem {
  optional?: boolean;
}

/** A refusal of a policy: the rule, the catalogue code and the field. */
export interface PolicyRefusal {
  rule: string;
  code: 'insurance.sum_below_minimum' | 'insurance.premium_not_single' | 'insurance.term_too_long' | 'insurance.renewal_gap' | 'insurance.policy_dates_invalid';
  pointer: string;
  detail: string;
}

export interface PolicyTerms {
  stayKind: StayKind;
  concludedOn: string;
  startsOn: string;
  /** Inclusive: the last day covered. */
  endsOn: string;
  sumInsuredCents: number;
  sumCurrency: 'BGN' | 'EUR';
  premiumPayment: 'single' | 'instalments';
}

export interface StoredPolicy {
  id: string;
  startsOn: string;
  endsOn: string;
}

/** Parses the fixed rate ("1.95583") into an integer numerator over 100,000 (no floating point for money). */
function rateParts(rate: string): bigint {
  const m = /^(\d+)\.(\d{1,5})$/.exec(rate);
  if (!m) throw new Error(`bad conversion rate ${rate}`);
  return BigInt(m[1] as string) * 100000n + BigInt((m[2] as string).padEnd(5, '0'));
}

/** Integer division rounding half up (non-negative operands). */
const divRound = (n: bigint, d: bigint): bigint => (n * 2n + d) / (2n * d);

/**
 * A sum in BGN cents (DECISIONS.md item 17: fixed rate, rounded half up to the cent).
 * @param cents - the amount in cents of its currency
 * @param currency - BGN or EUR
 * @param rate - BGN per EUR, e.g. "1.95583"
 * @returns BGN cents
 */
export function toBgnCents(cents: number, currency: 'BGN' | 'EUR', rate: string): number {
  if (currency === 'BGN') return cents;
  return Number(divRound(BigInt(cents) * rateParts(rate), 100000n));
}

/**
 * A BGN amount shown in EUR (the minimum sum of 60,000 BGN is 30,677.51 EUR).
 * @param bgnCents - BGN cents
 * @param rate - BGN per EUR
 * @returns EUR cents
 */
export function bgnCentsToEurCents(bgnCents: number, rate: string): number {
  return Number(divRound(BigInt(bgnCents) * 100000n, rateParts(rate)));
}

/** `"60000.00"` → 6000000 */
export function decimalToCents(s: string): number {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) throw new Error(`bad amount ${s}`);
  return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
}

/**
 * The term of a policy in days, first and last day included.
 * @returns days
 */
export function termDays(startsOn: string, endsOn: string): number {
  return Temporal.PlainDate.from(startsOn).until(Temporal.PlainDate.from(endsOn), { largestUnit: 'days' }).days + 1;
}

/**
 * Checks a policy the foreigner records (W22 step 2-3).
 * Regulatory: R-INS-02 (sum ≥ 60,000 BGN, Art. 12), R-INS-03 (premium once, Art. 15), R-INS-04/05 (term ≤ 90
 * days short/transit, ≤ 1 year long, Art. 17), R-INS-06 (a renewal is concluded before the old policy
 * expires and leaves no gap, Art. 4(3)).
 * Interpretation: "1 year" is the dated `ins.max_term_days.long` (365); the term counts both end days.
 * @param p - the policy terms
 * @param values - the rule values in force on the conclusion date
 * @param renews - the policy this one continues, if any
 * @returns the refusals, empty when the policy is acceptable
 */
export function validatePolicy(
  p: PolicyTerms,
  values: Pick<ForeignInsuranceRuleValues, 'ins.min_sum' | 'ins.max_term_days' | 'money.bgn_per_eur'>,
  renews?: StoredPolicy,
): PolicyRefusal[] {
  const out: PolicyRefusal[] = [];
  if (Temporal.PlainDate.compare(p.endsOn, p.startsOn) < 0 || Temporal.PlainDate.compare(p.concludedOn, p.startsOn) > 0) {
    out.push({ rule: 'R-INS-04', code: 'insurance.policy_dates_invalid', pointer: '#/endsOn', detail: 'The policy must be concluded by its first day and end on or after it' });
    return out;
  }
  const rate = values['money.bgn_per_eur'].rate;
  const minBgn = decimalToCents(values['ins.min_sum'].bgn);
  // Money: a BGN limit applies to a EUR sum as converted by the fixed rate and rounded to the cent (the
  // 60,000 BGN minimum is 30,677.51 EUR), as the euro changeover converts amounts set in law.
  const minInCurrency = p.sumCurrency === 'EUR' ? bgnCentsToEurCents(minBgn, rate) : minBgn;
  if (p.sumInsuredCents < minInCurrency) {
    out.push({ rule: 'R-INS-02', code: 'insurance.sum_below_minimum', pointer: '#/sumInsuredCents', detail: `The sum insured must be at least ${minBgn / 100} BGN (${(bgnCentsToEurCents(minBgn, rate) / 100).toFixed(2)} EUR)` });
  }
  if (p.premiumPayment !== 'single') {
    out.push({ rule: 'R-INS-03', code: 'insurance.premium_not_single', pointer: '#/premiumPayment', detail: 'The premium is paid once, when the policy is concluded' });
  }
  const max = values['ins.max_term_days'][p.stayKind];
  if (termDays(p.startsOn, p.endsOn) > max) {
    out.push({ rule: p.stayKind === 'long' ? 'R-INS-05' : 'R-INS-04', code: 'insurance.term_too_long', pointer: '#/endsOn', detail: `A ${p.stayKind} stay policy lasts at most ${max} days` });
  }
  if (renews) {
    const dayAfter = Temporal.PlainDate.from(renews.endsOn).add({ days: 1 });
    // Regulatory: R-INS-06 — concluded before the old policy expires (by its last day) and no gap in cover.
    if (Temporal.PlainDate.compare(p.concludedOn, renews.endsOn) > 0 || Temporal.PlainDate.compare(p.startsOn, dayAfter) > 0) {
      out.push({ rule: 'R-INS-06', code: 'insurance.renewal_gap', pointer: '#/concludedOn', detail: `A renewal must be concluded by ${renews.endsOn} and start by ${dayAfter.toString()}` });
    }
  }
  return out;
}

export type ForeignCoverage =
  | { state: 'covered'; policyId: string; endsOn: string }
  | { state: 'expired'; endedOn: string }
  | { state: 'not_started'; startsOn: string }
  | { state: 'none' };

/**
 * Whether a foreigner is covered by a recorded policy on a date (R-INS-01).
 * @param policies - the patient's policies
 * @param on - `YYYY-MM-DD`
 * @returns the coverage; the latest expired or the earliest future policy when none covers the date
 */
export function coverageOn(policies: readonly StoredPolicy[], on: string): ForeignCoverage {
  const hit = policies.filter((p) => p.startsOn <= on && on <= p.endsOn).sort((a, b) => (a.endsOn < b.endsOn ? 1 : -1))[0];
  if (hit) return { state: 'covered', policyId: hit.id, endsOn: hit.endsOn };
  const past = policies.filter((p) => p.endsOn < on).sort((a, b) => (a.endsOn < b.endsOn ? 1 : -1))[0];
  if (past) return { state: 'expired', endedOn: past.endsOn };
  const future = policies.filter((p) => p.startsOn > on).sort((a, b) => (a.startsOn < b.startsOn ? -1 : 1))[0];
  if (future) return { state: 'not_started', startsOn: future.startsOn };
  return { state: 'none' };
}

/**
 * Whether a care purpose is covered by the policy (R-INS-12) or excluded (R-INS-13..16), from the dated
 * catalogue; an unknown purpose is an error, not "covered".
 * @param purpose - a code of `ins.covered` or `ins.exclusions`
 * @returns covered, or the exclusion with its rule and article
 */
export function purposeCover(purpose: string, values: Pick<ForeignInsuranceRuleValues, 'ins.covered' | 'ins.exclusions'>): { covered: true } | { covered: false; exclusion: ExclusionItem } {
  const exclusion = values['ins.exclusions'].find((e) => e.code === purpose);
  if (exclusion) return { covered: false, exclusion };
  if (values['ins.covered'].some((c) => c.code === purpose)) return { covered: true };
  throw new Error(`unknown care purpose ${purpose}`);
}

/**
 * The insurer notice deadline of an insured event (R-INS-07, Art. 20(1)).
 * @returns the instant the notice is due
 */
export function noticeDueAt(occurredAt: Temporal.Instant, values: Pick<ForeignInsuranceRuleValues, 'ins.notice_hours'>): Temporal.Instant {
  return occurredAt.add({ hours: values['ins.notice_hours'].hours });
}

export interface ClaimState {
  missing: string[];
  completeOn: string | null;
  /** R-INS-08: 15 days after the file is complete. */
  payoutDueOn: string | null;
}

/**
 * The claim file (R-INS-10: documents of Art. 20(2)) and the payout deadline (R-INS-08: ≤ 15 days after
 * all documents, Art. 23(1)). Interpretation: "15 days" are calendar days; the file is complete on the day
 * the last required document arrived. Documents marked optional (asked for by the insurer) do not hold it.
 * @param submitted - document code → `YYYY-MM-DD` submitted
 * @returns what is missing and, once complete, the dates
 */
export function claimState(submitted: Readonly<Record<string, string>>, values: Pick<ForeignInsuranceRuleValues, 'ins.claim_documents' | 'ins.payout_days'>): ClaimState {
  const required = values['ins.claim_documents'].filter((d) => !d.optional);
  const missing = required.filter((d) => !submitted[d.code]).map((d) => d.code);
  if (missing.length > 0) return { missing, completeOn: null, payoutDueOn: null };
  const completeOn = required.map((d) => submitted[d.code] as string).sort().at(-1) as string;
  return { missing, completeOn, payoutDueOn: Temporal.PlainDate.from(completeOn).add({ days: values['ins.payout_days'].days }).toString() };
}

/** Foreigners are identified by an LNCh or a passport (an EGN holder is not asked for a policy). */
export const isForeigner = (identifierKind: string): boolean => identifierKind === 'lnch' || identifierKind === 'passport';

export type BookingPayer = 'nhif' | 'patient' | 'foreign_insurer';

export type PaymentDecision =
  | { payer: BookingPayer; rule: string; priceEurCents: number | null; mustAccept: boolean }
  | { refused: 'insurance.foreign_policy_required' | 'booking.self_pay_price_unknown'; rule: string; detail: string };

/**
 * Who pays for a planned booking and whether the patient must accept a price first.
 * Regulatory: R-NHIF-01 (NHIF pays only for the insured), R-PC-13 (interrupted rights or not insured: the
 * patient pays the price, told before booking; life-saving emergencies excepted), R-INS-01 (a foreigner
 * without NHIF cover needs a policy valid on the day of care), R-INS-11 (the insurer pays the provider at
 * the provider's own price).
 * @param input - the service, the NRA status (when asked), the foreigner's coverage and the self-pay price
 * @returns the payer and price, or a refusal
 */
export function decidePayment(input: {
  nhifPaidService: boolean;
  emergency: boolean;
  foreigner: boolean;
  nraStatus: InsuranceStatus | null;
  coverage: ForeignCoverage;
  /** The price the patient would pay (the service's price, or the facility's price for the same care). */
  selfPayPriceEurCents: number | null;
}): PaymentDecision {
  if (input.emergency) return { payer: input.nhifPaidService ? 'nhif' : 'patient', rule: 'R-PC-13', priceEurCents: null, mustAccept: false };
  if (input.nhifPaidService && input.nraStatus === 'insured') return { payer: 'nhif', rule: 'R-NHIF-01', priceEurCents: null, mustAccept: false };
  if (input.foreigner) {
    if (input.coverage.state === 'covered') return { payer: 'foreign_insurer', rule: 'R-INS-11', priceEurCents: input.selfPayPriceEurCents, mustAccept: false };
    if (input.nhifPaidService) {
      const c = input.coverage;
      const detail =
        c.state === 'expired'
          ? `The medical insurance policy expired on ${c.endedOn}; record the renewed policy (concluded before expiry, R-INS-06)`
          : c.state === 'not_started'
            ? `The medical insurance policy starts on ${c.startsOn}, after the day of care`
            : 'Record a medical insurance policy valid in Bulgaria for the day of care';
      return { refused: 'insurance.foreign_policy_required', rule: 'R-INS-01', detail };
    }
  }
  if (!input.nhifPaidService) return { payer: 'patient', rule: 'R-NHIF-01', priceEurCents: input.selfPayPriceEurCents, mustAccept: false };
  if (input.selfPayPriceEurCents === null) {
    return { refused: 'booking.self_pay_price_unknown', rule: 'R-PC-13', detail: 'The NHIF does not pay for this patient on that day and the facility has not published a price for the service; ask the facility' };
  }
  return { payer: 'patient', rule: 'R-PC-13', priceEurCents: input.selfPayPriceEurCents, mustAccept: true };
}
