import type { Art7Checklist, RecordingMedia } from '../../contracts/consent.js';

/**
 * Pure admissibility rules: the Art. 7 hard blocks, the checklist an accept needs, and which gate is
 * missing before a service may start (STYLE C10: no I/O, no clock; `now` is an argument).
 */

/** The Art. 7 checklist items and the rule each one carries. */
export const CHECKLIST_RULES: Readonly<Record<keyof Art7Checklist, string>> = {
  noRiskToLifeOrHealth: 'R-TM-11',
  qualityAndSafetyAssured: 'R-TM-12',
  notDentalExceptImaging: 'R-TM-13',
  noDirectContactNeeded: 'R-TM-14',
  requesterIdentityVerifiable: 'R-TM-15',
  notConductingBirth: 'R-TM-16',
  notEstablishingDeath: 'R-TM-17',
};

/** What the data of a request says about Art. 7. */
export interface RequestKindFacts {
  /** The requested specialty is a dental one (specialty.dental). */
  specialtyDental: boolean;
  /** The published service's kind (service_kind.code), or null (emergencies carry no service). */
  kindCode: string | null;
  /** service_kind.prohibited_rule of that kind (R-TM-13, R-TM-16, R-TM-17), if any. */
  prohibitedRule: string | null;
  /** The outcome of the latest identity check of this request, if any. */
  latestIdentityOutcome: 'verified' | 'failed' | null;
}

/**
 * The hard blocks nobody can override (docs/decisions.md#d8), found from data alone.
 * @param f - the request's facts
 * @returns rule ids, empty when none applies
 */
export function hardBlocks(f: RequestKindFacts): string[] {
  const out = new Set<string>();
  // Regulatory: Art. 7(1) item 3, 7(2), 7(3) — kinds that are never provided remotely.
  if (f.prohibitedRule) out.add(f.prohibitedRule);
  // Regulatory: R-TM-13 — a dental specialty only for imaging for dental purposes.
  if (f.specialtyDental && f.kindCode !== 'dental_imaging') out.add('R-TM-13');
  // Regulatory: R-TM-15 — the specialist found that the identity cannot be verified.
  if (f.latestIdentityOutcome === 'failed') out.add('R-TM-15');
  return [...out].sort();
}

/**
 * The checklist items not confirmed; an accept needs none.
 * @param c - the specialist's checklist
 * @returns the keys answered `false`
 */
export function unconfirmedItems(c: Art7Checklist): (keyof Art7Checklist)[] {
  return (Object.keys(CHECKLIST_RULES) as (keyof Art7Checklist)[]).filter((k) => !c[k]);
}

export type GateCode = 'admissibility.decision_required' | 'identity.not_verified' | 'consent.missing';

export interface GateFacts {
  decisionOutcome: 'accept' | 'decline' | null;
  latestIdentityOutcome: 'verified' | 'failed' | null;
  /** False for a consult between specialists that processes no personal data (R-TM-18). */
  consentRequired: boolean;
  /** The active treatment consent's signature time (epoch ms), if any. */
  treatmentConsentSignedAt: number | null;
}

/**
 * What is missing before the service may start or be worked on (R-TM-10, R-TM-15, R-TM-23, R-TM-24).
 * @param f - the facts of the request
 * @param now - now (epoch ms): the consent must have been signed before it
 * @returns the refusing codes in the order they are reported; empty when the service may start
 */
export function missingGates(f: GateFacts, now: number): GateCode[] {
  const out: GateCode[] = [];
  if (f.decisionOutcome !== 'accept') out.push('admissibility.decision_required');
  if (f.latestIdentityOutcome !== 'verified') out.push('identity.not_verified');
  // Regulatory: Art. 11 — the signature precedes the service (strictly earlier than now).
  if (f.consentRequired && (f.treatmentConsentSignedAt === null || f.treatmentConsentSignedAt >= now)) out.push('consent.missing');
  return out;
}

/**
 * Whether an active recording consent covers a type of recording (R-TM-25, R-TM-26).
 * @param consent - the active recording consent's terms, or null
 * @param media - what is to be recorded
 * @returns `ok`, or the refusing code
 */
export function recordingDecision(
  consent: { reason: string; purpose: string; media: readonly string[] } | null,
  media: RecordingMedia,
): 'ok' | 'recording.consent_missing' | 'recording.media_not_consented' {
  // Regulatory: Art. 19(2) — a consent without reason, type or purpose is not a consent.
  if (!consent || !consent.reason.trim() || !consent.purpose.trim() || consent.media.length === 0) return 'recording.consent_missing';
  return consent.media.includes(media) ? 'ok' : 'recording.media_not_consented';
}
