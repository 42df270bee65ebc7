import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import {
  bgnCentsToEurCents,
  claimState,
  coverageOn,
  decidePayment,
  noticeDueAt,
  purposeCover,
  termDays,
  toBgnCents,
  validatePolicy,
  type PolicyTerms,
} from './foreign-insurance-rules.js';

// The values of migrations 0022/0024 (dated data); the catalogue rows here are a subset.
const values = {
  'ins.min_sum': { bgn: '60000.00' },
  'ins.max_term_days': { short: 90, transit: 90, long: 365 },
  'money.bgn_per_eur': { rate: '1.95583' },
};
const catalogue = {
  'ins.covered': [{ code: 'sudden_illness', bg: 'Внезапно заболяване', en: 'Sudden illness' }],
  'ins.exclusions': [
    { code: 'chronic_disease', rule: 'R-INS-13', article: '8.1', bg: 'Хронични', en: 'Chronic' },
    { code: 'sports_competition', rule: 'R-INS-14', article: '9.2', bg: 'Спорт', en: 'Sports' },
    { code: 'clinical_trial', rule: 'R-INS-15', article: '10', bg: 'Изпитвания', en: 'Trials' },
    { code: 'past_disease', rule: 'R-INS-16', article: '11', bg: 'Минали', en: 'Past' },
  ],
};
const claims = {
  'ins.claim_documents': [
    { code: 'event_certificate', bg: '', en: '' },
    { code: 'sick_leave_or_hospital_certificates', bg: '', en: '' },
    { code: 'epicrises', bg: '', en: '' },
    { code: 'lkk_telk_protocol', bg: '', en: '' },
    { code: 'other_requested', bg: '', en: '', optional: true },
  ],
  'ins.payout_days': { days: 15 },
};

const good: PolicyTerms = { stayKind: 'short', concludedOn: '2026-11-01', startsOn: '2026-11-01', endsOn: '2026-12-31', sumInsuredCents: 6_000_000, sumCurrency: 'BGN', premiumPayment: 'single' };
const codes = (p: PolicyTerms, renews?: { id: string; startsOn: string; endsOn: string }) => validatePolicy(p, values, renews).map((r) => `${r.rule} ${r.code}`);

describe('foreign policy validation (W22)', () => {
  it('R-INS-02: 60,000.00 BGN is accepted, 59,999.99 BGN is refused', () => {
    expect(codes(good)).toEqual([]);
    expect(codes({ ...good, sumInsuredCents: 5_999_999 })).toEqual(['R-INS-02 insurance.sum_below_minimum']);
  });

  it('R-INS-02: the minimum is shown as 30,677.51 EUR; 30,677.51 EUR passes and 30,677.50 EUR does not', () => {
    expect(bgnCentsToEurCents(6_000_000, '1.95583')).toBe(3_067_751);
    expect(toBgnCents(100, 'EUR', '1.95583')).toBe(196);
    expect(codes({ ...good, sumCurrency: 'EUR', sumInsuredCents: 3_067_751 })).toEqual([]);
    expect(codes({ ...good, sumCurrency: 'EUR', sumInsuredCents: 3_067_750 })).toEqual(['R-INS-02 insurance.sum_below_minimum']);
  });

  it('R-INS-03: a premium paid in instalments is refused', () => {
    expect(codes({ ...good, premiumPayment: 'instalments' })).toEqual(['R-INS-03 insurance.premium_not_single']);
  });

  it('R-INS-04: a short or transit stay policy of 90 days passes, 91 days is refused', () => {
    expect(termDays('2026-01-01', '2026-03-31')).toBe(90);
    expect(codes({ ...good, startsOn: '2026-01-01', concludedOn: '2026-01-01', endsOn: '2026-03-31' })).toEqual([]);
    expect(codes({ ...good, startsOn: '2026-01-01', concludedOn: '2026-01-01', endsOn: '2026-04-01' })).toEqual(['R-INS-04 insurance.term_too_long']);
    expect(codes({ ...good, stayKind: 'transit', startsOn: '2026-01-01', concludedOn: '2026-01-01', endsOn: '2026-04-01' })).toEqual(['R-INS-04 insurance.term_too_long']);
  });

  it('R-INS-05: a long stay policy of 365 days passes, 366 days is refused', () => {
    const long = { ...good, stayKind: 'long' as const, concludedOn: '2026-01-01', startsOn: '2026-01-01' };
    expect(codes({ ...long, endsOn: '2026-12-31' })).toEqual([]);
    expect(codes({ ...long, endsOn: '2027-01-01' })).toEqual(['R-INS-05 insurance.term_too_long']);
  });

  it('R-INS-06: a renewal concluded by the last day of the old policy and starting the next day passes', () => {
    const old = { id: 'p1', startsOn: '2026-09-03', endsOn: '2026-12-01' };
    expect(codes({ ...good, concludedOn: '2026-12-01', startsOn: '2026-12-02', endsOn: '2027-02-28' }, old)).toEqual([]);
  });

  it('R-INS-06: a renewal concluded after expiry, or leaving a gap, is refused', () => {
    const old = { id: 'p1', startsOn: '2026-09-03', endsOn: '2026-12-01' };
    expect(codes({ ...good, concludedOn: '2026-12-02', startsOn: '2026-12-02', endsOn: '2027-02-28' }, old)).toEqual(['R-INS-06 insurance.renewal_gap']);
    expect(codes({ ...good, concludedOn: '2026-11-30', startsOn: '2026-12-03', endsOn: '2027-02-28' }, old)).toEqual(['R-INS-06 insurance.renewal_gap']);
  });

  it('R-INS-04: a policy ending before it starts is refused', () => {
    expect(codes({ ...good, endsOn: '2026-10-31' })).toEqual(['R-INS-04 insurance.policy_dates_invalid']);
  });
});

describe('coverage on a date (R-INS-01)', () => {
  const policies = [
    { id: 'a', startsOn: '2026-09-03', endsOn: '2026-12-01' },
    { id: 'b', startsOn: '2027-03-01', endsOn: '2027-05-29' },
  ];
  it('R-INS-01: covered on the first and last day, expired the day after, not started before', () => {
    expect(coverageOn(policies, '2026-09-03')).toEqual({ state: 'covered', policyId: 'a', endsOn: '2026-12-01' });
    expect(coverageOn(policies, '2026-12-01')).toMatchObject({ state: 'covered' });
    expect(coverageOn(policies, '2026-12-02')).toEqual({ state: 'expired', endedOn: '2026-12-01' });
    expect(coverageOn(policies, '2026-09-02')).toEqual({ state: 'not_started', startsOn: '2026-09-03' });
    expect(coverageOn([], '2026-09-02')).toEqual({ state: 'none' });
  });
});

describe('what a policy covers (R-INS-12..16)', () => {
  it('R-INS-12: a sudden illness is covered', () => {
    expect(purposeCover('sudden_illness', catalogue)).toEqual({ covered: true });
  });
  it('R-INS-13: an existing chronic disease is excluded (Art. 8.1)', () => {
    expect(purposeCover('chronic_disease', catalogue)).toMatchObject({ covered: false, exclusion: { rule: 'R-INS-13', article: '8.1' } });
  });
  it('R-INS-14, R-INS-15, R-INS-16: sports, clinical trials and past diseases are excluded', () => {
    expect(purposeCover('sports_competition', catalogue)).toMatchObject({ covered: false, exclusion: { rule: 'R-INS-14' } });
    expect(purposeCover('clinical_trial', catalogue)).toMatchObject({ covered: false, exclusion: { rule: 'R-INS-15' } });
    expect(purposeCover('past_disease', catalogue)).toMatchObject({ covered: false, exclusion: { rule: 'R-INS-16' } });
  });
  it('R-INS-12: an unknown purpose is an error, never "covered"', () => {
    expect(() => purposeCover('massage', catalogue)).toThrow(/unknown/);
  });
});

describe('insured event and claim (W23)', () => {
  it('R-INS-07: the insurer notice is due 24 hours after the event, across the DST change', () => {
    const at = Temporal.Instant.from('2026-10-24T22:30:00Z');
    expect(noticeDueAt(at, { 'ins.notice_hours': { hours: 24 } }).toString()).toBe('2026-10-25T22:30:00Z');
  });
  it('R-INS-10: the file is incomplete until the four required documents are in; the requested extra is optional', () => {
    const s = claimState({ event_certificate: '2026-12-02', epicrises: '2026-12-03' }, claims);
    expect(s).toEqual({ missing: ['sick_leave_or_hospital_certificates', 'lkk_telk_protocol'], completeOn: null, payoutDueOn: null });
  });
  it('R-INS-08: the payout is due 15 days after the last document arrived', () => {
    const s = claimState({ event_certificate: '2026-12-02', epicrises: '2026-12-03', sick_leave_or_hospital_certificates: '2026-12-20', lkk_telk_protocol: '2026-12-05' }, claims);
    expect(s).toEqual({ missing: [], completeOn: '2026-12-20', payoutDueOn: '2027-01-04' });
  });
});

describe('who pays for a booking', () => {
  const base = { nhifPaidService: true, emergency: false, foreigner: false, nraStatus: 'insured' as const, coverage: { state: 'none' as const }, selfPayPriceEurCents: 4000 };
  it('R-NHIF-01: an insured patient books NHIF-paid care without a price', () => {
    expect(decidePayment(base)).toEqual({ payer: 'nhif', rule: 'R-NHIF-01', priceEurCents: null, mustAccept: false });
  });
  it('R-PC-13: interrupted rights or not found: the patient pays the price and must accept it first', () => {
    expect(decidePayment({ ...base, nraStatus: 'interrupted' })).toEqual({ payer: 'patient', rule: 'R-PC-13', priceEurCents: 4000, mustAccept: true });
    expect(decidePayment({ ...base, nraStatus: 'not_found' })).toMatchObject({ payer: 'patient', mustAccept: true });
  });
  it('R-PC-13: without a known price the booking cannot be made (the patient must be told first)', () => {
    expect(decidePayment({ ...base, nraStatus: 'interrupted', selfPayPriceEurCents: null })).toMatchObject({ refused: 'booking.self_pay_price_unknown', rule: 'R-PC-13' });
  });
  it('R-PC-13: a life-saving emergency is not turned into paid care', () => {
    expect(decidePayment({ ...base, nraStatus: 'interrupted', emergency: true })).toMatchObject({ payer: 'nhif', mustAccept: false });
  });
  it('R-INS-01: a foreigner with an expired policy is refused NHIF-paid care with the expiry date', () => {
    const d = decidePayment({ ...base, foreigner: true, nraStatus: null, coverage: { state: 'expired', endedOn: '2026-12-01' } });
    expect(d).toMatchObject({ refused: 'insurance.foreign_policy_required', rule: 'R-INS-01' });
    expect('detail' in d && d.detail).toContain('2026-12-01');
  });
  it('R-INS-11: a covered foreigner books; the insurer pays the facility its own price', () => {
    expect(decidePayment({ ...base, foreigner: true, nraStatus: 'not_found', coverage: { state: 'covered', policyId: 'p', endsOn: '2026-12-31' } })).toEqual({ payer: 'foreign_insurer', rule: 'R-INS-11', priceEurCents: 4000, mustAccept: false });
  });
  it('R-NHIF-01: a foreigner insured with the NHIF (LNCh) is not asked for a policy', () => {
    expect(decidePayment({ ...base, foreigner: true, coverage: { state: 'none' } })).toMatchObject({ payer: 'nhif' });
  });
  it('R-NHIF-01: a paid service is paid by the patient at its price, no acceptance step', () => {
    expect(decidePayment({ ...base, nhifPaidService: false, nraStatus: null })).toEqual({ payer: 'patient', rule: 'R-NHIF-01', priceEurCents: 4000, mustAccept: false });
  });
});
