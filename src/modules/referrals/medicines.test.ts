import { describe, expect, it } from 'vitest';
import { MEDICINES_DEMO, parseMedicinesCsv } from './medicines.js';

describe('medicines nomenclature', () => {
  it('parses the CSV import, flags reimbursement and protocols, and reports bad lines', () => {
    const csv = [
      'code;name;inn;dosageForm;strength;pack;atc;nhifReimbursed;protocolRequired',
      'A1;Амлодипин 5 mg x 30;Amlodipine;таблетка;5 mg;30;C08CA01;1;0',
      'A2;Адалимумаб 40 mg;adalimumab;инжекционен разтвор;40 mg;2;L04AB04;да;да',
      'A3;Без INN;;таблетка;;;;0;0',
      'A1;Дубликат;x;таблетка;;;;0;0',
      'A4;Грешен ATC;x;таблетка;;;C08;0;0',
      '',
    ].join('\n');
    const { rows, issues } = parseMedicinesCsv(csv, 'test');
    expect(rows.map((r) => [r.code, r.inn, r.nhif_reimbursed, r.protocol_required])).toEqual([
      ['A1', 'amlodipine', true, false],
      ['A2', 'adalimumab', true, true],
    ]);
    expect(issues.map((i) => i.line)).toEqual([4, 5, 6]);
  });
  it('R-NHIF-05 / R-56: the demo subset has reimbursed, non-reimbursed and protocol medicines with unique codes', () => {
    expect(new Set(MEDICINES_DEMO.map((m) => m.code)).size).toBe(MEDICINES_DEMO.length);
    expect(MEDICINES_DEMO.some((m) => m.nhif_reimbursed)).toBe(true);
    expect(MEDICINES_DEMO.some((m) => !m.nhif_reimbursed)).toBe(true);
    expect(MEDICINES_DEMO.some((m) => m.protocol_required)).toBe(true);
  });
});
