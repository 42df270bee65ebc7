import { Temporal } from 'temporal-polyfill';
import type { ProphylaxisBand } from './fee-rules.js';

/**
 * Pure front-desk rules of a GP practice: the walk-in queue (W19), phone consultations (W17), home
 * visits (W18), document requests (E34), complaints (W24), data breaches (W25), out of hours (W21) and
 * the prophylaxis plan (W20). No I/O, no clock: times and dated values are passed in.
 */

// ---- Walk-in queue (W19, R-PC-01, R-PC-02) ----

export type QueuePriority = 'emergency' | 'urgent' | 'pregnant' | 'infant' | 'other';

/** R-PC-02: critical/emergency > urgent, pregnant, children under 1 > others. */
export const PRIORITY_RANK: Record<QueuePriority, number> = { emergency: 0, urgent: 1, pregnant: 1, infant: 1, other: 2 };

export interface QueueEntry {
  id: string;
  priority: QueuePriority;
  /** ISO instant of the request */
  requestedAt: string;
}

/**
 * R-PC-02: the order patients are called in: by priority rank, then first come first served.
 * @returns a new array, in calling order
 */
export function queueOrder<T extends QueueEntry>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || Temporal.Instant.compare(Temporal.Instant.from(a.requestedAt), Temporal.Instant.from(b.requestedAt)) || (a.id < b.id ? -1 : 1));
}

/**
 * R-PC-01: a walk-in should be examined within the target (48 h) of the request.
 * @param requestedAt - ISO instant
 * @param hours - the target in force
 * @param now - the clock's instant
 * @returns the deadline and whether it has passed
 */
export function walkInTarget(requestedAt: string, hours: number, now: Temporal.Instant): { dueBy: string; overdue: boolean } {
  const due = Temporal.Instant.from(requestedAt).add({ hours });
  return { dueBy: due.toString(), overdue: Temporal.Instant.compare(now, due) > 0 };
}

/**
 * R-PC-02: a child under one year is queued with the urgent group whatever the desk chose.
 * @returns the priority to record
 */
export function effectivePriority(chosen: QueuePriority, ageMonths: number): QueuePriority {
  return chosen === 'other' && ageMonths < 12 ? 'infant' : chosen;
}

// ---- Phone consultations (W17, R-PC-06..08) ----

/** [004] L890-898: what medical advice by phone may be about (5.1-5.4). */
export const PHONE_BASES = ['known_problem', 'test_results', 'regulatory_requirements', 'acute_until_exam'] as const;
/** [004] L900-912: why the doctor may refuse (5.5). */
export const PHONE_REFUSALS = ['insufficient_information', 'complication_likely', 'symptoms_may_be_misread', 'problem_unclear', 'needs_examination'] as const;

export interface PhoneConsultationInput {
  kind: 'medical' | 'administrative';
  basis?: (typeof PHONE_BASES)[number] | undefined;
  outcome: 'advice' | 'information' | 'refused';
  refusalReason?: (typeof PHONE_REFUSALS)[number] | undefined;
  /** the ambulatory consultation booked after a refusal, ISO instant */
  bookedFor?: string | undefined;
  patientId?: string | undefined;
}

export type PhoneCheck = { ok: true } | { ok: false; ruleId: 'R-PC-07' | 'R-PC-08'; why: string };

/**
 * R-PC-07: every consultation is registered with its kind; a medical one names its patient and one of
 * the allowed bases (5.1-5.4). R-PC-08: a refusal names a 5.5 reason and books an ambulatory consultation.
 * @returns ok, or the rule broken
 */
export function checkPhoneConsultation(p: PhoneConsultationInput): PhoneCheck {
  if (p.kind === 'medical') {
    if (!p.patientId) return { ok: false, ruleId: 'R-PC-07', why: 'a medical phone consultation names the patient' };
    if (p.outcome === 'information') return { ok: false, ruleId: 'R-PC-07', why: 'a medical phone consultation ends in advice or a refusal' };
    if (p.outcome === 'advice' && !p.basis) return { ok: false, ruleId: 'R-PC-07', why: 'medical advice by phone needs one of the allowed bases (5.1-5.4)' };
  } else if (p.outcome !== 'information') {
    return { ok: false, ruleId: 'R-PC-07', why: 'an administrative call ends in information' };
  }
  if (p.outcome === 'refused' && (!p.refusalReason || !p.bookedFor)) return { ok: false, ruleId: 'R-PC-08', why: 'a refusal gives the 5.5 reason and books an ambulatory consultation' };
  return { ok: true };
}

/** R-PC-06 / W17 step 5: what may not be done in a phone encounter. */
export const PHONE_PROHIBITED = ['nhif_prescription', 'regimen_change_without_tests', 'specialist_referral'] as const;

/**
 * R-PC-06: the referral and prescription flows ask this before acting in an encounter.
 * @param kind - the encounter's kind
 * @param action - what the flow would do
 * @returns false when the action is prohibited by phone
 */
export function allowedInEncounter(kind: 'remote' | 'in_person' | 'phone' | 'home_visit', action: (typeof PHONE_PROHIBITED)[number]): boolean {
  return !(kind === 'phone' && PHONE_PROHIBITED.includes(action));
}

// ---- Home visits (W18, R-PC-16) ----

export type HomeVisitCategory = 'covered' | 'paid';

/**
 * R-PC-16: the GP decides; a visit is covered (Наредба 40) only when the GP judges that care cannot be
 * given in the clinic; a patient-requested visit is paid; a request found misleading at the home is
 * reclassified to paid.
 * @returns the category and the rule
 */
export function classifyHomeVisit(d: { careImpossibleInClinic: boolean; misled?: boolean }): { category: HomeVisitCategory; reclassified: boolean } {
  if (d.misled) return { category: 'paid', reclassified: true };
  return { category: d.careImpossibleInClinic ? 'covered' : 'paid', reclassified: false };
}

// ---- Document requests (E34, R-DOC-01..06) ----

export type DocumentCategory = 'current_consultation' | 'past_circumstance' | 'other' | 'past_without_request' | 'admin_contract_phone';

/**
 * R-DOC-01..05: the deadline in working days of a document request and whether it is free.
 * @param category - E34 category
 * @param days - the deadlines in force (`practice.document_deadlines`)
 * @returns working days (0 = at the consultation, null = at first opportunity) and the fee basis
 */
export function documentTerms(category: DocumentCategory, days: { pastCircumstance: number; otherDocument: number; adminContractPhone: number }): { workingDays: number | null; fee: 'free' | 'price_list' | 'urgent_fee' | 'contract'; ruleId: string } {
  switch (category) {
    case 'current_consultation':
      return { workingDays: 0, fee: 'free', ruleId: 'R-DOC-04' };
    case 'past_circumstance':
      return { workingDays: days.pastCircumstance, fee: 'price_list', ruleId: 'R-DOC-01' };
    case 'other':
      return { workingDays: days.otherDocument, fee: 'price_list', ruleId: 'R-DOC-02' };
    case 'past_without_request':
      return { workingDays: null, fee: 'urgent_fee', ruleId: 'R-DOC-05' };
    case 'admin_contract_phone':
      return { workingDays: days.adminContractPhone, fee: 'contract', ruleId: 'R-DOC-03' };
  }
}

// ---- Complaints (W24, R-CMP-01..03) ----

/**
 * R-CMP-02: a submission without the submitter's name and an address, phone or e-mail gets no reply.
 * @returns whether a reply is owed
 */
export function complaintNeedsReply(s: { name?: string | undefined; contact?: string | undefined }): boolean {
  return Boolean(s.name?.trim()) && Boolean(s.contact?.trim());
}

/**
 * R-CMP-01: opinions are reviewed at least monthly; the review is due by the last day of the month after
 * receipt at the latest, and a reply within 10 days after the review.
 * @param receivedOn - `YYYY-MM-DD`
 * @param reviewedOn - `YYYY-MM-DD` when reviewed, else null
 * @returns the review deadline and the reply deadline (after a review)
 */
export function complaintDeadlines(receivedOn: string, reviewedOn: string | null, rule: { reviewEveryMonths: number; replyDaysAfterReview: number }): { reviewBy: string; replyBy: string | null } {
  const r = Temporal.PlainDate.from(receivedOn);
  const reviewBy = r.with({ day: 1 }).add({ months: rule.reviewEveryMonths + 1 }).subtract({ days: 1 });
  return { reviewBy: reviewBy.toString(), replyBy: reviewedOn ? Temporal.PlainDate.from(reviewedOn).add({ days: rule.replyDaysAfterReview }).toString() : null };
}

// ---- Personal-data breaches (W25, R-DATA-02) ----

/**
 * R-DATA-02: data subjects are told no later than 72 h after detection.
 * @returns the deadline, and whether it was missed (notified late or not yet and past due)
 */
export function breachNotice(detectedAt: string, notifiedAt: string | null, hours: number, now: Temporal.Instant): { notifyBy: string; late: boolean } {
  const due = Temporal.Instant.from(detectedAt).add({ hours });
  const at = notifiedAt ? Temporal.Instant.from(notifiedAt) : now;
  return { notifyBy: due.toString(), late: Temporal.Instant.compare(at, due) > 0 };
}

// ---- Out of hours (W21, R-OOH-01, R-OOH-03) ----

export type OohArrangement = 'group_duty_room' | 'functional_duty_room' | 'contract_nearest' | 'individual_24h_phone';

/**
 * R-OOH-03: one of the four arrangements; 1.4 needs a 24-hour phone. R-OOH-01: a 1.3 partner within 40 km
 * of each practice address.
 * @returns ok or the rule broken
 */
export function checkOutOfHours(o: { arrangement: OohArrangement; phone?: string | undefined; partnerName?: string | undefined; partnerDistanceKm?: number | undefined }): { ok: true } | { ok: false; ruleId: 'R-OOH-01' | 'R-OOH-03'; why: string } {
  if (o.arrangement === 'individual_24h_phone' && !o.phone) return { ok: false, ruleId: 'R-OOH-03', why: 'arrangement 1.4 publishes a 24-hour phone' };
  if (o.arrangement !== 'individual_24h_phone' && !o.partnerName) return { ok: false, ruleId: 'R-OOH-03', why: 'name the duty room or the contracted facility' };
  if (o.arrangement === 'contract_nearest' && (o.partnerDistanceKm === undefined || o.partnerDistanceKm > 40)) return { ok: false, ruleId: 'R-OOH-01', why: 'the partner must be within 40 km of each practice address' };
  return { ok: true };
}

// ---- Prophylaxis plan (W20, R-PRO-01) ----

/**
 * Age in full months on a day.
 * @returns months
 */
export function ageInMonths(birthDate: string, on: string): number {
  const b = Temporal.PlainDate.from(birthDate);
  const d = Temporal.PlainDate.from(on);
  return b.until(d, { largestUnit: 'months' }).months;
}

/**
 * R-PRO-01: whether a patient is due a prophylactic exam in a month: the band for the age on the month's
 * first day sets the period; once per calendar year for periods of 12 months, otherwise when the last
 * exam is at least that many months before the month.
 * @param birthDate - `YYYY-MM-DD`
 * @param lastExamOn - `YYYY-MM-DD` of the last prophylactic exam, or null
 * @param month - `YYYY-MM`
 * @param bands - the frequencies in force
 * @returns due, and the period applied
 */
export function prophylaxisDue(birthDate: string, lastExamOn: string | null, month: string, bands: readonly ProphylaxisBand[]): { due: boolean; everyMonths: number } {
  const first = `${month}-01`;
  if (birthDate >= Temporal.PlainDate.from(first).add({ months: 1 }).toString()) return { due: false, everyMonths: 0 };
  const months = Math.max(0, ageInMonths(birthDate, first));
  const band = bands.find((b) => months >= b.fromMonths && (b.toMonths === null || months < b.toMonths));
  if (!band) throw new Error(`no prophylaxis band for ${months} months`);
  if (!lastExamOn) return { due: true, everyMonths: band.everyMonths };
  if (band.everyMonths >= 12) return { due: lastExamOn.slice(0, 4) < month.slice(0, 4), everyMonths: band.everyMonths };
  const last = Temporal.PlainYearMonth.from(lastExamOn.slice(0, 7));
  const gap = last.until(Temporal.PlainYearMonth.from(month), { largestUnit: 'months' }).months;
  return { due: gap >= band.everyMonths, everyMonths: band.everyMonths };
}
