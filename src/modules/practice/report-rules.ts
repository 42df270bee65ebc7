import { create } from 'xmlbuilder2';
import { bgnToEur, fromCents, toCents, type Currency } from './money.js';

/**
 * Pure monthly NHIF report of a GP practice (R-127, R-NHIF-02, R-DATA-07): the month's NHIF-paid visits by
 * kind and age group, prophylaxis and dispensary visits, fees collected and exempted. Every figure keeps
 * the ids of the records it counts (the drill-down). Deterministic: the same records give the same JSON
 * and the same XML bytes, so a past month is reproducible.
 */

export interface ReportVisit {
  encounterId: string;
  kind: 'in_person' | 'phone' | 'home_visit';
  ageGroup: string;
  nhifPaid: boolean;
  purpose: 'treatment' | 'prophylaxis' | 'dispensary';
  feeBasis: 'user_fee' | 'exempt' | 'price_list' | 'none';
  exemptionCode: string | null;
  visitOn: string;
}
export interface ReportPayment {
  id: string;
  encounterId: string;
  purpose: 'user_fee' | 'price_list' | 'lab_fee' | 'document';
  amount: string;
  currency: Currency;
  method: 'cash' | 'card_terminal' | 'bank_transfer';
  receiptNumber: number;
}

export interface Figure {
  count: number;
  records: string[];
}
export interface MoneyFigure {
  purpose: ReportPayment['purpose'];
  currency: Currency;
  amount: string;
  eur: string;
  count: number;
  records: string[];
}
export interface MonthlyTally {
  visits: Figure;
  byKindAndAge: (Figure & { kind: ReportVisit['kind']; ageGroup: string })[];
  prophylaxis: Figure;
  dispensary: Figure;
  userFeeDue: Figure;
  exempted: (Figure & { code: string })[];
  paidByPatient: Figure;
  collected: MoneyFigure[];
  collectedEur: string;
}

const KINDS: ReportVisit['kind'][] = ['in_person', 'home_visit', 'phone'];

const figure = (ids: string[]): Figure => ({ count: ids.length, records: [...ids].sort() });

/**
 * Tallies a month.
 * @param visits - the practice's visits whose local day is in the month
 * @param payments - payments recorded on a local day in the month
 * @param ageGroups - the age-group codes in their order (R-76 bands)
 * @param rate - BGN per EUR
 * @returns the figures, each with its records
 */
export function tallyMonth(visits: readonly ReportVisit[], payments: readonly ReportPayment[], ageGroups: readonly string[], rate: string): MonthlyTally {
  const nhif = visits.filter((v) => v.nhifPaid);
  const byKindAndAge = KINDS.flatMap((kind) =>
    ageGroups.map((ageGroup) => ({ kind, ageGroup, ...figure(nhif.filter((v) => v.kind === kind && v.ageGroup === ageGroup).map((v) => v.encounterId)) })),
  );
  const exemptCodes = [...new Set(nhif.filter((v) => v.feeBasis === 'exempt').map((v) => v.exemptionCode ?? 'unknown'))].sort();
  const groups = new Map<string, ReportPayment[]>();
  for (const p of payments) {
    const key = `${p.purpose}|${p.currency}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const collected = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, ps]) => {
      const [purpose, currency] = key.split('|') as [ReportPayment['purpose'], Currency];
      const amount = fromCents(ps.reduce((s, p) => s + toCents(p.amount), 0n));
      const eur = currency === 'EUR' ? amount : bgnToEur(amount, rate);
      return { purpose, currency, amount, eur, ...figure(ps.map((p) => p.id)) };
    });
  const collectedEur = fromCents(collected.reduce((s, c) => s + toCents(c.eur), 0n));
  return {
    visits: figure(nhif.map((v) => v.encounterId)),
    byKindAndAge,
    prophylaxis: figure(nhif.filter((v) => v.purpose === 'prophylaxis').map((v) => v.encounterId)),
    dispensary: figure(nhif.filter((v) => v.purpose === 'dispensary').map((v) => v.encounterId)),
    userFeeDue: figure(nhif.filter((v) => v.feeBasis === 'user_fee').map((v) => v.encounterId)),
    exempted: exemptCodes.map((code) => ({ code, ...figure(nhif.filter((v) => v.feeBasis === 'exempt' && (v.exemptionCode ?? 'unknown') === code).map((v) => v.encounterId)) })),
    paidByPatient: figure(visits.filter((v) => v.feeBasis === 'price_list').map((v) => v.encounterId)),
    collected,
    collectedEur,
  };
}

export interface ReferralFigure extends Figure {
  form: string;
  /** issued this quarter up to the month's end: what the standard is checked against */
  quarterToDate: number;
  standardPerQuarter: number | null;
  /** the standard plus the tolerance (20 %), rounded down */
  allowedWithTolerance: number | null;
  overStandard: boolean;
}

const REFERRAL_FORMS = ['3', '3A', '4', '6', '7', '119a'];

/**
 * Referrals of the month against the quarterly regulatory standards (R-127 reporting, R-48 standards,
 * R-128 tolerance): per form, the month's referrals (with their ids), the quarter so far, and whether it
 * is past the standard plus the tolerance. Forms with neither referrals nor a standard are left out.
 * @param month - `YYYY-MM`
 * @param quarterToDate - referrals issued from the quarter's first day to the month's end
 * @param standards - per form, in force at the month's end
 * @param tolerancePercent - `referral.standard_tolerance_percent`
 * @returns one figure per form, in the forms' order
 */
export function tallyReferrals(month: string, quarterToDate: readonly { id: string; form: string; issuedOn: string }[], standards: readonly { form: string; perQuarter: number }[], tolerancePercent: number): ReferralFigure[] {
  const known = [...REFERRAL_FORMS, ...new Set(quarterToDate.map((r) => r.form).filter((f) => !REFERRAL_FORMS.includes(f)))];
  return known
    .map((form) => {
      const ofForm = quarterToDate.filter((r) => r.form === form);
      const standard = standards.find((s) => s.form === form)?.perQuarter ?? null;
      const allowed = standard === null ? null : Math.floor((standard * (100 + tolerancePercent)) / 100);
      return { form, ...figure(ofForm.filter((r) => r.issuedOn.startsWith(`${month}-`)).map((r) => r.id)), quarterToDate: ofForm.length, standardPerQuarter: standard, allowedWithTolerance: allowed, overStandard: allowed !== null && ofForm.length > allowed };
    })
    .filter((f) => f.quarterToDate > 0 || f.standardPerQuarter !== null);
}

export interface ReportHeader {
  month: string;
  facility: { id: string; number: string; name: string; rhifCode: string };
  practitioners: { id: string; uin: string }[];
  /** reports are due by the 5th working day of the next month */
  dueBy: string;
}

/**
 * The report as the RHIF receives it (R-127, R-DATA-07): UTF-8 XML built with xmlbuilder2. The element
 * names follow the NHIF's monthly-report vocabulary in Latin transliteration; no patient data, only
 * counts and amounts (the drill-down stays in the practice).
 * @returns the XML text
 */
export function reportXml(h: ReportHeader, t: MonthlyTally & { referrals: ReferralFigure[] }): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' }).ele('MonthlyReport', { xmlns: 'urn:distansia:nhif:gp-monthly:1', period: h.month, dueBy: h.dueBy });
  doc.ele('Practice').ele('RegNumber').txt(h.facility.number).up().ele('Name').txt(h.facility.name).up().ele('RHIF').txt(h.facility.rhifCode).up().up();
  const docs = doc.ele('Doctors');
  for (const p of [...h.practitioners].sort((a, b) => (a.uin < b.uin ? -1 : 1))) docs.ele('Doctor', { uin: p.uin });
  const visits = doc.ele('Visits', { total: String(t.visits.count) });
  for (const f of t.byKindAndAge) visits.ele('Visit', { type: f.kind, ageGroup: f.ageGroup, count: String(f.count) });
  doc.ele('Prophylaxis', { count: String(t.prophylaxis.count) });
  doc.ele('Dispensary', { count: String(t.dispensary.count) });
  const refs = doc.ele('Referrals', { total: String(t.referrals.reduce((s, r) => s + r.count, 0)) });
  for (const r of t.referrals) refs.ele('Referral', { form: r.form, count: String(r.count), quarterToDate: String(r.quarterToDate), ...(r.standardPerQuarter === null ? {} : { standard: String(r.standardPerQuarter), allowed: String(r.allowedWithTolerance), over: String(r.overStandard) }) });
  const fees = doc.ele('Fees', { userFeeVisits: String(t.userFeeDue.count), paidByPatientVisits: String(t.paidByPatient.count), collectedEur: t.collectedEur });
  for (const e of t.exempted) fees.ele('Exempted', { category: e.code, count: String(e.count) });
  for (const c of t.collected) fees.ele('Collected', { purpose: c.purpose, currency: c.currency, amount: c.amount, eur: c.eur, count: String(c.count) });
  return doc.end({ prettyPrint: true });
}
