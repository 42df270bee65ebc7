import { Temporal } from 'temporal-polyfill';
import type { WorkingCalendar } from '../../platform/calendar.js';

/**
 * TELK preparation (W16) and expertise (E37) rules as pure functions. The windows are dated data
 * (`nhif_rule` key `telk.clock`). Regulatory: telemedicine-patient-rights-foreigners-gp-practice.md §2.E,
 * W16, R-TELK-01..10, R-EXP-01..05; DECISIONS.md item 19; interpretations.
 */

/** `telk.clock`: 30 days (R-TELK-01), not in June and December (R-TELK-02), resuming on the 7th. */
export interface TelkClockRule {
  days: number;
  blackoutMonths: number[];
  resumeDay: number;
}

const d = (s: string) => Temporal.PlainDate.from(s);

/**
 * Whether the preparation clock runs on a date: not in a blackout month, nor in the following month
 * before the resume day (A-41: the clock is suspended and resumes on the 7th of July or January).
 */
export function clockRuns(date: Temporal.PlainDate, rule: TelkClockRule): boolean {
  if (rule.blackoutMonths.includes(date.month)) return false;
  const prev = date.month === 1 ? 12 : date.month - 1;
  return !(rule.blackoutMonths.includes(prev) && date.day < rule.resumeDay);
}

export interface TelkSchedule {
  /** The earliest day the protocol may be produced (R-TELK-02: on or after the 7th after a blackout). */
  earliestOn: string;
  /** R-TELK-01: the last day, after `days` running days, moved back to a working day. */
  dueOn: string;
  /** The clock was suspended for a blackout, for the record. */
  suspended: boolean;
}

/**
 * The TELK protocol's schedule from the patient's request (R-TELK-01, R-TELK-02, R-EXP-01, DECISIONS 19):
 * the request day is day 0; the 30 days count only days on which the clock runs; the due day is moved
 * back to the last working day on which the clock runs (the appointment is a working-day visit).
 * @param requestedOn - the local date of the request
 * @param rule - the dated clock rule
 * @param calendar - the working-day calendar
 * @returns earliest and due dates
 */
export function telkSchedule(requestedOn: string, rule: TelkClockRule, calendar: Pick<WorkingCalendar, 'isWorkingDay'>): TelkSchedule {
  let day = d(requestedOn);
  let counted = 0;
  let suspended = false;
  let earliest: Temporal.PlainDate | null = clockRuns(day, rule) ? day : null;
  while (counted < rule.days) {
    day = day.add({ days: 1 });
    if (clockRuns(day, rule)) {
      counted += 1;
      earliest ??= day;
    } else suspended = true;
  }
  let due = day;
  while (!(calendar.isWorkingDay(due) && clockRuns(due, rule)) && Temporal.PlainDate.compare(due, earliest as Temporal.PlainDate) > 0) due = due.subtract({ days: 1 });
  return { earliestOn: (earliest as Temporal.PlainDate).toString(), dueOn: due.toString(), suspended };
}

/**
 * The TELK registry address (R-TELK-03): the temporary address counts only if registered at least
 * 3 months before the presentation.
 * @returns which address files the protocol
 */
export function registryAddress(temporaryRegisteredOn: string | null, presentationOn: string, months = 3): 'permanent' | 'temporary' {
  if (!temporaryRegisteredOn) return 'permanent';
  return Temporal.PlainDate.compare(d(temporaryRegisteredOn), d(presentationOn).subtract({ months })) <= 0 ? 'temporary' : 'permanent';
}

/**
 * Tests and consultations reused for TELK (R-TELK-04): those from the last 12 months before the appearance.
 * @param documents - dated documents
 * @param appearanceOn - the TELK appearance (or the visit with the TELK letter)
 * @returns the reusable ones and the ones too old
 */
export function reusableDocuments<T extends { dated: string }>(documents: readonly T[], appearanceOn: string, months = 12): { reusable: T[]; tooOld: T[] } {
  const from = d(appearanceOn).subtract({ months });
  const reusable = documents.filter((x) => Temporal.PlainDate.compare(d(x.dated), from) >= 0 && Temporal.PlainDate.compare(d(x.dated), d(appearanceOn)) <= 0);
  return { reusable, tooOld: documents.filter((x) => !reusable.includes(x)) };
}

/** R-TELK-05: the lent dossier is back within 7 days. */
export function dossierDueOn(lentOn: string, days = 7): string {
  return d(lentOn).add({ days }).toString();
}

/** The 7 items of the bundle (E23, R-TELK-10). */
export const TELK_CHECKLIST = ['identity_document', 'current_address_certificate', 'medical_documents', 'last_12_months_tests', 'previous_telk_decision', 'diseases_list', 'medications_list'] as const;
export type TelkChecklistItem = (typeof TELK_CHECKLIST)[number];

export interface ChecklistFacts {
  /** Items ticked as presented. */
  presented: Partial<Record<TelkChecklistItem, boolean>>;
  /** For a child the parent's ID is item 1 as well (R-TELK-10). */
  child: boolean;
  parentIdPresented?: boolean;
  /** Item 2 applies only if the current address differs from the permanent one. */
  addressDiffers: boolean;
  /** Item 5 applies only if there was a previous decision. */
  hadPreviousDecision: boolean;
}

/**
 * The bundle items still missing (R-TELK-10); completion is blocked while any is.
 * @returns the missing items, `parent_identity_document` for a child without the parent's ID
 */
export function missingChecklistItems(f: ChecklistFacts): string[] {
  const missing: string[] = [];
  for (const item of TELK_CHECKLIST) {
    if (item === 'current_address_certificate' && !f.addressDiffers) continue;
    if (item === 'previous_telk_decision' && !f.hadPreviousDecision) continue;
    if (f.presented[item] !== true) missing.push(item);
  }
  if (f.child && f.parentIdPresented !== true) missing.push('parent_identity_document');
  return missing;
}

/**
 * R-TELK-06: every diagnosis on the protocol is documented or objectively present at the exam.
 * @returns the codes that are neither
 */
export function undocumentedDiagnoses(diagnoses: readonly { code: string; documented: boolean; presentAtExam: boolean }[]): string[] {
  return diagnoses.filter((x) => !x.documented && !x.presentAtExam).map((x) => x.code);
}

export type TelkRoute = 'gp' | 'treating_specialist' | 'lkk';

/**
 * Who refers to TELK (R-TELK-07, A-43): the ЛКК when temporary incapacity preceded; otherwise the GP,
 * the treating specialist or the ЛКК.
 * @returns null when allowed, else the rule's reason
 */
export function routeRefusal(route: TelkRoute, temporaryIncapacityPreceded: boolean): string | null {
  if (temporaryIncapacityPreceded && route !== 'lkk') return 'Temporary incapacity preceded: the ЛКК refers to TELK';
  return null;
}

/** A fee line of TELK preparation (R-TELK-08, R-TELK-09; the price list is the practice's, A-40). */
export interface FeeLine {
  item: 'protocol' | 'preparation_visit' | 'copies' | 'test';
  payer: 'patient' | 'nhif';
  /** The price list's key, or the user fee / lab price. */
  basis: 'price_list' | 'user_fee' | 'lab_price' | 'nhif';
}

/**
 * Who pays what in a TELK preparation (R-TELK-08, R-TELK-09).
 * @param f - copies requested and the tests TELK asked for
 * @returns fee lines (amounts come from the price list)
 */
export function telkFees(f: { copies: boolean; tests: { code: string; highlySpecialised: boolean }[] }): FeeLine[] {
  const lines: FeeLine[] = [
    { item: 'protocol', payer: 'patient', basis: 'price_list' },
    { item: 'preparation_visit', payer: 'patient', basis: 'user_fee' },
  ];
  if (f.copies) lines.push({ item: 'copies', payer: 'patient', basis: 'price_list' });
  for (const t of f.tests) lines.push(t.highlySpecialised ? { item: 'test', payer: 'nhif', basis: 'nhif' } : { item: 'test', payer: 'patient', basis: 'lab_price' });
  return lines;
}

/** Medical notices and other expertise (E37). */
export type ExpertiseKind = 'temporary_incapacity' | 'school_absence' | 'lkk_referral' | 'telk' | 'rehabilitation' | 'insurance' | 'work' | 'school' | 'kindergarten' | 'sport' | 'driving' | 'marriage' | 'care_home' | 'cause_of_death';

/**
 * R-EXP-02, R-EXP-05, R-EXP-01: what an expertise needs before it can be issued.
 * @returns null when allowed, else the rule id and the reason
 */
export function expertiseRefusal(kind: ExpertiseKind, f: { examined: boolean; booked: boolean; parentNotice?: boolean; otherDoctorSheet?: boolean }): { rule: string; detail: string } | null {
  if (kind === 'school_absence') {
    return f.examined || f.parentNotice || f.otherDoctorSheet ? null : { rule: 'R-EXP-02', detail: "A school-absence note needs an exam of the child, a parent's notice, or another doctor's ambulatory sheet" };
  }
  if ((kind === 'care_home' || kind === 'insurance' || kind === 'telk') && !f.booked) return { rule: kind === 'telk' ? 'R-EXP-01' : 'R-EXP-05', detail: 'This expertise is done by appointment' };
  if (['work', 'school', 'kindergarten', 'sport', 'driving', 'marriage', 'care_home'].includes(kind) && !f.examined) return { rule: 'R-EXP-05', detail: 'This expertise is done only after an examination' };
  return null;
}

/**
 * R-EXP-03: cause-of-death expertise is not done at the practice if any exclusion holds.
 * @returns the exclusions that hold
 */
export function causeOfDeathExclusions(f: { identityUnclear: boolean; relativesDoubt: boolean; crime: boolean; hoursSinceDeath: number; violence: boolean; recentTrauma: boolean; suspectedViolentDeath: boolean; refusedCare: boolean }): string[] {
  const out: string[] = (Object.keys(f) as (keyof typeof f)[]).filter((k) => k !== 'hoursSinceDeath' && f[k] === true);
  if (f.hoursSinceDeath > 48) out.push('over_48_hours');
  return out;
}

/**
 * R-EXP-04: expertise is paid per the price list except the free items: temporary incapacity at the exam
 * (or later on a registered exam), the ЛКК referral, the TELK referral at the doctor's discretion.
 */
export function expertiseIsFree(kind: ExpertiseKind, f: { doctorsDiscretion?: boolean } = {}): boolean {
  return kind === 'temporary_incapacity' || kind === 'lkk_referral' || (kind === 'telk' && f.doctorsDiscretion === true);
}
