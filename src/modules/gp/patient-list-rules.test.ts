import { describe, expect, it } from 'vitest';
import { ageBand, bgnToEur, staffingRequired, timesBgn } from './patient-list-rules.js';

const BANDS = [
  { code: '0-18', fromAge: 0, toAge: 18, capitationBgn: '1.00' },
  { code: '18-65', fromAge: 18, toAge: 65, capitationBgn: '0.72' },
  { code: '65+', fromAge: 65, toAge: null, capitationBgn: '1.09' },
];
const STAFFING = {
  thresholds: [
    { over: 1200, specialists: 1, doctors: 0 },
    { over: 2500, specialists: 1, doctors: 1 },
    { over: 3500, specialists: 2, doctors: 1 },
  ],
  specialistPerOver3500: 1000,
  doctorPerOver3500: 1500,
};

describe('R-76: capitation age bands [from, to) in full years', () => {
  it('17 is a child, 18 an adult, 64 an adult, 65 in the oldest band', () => {
    expect([0, 17, 18, 64, 65, 101].map((a) => ageBand(a, BANDS).code)).toEqual(['0-18', '0-18', '18-65', '18-65', '65+', '65+']);
  });
});

describe('R-32: staffing thresholds by list size', () => {
  it.each([
    [1200, 0, 0],
    [1201, 1, 0],
    [2500, 1, 0],
    [2501, 1, 1],
    [3501, 2, 1],
    [4499, 2, 1],
    [4500, 3, 1],
    [4501, 3, 1],
    [5001, 3, 2],
  ])('%i patients → %i specialists, %i doctors', (n, s, d) => {
    expect(staffingRequired(n, STAFFING)).toEqual({ medicalSpecialists: s, doctors: d });
  });
});

describe('money: EUR at the fixed rate 1.95583 (DECISIONS.md item 17)', () => {
  it('60,000 BGN is 30,677.51 EUR (R-INS-02 as the issue states it)', () => {
    expect(bgnToEur('60000.00', '1.95583')).toBe('30677.51');
  });
  it('capitation amounts convert half-up to the cent', () => {
    expect(bgnToEur('1.09', '1.95583')).toBe('0.56');
    expect(bgnToEur('0.72', '1.95583')).toBe('0.37');
    expect(timesBgn('0.72', 2500)).toBe('1800.00');
    expect(bgnToEur(timesBgn('0.72', 2500), '1.95583')).toBe('920.33');
  });
});
