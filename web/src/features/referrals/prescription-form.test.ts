import { describe, expect, it } from 'vitest';
import { CreatePrescriptionBodySchema } from '../../../../src/contracts/referrals.js';
import type { Prescription } from './api.js';
import { emptyRx, needsProtocol, newLine, prescriptionBody, rxDraftFrom, rxIssues } from './prescription-form.js';

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

describe('correcting a signed prescription (W27)', () => {
  const signed = {
    diagnosisCode: 'I10',
    protocolNumber: null,
    nrn: '260000000001',
    lines: [
      { medicineCode: 'M1', name: 'Амлодипин', inn: 'amlodipine', nhifReimbursed: true, packages: 2, days: 60, dosage: '1 таблетка сутрин', substitutionAllowed: false },
      { medicineCode: 'GONE', name: 'Стар', inn: 'old', nhifReimbursed: false, packages: 1, days: 10, dosage: '1×2', substitutionAllowed: true },
    ],
  } as unknown as Prescription;

  it('W27: the correction starts from the signed medicines, doses and diagnosis; only the code is new', () => {
    const d = rxDraftFrom(signed, [amlo]);
    expect(d).toMatchObject({ diagnosisCode: 'I10', protocolNumber: '', code: '' });
    expect(d.lines.map((l) => [l.medicine.code, l.packages, l.days, l.dosage, l.substitutionAllowed])).toEqual([
      ['M1', '2', '60', '1 таблетка сутрин', false],
      ['GONE', '1', '10', '1×2', true],
    ]);
    // The nomenclature's entry where it has one; the signed line where it no longer does.
    expect(d.lines[0]?.medicine).toBe(amlo);
    expect(d.lines[1]?.medicine).toMatchObject({ code: 'GONE', name: 'Стар', protocolRequired: false });
    // Signed again as it was, with a fresh code, it passes the contract.
    const body = prescriptionBody({ ...d, code: '123456' }, { requestId: '0196f1f6-1c1a-7000-8000-000000000001' });
    expect(body.lines).toEqual([
      { medicineCode: 'M1', packages: 2, days: 60, dosage: '1 таблетка сутрин', substitutionAllowed: false },
      { medicineCode: 'GONE', packages: 1, days: 10, dosage: '1×2', substitutionAllowed: true },
    ]);
  });

  it('R-60: a signed protocol number is kept, and asked again for a protocol medicine', () => {
    const d = rxDraftFrom({ ...signed, protocolNumber: 'П-17/2026', lines: [signed.lines[0]] } as Prescription, [{ ...amlo, protocolRequired: true }]);
    expect(d.protocolNumber).toBe('П-17/2026');
    expect(needsProtocol(d)).toBe(true);
  });
});
