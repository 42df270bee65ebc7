import { bgnToEur, fromCents, toCents, type Currency, type Money } from './money.js';

/**
 * Pure fee rules of a GP practice: price-list versions, the user fee and its exemptions, interrupted
 * rights, the laboratory fee (R-PC-12..15, НРД 2006 R-72..75, R-NHIF-03/04, DECISIONS.md item 17).
 * Every value comes from dated data (`nhif_rule`, `practice_price_list`); nothing here knows an amount.
 */

/** One row of `nhif_rule` (DECISIONS.md item 17): the value applies to dates in [validFrom, validTo). */
export interface DatedRule {
  key: string;
  ruleId: string;
  value: unknown;
  validFrom: string;
  validTo: string | null;
}

export interface UserFeeRule {
  amount: string;
  currency: Currency;
}
export interface ExemptionCategory {
  code: string;
  bg: string;
  en: string;
  /** applies by age alone, without a document (e.g. under 18) */
  underAge?: number;
}
export interface LabFeeRule {
  maxAmount: string;
  currency: Currency;
}
export interface ProphylaxisBand {
  /** age in months, [fromMonths, toMonths) */
  fromMonths: number;
  toMonths: number | null;
  /** one exam per this many months (12 = once per calendar year) */
  everyMonths: number;
}

/** The keys of `nhif_rule` the practice module reads, with their value shapes. */
export interface PracticeRuleValues {
  'money.bgn_per_eur': { rate: string };
  'fee.user_fee': UserFeeRule;
  'fee.user_fee_exemptions': ExemptionCategory[];
  'fee.lab_fee': LabFeeRule;
  'practice.walk_in_target_hours': { hours: number };
  'practice.breach_notice_hours': { hours: number };
  'practice.complaint_reply': { reviewEveryMonths: number; replyDaysAfterReview: number };
  'practice.document_deadlines': { pastCircumstance: number; otherDocument: number; adminContractPhone: number };
  'pro.frequency': ProphylaxisBand[];
  'gdpr.subject_request_deadline': { months: number; extendMonths: number };
  'referral.standard_tolerance_percent': { percent: number };
}

/**
 * The value of a rule on a date.
 * @param rules - the rows of `nhif_rule`
 * @param key - which rule
 * @param date - `YYYY-MM-DD`
 * @returns the value in force that day
 * @throws Error when no version covers the date: a missing rule is a configuration fault, never "free"
 */
export function ruleOn<K extends keyof PracticeRuleValues>(rules: readonly DatedRule[], key: K, date: string): PracticeRuleValues[K] {
  const hit = rules.filter((r) => r.key === key && r.validFrom <= date && (r.validTo === null || date < r.validTo)).sort((a, b) => (a.validFrom < b.validFrom ? 1 : -1))[0];
  if (!hit) throw new Error(`no ${key} rule in force on ${date}`);
  return hit.value as PracticeRuleValues[K];
}

// ---- Price lists (E24) ----

export interface PriceItem {
  code: string;
  name: string;
  amount: string;
}
export interface PriceListVersion {
  id: string;
  /** `YYYY-MM-DD`: the list applies from this day until the next version's day */
  effectiveFrom: string;
  currency: Currency;
  items: PriceItem[];
}

/**
 * DECISIONS 17: the price-list version in force on a day is the latest one effective on or before it; a
 * change on 1 January applies to visits from that day only.
 * @param versions - every version of one practice, any order
 * @param date - `YYYY-MM-DD` (the visit's local day)
 * @returns the version, or null when the practice had no list yet
 */
export function priceListOn(versions: readonly PriceListVersion[], date: string): PriceListVersion | null {
  return versions.filter((v) => v.effectiveFrom <= date).sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1))[0] ?? null;
}

/** A price as shown: what was charged (BGN for older records) and its EUR equivalent at the fixed rate. */
export interface ShownPrice {
  amount: string;
  currency: Currency;
  eur: string;
}

/**
 * DECISIONS 17: a recorded amount keeps its currency; BGN is also shown in EUR at the fixed rate.
 * @param m - the recorded amount
 * @param rate - BGN per EUR
 * @returns the amount as charged and in EUR
 */
export function showPrice(m: Money, rate: string): ShownPrice {
  return { amount: m.amount, currency: m.currency, eur: m.currency === 'EUR' ? m.amount : bgnToEur(m.amount, rate) };
}

/**
 * The price of an item on a day.
 * @returns the price with its version, or null when the list in force has no such item
 */
export function priceOf(versions: readonly PriceListVersion[], date: string, code: string): { version: PriceListVersion; item: PriceItem } | null {
  const version = priceListOn(versions, date);
  const item = version?.items.find((i) => i.code === code);
  return version && item ? { version, item } : null;
}

// ---- The fee of a visit (R-PC-12, R-PC-13, R-72, R-73, R-NHIF-03) ----

/** The price-list item an uninsured or unregistered patient's exam is charged at (R-PC-13). */
export const EXAM_ITEM = 'exam.primary';
/** The price-list item of a patient-requested home visit (R-PC-16). */
export const HOME_VISIT_ITEM = 'visit.home';

export interface VisitFeeFacts {
  date: string;
  kind: 'in_person' | 'phone' | 'home_visit' | 'remote';
  /** the encounter is NHIF-paid */
  nhifPaid: boolean;
  /** insurance status on the day (R-NHIF-01), or unknown when not checked */
  insurance: 'insured' | 'interrupted' | 'unknown';
  /** the patient is on this practice's list (temporary or permanent) */
  registeredHere: boolean;
  /** life-saving emergency care (R-PC-13 exception; НРД R-126) */
  emergency: boolean;
  ageYears: number;
  /** an exemption category the patient showed a document for (R-PC-12) */
  exemptionCode?: string | undefined;
  /** the home visit was classified as patient-requested (R-PC-16) */
  homeVisitPaid?: boolean | undefined;
}

export type VisitFee =
  | { basis: 'user_fee'; ruleId: 'R-PC-12'; due: Money }
  | { basis: 'exempt'; ruleId: 'R-72'; exemption: string; due: Money }
  | { basis: 'price_list'; ruleId: 'R-PC-13' | 'R-PC-16'; itemCode: string; due: Money | null; mustInformBeforeVisit: true }
  | { basis: 'none'; ruleId: 'R-PC-13' | 'R-NHIF-03'; due: Money };

const zero = (currency: Currency): Money => ({ amount: '0.00', currency });

/**
 * What the patient owes for a visit.
 * - R-PC-13: interrupted rights or not on the list → the price list's exam fee, told before the visit;
 *   except life-saving emergencies, which are free.
 * - R-PC-16: a home visit the GP classified as patient-requested → the price list's home-visit item.
 * - R-72 / R-PC-12: a documented exemption category, or one that applies by age, → nothing.
 * - R-NHIF-03 / R-PC-12: otherwise the user fee in force that day, once per NHIF-paid visit.
 * Interpretation: a phone consultation is not a visit and carries no user fee (R-NHIF-03 "at each
 * doctor visit"); docs/practice.md.
 * @param f - the facts of the visit
 * @param rules - `nhif_rule` rows
 * @param prices - the practice's price-list versions
 * @returns the fee
 */
export function assessVisitFee(f: VisitFeeFacts, rules: readonly DatedRule[], prices: readonly PriceListVersion[]): VisitFee {
  const fee = ruleOn(rules, 'fee.user_fee', f.date);
  if (f.emergency) return { basis: 'none', ruleId: 'R-PC-13', due: zero(fee.currency) };
  const fromList = (code: string, ruleId: 'R-PC-13' | 'R-PC-16'): VisitFee => {
    const hit = priceOf(prices, f.date, code);
    return { basis: 'price_list', ruleId, itemCode: code, due: hit ? { amount: hit.item.amount, currency: hit.version.currency } : null, mustInformBeforeVisit: true };
  };
  if (f.kind === 'home_visit' && f.homeVisitPaid) return fromList(HOME_VISIT_ITEM, 'R-PC-16');
  if (!f.nhifPaid || f.insurance === 'interrupted' || !f.registeredHere) return fromList(EXAM_ITEM, 'R-PC-13');
  if (f.kind === 'phone') return { basis: 'none', ruleId: 'R-NHIF-03', due: zero(fee.currency) };
  const categories = ruleOn(rules, 'fee.user_fee_exemptions', f.date);
  const byAge = categories.find((c) => c.underAge !== undefined && f.ageYears < c.underAge);
  const shown = f.exemptionCode ? categories.find((c) => c.code === f.exemptionCode && c.underAge === undefined) : undefined;
  if (f.exemptionCode && !shown && !byAge) throw new Error(`unknown exemption ${f.exemptionCode} on ${f.date}`);
  const exempt = byAge ?? shown;
  if (exempt) return { basis: 'exempt', ruleId: 'R-72', exemption: exempt.code, due: zero(fee.currency) };
  return { basis: 'user_fee', ruleId: 'R-PC-12', due: { amount: fee.amount, currency: fee.currency } };
}

/**
 * is this a known exemption category on the day (the API refuses unknown codes).
 * @returns true when the code names a documented category in force
 */
export function isExemptionCode(rules: readonly DatedRule[], date: string, code: string): boolean {
  return ruleOn(rules, 'fee.user_fee_exemptions', date).some((c) => c.code === code);
}

// ---- The laboratory fee (R-PC-14, R-74, R-NHIF-04) ----

export interface LabFeeCharged {
  /** the lab's identifier (its facility number or name) */
  lab: string;
  /** local day `YYYY-MM-DD` */
  date: string;
}

/**
 * R-PC-14 / R-74: the lab fee is charged once per lab per day, whatever the number of tests; another lab
 * the same day is charged again. The amount may not exceed the maximum in force.
 * @param already - the patient's lab fees already recorded
 * @param lab - the lab of this sample
 * @param date - the local day
 * @param amount - the practice's amount
 * @param rules - `nhif_rule` rows
 * @returns whether to charge, and why not
 */
export function labFeeDecision(already: readonly LabFeeCharged[], lab: string, date: string, amount: Money, rules: readonly DatedRule[]): { charge: true } | { charge: false; why: 'already_charged_today' | 'over_maximum' | 'currency' } {
  if (already.some((a) => a.lab === lab && a.date === date)) return { charge: false, why: 'already_charged_today' };
  const max = ruleOn(rules, 'fee.lab_fee', date);
  if (max.currency !== amount.currency) return { charge: false, why: 'currency' };
  if (toCents(amount.amount) > toCents(max.maxAmount)) return { charge: false, why: 'over_maximum' };
  return { charge: true };
}

/**
 * nothing may be charged on an NHIF-paid visit beyond the user fee, except the lab fee and the
 * price list's items for activities the NHIF does not pay.
 * @returns the total due in cents for a set of charges in one currency
 */
export function totalDue(charges: readonly Money[]): string {
  return fromCents(charges.reduce((s, c) => s + toCents(c.amount), 0n));
}
