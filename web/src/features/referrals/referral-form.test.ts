import { describe, expect, it } from 'vitest';
import { CreateReferralBodySchema } from '../../../../src/contracts/referrals.js';
import { emptyDraft, hintsFor, PURPOSES, referralBody, refusalsOf, validUntilOf } from './referral-form.js';

const rules = (h: { rule: string }[]) => h.map((x) => x.rule);

describe('referral form hints', () => {
  it('R-REF-15: a phone consultation warns for № 3, not for № 4', () => {
    expect(rules(hintsFor({ ...emptyDraft(), form: '3' }, 'phone', '2027-01-06'))).toContain('R-REF-15');
    expect(rules(hintsFor({ ...emptyDraft(), form: '4', purpose: 'tests' }, 'phone', '2027-01-06'))).not.toContain('R-REF-15');
  });
  it('R-REF-10: a non-clinical basis warns until the doctor judges it necessary', () => {
    const d = { ...emptyDraft(), basis: 'patient_wish' as const };
    expect(rules(hintsFor(d, 'remote', null))).toContain('R-REF-10');
    expect(rules(hintsFor({ ...d, independentlyJudgedNecessary: true }, 'remote', null))).not.toContain('R-REF-10');
  });
  it('R-REF-08: TELK and ЛКК purposes are offered only on № 6', () => {
    expect(PURPOSES['3']).not.toContain('telk');
    expect(PURPOSES['6']).toContain('telk');
  });
  it('R-REF-01: valid 30 calendar days after issue (day 31 refused), across the DST change; № 6 has no limit', () => {
    expect(validUntilOf('3', '2026-12-07')).toBe('2027-01-06');
    expect(validUntilOf('4', '2026-03-05')).toBe('2026-04-04');
    expect(validUntilOf('6', '2026-12-07')).toBeNull();
  });
  it('the body passes the shared contract and sends only the fields of the form', () => {
    const body = referralBody({ ...emptyDraft(), form: '3', diagnosisCode: 'i10', request: 'Консултация с кардиолог', specialtyCode: '1020', activityCodes: '10.01', code: '123456' }, { requestId: '0196f1f6-1c1a-7000-8000-000000000001' });
    expect(CreateReferralBodySchema.safeParse(body).success).toBe(true);
    expect(body).toMatchObject({ diagnosisCode: 'I10', specialtyCode: '1020' });
    expect(body).not.toHaveProperty('activityCodes');
  });
  it('reads the refusals a problem names', () => {
    expect(refusalsOf({ rules: [{ rule: 'R-REF-11', code: 'referral.insurance_interrupted', detail: 'x' }] })).toHaveLength(1);
    expect(refusalsOf(undefined)).toEqual([]);
  });
});
