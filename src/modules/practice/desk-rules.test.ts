import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import {
  allowedInEncounter,
  breachNotice,
  checkOutOfHours,
  checkPhoneConsultation,
  classifyHomeVisit,
  complaintDeadlines,
  complaintNeedsReply,
  documentTerms,
  effectivePriority,
  prophylaxisDue,
  queueOrder,
  walkInTarget,
} from './desk-rules.js';

const BANDS = [
  { fromMonths: 0, toMonths: 12, everyMonths: 1 },
  { fromMonths: 12, toMonths: 24, everyMonths: 3 },
  { fromMonths: 24, toMonths: 84, everyMonths: 6 },
  { fromMonths: 84, toMonths: null, everyMonths: 12 },
];

describe('walk-in queue (W19)', () => {
  it('R-PC-02: emergency first, then urgent, pregnant and infants, then the rest; first come first served within a rank', () => {
    const q = queueOrder([
      { id: 'a', priority: 'other' as const, requestedAt: '2026-03-10T07:00:00Z' },
      { id: 'b', priority: 'pregnant' as const, requestedAt: '2026-03-10T08:00:00Z' },
      { id: 'c', priority: 'emergency' as const, requestedAt: '2026-03-10T09:00:00Z' },
      { id: 'd', priority: 'urgent' as const, requestedAt: '2026-03-10T07:30:00Z' },
      { id: 'e', priority: 'infant' as const, requestedAt: '2026-03-10T07:45:00Z' },
    ]);
    expect(q.map((e) => e.id)).toEqual(['c', 'd', 'e', 'b', 'a']);
  });
  it('R-PC-02: a child under one year joins the urgent group whatever the desk chose', () => {
    expect(effectivePriority('other', 11)).toBe('infant');
    expect(effectivePriority('other', 12)).toBe('other');
    expect(effectivePriority('emergency', 3)).toBe('emergency');
  });
  it('R-PC-01: the exam is due within 48 h of the request; past that the entry is overdue', () => {
    expect(walkInTarget('2026-03-10T07:00:00Z', 48, Temporal.Instant.from('2026-03-12T07:00:00Z'))).toEqual({ dueBy: '2026-03-12T07:00:00Z', overdue: false });
    expect(walkInTarget('2026-03-10T07:00:00Z', 48, Temporal.Instant.from('2026-03-12T07:00:01Z')).overdue).toBe(true);
  });
});

describe('phone consultations (W17)', () => {
  const base = { kind: 'medical' as const, patientId: 'p', basis: 'test_results' as const, outcome: 'advice' as const };
  it('R-PC-07: a medical call names its patient and an allowed basis; an administrative call ends in information', () => {
    expect(checkPhoneConsultation(base)).toEqual({ ok: true });
    expect(checkPhoneConsultation({ ...base, patientId: undefined })).toMatchObject({ ok: false, ruleId: 'R-PC-07' });
    expect(checkPhoneConsultation({ ...base, basis: undefined })).toMatchObject({ ok: false, ruleId: 'R-PC-07' });
    expect(checkPhoneConsultation({ kind: 'administrative', outcome: 'information' })).toEqual({ ok: true });
    expect(checkPhoneConsultation({ kind: 'administrative', outcome: 'advice' })).toMatchObject({ ok: false, ruleId: 'R-PC-07' });
  });
  it('R-PC-08: a refusal gives a 5.5 reason and books an ambulatory consultation', () => {
    expect(checkPhoneConsultation({ ...base, outcome: 'refused', refusalReason: 'problem_unclear' })).toMatchObject({ ok: false, ruleId: 'R-PC-08' });
    expect(checkPhoneConsultation({ ...base, outcome: 'refused', refusalReason: 'problem_unclear', bookedFor: '2026-03-11T07:00:00Z' })).toEqual({ ok: true });
  });
  it('R-PC-06: no NHIF prescription, regimen change or specialist referral in a phone encounter', () => {
    expect(allowedInEncounter('phone', 'nhif_prescription')).toBe(false);
    expect(allowedInEncounter('phone', 'specialist_referral')).toBe(false);
    expect(allowedInEncounter('phone', 'regimen_change_without_tests')).toBe(false);
    expect(allowedInEncounter('in_person', 'specialist_referral')).toBe(true);
    expect(allowedInEncounter('home_visit', 'nhif_prescription')).toBe(true);
  });
});

describe('home visits (W18)', () => {
  it('R-PC-16: covered only when the GP judges care impossible in the clinic; otherwise paid; misled → reclassified to paid', () => {
    expect(classifyHomeVisit({ careImpossibleInClinic: true })).toEqual({ category: 'covered', reclassified: false });
    expect(classifyHomeVisit({ careImpossibleInClinic: false })).toEqual({ category: 'paid', reclassified: false });
    expect(classifyHomeVisit({ careImpossibleInClinic: true, misled: true })).toEqual({ category: 'paid', reclassified: true });
  });
});

describe('document requests (E34)', () => {
  const days = { pastCircumstance: 3, otherDocument: 5, adminContractPhone: 2 };
  it('R-DOC-01: past-circumstance certificates within 3 working days', () => expect(documentTerms('past_circumstance', days)).toMatchObject({ workingDays: 3, ruleId: 'R-DOC-01' }));
  it('R-DOC-02: other documents within 5 working days, at the price list', () => expect(documentTerms('other', days)).toMatchObject({ workingDays: 5, fee: 'price_list' }));
  it('R-DOC-03: admin-contract phone requests within 2 working days', () => expect(documentTerms('admin_contract_phone', days)).toMatchObject({ workingDays: 2, fee: 'contract' }));
  it('R-DOC-04: documents of the current consultation are free and immediate', () => expect(documentTerms('current_consultation', days)).toEqual({ workingDays: 0, fee: 'free', ruleId: 'R-DOC-04' }));
  it('R-DOC-05: past-circumstance documents without a written request carry the urgent fee', () => expect(documentTerms('past_without_request', days)).toMatchObject({ fee: 'urgent_fee', workingDays: null }));
});

describe('complaints (W24)', () => {
  it('R-CMP-02: no reply is owed without a name and an address, phone or e-mail', () => {
    expect(complaintNeedsReply({ name: 'Иван', contact: 'ivan@example.bg' })).toBe(true);
    expect(complaintNeedsReply({ name: 'Иван' })).toBe(false);
    expect(complaintNeedsReply({ name: '  ', contact: '0888' })).toBe(false);
  });
  it('R-CMP-01: reviewed by the end of the following month at the latest, replied within 10 days after review', () => {
    expect(complaintDeadlines('2026-03-17', null, { reviewEveryMonths: 1, replyDaysAfterReview: 10 })).toEqual({ reviewBy: '2026-04-30', replyBy: null });
    expect(complaintDeadlines('2026-03-17', '2026-03-31', { reviewEveryMonths: 1, replyDaysAfterReview: 10 })).toEqual({ reviewBy: '2026-04-30', replyBy: '2026-04-10' });
  });
});

describe('personal-data breaches (W25)', () => {
  it('R-DATA-02: subjects are told within 72 h of detection', () => {
    const now = Temporal.Instant.from('2026-03-13T10:00:00Z');
    expect(breachNotice('2026-03-10T10:00:00Z', null, 72, now)).toEqual({ notifyBy: '2026-03-13T10:00:00Z', late: false });
    expect(breachNotice('2026-03-10T10:00:00Z', null, 72, now.add({ seconds: 1 })).late).toBe(true);
    expect(breachNotice('2026-03-10T10:00:00Z', '2026-03-12T10:00:00Z', 72, now.add({ hours: 100 })).late).toBe(false);
  });
});

describe('out of hours (W21)', () => {
  it('R-OOH-03: arrangement 1.4 publishes a 24-hour phone; the others name the duty room or partner', () => {
    expect(checkOutOfHours({ arrangement: 'individual_24h_phone' })).toMatchObject({ ok: false, ruleId: 'R-OOH-03' });
    expect(checkOutOfHours({ arrangement: 'individual_24h_phone', phone: '+359888000000' })).toEqual({ ok: true });
    expect(checkOutOfHours({ arrangement: 'group_duty_room' })).toMatchObject({ ok: false, ruleId: 'R-OOH-03' });
  });
  it('R-OOH-01: a contracted partner is within 40 km', () => {
    expect(checkOutOfHours({ arrangement: 'contract_nearest', partnerName: 'МБАЛ', partnerDistanceKm: 40 })).toEqual({ ok: true });
    expect(checkOutOfHours({ arrangement: 'contract_nearest', partnerName: 'МБАЛ', partnerDistanceKm: 40.5 })).toMatchObject({ ok: false, ruleId: 'R-OOH-01' });
  });
});

describe('prophylaxis plan (W20)', () => {
  it('R-PRO-01: adults once per calendar year', () => {
    expect(prophylaxisDue('1980-05-05', '2025-11-20', '2026-01', BANDS)).toEqual({ due: true, everyMonths: 12 });
    expect(prophylaxisDue('1980-05-05', '2026-01-20', '2026-03', BANDS)).toEqual({ due: false, everyMonths: 12 });
    expect(prophylaxisDue('1980-05-05', null, '2026-03', BANDS).due).toBe(true);
  });
  it('R-PRO-01: under 1 monthly, 1-2 every 3 months, 2-7 every 6 months', () => {
    expect(prophylaxisDue('2025-12-10', '2026-02-15', '2026-03', BANDS)).toEqual({ due: true, everyMonths: 1 });
    expect(prophylaxisDue('2025-12-10', '2026-03-01', '2026-03', BANDS).due).toBe(false);
    expect(prophylaxisDue('2024-10-01', '2026-01-05', '2026-03', BANDS)).toEqual({ due: false, everyMonths: 3 });
    expect(prophylaxisDue('2024-10-01', '2025-12-05', '2026-03', BANDS)).toEqual({ due: true, everyMonths: 3 });
    expect(prophylaxisDue('2022-01-01', '2025-10-05', '2026-03', BANDS)).toEqual({ due: false, everyMonths: 6 });
    expect(prophylaxisDue('2022-01-01', '2025-09-05', '2026-03', BANDS)).toEqual({ due: true, everyMonths: 6 });
  });
  it('R-PRO-01: a patient not yet born in the month is not due', () => {
    expect(prophylaxisDue('2026-04-02', null, '2026-03', BANDS).due).toBe(false);
  });
});
