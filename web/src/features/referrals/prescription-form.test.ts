import { describe, expect, it } from 'vitest';
import { CreatePrescriptionBodySchema } from '../../../../src/contracts/referrals.js';
import { emptyRx, newLine, prescriptionBody, rxIssues } from './prescription-form.js';

const amlo = { code: 'M1', name: 'Амлодипин', inn: 'amlodipine', dosageForm: 'tabl', strength: '5 mg', pack: '30', atc: 'C08CA01', nhifReimbursed: true, protocolRequired: false, source: 'demo' };

describe('prescription form', () => {
  it('R-55 / R-58: a diagnosis, whole packages and a dosage are needed before signing', () => {
    const d = { ...emptyRx(), lines: [{ ...newLine(amlo), packages: '1.5' }] };
    expect(Object.keys(rxIssues(d)).sort()).toEqual(['code', 'diagnosisCode', 'line:M1']);
  });
  it('R-53: at most three medicines', () => {
    const lines = ['a', 'b', 'c', 'd'].map((c) => ({ ...newLine({ ...amlo, code: c }), dosage: '1×1' }));
    expect(rxIssues({ ...emptyRx(), diagnosisCode: 'I10', code: '123456', lines })).toEqual({ lines: 'refIssue.error.lines' });
  });
  it('the body passes the shared contract', () => {
    const body = prescriptionBody({ ...emptyRx(), diagnosisCode: 'i10', code: '123456', lines: [{ ...newLine(amlo), dosage: '1 таблетка сутрин' }] }, { requestId: '0196f1f6-1c1a-7000-8000-000000000001' });
    expect(CreatePrescriptionBodySchema.safeParse(body).success).toBe(true);
    expect(body.lines[0]).toMatchObject({ packages: 1, days: 30 });
  });
});
