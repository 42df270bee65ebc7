import { describe, expect, it } from 'vitest';
import { reportXml, tallyMonth, tallyReferrals, type ReportPayment, type ReportVisit } from './report-rules.js';

const AGE = ['0-18', '18-65', '65+'];
const v = (id: string, over: Partial<ReportVisit> = {}): ReportVisit => ({ encounterId: id, kind: 'in_person', ageGroup: '18-65', nhifPaid: true, purpose: 'treatment', feeBasis: 'user_fee', exemptionCode: null, visitOn: '2026-03-10', ...over });
const p = (id: string, over: Partial<ReportPayment> = {}): ReportPayment => ({ id, encounterId: 'e1', purpose: 'user_fee', amount: '1.48', currency: 'EUR', method: 'cash', receiptNumber: 1, ...over });

describe('monthly NHIF report (R-127, R-NHIF-02)', () => {
  const visits = [
    v('e1'),
    v('e2', { ageGroup: '0-18', feeBasis: 'exempt', exemptionCode: 'minor', purpose: 'prophylaxis' }),
    v('e3', { kind: 'phone', feeBasis: 'none' }),
    v('e4', { kind: 'home_visit', ageGroup: '65+', feeBasis: 'exempt', exemptionCode: 'listed_disease', purpose: 'dispensary' }),
    v('e5', { nhifPaid: false, feeBasis: 'price_list' }),
  ];
  const payments = [p('p1'), p('p2', { encounterId: 'e5', purpose: 'price_list', amount: '17.00', method: 'card_terminal' }), p('p3', { purpose: 'lab_fee', amount: '1.00' }), p('p4', { amount: '-1.48' })];
  const t = tallyMonth(visits, payments, AGE, '1.95583');

  it('R-NHIF-02: counts NHIF-paid visits by kind and age group, each figure with the records it counts', () => {
    expect(t.visits).toEqual({ count: 4, records: ['e1', 'e2', 'e3', 'e4'] });
    expect(t.byKindAndAge.find((f) => f.kind === 'in_person' && f.ageGroup === '18-65')).toMatchObject({ count: 1, records: ['e1'] });
    expect(t.byKindAndAge.find((f) => f.kind === 'phone' && f.ageGroup === '18-65')).toMatchObject({ count: 1, records: ['e3'] });
    expect(t.byKindAndAge.find((f) => f.kind === 'home_visit' && f.ageGroup === '65+')).toMatchObject({ count: 1 });
    expect(t.byKindAndAge.reduce((s, f) => s + f.count, 0)).toBe(t.visits.count);
    expect(t.prophylaxis.records).toEqual(['e2']);
    expect(t.dispensary.records).toEqual(['e4']);
    expect(t.paidByPatient.records).toEqual(['e5']);
  });
  it('R-72: fees exempted by category, and fees collected by purpose with a refund netted', () => {
    expect(t.userFeeDue.records).toEqual(['e1']);
    expect(t.exempted).toEqual([{ code: 'listed_disease', count: 1, records: ['e4'] }, { code: 'minor', count: 1, records: ['e2'] }]);
    expect(t.collected.find((c) => c.purpose === 'user_fee')).toMatchObject({ amount: '0.00', count: 2, records: ['p1', 'p4'] });
    expect(t.collected.find((c) => c.purpose === 'price_list')).toMatchObject({ amount: '17.00', eur: '17.00' });
    expect(t.collectedEur).toBe('18.00');
  });
  it('DECISIONS-17: BGN payments keep their amount and count in EUR at the fixed rate', () => {
    const b = tallyMonth([], [p('p1', { currency: 'BGN', amount: '2.90' }), p('p2', { currency: 'BGN', amount: '2.90' })], AGE, '1.95583');
    expect(b.collected).toEqual([{ purpose: 'user_fee', currency: 'BGN', amount: '5.80', eur: '2.97', count: 2, records: ['p1', 'p2'] }]);
  });
  it('R-127: the XML is the same bytes for the same records, whatever their order', () => {
    const h = { month: '2026-03', facility: { id: 'f', number: '2201000001', name: 'АИППМП „Тест“', rhifCode: '22' }, practitioners: [{ id: 'a', uin: '2000000002' }, { id: 'b', uin: '1000000001' }], dueBy: '2026-04-07' };
    const x1 = reportXml(h, { ...t, referrals: [] });
    const x2 = reportXml({ ...h, practitioners: [...h.practitioners].reverse() }, { ...tallyMonth([...visits].reverse(), [...payments].reverse(), AGE, '1.95583'), referrals: [] });
    expect(x1).toBe(x2);
    expect(x1).toContain('<Visits total="4">');
    expect(x1).toContain('<Visit type="in_person" ageGroup="18-65" count="1"/>');
    expect(x1).toContain('<Exempted category="minor" count="1"/>');
    expect(x1).toContain('<Name>АИППМП „Тест“</Name>');
    expect(x1).not.toContain('e1');
  });
});

describe('referrals in the monthly report (R-127, R-48, R-128)', () => {
  const r = (id: string, form: string, issuedOn: string) => ({ id, form, issuedOn });
  // March is the quarter's third month: January and February count towards the quarter, not the month.
  const quarter = [r('r1', '3', '2026-01-20'), r('r2', '3', '2026-02-11'), r('r3', '3', '2026-03-02'), r('r4', '3', '2026-03-30'), r('r5', '119a', '2026-03-05')];
  const figures = tallyReferrals('2026-03', quarter, [{ form: '3', perQuarter: 3 }, { form: '4', perQuarter: 10 }], 20);

  it("R-127: the month's referrals per form, each with the records it counts", () => {
    expect(figures.find((f) => f.form === '3')).toMatchObject({ count: 2, records: ['r3', 'r4'], quarterToDate: 4 });
    expect(figures.find((f) => f.form === '119a')).toMatchObject({ count: 1, standardPerQuarter: null, overStandard: false });
    expect(figures.map((f) => f.form)).toEqual(['3', '4', '119a']);
  });
  it('R-128: the quarter so far is checked against the standard plus 20 %, rounded down', () => {
    // 3 × 1.2 = 3.6 → 3 allowed; 4 issued is over.
    expect(figures.find((f) => f.form === '3')).toMatchObject({ standardPerQuarter: 3, allowedWithTolerance: 3, overStandard: true });
    expect(figures.find((f) => f.form === '4')).toMatchObject({ count: 0, quarterToDate: 0, allowedWithTolerance: 12, overStandard: false });
  });
  it('R-48: the XML carries the referrals per form with the standard, and no ids', () => {
    const h = { month: '2026-03', facility: { id: 'f', number: '2201000001', name: 'П', rhifCode: '22' }, practitioners: [], dueBy: '2026-04-07' };
    const x = reportXml(h, { ...tallyMonth([], [], ['18-65'], '1.95583'), referrals: figures });
    expect(x).toContain('<Referrals total="3">');
    expect(x).toContain('<Referral form="3" count="2" quarterToDate="4" standard="3" allowed="3" over="true"/>');
    expect(x).not.toContain('r3');
  });
});
