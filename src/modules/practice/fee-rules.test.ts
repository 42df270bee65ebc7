import { describe, expect, it } from 'vitest';
import { assessVisitFee, labFeeDecision, priceListOn, priceOf, ruleOn, showPrice, type DatedRule, type PriceListVersion, type VisitFeeFacts } from './fee-rules.js';
import { bgnToEur, fromCents, sumAmounts, toCents } from './money.js';

// The rule values as migrations/0028_practice.sql and 0022 seed them (dated data, DECISIONS.md item 17).
const RULES: DatedRule[] = [
  { key: 'money.bgn_per_eur', ruleId: 'DECISIONS-17', value: { rate: '1.95583' }, validFrom: '1999-01-01', validTo: null },
  { key: 'fee.user_fee', ruleId: 'R-NHIF-03', value: { amount: '2.90', currency: 'BGN' }, validFrom: '2006-01-01', validTo: '2026-01-01' },
  { key: 'fee.user_fee', ruleId: 'R-NHIF-03', value: { amount: '1.48', currency: 'EUR' }, validFrom: '2026-01-01', validTo: null },
  {
    key: 'fee.user_fee_exemptions',
    ruleId: 'R-72',
    value: [
      { code: 'minor', bg: 'Лица до 18 години', en: 'Persons under 18', underAge: 18 },
      { code: 'listed_disease', bg: 'Заболяване от приложение № 14', en: 'Appendix 14 disease' },
      { code: 'war_veteran', bg: 'Ветерани от войните', en: 'War veterans' },
    ],
    validFrom: '2006-01-01',
    validTo: null,
  },
  { key: 'fee.lab_fee', ruleId: 'R-74', value: { maxAmount: '2.00', currency: 'BGN' }, validFrom: '2006-01-01', validTo: '2026-01-01' },
  { key: 'fee.lab_fee', ruleId: 'R-74', value: { maxAmount: '1.02', currency: 'EUR' }, validFrom: '2026-01-01', validTo: null },
];

const V2024: PriceListVersion = { id: 'v2024', effectiveFrom: '2024-01-01', currency: 'BGN', items: [{ code: 'exam.primary', name: 'Преглед', amount: '30.00' }, { code: 'visit.home', name: 'Домашно посещение', amount: '60.00' }, { code: 'holter.ecg', name: 'Холтер ЕКГ', amount: '40.00' }] };
const V2026: PriceListVersion = { id: 'v2026', effectiveFrom: '2026-01-01', currency: 'EUR', items: [{ code: 'exam.primary', name: 'Преглед', amount: '17.00' }, { code: 'visit.home', name: 'Домашно посещение', amount: '35.00' }] };
const PRICES = [V2026, V2024];

const visit = (over: Partial<VisitFeeFacts> = {}): VisitFeeFacts => ({ date: '2026-03-10', kind: 'in_person', nhifPaid: true, insurance: 'insured', registeredHere: true, emergency: false, ageYears: 40, ...over });

describe('money (DECISIONS 17)', () => {
  it('DECISIONS-17: BGN converts to EUR at 1.95583, half-up to the cent, in integers', () => {
    expect(bgnToEur('2.90', '1.95583')).toBe('1.48');
    expect(bgnToEur('40.00', '1.95583')).toBe('20.45');
    expect(bgnToEur('1.95583'.slice(0, 4), '1.95583')).toBe('1.00');
    expect(bgnToEur('60000.00', '1.95583')).toBe('30677.51');
    expect(sumAmounts(['0.10', '0.20'])).toBe('0.30');
    expect(fromCents(toCents('12.5'))).toBe('12.50');
    expect(() => toCents('1.234')).toThrow();
  });
});

describe('price lists (E24, DECISIONS 17)', () => {
  it('DECISIONS-17: a change on 1 January applies to visits from that day only', () => {
    expect(priceListOn(PRICES, '2025-12-31')?.id).toBe('v2024');
    expect(priceListOn(PRICES, '2026-01-01')?.id).toBe('v2026');
    expect(priceListOn(PRICES, '2023-12-31')).toBeNull();
    expect(priceOf(PRICES, '2026-01-01', 'holter.ecg')).toBeNull();
    expect(priceOf(PRICES, '2025-06-01', 'holter.ecg')?.item.amount).toBe('40.00');
  });
  it('DECISIONS-17: a BGN record from 2025 keeps its amount and is shown with its EUR equivalent', () => {
    expect(showPrice({ amount: '40.00', currency: 'BGN' }, '1.95583')).toEqual({ amount: '40.00', currency: 'BGN', eur: '20.45' });
    expect(showPrice({ amount: '17.00', currency: 'EUR' }, '1.95583')).toEqual({ amount: '17.00', currency: 'EUR', eur: '17.00' });
  });
  it('DECISIONS-17: a missing rule is a configuration fault, never free', () => {
    expect(() => ruleOn(RULES, 'fee.user_fee', '2005-12-31')).toThrow(/no fee.user_fee/);
  });
});

describe('the fee of a visit (R-PC-12, R-PC-13, R-PC-16, R-72, R-NHIF-03)', () => {
  it('R-PC-12: an insured, listed adult pays the user fee in force that day', () => {
    expect(assessVisitFee(visit(), RULES, PRICES)).toEqual({ basis: 'user_fee', ruleId: 'R-PC-12', due: { amount: '1.48', currency: 'EUR' } });
    expect(assessVisitFee(visit({ date: '2025-12-31' }), RULES, PRICES)).toEqual({ basis: 'user_fee', ruleId: 'R-PC-12', due: { amount: '2.90', currency: 'BGN' } });
  });
  it('R-72: a child under 18 is exempt without a document; a documented category is exempt', () => {
    expect(assessVisitFee(visit({ ageYears: 17 }), RULES, PRICES)).toMatchObject({ basis: 'exempt', exemption: 'minor', due: { amount: '0.00' } });
    expect(assessVisitFee(visit({ ageYears: 18 }), RULES, PRICES)).toMatchObject({ basis: 'user_fee' });
    expect(assessVisitFee(visit({ exemptionCode: 'war_veteran' }), RULES, PRICES)).toMatchObject({ basis: 'exempt', exemption: 'war_veteran' });
  });
  it('R-72: an exemption code not in force is refused (a fault, not a free visit)', () => {
    expect(() => assessVisitFee(visit({ exemptionCode: 'friend_of_the_doctor' }), RULES, PRICES)).toThrow(/unknown exemption/);
  });
  it('R-PC-13: interrupted rights pay the price-list exam and must be told before the visit', () => {
    expect(assessVisitFee(visit({ insurance: 'interrupted' }), RULES, PRICES)).toEqual({ basis: 'price_list', ruleId: 'R-PC-13', itemCode: 'exam.primary', due: { amount: '17.00', currency: 'EUR' }, mustInformBeforeVisit: true });
    expect(assessVisitFee(visit({ registeredHere: false, date: '2025-05-05' }), RULES, PRICES)).toMatchObject({ basis: 'price_list', due: { amount: '30.00', currency: 'BGN' } });
  });
  it('R-PC-13: a life-saving emergency is free even with interrupted rights', () => {
    expect(assessVisitFee(visit({ insurance: 'interrupted', emergency: true }), RULES, PRICES)).toMatchObject({ basis: 'none', ruleId: 'R-PC-13' });
  });
  it('R-PC-13: a practice without a price for the exam yields a null amount, still to be told', () => {
    expect(assessVisitFee(visit({ insurance: 'interrupted' }), RULES, [])).toMatchObject({ basis: 'price_list', due: null, mustInformBeforeVisit: true });
  });
  it('R-PC-16: a home visit classified as paid is charged at the price list', () => {
    expect(assessVisitFee(visit({ kind: 'home_visit', homeVisitPaid: true }), RULES, PRICES)).toMatchObject({ basis: 'price_list', ruleId: 'R-PC-16', itemCode: 'visit.home', due: { amount: '35.00' } });
    expect(assessVisitFee(visit({ kind: 'home_visit', homeVisitPaid: false }), RULES, PRICES)).toMatchObject({ basis: 'user_fee' });
  });
  it('R-NHIF-03: a phone consultation is not a visit and carries no user fee', () => {
    expect(assessVisitFee(visit({ kind: 'phone' }), RULES, PRICES)).toMatchObject({ basis: 'none', ruleId: 'R-NHIF-03' });
  });
});

describe('the laboratory fee (R-PC-14, R-74)', () => {
  it('R-PC-14: once per lab per day, whatever the number of tests; another lab is charged again', () => {
    const eur = { amount: '1.00', currency: 'EUR' as const };
    expect(labFeeDecision([], 'lab-A', '2026-03-10', eur, RULES)).toEqual({ charge: true });
    expect(labFeeDecision([{ lab: 'lab-A', date: '2026-03-10' }], 'lab-A', '2026-03-10', eur, RULES)).toEqual({ charge: false, why: 'already_charged_today' });
    expect(labFeeDecision([{ lab: 'lab-A', date: '2026-03-10' }], 'lab-B', '2026-03-10', eur, RULES)).toEqual({ charge: true });
    expect(labFeeDecision([{ lab: 'lab-A', date: '2026-03-09' }], 'lab-A', '2026-03-10', eur, RULES)).toEqual({ charge: true });
  });
  it('R-74: the lab fee may not exceed the maximum in force (2.00 BGN, 1.02 EUR)', () => {
    expect(labFeeDecision([], 'lab-A', '2026-03-10', { amount: '1.03', currency: 'EUR' }, RULES)).toEqual({ charge: false, why: 'over_maximum' });
    expect(labFeeDecision([], 'lab-A', '2025-03-10', { amount: '2.00', currency: 'BGN' }, RULES)).toEqual({ charge: true });
    expect(labFeeDecision([], 'lab-A', '2026-03-10', { amount: '1.00', currency: 'BGN' }, RULES)).toEqual({ charge: false, why: 'currency' });
  });
});
