import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../../platform/calendar.js';
import { causeOfDeathExclusions, dossierDueOn, expertiseIsFree, expertiseRefusal, missingChecklistItems, registryAddress, reusableDocuments, routeRefusal, telkFees, telkSchedule, undocumentedDiagnoses } from './telk-rules.js';

const RULE = { days: 30, blackoutMonths: [6, 12], resumeDay: 7 };
const cal = createWorkingCalendar();
const sched = (on: string) => telkSchedule(on, RULE, cal);

describe('TELK 30-day clock (R-TELK-01, R-TELK-02, DECISIONS 19)', () => {
  it('R-TELK-01: outside the blackout the protocol is due 30 days after the request', () => {
    expect(sched('2026-03-02')).toEqual({ earliestOn: '2026-03-02', dueOn: '2026-04-01', suspended: false });
  });
  it('R-TELK-01: a due day on a weekend or holiday moves back to the last working day', () => {
    // 2026-04-02 + 30 = 2026-05-02 (Saturday; 1 May is a holiday) → Thursday 30 April.
    expect(sched('2026-04-02').dueOn).toBe('2026-04-30');
  });
  it('R-TELK-02: a request on 31 May: the clock stops for June and resumes on 7 July', () => {
    expect(sched('2026-05-31')).toEqual({ earliestOn: '2026-05-31', dueOn: '2026-08-05', suspended: true });
  });
  it('R-TELK-02: a request on 1 June is scheduled on or after 7 July', () => {
    expect(sched('2026-06-01')).toEqual({ earliestOn: '2026-07-07', dueOn: '2026-08-05', suspended: true });
  });
  it('R-TELK-02: a request on 15 May counts 16 May days before the blackout and the rest from 7 July', () => {
    expect(sched('2026-05-15').dueOn).toBe('2026-07-20');
  });
  it('R-TELK-02: a request on 30 November: the clock stops for December and resumes on 7 January', () => {
    expect(sched('2026-11-30')).toEqual({ earliestOn: '2026-11-30', dueOn: '2027-02-05', suspended: true });
  });
  it('R-TELK-02: requests on 1 and 20 December are scheduled after 6 January', () => {
    expect(sched('2026-12-01')).toEqual({ earliestOn: '2027-01-07', dueOn: '2027-02-05', suspended: true });
    expect(sched('2026-12-20')).toEqual({ earliestOn: '2027-01-07', dueOn: '2027-02-05', suspended: true });
  });
  it('R-TELK-02: a request on 3 January (clock still suspended) starts on 7 January', () => {
    expect(sched('2027-01-03').earliestOn).toBe('2027-01-07');
  });
});

describe('TELK preparation (R-TELK-03..10)', () => {
  it('R-TELK-03: the temporary address counts only if registered at least 3 months before', () => {
    expect(registryAddress('2026-01-10', '2026-04-10')).toBe('temporary');
    expect(registryAddress('2026-01-11', '2026-04-10')).toBe('permanent');
    expect(registryAddress(null, '2026-04-10')).toBe('permanent');
  });
  it('R-TELK-04: tests and consultations from the last 12 months are reused', () => {
    const docs = [{ dated: '2025-04-10', id: 'a' }, { dated: '2025-04-09', id: 'b' }, { dated: '2026-03-01', id: 'c' }];
    const r = reusableDocuments(docs, '2026-04-10');
    expect(r.reusable.map((x) => x.id)).toEqual(['a', 'c']);
    expect(r.tooOld.map((x) => x.id)).toEqual(['b']);
  });
  it('R-TELK-05: a lent dossier is due back within 7 days', () => {
    expect(dossierDueOn('2026-03-27')).toBe('2026-04-03');
  });
  it('R-TELK-06: a diagnosis neither documented nor present at the exam is refused', () => {
    expect(undocumentedDiagnoses([{ code: 'I10', documented: true, presentAtExam: false }, { code: 'E11', documented: false, presentAtExam: true }, { code: 'M54', documented: false, presentAtExam: false }])).toEqual(['M54']);
  });
  it('R-TELK-07: after temporary incapacity only the ЛКК refers; otherwise GP or treating specialist', () => {
    expect(routeRefusal('gp', true)).not.toBeNull();
    expect(routeRefusal('lkk', true)).toBeNull();
    expect(routeRefusal('gp', false)).toBeNull();
    expect(routeRefusal('treating_specialist', false)).toBeNull();
  });
  it('R-TELK-08, R-TELK-09: NHIF pays only highly specialised tests; the protocol per price list, the visit the user fee', () => {
    const lines = telkFees({ copies: true, tests: [{ code: '10.11', highlySpecialised: true }, { code: '01.01', highlySpecialised: false }] });
    expect(lines).toEqual([
      { item: 'protocol', payer: 'patient', basis: 'price_list' },
      { item: 'preparation_visit', payer: 'patient', basis: 'user_fee' },
      { item: 'copies', payer: 'patient', basis: 'price_list' },
      { item: 'test', payer: 'nhif', basis: 'nhif' },
      { item: 'test', payer: 'patient', basis: 'lab_price' },
    ]);
  });
  it('R-TELK-10: the 7-item bundle; the address certificate and previous decision only when they apply; a child needs the parent’s ID', () => {
    const all = { identity_document: true, current_address_certificate: true, medical_documents: true, last_12_months_tests: true, previous_telk_decision: true, diseases_list: true, medications_list: true };
    expect(missingChecklistItems({ presented: all, child: false, addressDiffers: true, hadPreviousDecision: true })).toEqual([]);
    expect(missingChecklistItems({ presented: { ...all, current_address_certificate: false, previous_telk_decision: false }, child: false, addressDiffers: false, hadPreviousDecision: false })).toEqual([]);
    expect(missingChecklistItems({ presented: { ...all, medications_list: false }, child: true, addressDiffers: false, hadPreviousDecision: false })).toEqual(['medications_list', 'parent_identity_document']);
    expect(missingChecklistItems({ presented: {}, child: false, addressDiffers: true, hadPreviousDecision: true })).toHaveLength(7);
  });
});

describe('medical expertise (R-EXP-01..05)', () => {
  it('R-EXP-01: TELK expertise only by appointment', () => {
    expect(expertiseRefusal('telk', { examined: true, booked: false })).toMatchObject({ rule: 'R-EXP-01' });
    expect(expertiseRefusal('telk', { examined: true, booked: true })).toBeNull();
  });
  it("R-EXP-02: a school-absence note needs an exam, a parent's notice or another doctor's sheet", () => {
    expect(expertiseRefusal('school_absence', { examined: false, booked: false })).toMatchObject({ rule: 'R-EXP-02' });
    expect(expertiseRefusal('school_absence', { examined: false, booked: false, parentNotice: true })).toBeNull();
    expect(expertiseRefusal('school_absence', { examined: false, booked: false, otherDoctorSheet: true })).toBeNull();
  });
  it('R-EXP-03: cause-of-death exclusions, including more than 48 hours', () => {
    const none = { identityUnclear: false, relativesDoubt: false, crime: false, hoursSinceDeath: 48, violence: false, recentTrauma: false, suspectedViolentDeath: false, refusedCare: false };
    expect(causeOfDeathExclusions(none)).toEqual([]);
    expect(causeOfDeathExclusions({ ...none, hoursSinceDeath: 49, crime: true })).toEqual(['crime', 'over_48_hours']);
  });
  it('R-EXP-04: temporary incapacity, the ЛКК referral and the discretionary TELK referral are free', () => {
    expect(expertiseIsFree('temporary_incapacity')).toBe(true);
    expect(expertiseIsFree('lkk_referral')).toBe(true);
    expect(expertiseIsFree('telk', { doctorsDiscretion: true })).toBe(true);
    expect(expertiseIsFree('telk')).toBe(false);
    expect(expertiseIsFree('driving')).toBe(false);
  });
  it('R-EXP-05: school, sport, driving notes only after an exam; care-home and insurance expertise by appointment', () => {
    for (const k of ['school', 'kindergarten', 'sport', 'driving', 'work', 'marriage'] as const) expect(expertiseRefusal(k, { examined: false, booked: true }), k).toMatchObject({ rule: 'R-EXP-05' });
    expect(expertiseRefusal('driving', { examined: true, booked: false })).toBeNull();
    expect(expertiseRefusal('care_home', { examined: true, booked: false })).toMatchObject({ rule: 'R-EXP-05' });
    expect(expertiseRefusal('insurance', { examined: true, booked: false })).toMatchObject({ rule: 'R-EXP-05' });
  });
});
