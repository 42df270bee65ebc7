import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { budgetStatus, formAllowed, issuerKind, quarterOf, referralRefusals, secondaryExamAllowed, usableAt, validUntil, type ReferralFacts } from './referral-rules.js';

const ZONE = 'Europe/Sofia';
// The values migrations/0026_referrals.sql seeds as `referral.validity_days`.
const VALIDITY = { '3': 30, '3A': 30, '4': 30, '7': 30 };

function facts(over: Partial<ReferralFacts> = {}): ReferralFacts {
  return {
    form: '3',
    purpose: 'consultation',
    basis: 'clinical_need',
    independentlyJudgedNecessary: false,
    diagnosisCode: 'I10',
    encounter: { kind: 'remote', startedAt: Temporal.Instant.from('2026-03-05T08:00:00Z'), ended: true },
    issuer: { kind: 'pimp', rhifContract: true },
    insured: true,
    hospitalContractedForPathway: null,
    budget: null,
    ...over,
  };
}
const rulesOf = (f: ReferralFacts) => referralRefusals(f).map((r) => `${r.rule} ${r.code}`);

describe('R-REF-06: who may issue which form', () => {
  it('R-REF-06: № 3А only by a SIMP contracted with the RHIF', () => {
    expect(formAllowed('3A', { kind: 'pimp', rhifContract: true })?.code).toBe('referral.form_not_allowed');
    expect(formAllowed('3A', { kind: 'simp', rhifContract: false })?.rule).toBe('R-REF-06');
    expect(formAllowed('3A', { kind: 'simp', rhifContract: true })).toBeNull();
  });
  it('R-REF-06: № 4 by a PIMP or a SIMP, not by a hospital doctor', () => {
    expect(formAllowed('4', { kind: 'pimp', rhifContract: true })).toBeNull();
    expect(formAllowed('4', { kind: 'simp', rhifContract: true })).toBeNull();
    expect(formAllowed('4', { kind: 'other', rhifContract: true })?.code).toBe('referral.form_not_allowed');
  });
  it('R-REF-06: № 3 and № 7 by outpatient doctors only', () => {
    for (const form of ['3', '7'] as const) {
      expect(formAllowed(form, { kind: 'simp', rhifContract: true })).toBeNull();
      expect(formAllowed(form, { kind: 'pimp', rhifContract: true })).toBeNull();
      expect(formAllowed(form, { kind: 'other', rhifContract: true })?.rule).toBe('R-REF-06');
    }
  });
  it('R-REF-06: № 6 and 119а by the GP', () => {
    expect(formAllowed('6', { kind: 'simp', rhifContract: true })?.code).toBe('referral.form_not_allowed');
    expect(formAllowed('6', { kind: 'pimp', rhifContract: true })).toBeNull();
    expect(formAllowed('119a', { kind: 'pimp', rhifContract: false })).toBeNull();
  });
  it('R-REF-06: the issuer kind comes from the facility type and the GP specialty', () => {
    expect(issuerKind('ipmp', true)).toBe('pimp');
    expect(issuerKind('dkc', false)).toBe('simp');
    expect(issuerKind('hospital', false)).toBe('other');
  });
});

describe('R-REF-01/03/04/05: 30 calendar days, in Europe/Sofia across DST', () => {
  // DST starts in Sofia on 2026-03-29 (EET UTC+2 → EEST UTC+3): 30 days from 5 March cross it.
  const issued = Temporal.PlainDate.from('2026-03-05');
  it('R-REF-01: № 3 of 5 March is usable to 4 April inclusive (day 30)', () => {
    const until = validUntil('3', issued, VALIDITY);
    expect(until?.toString()).toBe('2026-04-04');
    // 23:30 local on day 30 is 20:30 UTC in EEST.
    expect(usableAt(until, Temporal.Instant.from('2026-04-04T20:30:00Z'), ZONE)).toBeNull();
  });
  it('R-REF-01: day 31 is refused, even ten minutes after midnight local (still 4 April in UTC)', () => {
    const until = validUntil('3', issued, VALIDITY);
    const r = usableAt(until, Temporal.Instant.from('2026-04-04T21:10:00Z'), ZONE);
    expect(r?.code).toBe('referral.expired');
    expect(r?.rule).toBe('R-REF-01');
  });
  it('R-REF-01: a naive 30 × 24 h from a late-evening issue would be wrong across the autumn change', () => {
    // DST ends 2026-10-25; issued 2026-10-10 23:50 local (20:50 UTC).
    const issuedInstant = Temporal.Instant.from('2026-10-10T20:50:00Z');
    const until = validUntil('4', issuedInstant.toZonedDateTimeISO(ZONE).toPlainDate(), VALIDITY);
    expect(until?.toString()).toBe('2026-11-09');
    expect(usableAt(until, Temporal.Instant.from('2026-11-09T21:59:00Z'), ZONE)).toBeNull(); // 23:59 EET
    expect(usableAt(until, Temporal.Instant.from('2026-11-09T22:00:00Z'), ZONE)?.code).toBe('referral.expired');
  });
  it('R-REF-03 / R-REF-04 / R-REF-05: № 4, № 3А and № 7 have the same 30 days', () => {
    for (const form of ['4', '3A', '7'] as const) expect(validUntil(form, issued, VALIDITY)?.toString()).toBe('2026-04-04');
  });
  it('R-REF-05: № 6 and 119а carry no limit in the sources', () => {
    expect(validUntil('6', issued, VALIDITY)).toBeNull();
    expect(usableAt(null, Temporal.Instant.from('2027-01-01T00:00:00Z'), ZONE)).toBeNull();
  });
  it('R-REF-02: the secondary exam on day 30 after the primary is allowed, day 31 refused', () => {
    const primary = Temporal.PlainDate.from('2026-03-20');
    expect(secondaryExamAllowed(primary, Temporal.PlainDate.from('2026-04-19'), 30)).toBeNull();
    expect(secondaryExamAllowed(primary, Temporal.PlainDate.from('2026-04-20'), 30)?.rule).toBe('R-REF-02');
  });
});

describe('refusals with their rule', () => {
  it('a well-formed № 3 from a remote consultation passes (DECISIONS 20)', () => {
    expect(referralRefusals(facts())).toEqual([]);
  });
  it('R-REF-08: no № 3 for TELK, sick-leave extension or assistive-device LKK; № 6 is allowed', () => {
    for (const purpose of ['telk', 'sick_leave_extension', 'assistive_device_lkk'] as const) {
      expect(rulesOf(facts({ purpose }))).toEqual(['R-REF-08 referral.use_form_6']);
      expect(referralRefusals(facts({ purpose, form: '6' }))).toEqual([]);
    }
  });
  it('R-REF-10: a documented problem is required', () => {
    expect(rulesOf(facts({ diagnosisCode: null }))).toEqual(['R-REF-10 referral.no_documented_problem']);
  });
  it('R-REF-10: the patient’s wish alone is refused unless the doctor judges it necessary', () => {
    expect(rulesOf(facts({ basis: 'patient_wish' }))).toEqual(['R-REF-10 referral.not_medically_justified']);
    expect(rulesOf(facts({ basis: 'relatives_or_media' }))).toEqual(['R-REF-10 referral.not_medically_justified']);
    expect(referralRefusals(facts({ basis: 'ordered_elsewhere', independentlyJudgedNecessary: true }))).toEqual([]);
  });
  it('R-REF-11: interrupted rights get no NHIF form, only 119а', () => {
    expect(rulesOf(facts({ insured: false }))).toEqual(['R-REF-11 referral.insurance_interrupted']);
    expect(referralRefusals(facts({ insured: false, form: '119a', purpose: 'consultation' }))).toEqual([]);
  });
  it('R-REF-13: tests for hospital admission are not outpatient referrals', () => {
    expect(rulesOf(facts({ form: '4', purpose: 'hospital_admission_tests' }))).toEqual(['R-REF-13 referral.hospital_admission_tests']);
  });
  it('R-REF-15: no referral to a specialist from a phone consultation; tests stay possible', () => {
    const phone = { kind: 'phone' as const, startedAt: Temporal.Instant.from('2026-03-05T08:00:00Z'), ended: true };
    expect(rulesOf(facts({ encounter: phone }))).toEqual(['R-REF-15 referral.phone_consultation']);
    expect(rulesOf(facts({ encounter: phone, form: '7', hospitalContractedForPathway: true }))).toEqual(['R-REF-15 referral.phone_consultation']);
    expect(referralRefusals(facts({ encounter: phone, form: '4', purpose: 'tests' }))).toEqual([]);
  });
  it('R-REF-07: № 7 needs a hospital contracted for the clinical pathway', () => {
    expect(rulesOf(facts({ form: '7', purpose: 'hospitalisation', hospitalContractedForPathway: false }))).toEqual(['R-REF-07 referral.hospital_not_contracted']);
    expect(referralRefusals(facts({ form: '7', purpose: 'hospitalisation', hospitalContractedForPathway: true }))).toEqual([]);
  });
  it('R-48: a used-up quarterly standard refuses; one below passes', () => {
    expect(rulesOf(facts({ budget: { used: 40, limit: 40 } }))).toEqual(['R-48 referral.budget_exhausted']);
    expect(referralRefusals(facts({ budget: { used: 39, limit: 40 } }))).toEqual([]);
  });
});

describe('R-48: regulatory standards per quarter, warned at 80 %', () => {
  it('R-48: 31 of 40 is a warning, 32 of 40 too, 40 exhausted, 10 ok', () => {
    expect(budgetStatus(31, 40).level).toBe('ok');
    expect(budgetStatus(32, 40).level).toBe('warning');
    expect(budgetStatus(40, 40)).toEqual({ used: 40, limit: 40, remaining: 0, level: 'exhausted' });
    expect(budgetStatus(10, null).level).toBe('none');
  });
  it('R-48: quarters are calendar quarters', () => {
    const q = quarterOf(Temporal.PlainDate.from('2026-05-31'));
    expect([q.from.toString(), q.to.toString()]).toEqual(['2026-04-01', '2026-07-01']);
  });
});
