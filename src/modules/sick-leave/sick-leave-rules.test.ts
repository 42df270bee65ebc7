import { describe, expect, it } from 'vitest';
import { benefitWarning, checkDuplicate, checkIssue, checkLimits, daysIn, daysInYear, lakDuplicateMissingYears, maternityPlan, type IssueFacts, type PriorLeave } from './sick-leave-rules.js';

const LIMITS = { consecutiveDays: 14, yearDays: 40, familyCareBenefitDays: 10, sickChildBenefitDays: 60 };
const MAT = { prenatalDays: 45, postnatalDays: 42, newbornDays: 48 };
const GP = 'gp-1';
const OTHER = 'gp-2';
const leave = (startOn: string, endOn: string, practitionerId = GP, kind: PriorLeave['kind'] = 'illness'): PriorLeave => ({ practitionerId, kind, startOn, endOn });

const base: IssueFacts = {
  kind: 'illness',
  capacity: 'gp',
  startOn: '2026-03-10',
  endOn: '2026-03-16',
  issuedOn: '2026-03-10',
  exam: { kind: 'in_person', remoteAssessable: null, examOn: '2026-03-10', practitionerId: GP, patientId: 'p' },
  employers: [{ name: 'Фирма ЕООД', address: 'София, ул. Шипка 1', jobTitle: 'счетоводител' }],
};
const issue = (over: Partial<IssueFacts>) => checkIssue({ ...base, ...over }, MAT);

describe('sick-leave limits per issuing doctor (R-SL-01..04, DECISIONS 18)', () => {
  it('counts inclusive calendar days and splits a leave across New Year', () => {
    expect(daysIn('2026-03-10', '2026-03-16')).toBe(7);
    expect(daysInYear('2025-12-28', '2026-01-03', 2025)).toBe(4);
    expect(daysInYear('2025-12-28', '2026-01-03', 2026)).toBe(3);
  });

  it('R-SL-01: 14 consecutive days are allowed, the 15th day of the episode is refused and routed to the ЛКК', () => {
    const prior = [leave('2026-03-01', '2026-03-07'), leave('2026-03-08', '2026-03-14')];
    const ok = checkLimits({ kind: 'illness', startOn: '2026-03-01', endOn: '2026-03-14' }, [], GP, LIMITS);
    expect(ok).toMatchObject({ ok: true, counters: { requestDays: 14, episodeDaysBefore: 0 } });
    const r = checkLimits({ kind: 'illness', startOn: '2026-03-15', endOn: '2026-03-15' }, prior, GP, LIMITS);
    expect(r).toMatchObject({ ok: false, rule: 'R-SL-01', code: 'sick_leave.limit_14', routeTo: 'lkk', counters: { episodeDaysBefore: 14, requestDays: 1 } });
  });

  it('R-SL-01: a break of one day starts a new episode', () => {
    const r = checkLimits({ kind: 'illness', startOn: '2026-03-16', endOn: '2026-03-20' }, [leave('2026-03-01', '2026-03-14')], GP, LIMITS);
    expect(r).toMatchObject({ ok: true, counters: { episodeDaysBefore: 0 } });
  });

  it('R-SL-02: 40 days with interruptions in a calendar year; the request that passes 40 is refused', () => {
    const prior = [leave('2026-01-05', '2026-01-18'), leave('2026-03-02', '2026-03-15'), leave('2026-05-04', '2026-05-13')]; // 14 + 14 + 10 = 38
    expect(checkLimits({ kind: 'illness', startOn: '2026-09-01', endOn: '2026-09-02' }, prior, GP, LIMITS)).toMatchObject({ ok: true });
    const r = checkLimits({ kind: 'illness', startOn: '2026-09-01', endOn: '2026-09-03' }, prior, GP, LIMITS);
    expect(r).toMatchObject({ ok: false, rule: 'R-SL-02', code: 'sick_leave.limit_40', year: 2026, counters: { yearDaysBefore: { '2026': 38 } } });
  });

  it('R-SL-02: the count restarts each calendar year; a leave across New Year counts its days in each year', () => {
    const prior = [leave('2025-02-01', '2025-02-14'), leave('2025-05-01', '2025-05-14'), leave('2025-09-01', '2025-09-10')]; // 38 in 2025
    // 28-31 December = 4 days in 2025 → 42: refused for 2025 although 2026 is empty.
    expect(checkLimits({ kind: 'illness', startOn: '2025-12-28', endOn: '2026-01-03' }, prior, GP, LIMITS)).toMatchObject({ ok: false, rule: 'R-SL-02', year: 2025 });
    // Only 2 days in 2025 → 40; the 2026 days start a fresh year.
    expect(checkLimits({ kind: 'illness', startOn: '2025-12-30', endOn: '2026-01-05' }, prior, GP, LIMITS)).toMatchObject({ ok: true, counters: { yearDaysBefore: { '2025': 38, '2026': 0 } } });
    expect(checkLimits({ kind: 'illness', startOn: '2026-01-10', endOn: '2026-01-20' }, prior, GP, LIMITS)).toMatchObject({ ok: true });
  });

  it('DECISIONS 18: limits count per issuing doctor; a second doctor starts from zero and sees the total as information', () => {
    const prior = [leave('2026-01-05', '2026-01-18'), leave('2026-03-02', '2026-03-15'), leave('2026-05-04', '2026-05-15')]; // 40 by GP
    expect(checkLimits({ kind: 'illness', startOn: '2026-09-01', endOn: '2026-09-01' }, prior, GP, LIMITS)).toMatchObject({ ok: false, rule: 'R-SL-02' });
    const other = checkLimits({ kind: 'illness', startOn: '2026-09-01', endOn: '2026-09-10' }, prior, OTHER, LIMITS);
    expect(other).toMatchObject({ ok: true, counters: { yearDaysBefore: { '2026': 0 }, allIssuersYearDays: 40 } });
    // Continuous with the first doctor's leave, but another doctor: not the same doctor's episode.
    expect(checkLimits({ kind: 'illness', startOn: '2026-05-16', endOn: '2026-05-20' }, prior, OTHER, LIMITS)).toMatchObject({ ok: true, counters: { episodeDaysBefore: 0 } });
  });

  it('R-SL-04: care leave has the same 14/40 limits, counted apart from the own-illness days (A-31)', () => {
    const prior = [leave('2026-03-01', '2026-03-14')];
    expect(checkLimits({ kind: 'family_care', startOn: '2026-03-15', endOn: '2026-03-20' }, prior, GP, LIMITS)).toMatchObject({ ok: true });
    const care = [leave('2026-03-01', '2026-03-14', GP, 'family_care')];
    expect(checkLimits({ kind: 'family_care', startOn: '2026-03-15', endOn: '2026-03-15' }, care, GP, LIMITS)).toMatchObject({ ok: false, rule: 'R-SL-01' });
  });

  it('R-SL-08: maternity leave is not limited by 14/40', () => {
    expect(checkLimits({ kind: 'maternity_prenatal', startOn: '2026-01-01', endOn: '2026-02-14' }, [], GP, LIMITS)).toMatchObject({ ok: true });
  });
});

describe('who issues what and on which exam', () => {
  it('R-SL-21: no sick leave without an examination; a phone call is not one', () => {
    expect(issue({ exam: null })).toMatchObject({ ok: false, rule: 'R-SL-21', code: 'sick_leave.no_exam' });
    expect(issue({ exam: { ...base.exam!, kind: 'phone' } })).toMatchObject({ ok: false, rule: 'R-SL-21' });
    expect(issue({})).toMatchObject({ ok: true, retroactive: false });
  });

  it('R-SL-21 (Art. 9): a remote consultation establishes incapacity only when recorded as remotely assessable', () => {
    expect(issue({ exam: { ...base.exam!, kind: 'remote', remoteAssessable: false } })).toMatchObject({ ok: false, code: 'sick_leave.remote_not_assessable' });
    expect(issue({ exam: { ...base.exam!, kind: 'remote', remoteAssessable: null } })).toMatchObject({ ok: false, code: 'sick_leave.remote_not_assessable' });
    expect(issue({ exam: { ...base.exam!, kind: 'remote', remoteAssessable: true } })).toMatchObject({ ok: true });
  });

  it('R-SL-19: the GP may not issue dental sick leave; the dentist may', () => {
    expect(issue({ kind: 'dental' })).toMatchObject({ ok: false, rule: 'R-SL-19' });
    expect(issue({ kind: 'dental', capacity: 'dentist' })).toMatchObject({ ok: true });
  });

  it('R-SL-11: a consultant does not set the duration', () => {
    expect(issue({ capacity: 'consultant' })).toMatchObject({ ok: false, rule: 'R-SL-11' });
  });

  it("R-SL-12: sanatorium leave only by a hospital's ЛКК after hospital treatment", () => {
    expect(issue({ kind: 'sanatorium' })).toMatchObject({ ok: false, rule: 'R-SL-12' });
    expect(issue({ kind: 'sanatorium', capacity: 'hospital_lkk' })).toMatchObject({ ok: false, rule: 'R-SL-12' });
    expect(issue({ kind: 'sanatorium', capacity: 'hospital_lkk', hospitalDischargeOn: '2026-03-01' })).toMatchObject({ ok: true });
  });

  it('R-SL-10: exam/consultation and accompanying leave only with a service note for most of the working day', () => {
    expect(issue({ kind: 'exam_consultation' })).toMatchObject({ ok: false, rule: 'R-SL-10' });
    expect(issue({ kind: 'exam_consultation', serviceNote: { facility: 'ДКЦ 1', activities: 'ЯМР', hours: 3, mostOfWorkingDay: false } })).toMatchObject({ ok: false, rule: 'R-SL-10' });
    expect(issue({ kind: 'exam_consultation', startOn: '2026-03-10', endOn: '2026-03-10', serviceNote: { facility: 'ДКЦ 1', activities: 'ЯМР', hours: 6, mostOfWorkingDay: true } })).toMatchObject({ ok: true });
    expect(issue({ kind: 'accompanying' })).toMatchObject({ ok: false, rule: 'R-SL-10' });
  });

  it('R-SL-22: the employer’s exact name, registered address and job title are required', () => {
    expect(issue({ employers: [] })).toMatchObject({ ok: false, rule: 'R-SL-22' });
    expect(issue({ employers: [{ name: 'Фирма', address: ' ', jobTitle: 'x' }] })).toMatchObject({ ok: false, rule: 'R-SL-22', pointer: '#/employers/0' });
  });

  it('R-SL-13: one certificate per employer: the same employer twice is refused', () => {
    const e = base.employers[0]!;
    expect(issue({ employers: [e, { ...e, name: ' фирма еоод ' }] })).toMatchObject({ ok: false, rule: 'R-SL-13' });
    expect(issue({ employers: [e, { ...e, name: 'Друга АД' }] })).toMatchObject({ ok: true });
  });

  it('R-SL-20: the leave starts on the exam day; a later issue needs a recorded reason', () => {
    expect(issue({ startOn: '2026-03-11', endOn: '2026-03-16' })).toMatchObject({ ok: false, rule: 'R-SL-20' });
    expect(issue({ issuedOn: '2026-03-12' })).toMatchObject({ ok: false, rule: 'R-SL-20', pointer: '#/lateIssueReason' });
    expect(issue({ issuedOn: '2026-03-12', lateIssueReason: 'no_lak' })).toMatchObject({ ok: true });
  });

  it('R-SL-14: a retroactive leave without an exam document of its first day is refused', () => {
    expect(issue({ startOn: '2026-03-08' })).toMatchObject({ ok: false, rule: 'R-SL-14' });
    expect(issue({ startOn: '2026-03-08', examDocument: { examOn: '2026-03-09' } })).toMatchObject({ ok: false, rule: 'R-SL-14' });
  });

  it('R-SL-15: the retroactive exam document has every required field, signature and stamp', () => {
    const doc = { patientNames: 'Иван Петров', examOn: '2026-03-08', diagnosis: 'J06.9', treatment: 'парацетамол', incapacityOpinion: 'неработоспособен', doctorNames: 'д-р Иванов', signed: true, stamped: false };
    expect(issue({ startOn: '2026-03-08', examDocument: doc })).toMatchObject({ ok: false, rule: 'R-SL-15', detail: expect.stringContaining('stamp') });
    expect(issue({ startOn: '2026-03-08', examDocument: { ...doc, stamped: true } })).toMatchObject({ ok: true, retroactive: true });
  });
});

describe('family care and quarantine (R-SL-04..07, R-SL-26)', () => {
  const care = (over: Partial<NonNullable<IssueFacts['care']>>, kind: IssueFacts['kind'] = 'family_care') =>
    issue({ kind, care: { relation: 'child', sickPersonGpPractitionerId: GP, sickPersonAge: 6, attendsChildrenFacility: true, ...over } });

  it('R-SL-06: first-line family only; a son-in-law caring for a parent-in-law is refused', () => {
    expect(care({ relation: 'in_law' })).toMatchObject({ ok: false, rule: 'R-SL-06' });
    expect(care({ relation: 'other' })).toMatchObject({ ok: false, rule: 'R-SL-06' });
    for (const relation of ['child', 'parent', 'sibling'] as const) expect(care({ relation })).toMatchObject({ ok: true });
  });

  it("R-SL-07: care leave is issued by the sick person's GP", () => {
    expect(care({ sickPersonGpPractitionerId: OTHER })).toMatchObject({ ok: false, rule: 'R-SL-07' });
    expect(care({ sickPersonGpPractitionerId: null })).toMatchObject({ ok: false, rule: 'R-SL-07' });
  });

  it("R-SL-26: quarantine leave only for a child who attends a children's facility", () => {
    expect(care({ attendsChildrenFacility: false }, 'quarantine')).toMatchObject({ ok: false, rule: 'R-SL-26' });
    expect(care({ relation: 'parent', sickPersonAge: 70 }, 'quarantine')).toMatchObject({ ok: false, rule: 'R-SL-26' });
    expect(care({}, 'quarantine')).toMatchObject({ ok: true });
  });

  it('R-SL-05: the NOI benefit limits warn (10 days family, 60 days sick child) but do not block', () => {
    expect(benefitWarning({ startOn: '2026-03-01', endOn: '2026-03-05' }, 6, 40, LIMITS)).toEqual({ rule: 'R-SL-05', kind: 'family_care', limitDays: 10, daysInYear: 11 });
    expect(benefitWarning({ startOn: '2026-03-01', endOn: '2026-03-05' }, 5, 40, LIMITS)).toBeNull();
    expect(benefitWarning({ startOn: '2026-03-01', endOn: '2026-03-05' }, 50, 7, LIMITS)).toBeNull();
    expect(benefitWarning({ startOn: '2026-03-01', endOn: '2026-03-14' }, 50, 7, LIMITS)).toMatchObject({ kind: 'sick_child', limitDays: 60, daysInYear: 64 });
  });
});

describe('maternity (R-SL-08, R-SL-09)', () => {
  it('R-SL-08: 135 = 45 + 42 + 48 on time; overdue adds to prenatal and takes from newborn care; preterm the reverse', () => {
    const sum = (p: ReturnType<typeof maternityPlan>) => p.prenatal.days + p.postnatal.days + p.newborn.days;
    const onTime = maternityPlan('2026-05-20', '2026-05-20', MAT);
    expect([onTime.prenatal.days, onTime.postnatal.days, onTime.newborn.days, sum(onTime)]).toEqual([45, 42, 48, 135]);
    const late = maternityPlan('2026-05-20', '2026-05-27', MAT);
    expect([late.prenatal.days, late.newborn.days, sum(late)]).toEqual([52, 41, 135]);
    const early = maternityPlan('2026-05-20', '2026-05-06', MAT);
    expect([early.prenatal.days, early.newborn.days, sum(early)]).toEqual([31, 62, 135]);
    const veryEarly = maternityPlan('2026-05-20', '2026-03-20', MAT);
    expect(sum(veryEarly)).toBe(135);
  });

  it('R-SL-09: each part by its issuer, with the planned number of days', () => {
    const m = { dueOn: '2026-05-20' };
    const prenatal = { kind: 'maternity_prenatal' as const, startOn: '2026-04-06', endOn: '2026-05-20', maternity: m, exam: { ...base.exam!, examOn: '2026-04-06' }, issuedOn: '2026-04-06' };
    expect(issue({ ...prenatal, capacity: 'gp' })).toMatchObject({ ok: false, rule: 'R-SL-09' });
    expect(issue({ ...prenatal, capacity: 'pregnancy_doctor' })).toMatchObject({ ok: true });
    expect(issue({ ...prenatal, capacity: 'pregnancy_doctor', endOn: '2026-05-21' })).toMatchObject({ ok: false, rule: 'R-SL-08' });
    const newborn = { kind: 'newborn_care' as const, capacity: 'baby_doctor' as const, startOn: '2026-07-09', exam: { ...base.exam!, examOn: '2026-07-09' }, issuedOn: '2026-07-09' };
    expect(issue({ ...newborn, endOn: '2026-08-25', maternity: m })).toMatchObject({ ok: false, rule: 'R-SL-08' }); // no birth date
    expect(issue({ ...newborn, endOn: '2026-08-17', maternity: { ...m, birthOn: '2026-05-28' } })).toMatchObject({ ok: true }); // 48 - 8 = 40 days
    expect(issue({ ...newborn, capacity: 'birth_facility', endOn: '2026-08-25', maternity: { ...m, birthOn: '2026-05-28' } })).toMatchObject({ ok: false, rule: 'R-SL-09' });
  });
});

describe('duplicates and the ЛАК (R-SL-17, R-SL-18, R-SL-24)', () => {
  it('R-SL-18: only the facility that issued the original issues a duplicate', () => {
    expect(checkDuplicate({ originalFacilityId: 'f1', actorFacilityId: 'f2', written: true, reason: 'загубен', requestedBy: 'patient' })).toMatchObject({ ok: false, rule: 'R-SL-18' });
  });
  it('R-SL-17: a duplicate needs a written request by the patient or employer with the reason', () => {
    expect(checkDuplicate({ originalFacilityId: 'f1', actorFacilityId: 'f1', written: false, reason: 'загубен', requestedBy: 'patient' })).toMatchObject({ ok: false, rule: 'R-SL-17' });
    expect(checkDuplicate({ originalFacilityId: 'f1', actorFacilityId: 'f1', written: true, reason: ' ', requestedBy: 'employer' })).toMatchObject({ ok: false, rule: 'R-SL-17' });
    expect(checkDuplicate({ originalFacilityId: 'f1', actorFacilityId: 'f1', written: true, reason: 'загубен', requestedBy: 'employer' })).toEqual({ ok: true });
  });
  it('R-SL-24: a ЛАК duplicate needs employer certificates for the last 3 calendar years including this one', () => {
    expect(lakDuplicateMissingYears([2024, 2026], '2026-03-10')).toEqual([2025]);
    expect(lakDuplicateMissingYears([2024, 2025, 2026], '2026-03-10')).toEqual([]);
    expect(lakDuplicateMissingYears([2023, 2024, 2025], '2026-01-02')).toEqual([2026]);
  });
});
