import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { historyRefusals, type EarlierPrescription, type HistoryFacts } from './prescription-history-rules.js';

const AMLO = { inn: 'amlodipine', nhifReimbursed: true, protocol: false };
const earlier = (issuedOn: string, over: Partial<EarlierPrescription> = {}): EarlierPrescription => ({ issuedOn, diagnosisCode: 'I10', kind: 'nhif', protocolNumber: null, lines: [{ inn: 'amlodipine', days: 30, protocol: false }], ...over });
function facts(over: Partial<HistoryFacts> = {}): HistoryFacts {
  return { today: Temporal.PlainDate.from('2026-12-07'), diagnosisCode: 'I10', lines: [AMLO], earlier: [], earlyAlignment: null, hospitalStay: null, earlyDays: 30, protocolMonths: 6, ...over };
}
const rulesOf = (f: HistoryFacts) => historyRefusals(f).map((r) => `${r.rule} ${r.code}`);

describe('prescription history rules', () => {
  it('R-59: the same medicine before 30 days is early; day 30 after the previous one is not', () => {
    expect(rulesOf(facts({ earlier: [earlier('2026-11-08')] }))).toEqual(['R-59 prescription.too_early']);
    expect(historyRefusals(facts({ earlier: [earlier('2026-11-07')] }))).toEqual([]);
  });
  it('R-59: an early prescription that aligns periods passes with the period it covers, not with a past one', () => {
    expect(historyRefusals(facts({ earlier: [earlier('2026-11-20')], earlyAlignment: { coversUntil: '2027-01-15' } }))).toEqual([]);
    expect(rulesOf(facts({ earlier: [earlier('2026-11-20')], earlyAlignment: { coversUntil: '2026-12-07' } }))).toEqual(['R-59 prescription.too_early']);
  });
  it('R-59: an ordinary (paid) prescription or another medicine is not early', () => {
    expect(historyRefusals(facts({ earlier: [earlier('2026-11-20', { kind: 'ordinary' })] }))).toEqual([]);
    expect(historyRefusals(facts({ earlier: [earlier('2026-11-20', { lines: [{ inn: 'bisoprolol', days: 30, protocol: false }] })] }))).toEqual([]);
  });
  it('R-62: on a protocol medicine for a disease, no other reimbursed medicine for the same disease', () => {
    const protocol = earlier('2026-10-01', { diagnosisCode: 'M05.8', protocolNumber: 'PR-1', lines: [{ inn: 'adalimumab', days: 30, protocol: true }] });
    expect(rulesOf(facts({ diagnosisCode: 'M05.8', lines: [{ inn: 'ibuprofen-r', nhifReimbursed: true, protocol: false }], earlier: [protocol] }))).toEqual(['R-62 prescription.protocol_patient']);
    // Another disease, a paid medicine, or a protocol that ended (over 6 months) are allowed.
    expect(historyRefusals(facts({ diagnosisCode: 'I10', earlier: [protocol] }))).toEqual([]);
    expect(historyRefusals(facts({ diagnosisCode: 'M05.8', lines: [{ inn: 'paracetamol', nhifReimbursed: false, protocol: false }], earlier: [protocol] }))).toEqual([]);
    expect(historyRefusals(facts({ diagnosisCode: 'M05.8', lines: [{ inn: 'ibuprofen-r', nhifReimbursed: true, protocol: false }], earlier: [{ ...protocol, issuedOn: '2026-06-01' }] }))).toEqual([]);
  });
  it('R-66: in hospital, nothing reimbursed for the main or a newly found disease', () => {
    expect(rulesOf(facts({ hospitalStay: { mainDiagnosisCode: 'I10', newlyFoundDiagnosisCodes: [] } }))).toEqual(['R-66 prescription.hospital_stay']);
    expect(rulesOf(facts({ diagnosisCode: 'E11', lines: [{ inn: 'metformin', nhifReimbursed: true, protocol: false }], hospitalStay: { mainDiagnosisCode: 'I21', newlyFoundDiagnosisCodes: ['E11'] } }))).toEqual(['R-66 prescription.hospital_stay']);
  });
  it('R-66: in hospital, an accompanying chronic disease keeps its unchanged therapy; a change is refused', () => {
    const stay = { mainDiagnosisCode: 'I21', newlyFoundDiagnosisCodes: [] };
    expect(historyRefusals(facts({ hospitalStay: stay, earlier: [earlier('2026-10-01')] }))).toEqual([]);
    expect(rulesOf(facts({ hospitalStay: stay, lines: [{ inn: 'lisinopril', nhifReimbursed: true, protocol: false }], earlier: [earlier('2026-10-01')] }))).toEqual(['R-66 prescription.hospital_stay']);
  });
});
