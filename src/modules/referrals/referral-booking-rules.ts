import { Temporal } from 'temporal-polyfill';
import { secondaryExamAllowed, type ReferralForm, type RuleRefusal } from './referral-rules.js';

/**
 * Pure rules of booking NHIF-paid specialist care with a referral (W14, W8; R-REF-01/04/05/09, НРД 2006
 * No I/O: the use case passes what it read (docs/referrals.md#booking-with-a-referral).
 */

/** The general-practice specialty (CL006 0000): a GP's own care needs no referral. */
export const GP_SPECIALTY = '0000';

/**
 * The forms a specialist visit is booked on: № 3 (consultation, R-35), № 3А (highly specialised
 * activity, R-38) and № 6 (the TELK/LKK consultation a specialist may not refuse, R-REF-09).
 */
export const BOOKING_FORMS: readonly ReferralForm[] = ['3', '3A', '6'];

/**
 * Does this booking need a referral? Only when the NHIF pays (R-NHIF-01: a patient who pays, or whose
 * foreign insurer pays, brings none) for a specialist's care (W8: the specialist works on a № 3 or 3А).
 * @param s - the service's NHIF flag and specialty, and the payer the booking settled
 * @returns true when the booking must carry a referral
 */
export function referralNeeded(s: { nhifPaid: boolean; specialtyCode: string; payer: 'nhif' | 'patient' | 'foreign_insurer' | null }): boolean {
  return s.nhifPaid && s.payer === 'nhif' && s.specialtyCode !== GP_SPECIALTY;
}

/** What the booking knows of the referral it was given (null: no referral of this patient with that НРН). */
export interface BookingReferralFacts {
  referral: {
    form: ReferralForm;
    status: string;
    patientId: string;
    /** The specialty the referral names (№ 3/3А), null when it names none (№ 6). */
    specialtyCode: string | null;
    /** The last valid local date (R-REF-01/03/04/05), null when the source sets no limit. */
    validUntil: string | null;
  } | null;
  patientId: string;
  specialtyCode: string;
  /** When the patient books. */
  bookedAt: Temporal.Instant;
  /** When the visit is (a real-time booking), null without a time (store-and-forward). */
  visitAt: Temporal.Instant | null;
  /** The issuing practice's zone: validity is counted in its local dates. */
  zone: string;
}

const RULE_OF: Partial<Record<ReferralForm, string>> = { '3': 'R-REF-01', '3A': 'R-REF-04', '7': 'R-REF-05', '4': 'R-REF-03' };

/**
 * Why this referral cannot be booked with, most specific first, or null when it can. Validity: the
 * visit of a № 3 happens within its 30 days (R-REF-01, W8.3); a № 3А needs the facility chosen and the
 * time booked within them (R-REF-04), so its booking day counts; a № 6 has no limit in the sources.
 * @param f - the facts
 * @returns a refusal or null
 */
export function bookingRefusal(f: BookingReferralFacts): RuleRefusal | null {
  const r = f.referral;
  // Security: another patient's НРН answers as "no such referral" — a booking does not reveal others' documents.
  if (!r || r.patientId !== f.patientId) return { code: 'booking.referral_not_found', rule: 'W14', detail: 'No referral of this patient has this НРН' };
  if (r.status === 'used') return { code: 'referral.already_used', rule: 'W14', detail: 'A referral is used once' };
  if (r.status === 'cancelled' || r.status === 'cancelling' || r.status === 'superseded') return { code: 'referral.cancelled', rule: 'W14', detail: 'The referral was cancelled or replaced by a correction' };
  if (r.status !== 'issued') return { code: 'referral.not_issued', rule: 'W14', detail: 'The NHIS has not acknowledged the referral' };
  if (!BOOKING_FORMS.includes(r.form)) return { code: 'booking.referral_wrong_form', rule: RULE_OF[r.form] ?? 'W14', detail: `A № ${r.form} is not used to book a specialist` };
  if (r.specialtyCode !== null && r.specialtyCode !== f.specialtyCode) return { code: 'booking.referral_wrong_specialty', rule: 'W14', detail: `The referral is to specialty ${r.specialtyCode}, not ${f.specialtyCode}` };
  if (r.validUntil !== null) {
    const until = Temporal.PlainDate.from(r.validUntil);
    const at = r.form === '3A' || f.visitAt === null ? f.bookedAt : f.visitAt;
    const day = at.toZonedDateTimeISO(f.zone).toPlainDate();
    if (Temporal.PlainDate.compare(day, until) > 0) {
      return { code: 'referral.expired', rule: RULE_OF[r.form] ?? 'R-REF-01', detail: r.form === '3A' ? `A № 3А is booked by ${r.validUntil}` : `The visit must be on or before ${r.validUntil}, the referral's last day` };
    }
  }
  return null;
}

/** What a booking on an already used referral knows: is it the № 3's secondary examination (R-REF-02)? */
export interface SecondaryVisitFacts {
  form: ReferralForm;
  /** The specialty the referral names; the facility its primary examination was at (null: unknown). */
  specialtyCode: string | null;
  primaryFacilityId: string | null;
  /** When the primary examination is (its booked visit) or was (the specialist's use). */
  primaryAt: Temporal.Instant;
  facilityId: string;
  bookedSpecialty: string;
  /** When the secondary examination is: the visit booked, or now (store and forward, the specialist's record). */
  secondaryAt: Temporal.Instant;
  /** The dated limit in force (`referral.secondary_exam_days`, 30 by [001]). */
  days: number;
  zone: string;
}

/**
 * R-REF-02 ([001] L115, L195): "the time for secondary examinations by the SIMP provider is up to 30 calendar
 * days from the date of the primary examination". A used № 3 books (or the specialist records) a secondary
 * examination only with the provider of the primary one (the facility, any of its doctors of the specialty)
 * and within the limit, counted in calendar days between the two local dates in the practice's zone, so a
 * DST change moves nothing. Any other used referral stays used (W14: a referral is used once).
 * @param f - the facts
 * @returns a refusal, or null when this is an allowed secondary examination
 */
export function secondaryVisitRefusal(f: SecondaryVisitFacts): RuleRefusal | null {
  const used: RuleRefusal = { code: 'referral.already_used', rule: 'W14', detail: 'A referral is used once' };
  if (f.form !== '3' || f.primaryFacilityId === null || f.primaryFacilityId !== f.facilityId) return used;
  if (f.specialtyCode !== null && f.specialtyCode !== f.bookedSpecialty) return { code: 'booking.referral_wrong_specialty', rule: 'W14', detail: `The referral is to specialty ${f.specialtyCode}, not ${f.bookedSpecialty}` };
  if (Temporal.Instant.compare(f.secondaryAt, f.primaryAt) <= 0) return { code: 'referral.secondary_before_primary', rule: 'R-REF-02', detail: 'A secondary examination follows the primary one' };
  const primaryOn = f.primaryAt.toZonedDateTimeISO(f.zone).toPlainDate();
  const secondaryOn = f.secondaryAt.toZonedDateTimeISO(f.zone).toPlainDate();
  return secondaryExamAllowed(primaryOn, secondaryOn, f.days);
}

/**
 * The last local date of a № 3's secondary examinations (R-REF-02), for the patient's list.
 * @returns the primary examination's local date plus the limit
 */
export function secondaryUntil(primaryAt: Temporal.Instant, days: number, zone: string): string {
  return primaryAt.toZonedDateTimeISO(zone).toPlainDate().add({ days }).toString();
}
