import { Temporal } from 'temporal-polyfill';
import type { ErrorCode } from '../../platform/errors/catalog.js';
import type { CreateGpRegistrationBody, GpBasis } from '../../contracts/gp.js';
import type { ChangeWindowRule, NewbornRule, RepresentationRule, TemporaryMonthsRule } from './dated-rules.js';

/**
 * Pure GP-choice rules (W8-W10, R-GP-01..10, НРД 2006 R-22..27). No I/O, no clock: the service passes
 * today's local date in the practice's zone and the rules in force on it.
 */

/**
 * The local date of an instant in a zone (Time zone: the practice's, STYLE C11).
 * @param now - the instant
 * @param zone - IANA zone
 * @returns the plain date
 */
export function localDate(now: Temporal.Instant, zone: string): Temporal.PlainDate {
  return now.toZonedDateTimeISO(zone).toPlainDate();
}

/**
 * Full years of age on a date.
 * @param birthDate - date of birth
 * @param on - the date
 * @returns completed years
 */
export function ageOn(birthDate: Temporal.PlainDate, on: Temporal.PlainDate): number {
  return birthDate.until(on, { largestUnit: 'years' }).years;
}

const md = (d: Temporal.PlainDate) => `${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

/**
 * R-GP-02: whether a date is inside a change window (inclusive `MM-DD` bounds).
 * @param d - the submission date, local to the practice
 * @param windows - the windows in force
 * @returns true inside a window
 */
export function inChangeWindow(d: Temporal.PlainDate, windows: readonly ChangeWindowRule[]): boolean {
  const x = md(d);
  return windows.some((w) => w.from <= x && x <= w.to);
}

/**
 * R-GP-02, explained: whether the window is open on a date, when it closes, or when the next one opens.
 * @param d - today, local to the practice
 * @param windows - the windows in force
 * @returns open/closes/opens
 */
export function changeWindowInfo(d: Temporal.PlainDate, windows: readonly ChangeWindowRule[]): { open: boolean; closesOn: string | null; opensOn: string | null } {
  const x = md(d);
  const current = windows.find((w) => w.from <= x && x <= w.to);
  if (current) return { open: true, closesOn: Temporal.PlainDate.from(`${d.year}-${current.to}`).toString(), opensOn: null };
  const starts = windows.map((w) => w.from).sort();
  const next = starts.find((f) => f > x);
  return { open: false, closesOn: null, opensOn: next ? `${d.year}-${next}` : `${d.year + 1}-${starts[0] ?? '01-01'}` };
}

/**
 * R-GP-04: a temporary stay of at least `min` and at most `max` months, first to last day inclusive.
 * @param startsOn - first day
 * @param endsOn - last day
 * @param rule - the month limits in force
 * @returns true when the period is allowed
 */
export function temporaryPeriodAllowed(startsOn: Temporal.PlainDate, endsOn: Temporal.PlainDate, rule: TemporaryMonthsRule): boolean {
  const dayAfter = endsOn.add({ days: 1 });
  const shortest = startsOn.add({ months: rule.min });
  const longest = startsOn.add({ months: rule.max });
  return Temporal.PlainDate.compare(dayAfter, shortest) >= 0 && Temporal.PlainDate.compare(dayAfter, longest) <= 0;
}

/**
 * R-GP-08: who must sign. Interpretation (§1.6): under 14 and full interdiction: a parent or guardian
 * signs; 14-17 and limited interdiction: the person signs with a parent's or curator's consent.
 * @param age - full years on the submission date
 * @param interdiction - none, limited or full
 * @param rule - the ages in force
 * @returns `representative`, `consent` or `none`
 */
export function representationNeeded(age: number, interdiction: 'none' | 'limited' | 'full', rule: RepresentationRule): 'representative' | 'consent' | 'none' {
  if (interdiction === 'full' || age < rule.representedUnderAge) return 'representative';
  if (interdiction === 'limited' || age < rule.consentUnderAge) return 'consent';
  return 'none';
}

/** What the decision needs to know about the patient's current choices and the chosen GP. */
export interface RegistrationFacts {
  today: Temporal.PlainDate;
  /** From the form (staff) or the patient's record (self-service). */
  identifierKind: 'egn' | 'lnch' | 'passport' | 'other';
  birthDate: Temporal.PlainDate;
  /** The acting account is a linked representative of the patient. */
  actorIsRepresentative: boolean;
  permanent: { practitionerId: string; rhifCode: string } | undefined;
  temporaryOpen: boolean;
  target: { practitionerId: string; rhifCode: string };
  rules: { windows: ChangeWindowRule[]; temporaryMonths: TemporaryMonthsRule; representation: RepresentationRule; newborn: NewbornRule };
}

export type RegistrationDecision =
  | { ok: true; basis: GpBasis; startsOn: Temporal.PlainDate; endsOn: Temporal.PlainDate | null }
  | { ok: false; code: ErrorCode; rule: string; pointer?: string };

const refuse = (code: ErrorCode, rule: string, pointer?: string): RegistrationDecision => ({ ok: false, code, rule, ...(pointer ? { pointer } : {}) });

/**
 * Decides a GP registration against W8-W10. Checks run in a fixed order so a refusal names the first rule broken.
 * @param body - the submission
 * @param f - facts loaded by the service
 * @returns the basis and period, or the refusal with its rule id
 */
export function decideRegistration(body: CreateGpRegistrationBody, f: RegistrationFacts): RegistrationDecision {
  // R-GP-09: a newborn without EGN is identified by the birth notification and the issuing facility.
  const ageDays = f.birthDate.until(f.today, { largestUnit: 'days' }).days;
  if (f.identifierKind !== 'egn' && f.identifierKind !== 'lnch' && ageDays <= f.rules.newborn.maxAgeDays && !body.birthNotification) {
    return refuse('gp.birth_notification_required', 'R-GP-09', '#/birthNotification');
  }
  // R-GP-08: minors and interdicted persons through or with their representative.
  const need = representationNeeded(ageOn(f.birthDate, f.today), body.interdiction, f.rules.representation);
  const signedByRepresentative = body.signer.kind === 'representative' || f.actorIsRepresentative;
  if (need === 'representative' && !signedByRepresentative) return refuse('gp.representative_required', 'R-GP-08', '#/signer');
  if (need === 'consent' && !signedByRepresentative && !(body.signer.kind === 'self' && body.signer.consent)) {
    return refuse('gp.representative_consent_required', 'R-GP-08', '#/signer/consent');
  }
  // R-GP-10: nothing below looks at the patient's address or region against the practice's.
  switch (body.kind) {
    case 'initial':
      // R-GP-01 / НРД R-22: any date, but only as the first choice.
      if (f.permanent) return refuse('gp.already_registered', 'R-GP-01', '#/kind');
      return { ok: true, basis: 'first_choice', startsOn: f.today, endsOn: null };
    case 'permanent': {
      if (!f.permanent) return refuse('gp.no_current_choice', 'R-GP-01', '#/kind');
      if (f.permanent.practitionerId === f.target.practitionerId) return refuse('gp.same_practitioner', 'R-GP-02', '#/practitionerId');
      // R-GP-06: the booklet or copy 3 of the initial form, plus the completed permanent-choice form.
      if (!(body.documents.healthInsuranceBooklet || body.documents.initialFormCopy3) || !body.documents.choiceForm) {
        return refuse('gp.documents_missing', 'R-GP-06', '#/documents');
      }
      // R-GP-03: RHIF-confirmed inability of the GP or a change of current address, at any date.
      if (body.exception) return { ok: true, basis: body.exception.kind, startsOn: f.today, endsOn: null };
      // R-GP-02 / НРД R-23: 1-30 June and 1-31 December, in the practice's zone.
      if (!inChangeWindow(f.today, f.rules.windows)) return refuse('gp.change_window_closed', 'R-GP-02', '#/kind');
      return { ok: true, basis: 'change_window', startsOn: f.today, endsOn: null };
    }
    case 'temporary': {
      if (!body.temporary) return refuse('gp.temporary_period_invalid', 'R-GP-04', '#/temporary');
      // R-GP-05 needs a permanent choice to restore.
      if (!f.permanent) return refuse('gp.no_current_choice', 'R-GP-05', '#/kind');
      if (f.temporaryOpen) return refuse('gp.temporary_active', 'R-GP-04', '#/kind');
      if (!body.documents.choiceForm) return refuse('gp.documents_missing', 'R-GP-06', '#/documents');
      const startsOn = Temporal.PlainDate.from(body.temporary.startsOn);
      const endsOn = Temporal.PlainDate.from(body.temporary.endsOn);
      if (Temporal.PlainDate.compare(startsOn, f.today) < 0 || !temporaryPeriodAllowed(startsOn, endsOn, f.rules.temporaryMonths)) {
        return refuse('gp.temporary_period_invalid', 'R-GP-04', '#/temporary');
      }
      // R-GP-04 / НРД R-24: the stay is outside the health region of the permanent GP.
      if (f.permanent.rhifCode === f.target.rhifCode) return refuse('gp.temporary_same_region', 'R-GP-04', '#/facilityId');
      return { ok: true, basis: 'temporary_stay', startsOn, endsOn };
    }
  }
}
