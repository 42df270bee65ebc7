import { Temporal } from 'temporal-polyfill';

/**
 * Sick-leave (болничен лист) rules as pure functions: limits per issuing doctor, family care, maternity,
 * exam/consultation, sanatorium, retroactive and duplicate leave, required data. No clock, no I/O: the
 * limits are dated data (`nhif_rule`, DECISIONS.md item 17) passed in by the caller.
 *
 * Regulatory: /work/shared/domain/telemedicine-patient-rights-foreigners-gp-practice.md §2.D, W15,
 * R-SL-01..26; DECISIONS.md item 18; interpretation A-31 (docs/sick-leave.md).
 */

export type SickLeaveKind =
  | 'illness' // own illness, accident
  | 'family_care' // care for a sick family member
  | 'quarantine' // care for a child in quarantine contact
  | 'maternity_prenatal'
  | 'maternity_postnatal'
  | 'newborn_care'
  | 'exam_consultation'
  | 'accompanying'
  | 'sanatorium'
  | 'dental';

/** In which capacity the doctor issues (who issues what: R-SL-07, R-SL-09, R-SL-11, R-SL-12, R-SL-19). */
export type IssuerCapacity = 'gp' | 'treating_specialist' | 'consultant' | 'pregnancy_doctor' | 'birth_facility' | 'baby_doctor' | 'hospital_lkk' | 'dentist';

export type FamilyRelation = 'child' | 'parent' | 'sibling' | 'spouse' | 'in_law' | 'other';

/** The limits and benefit thresholds as dated data (`nhif_rule` keys `sick_leave.*`). */
export interface SickLeaveLimits {
  /** R-SL-01 */
  consecutiveDays: number;
  /** R-SL-02 */
  yearDays: number;
  /** R-SL-05: NOI benefit for family-member care and for a sick child, per calendar year */
  familyCareBenefitDays: number;
  sickChildBenefitDays: number;
}
export interface MaternityRule {
  /** R-SL-08 */
  prenatalDays: number;
  postnatalDays: number;
  newbornDays: number;
}

/** One leave already issued to this insured person (the counting input). */
export interface PriorLeave {
  practitionerId: string;
  kind: SickLeaveKind;
  startOn: string;
  endOn: string;
}

export const DAY_MS = 86_400_000;
const d = (s: string) => Temporal.PlainDate.from(s);
/** Inclusive number of calendar days. */
export const daysIn = (startOn: string, endOn: string): number => d(startOn).until(d(endOn), { largestUnit: 'days' }).days + 1;

/** Leave kinds counted against the 14/40 limits, and in which pool (A-31: own illness and care are counted apart). */
export function limitPool(kind: SickLeaveKind): 'own' | 'care' | null {
  if (kind === 'family_care' || kind === 'quarantine') return 'care';
  if (kind === 'illness' || kind === 'exam_consultation' || kind === 'accompanying') return 'own';
  return null; // maternity (R-SL-08), sanatorium (R-SL-12, hospital ЛКК) and dental (R-SL-19) are not GP-limited
}

/** Days of [startOn, endOn] that fall in `year`. */
export function daysInYear(startOn: string, endOn: string, year: number): number {
  const from = Temporal.PlainDate.compare(d(startOn), Temporal.PlainDate.from({ year, month: 1, day: 1 })) > 0 ? d(startOn) : Temporal.PlainDate.from({ year, month: 1, day: 1 });
  const to = Temporal.PlainDate.compare(d(endOn), Temporal.PlainDate.from({ year, month: 12, day: 31 })) < 0 ? d(endOn) : Temporal.PlainDate.from({ year, month: 12, day: 31 });
  return Temporal.PlainDate.compare(from, to) > 0 ? 0 : from.until(to, { largestUnit: 'days' }).days + 1;
}

export interface LimitCounters {
  /** Days of the continuous episode that ends the day before the request starts, by this doctor. */
  episodeDaysBefore: number;
  /** Days by this doctor in each calendar year the request touches, before the request. */
  yearDaysBefore: Record<string, number>;
  /** Days the request adds. */
  requestDays: number;
  /** Information only: every issuer's days for this person in the request's first year. */
  allIssuersYearDays: number;
  limits: { consecutiveDays: number; yearDays: number };
}

export type LimitDecision =
  | { ok: true; counters: LimitCounters }
  | { ok: false; rule: 'R-SL-01' | 'R-SL-02'; code: 'sick_leave.limit_14' | 'sick_leave.limit_40'; counters: LimitCounters; year?: number; routeTo: 'lkk' };

/**
 * The 14 consecutive / 40 per calendar year limits of one issuing doctor (R-SL-01, R-SL-02, R-SL-04 for
 * care). Counted per issuing doctor for this insured person (DECISIONS.md item 18); a leave across New
 * Year counts its days in each year; other doctors' leaves never count but are shown (A-31). Beyond either
 * limit the request is routed to the ЛКК (R-SL-03).
 * @param request - the requested period and kind
 * @param prior - the person's earlier leaves (any issuer, any kind: the function filters)
 * @param practitionerId - the issuing doctor
 * @param limits - the dated limits
 * @returns ok with the counters, or the refusal naming the rule
 */
export function checkLimits(request: { kind: SickLeaveKind; startOn: string; endOn: string }, prior: readonly PriorLeave[], practitionerId: string, limits: Pick<SickLeaveLimits, 'consecutiveDays' | 'yearDays'>): LimitDecision {
  const pool = limitPool(request.kind);
  const requestDays = daysIn(request.startOn, request.endOn);
  const samePool = prior.filter((p) => limitPool(p.kind) === pool && pool !== null);
  const mine = samePool.filter((p) => p.practitionerId === practitionerId);
  // The continuous episode: this doctor's leaves chained day after day up to the request's start.
  let episodeDaysBefore = 0;
  let cursor = d(request.startOn).subtract({ days: 1 });
  for (;;) {
    const prev = mine.find((p) => Temporal.PlainDate.compare(d(p.endOn), cursor) === 0);
    if (!prev) break;
    episodeDaysBefore += daysIn(prev.startOn, prev.endOn);
    cursor = d(prev.startOn).subtract({ days: 1 });
  }
  const years: number[] = [];
  for (let y = d(request.startOn).year; y <= d(request.endOn).year; y += 1) years.push(y);
  const yearDaysBefore: Record<string, number> = {};
  for (const y of years) yearDaysBefore[String(y)] = mine.reduce((n, p) => n + daysInYear(p.startOn, p.endOn, y), 0);
  const firstYear = years[0] as number;
  const counters: LimitCounters = {
    episodeDaysBefore,
    yearDaysBefore,
    requestDays,
    allIssuersYearDays: samePool.reduce((n, p) => n + daysInYear(p.startOn, p.endOn, firstYear), 0),
    limits: { consecutiveDays: limits.consecutiveDays, yearDays: limits.yearDays },
  };
  if (pool === null) return { ok: true, counters };
  if (episodeDaysBefore + requestDays > limits.consecutiveDays) return { ok: false, rule: 'R-SL-01', code: 'sick_leave.limit_14', counters, routeTo: 'lkk' };
  for (const y of years) {
    if ((yearDaysBefore[String(y)] ?? 0) + daysInYear(request.startOn, request.endOn, y) > limits.yearDays) {
      return { ok: false, rule: 'R-SL-02', code: 'sick_leave.limit_40', counters, year: y, routeTo: 'lkk' };
    }
  }
  return { ok: true, counters };
}

/** What the issuing doctor states about the examination that establishes the incapacity. */
export interface ExamFacts {
  /** The encounter's kind. */
  kind: 'remote' | 'in_person' | 'phone' | 'home_visit';
  /** Art. 9: the specialist recorded that the condition could be assessed remotely (remote only). */
  remoteAssessable: boolean | null;
  /** The encounter's local date. */
  examOn: string;
  /** The encounter's practitioner. */
  practitionerId: string;
  patientId: string;
}

export interface EmployerData {
  name: string;
  address: string;
  jobTitle: string;
}

/** A retroactive leave's exam document (R-SL-14/15). */
export interface ExamDocument {
  patientNames?: string;
  examOn?: string;
  diagnosis?: string;
  treatment?: string;
  incapacityOpinion?: string;
  doctorNames?: string;
  signed?: boolean;
  stamped?: boolean;
}

export interface IssueFacts {
  kind: SickLeaveKind;
  capacity: IssuerCapacity;
  startOn: string;
  endOn: string;
  /** The local date of issue (today). */
  issuedOn: string;
  exam: ExamFacts | null;
  employers: EmployerData[];
  /** R-SL-20: why the leave is issued at a follow-up exam rather than on the exam day. */
  lateIssueReason?: 'no_lak' | 'unclear_duration' | 'missing_employer_data';
  /** R-SL-14/15: for a leave starting before the exam. */
  examDocument?: ExamDocument;
  /** R-SL-04..07, R-SL-26 */
  care?: { relation: FamilyRelation; sickPersonGpPractitionerId: string | null; sickPersonAge: number; attendsChildrenFacility?: boolean };
  /** R-SL-10: the service note of the lab/ДКЦ/hospital, or the receiving facility's statement. */
  serviceNote?: { facility: string; activities: string; hours: number; mostOfWorkingDay: boolean };
  /** R-SL-12 */
  hospitalDischargeOn?: string;
  /** R-SL-08/09: the maternity plan's part is checked against the due and birth dates. */
  maternity?: { dueOn: string; birthOn?: string };
}

export type IssueRefusal = { ok: false; rule: string; code: SickLeaveErrorCode; pointer?: string; detail: string };
export type SickLeaveErrorCode =
  | 'sick_leave.no_exam'
  | 'sick_leave.remote_not_assessable'
  | 'sick_leave.wrong_issuer'
  | 'sick_leave.family_relation'
  | 'sick_leave.quarantine_not_eligible'
  | 'sick_leave.service_note_required'
  | 'sick_leave.retroactive_document'
  | 'sick_leave.issue_day'
  | 'sick_leave.employer_data'
  | 'sick_leave.maternity_days'
  | 'sick_leave.period_invalid';

const refuse = (rule: string, code: SickLeaveErrorCode, detail: string, pointer?: string): IssueRefusal => ({ ok: false, rule, code, detail, ...(pointer ? { pointer } : {}) });

/** The three parts of a maternity leave and who issues each (R-SL-08, R-SL-09). */
export interface MaternityPlan {
  prenatal: { days: number; capacity: 'pregnancy_doctor' };
  postnatal: { days: number; capacity: 'birth_facility' };
  newborn: { days: number; capacity: 'baby_doctor' };
  total: number;
}

/**
 * The maternity plan (R-SL-08): 45 + 42 + 48 = 135. Overdue: the pregnancy doctor adds the days between
 * the due date and the birth and newborn care loses as many. Preterm: the prenatal part ends at the birth
 * and newborn care gains the days between the birth and the due date. The total stays 135.
 * @param dueOn - the expected date of birth
 * @param birthOn - the date of birth, when known
 * @param rule - the dated day counts
 * @returns the plan
 */
export function maternityPlan(dueOn: string, birthOn: string | undefined, rule: MaternityRule): MaternityPlan {
  const shift = birthOn ? d(dueOn).until(d(birthOn), { largestUnit: 'days' }).days : 0; // > 0 overdue, < 0 preterm
  const prenatal = rule.prenatalDays + shift;
  const newborn = rule.newbornDays - shift;
  return {
    prenatal: { days: Math.max(0, prenatal), capacity: 'pregnancy_doctor' },
    postnatal: { days: rule.postnatalDays, capacity: 'birth_facility' },
    newborn: { days: Math.max(0, newborn) + Math.min(0, prenatal), capacity: 'baby_doctor' },
    total: rule.prenatalDays + rule.postnatalDays + rule.newbornDays,
  };
}

const FIRST_LINE: readonly FamilyRelation[] = ['child', 'parent', 'sibling'];
const MATERNITY_PART = { maternity_prenatal: 'prenatal', maternity_postnatal: 'postnatal', newborn_care: 'newborn' } as const;

/**
 * Checks everything about one issue except the 14/40 limits (see {@link checkLimits}).
 * @param f - the facts
 * @param maternity - the dated maternity rule
 * @returns ok, or the first refusal naming its rule
 */
export function checkIssue(f: IssueFacts, maternity: MaternityRule): { ok: true; retroactive: boolean } | IssueRefusal {
  if (Temporal.PlainDate.compare(d(f.startOn), d(f.endOn)) > 0) return refuse('R-SL-01', 'sick_leave.period_invalid', 'The period ends before it starts', '#/endOn');
  // R-SL-21: no temporary-incapacity expertise without an examination; a phone call examines nobody.
  if (!f.exam || f.exam.kind === 'phone') return refuse('R-SL-21', 'sick_leave.no_exam', 'No expertise without an examination of the patient', '#/encounterId');
  // Art. 9: a remote consultation establishes incapacity only where the specialist recorded that the
  // condition could be assessed remotely.
  if (f.exam.kind === 'remote' && f.exam.remoteAssessable !== true) {
    return refuse('R-SL-21', 'sick_leave.remote_not_assessable', 'The consultation did not record that the condition could be assessed remotely (Art. 9)', '#/encounterId');
  }
  // R-SL-19: the GP does not set the period for dental treatment.
  if (f.kind === 'dental' && f.capacity !== 'dentist') return refuse('R-SL-19', 'sick_leave.wrong_issuer', 'Dental sick leave is issued by the treating dentist', '#/kind');
  // R-SL-11: a consultant gives an opinion; the referring doctor sets the duration.
  if (f.capacity === 'consultant') return refuse('R-SL-11', 'sick_leave.wrong_issuer', 'A consultant does not set the sick-leave duration; the referring doctor does', '#/capacity');
  // R-SL-12: sanatorium leave only after hospital treatment and only by the hospital's ЛКК.
  if (f.kind === 'sanatorium' && (f.capacity !== 'hospital_lkk' || !f.hospitalDischargeOn)) {
    return refuse('R-SL-12', 'sick_leave.wrong_issuer', "Sanatorium leave is issued only after hospital treatment, by the hospital's ЛКК", '#/kind');
  }
  if (f.kind in MATERNITY_PART) {
    const part = MATERNITY_PART[f.kind as keyof typeof MATERNITY_PART];
    if (!f.maternity) return refuse('R-SL-08', 'sick_leave.maternity_days', 'The due date is required for maternity leave', '#/maternity');
    const plan = maternityPlan(f.maternity.dueOn, f.maternity.birthOn, maternity)[part];
    // R-SL-09: each part has its issuer.
    if (f.capacity !== plan.capacity) return refuse('R-SL-09', 'sick_leave.wrong_issuer', `This part of maternity leave is issued by the ${plan.capacity.replace('_', ' ')}`, '#/capacity');
    if (part !== 'prenatal' && !f.maternity.birthOn) return refuse('R-SL-08', 'sick_leave.maternity_days', 'The date of birth is required after the birth', '#/maternity/birthOn');
    if (daysIn(f.startOn, f.endOn) !== plan.days) return refuse('R-SL-08', 'sick_leave.maternity_days', `This part is ${plan.days} days (135 = 45 + 42 + 48 with the overdue/preterm adjustment)`, '#/endOn');
  }
  if (f.kind === 'family_care' || f.kind === 'quarantine') {
    if (!f.care) return refuse('R-SL-06', 'sick_leave.family_relation', 'The sick family member is required', '#/care');
    // R-SL-06: first-line family only.
    if (!FIRST_LINE.includes(f.care.relation)) return refuse('R-SL-06', 'sick_leave.family_relation', 'Care leave is only for a child, parent or sibling', '#/care/relation');
    // R-SL-07: issued by the sick person's GP.
    if (f.care.sickPersonGpPractitionerId !== f.exam.practitionerId) return refuse('R-SL-07', 'sick_leave.wrong_issuer', "Care leave is issued by the sick person's GP", '#/care');
    // R-SL-26: quarantine only for a child attending a children's facility.
    if (f.kind === 'quarantine' && (f.care.relation !== 'child' || f.care.sickPersonAge >= 18 || f.care.attendsChildrenFacility !== true)) {
      return refuse('R-SL-26', 'sick_leave.quarantine_not_eligible', "Quarantine leave only for a child who attends a nursery or kindergarten", '#/care');
    }
  }
  // R-SL-10: exam/consultation and accompanying leave only with the facility's note, most of the working day.
  if ((f.kind === 'exam_consultation' || f.kind === 'accompanying') && (!f.serviceNote || !f.serviceNote.mostOfWorkingDay || !f.serviceNote.facility.trim() || !f.serviceNote.activities.trim())) {
    return refuse('R-SL-10', 'sick_leave.service_note_required', 'A service note stating the activities and that they took most of the working day is required', '#/serviceNote');
  }
  // R-SL-22, R-SL-13: every employer's exact name, registered address and job title; one certificate each.
  if (f.employers.length === 0) return refuse('R-SL-22', 'sick_leave.employer_data', "The employer's exact name, registered address and job title are required", '#/employers');
  for (const [i, e] of f.employers.entries()) {
    if (!e.name.trim() || !e.address.trim() || !e.jobTitle.trim()) return refuse('R-SL-22', 'sick_leave.employer_data', "The employer's exact name, registered address and job title are required", `#/employers/${i}`);
  }
  if (new Set(f.employers.map((e) => e.name.trim().toLowerCase())).size !== f.employers.length) return refuse('R-SL-13', 'sick_leave.employer_data', 'One certificate per employer: an employer is listed twice', '#/employers');
  const retroactive = Temporal.PlainDate.compare(d(f.startOn), d(f.exam.examOn)) < 0;
  if (retroactive) {
    // R-SL-14: an exam document dated the day the incapacity starts; R-SL-15: with all its fields.
    const doc = f.examDocument;
    if (!doc || doc.examOn !== f.startOn) return refuse('R-SL-14', 'sick_leave.retroactive_document', 'A retroactive leave needs an exam document dated the day it starts', '#/examDocument');
    const missing = (['patientNames', 'diagnosis', 'treatment', 'incapacityOpinion', 'doctorNames'] as const).filter((k) => !doc[k]?.trim());
    if (missing.length > 0 || !doc.signed || !doc.stamped) return refuse('R-SL-15', 'sick_leave.retroactive_document', `The exam document lacks: ${[...missing, ...(doc.signed ? [] : ['signature']), ...(doc.stamped ? [] : ['stamp'])].join(', ')}`, '#/examDocument');
  } else if (f.startOn !== f.exam.examOn && Temporal.PlainDate.compare(d(f.startOn), d(f.exam.examOn)) > 0) {
    // R-SL-20: the leave starts on the exam day that establishes the incapacity.
    return refuse('R-SL-20', 'sick_leave.issue_day', 'The leave starts on the day of the examination that establishes the incapacity', '#/startOn');
  }
  // R-SL-20: issued on the exam day; at a follow-up only with a recorded reason.
  if (!retroactive && f.issuedOn !== f.exam.examOn && !f.lateIssueReason) {
    return refuse('R-SL-20', 'sick_leave.issue_day', 'Issue on the exam day, or record why it is issued later (no ЛАК, unclear duration, missing employer data)', '#/lateIssueReason');
  }
  return { ok: true, retroactive };
}

/** A benefit warning (R-SL-05): the leave is issued, the NOI may not pay all of it. */
export interface BenefitWarning {
  rule: 'R-SL-05';
  kind: 'family_care' | 'sick_child';
  limitDays: number;
  daysInYear: number;
}

/**
 * NOI benefit limits for care (R-SL-05): warn, not block.
 * @param request - the care leave
 * @param priorCareDaysThisYear - care days already issued to this insured person this year (all issuers)
 * @param sickPersonAge - the sick person's age
 * @param limits - the dated limits
 * @returns a warning or null
 */
export function benefitWarning(request: { startOn: string; endOn: string }, priorCareDaysThisYear: number, sickPersonAge: number, limits: Pick<SickLeaveLimits, 'familyCareBenefitDays' | 'sickChildBenefitDays'>): BenefitWarning | null {
  const total = priorCareDaysThisYear + daysIn(request.startOn, request.endOn);
  const child = sickPersonAge < 18;
  const limitDays = child ? limits.sickChildBenefitDays : limits.familyCareBenefitDays;
  return total > limitDays ? { rule: 'R-SL-05', kind: child ? 'sick_child' : 'family_care', limitDays, daysInYear: total } : null;
}

/**
 * A duplicate (R-SL-17, R-SL-18): on a written request with a reason, by the patient or the employer, only
 * by the facility that issued the original.
 * @returns ok or the refusal
 */
export function checkDuplicate(f: { originalFacilityId: string; actorFacilityId: string; written: boolean; reason: string; requestedBy: 'patient' | 'employer' | 'other' }): { ok: true } | { ok: false; rule: 'R-SL-17' | 'R-SL-18'; code: 'sick_leave.duplicate_refused'; detail: string } {
  if (f.actorFacilityId !== f.originalFacilityId) return { ok: false, rule: 'R-SL-18', code: 'sick_leave.duplicate_refused', detail: 'Only the facility that issued the original issues a duplicate' };
  if (!f.written || !f.reason.trim() || f.requestedBy === 'other') return { ok: false, rule: 'R-SL-17', code: 'sick_leave.duplicate_refused', detail: 'A duplicate needs a written request by the patient or the employer stating the reason' };
  return { ok: true };
}

/**
 * A ЛАК duplicate needs employer certificates of the sick leave used over the last 3 calendar years,
 * including the current one (R-SL-24).
 * @param certificateYears - the years the presented certificates cover
 * @param today - the local date
 * @returns the missing years (empty: complete)
 */
export function lakDuplicateMissingYears(certificateYears: readonly number[], today: string): number[] {
  const y = d(today).year;
  return [y - 2, y - 1, y].filter((year) => !certificateYears.includes(year));
}

/** R-SL-16, R-SL-17: retroactive and duplicate leave are due one working day after the request. */
export const ONE_WORKING_DAY = 1;
