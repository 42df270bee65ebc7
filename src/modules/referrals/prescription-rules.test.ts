import { describe, expect, it } from 'vitest';
import { prescriptionKind, prescriptionRefusals, type MedicineFacts, type PrescriptionFacts } from './prescription-rules.js';

// The values migrations/0026_referrals.sql seeds as `prescription.limits`.
const LIMITS = { maxProductsPerDisease: 3, maxDaysPerLine: 90, protocolMaxMonths: 6 };
const med = (code: string, inn: string, over: Partial<MedicineFacts> = {}): MedicineFacts => ({ code, inn, nhifReimbursed: true, protocolRequired: false, ...over });
const AMLO = med('M1', 'amlodipine');
const OTC = med('M9', 'paracetamol', { nhifReimbursed: false });

function facts(over: Partial<PrescriptionFacts> = {}): PrescriptionFacts {
  return { encounter: { kind: 'remote', started: true, ended: true }, diagnosisCode: 'I10', lines: [{ medicine: AMLO, packages: 1, days: 30 }], insured: true, protocolNumber: null, limits: LIMITS, ...over };
}
const rulesOf = (f: PrescriptionFacts) => prescriptionRefusals(f).map((r) => `${r.rule} ${r.code}`);

describe('prescription rules', () => {
  it('R-PC-05: a prescription after a remote consultation passes', () => {
    expect(prescriptionRefusals(facts())).toEqual([]);
  });
  it('R-PC-05: none without a consultation or exam', () => {
    expect(rulesOf(facts({ encounter: null }))).toEqual(['R-PC-05 prescription.no_consultation']);
    expect(rulesOf(facts({ encounter: { kind: 'in_person', started: false, ended: false } }))).toEqual(['R-PC-05 prescription.no_consultation']);
  });
  it('R-PC-06: no NHIF-reimbursed medicine from a phone consultation; a non-reimbursed one is allowed', () => {
    const phone = { kind: 'phone' as const, started: true, ended: true };
    expect(rulesOf(facts({ encounter: phone }))).toEqual(['R-PC-06 prescription.phone_reimbursed']);
    expect(prescriptionRefusals(facts({ encounter: phone, lines: [{ medicine: OTC, packages: 1, days: 5 }] }))).toEqual([]);
  });
  it('R-NHIF-05: reimbursed medicines make an NHIF e-prescription, others an ordinary one', () => {
    expect(prescriptionKind([{ medicine: AMLO, packages: 1, days: 30 }])).toBe('nhif');
    expect(prescriptionKind([{ medicine: OTC, packages: 1, days: 5 }])).toBe('ordinary');
  });
  it('R-51: interrupted rights refuse reimbursed medicines, not ordinary ones', () => {
    expect(rulesOf(facts({ insured: false }))).toEqual(['R-51 prescription.insurance_interrupted']);
    expect(prescriptionRefusals(facts({ insured: false, lines: [{ medicine: OTC, packages: 2, days: 10 }] }))).toEqual([]);
  });
  it('R-53: at most three products per disease', () => {
    const lines = ['a', 'b', 'c', 'd'].map((x) => ({ medicine: med(x, x), packages: 1, days: 30 }));
    expect(rulesOf(facts({ lines }))).toEqual(['R-53 prescription.too_many_products']);
    expect(prescriptionRefusals(facts({ lines: lines.slice(0, 3) }))).toEqual([]);
  });
  it('R-55: one diagnosis per form', () => {
    expect(rulesOf(facts({ diagnosisCode: null }))).toEqual(['R-55 prescription.no_diagnosis']);
  });
  it('R-57: the same INN twice is refused', () => {
    expect(rulesOf(facts({ lines: [{ medicine: AMLO, packages: 1, days: 30 }, { medicine: med('M2', 'Amlodipine'), packages: 1, days: 30 }] }))).toEqual(['R-57 prescription.duplicate_inn']);
  });
  it('R-58: whole packages for at most 90 days', () => {
    expect(rulesOf(facts({ lines: [{ medicine: AMLO, packages: 1.5, days: 30 }] }))).toEqual(['R-58 prescription.quantity_invalid']);
    expect(rulesOf(facts({ lines: [{ medicine: AMLO, packages: 3, days: 91 }] }))).toEqual(['R-58 prescription.quantity_invalid']);
  });
  it('R-56 / R-60: a protocol medicine alone on its form, with a protocol', () => {
    const bio = med('P1', 'adalimumab', { protocolRequired: true });
    expect(rulesOf(facts({ lines: [{ medicine: bio, packages: 1, days: 30 }, { medicine: AMLO, packages: 1, days: 30 }], protocolNumber: 'PR-1' }))).toEqual(['R-56 prescription.protocol_separate']);
    expect(rulesOf(facts({ lines: [{ medicine: bio, packages: 1, days: 30 }] }))).toEqual(['R-60 prescription.protocol_required']);
    expect(prescriptionRefusals(facts({ lines: [{ medicine: bio, packages: 1, days: 30 }], protocolNumber: 'PR-1' }))).toEqual([]);
  });
});
