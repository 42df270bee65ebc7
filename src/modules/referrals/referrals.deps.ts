import type { Temporal } from 'temporal-polyfill';
import type { Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import type { Db, Queryable } from '../../platform/db/index.js';
import { facilityScope, type Keyring } from '../../platform/crypto/keyring.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import type { Outbox } from '../../platform/outbox/outbox.js';
import type { AppError } from '../../platform/errors/app-error.js';
import type { AccessPolicy } from '../access/index.js';
import type { PatientsService } from '../patients/index.js';
import type { InsuranceService } from '../insurance/index.js';
import type { PractitionerSigner } from '../records/index.js';
import type { Encounter, EncountersService } from '../encounters/index.js';
import type { NhisDocumentsClient } from '../nhis/index.js';
import type { RequestVisit } from '../requests/index.js';
import type { ReferralForm, ReferralPurpose, ReferralBasis, EncounterKind, ValidityDays } from './referral-rules.js';
import type { PrescriptionLimits } from './prescription-rules.js';
import type { DocKind } from './referrals.repo.js';
import { loadRules } from './referrals.repo.js';

/** The identity module's step-up: a fresh second factor confirms each signature. */
export interface StepUp {
  confirmStepUp(tx: Queryable, ctx: RequestCtx, code: string, purpose: string): Promise<{ stepUpId: string; method: 'totp-step-up'; at: Temporal.Instant }>;
  recordStepUpFailure(ctx: RequestCtx): Promise<AppError>;
}

export interface ReferralsDeps {
  db: Db;
  clock: Clock;
  ids: IdGen;
  keyring: Keyring;
  audit: AuditLog;
  outbox: Outbox;
  policy: AccessPolicy;
  patients: Pick<PatientsService, 'readPatientIn'>;
  insurance: Pick<InsuranceService, 'checkInsuranceStatus'>;
  /** The encounter a document is issued from; it checks access, the caller audits. */
  encounters: Pick<EncountersService, 'readEncounterIn' | 'encounterForConsultationIn'>;
  signer: PractitionerSigner;
  stepUp: StepUp;
  nhis: NhisDocumentsClient;
  /** The requests module's read port: a № 3's primary visit (R-REF-02) and whether a reserving booking exists (the sweep). */
  requests: { readRequestVisitsIn(q: Queryable, requestIds: readonly string[]): Promise<Map<string, RequestVisit>> };
}

/** The outbox message type: records a referral or prescription in the NHIS (issue or cancel). */
export const NHIS_DOCUMENT = 'referrals.nhis';
export interface NhisDocumentMessage {
  kind: DocKind;
  id: string;
  op: 'issue' | 'cancel';
}

export const contentContext = (kind: DocKind, id: string) => `${kind}:${id}:content`;
export const dispensationContext = (id: string) => `prescription:${id}:dispensation`;

/** The subject snapshot signed with the document (what the NHIS message carries). */
export interface SubjectSnapshot {
  patientId: string;
  identifierType: 'egn' | 'lnch' | 'passport' | 'other';
  identifier: string;
  givenName: string;
  middleName?: string;
  familyName: string;
  birthDate: string;
  sex: 'male' | 'female' | 'other' | 'unknown';
}

export interface IssuerSnapshot {
  practitionerId: string;
  uin: string;
  givenName: string;
  familyName: string;
  qualification: string;
  facilityId: string;
  facilityName: string;
  practiceNumber: string;
  /** RZOK(2) + health region(2): the first four digits of the practice number. */
  rhifAreaNumber: string;
}

/** Persisted and signed: changes need a new `schema`. */
export interface ReferralContent {
  schema: 'distansia.referral/1';
  documentId: string;
  revision: number;
  replaces: { documentId: string; sha256: string } | null;
  form: ReferralForm;
  purpose: ReferralPurpose;
  basis: ReferralBasis;
  independentlyJudgedNecessary: boolean;
  diagnosisCode: string;
  request: string;
  specialtyCode: string | null;
  activityCodes: string[];
  hospital: { facilityId: string; number: string; name: string; clinicalPathway: string } | null;
  encounter: { id: string; kind: EncounterKind; consultationId: string | null; requestId: string | null; startedAt: string };
  subject: SubjectSnapshot;
  issuer: IssuerSnapshot;
  issuedOn: string;
  validUntil: string | null;
  signedAt: string;
}

export interface PrescriptionContent {
  schema: 'distansia.prescription/1';
  documentId: string;
  revision: number;
  replaces: { documentId: string; sha256: string } | null;
  kind: 'nhif' | 'ordinary';
  diagnosisCode: string;
  lines: { medicineCode: string; name: string; inn: string; nhifReimbursed: boolean; packages: number; days: number; dosage: string; substitutionAllowed: boolean }[];
  protocolNumber: string | null;
  /** the last day an early prescription covers (absent on documents signed before it was asked). */
  earlyCoversUntil?: string;
  /** the hospital stay the doctor declared. */
  hospitalStay?: { mainDiagnosisCode: string; newlyFoundDiagnosisCodes: string[] };
  encounter: { id: string; kind: EncounterKind; consultationId: string | null; requestId: string | null; startedAt: string };
  subject: SubjectSnapshot;
  issuer: IssuerSnapshot;
  issuedOn: string;
  signedAt: string;
}

export function decryptContent<T>(deps: Pick<ReferralsDeps, 'keyring'>, ctx: RequestCtx, q: Queryable, kind: DocKind, row: { id: string; facility_id: string; content_enc: Buffer }): Promise<T> {
  return deps.keyring.decryptJson<T>(ctx, q, facilityScope(row.facility_id), row.content_enc, contentContext(kind, row.id));
}

/** The dated rules this module reads, in force on a date. */
export interface RulesInForce {
  validity: ValidityDays;
  secondaryExamDays: number;
  budgetWarnPercent: number;
  prescription: PrescriptionLimits;
  /** days before which the same medicine again is an early prescription. */
  earlyPrescriptionDays: number;
}

/**
 * Loads the dated rules in force on a date.
 * @throws Error when a rule has no version for the date: a missing rule is a configuration fault
 */
export async function rulesOn(q: Queryable, date: string): Promise<RulesInForce> {
  const rows = await loadRules(q);
  const on = (key: string): unknown => {
    const hit = rows.filter((r) => r.key === key && r.valid_from <= date && (r.valid_to === null || date < r.valid_to)).sort((a, b) => (a.valid_from < b.valid_from ? 1 : -1))[0];
    if (!hit) throw new Error(`no ${key} rule in force on ${date}`);
    return hit.value;
  };
  return {
    validity: on('referral.validity_days') as ValidityDays,
    secondaryExamDays: (on('referral.secondary_exam_days') as { days: number }).days,
    budgetWarnPercent: (on('referral.budget_warn_percent') as { percent: number }).percent,
    prescription: on('prescription.limits') as PrescriptionLimits,
    earlyPrescriptionDays: (on('prescription.early_days') as { days: number }).days,
  };
}

/**
 * The encounter a referral or prescription is issued from: a recorded visit by its id, or the remote
 * consultation's encounter by its request (created on first use; DECISIONS 20).
 * @returns the encounter, access-checked
 */
export function encounterOf(deps: Pick<ReferralsDeps, 'encounters'>, ctx: RequestCtx, q: Queryable, from: { encounterId?: string | undefined; requestId?: string | undefined }): Promise<Encounter> {
  if (from.encounterId) return deps.encounters.readEncounterIn(ctx, q, from.encounterId);
  return deps.encounters.encounterForConsultationIn(ctx, q, from.requestId ?? '');
}

/** The local date of an instant in a zone (Time zone: the practice's, STYLE C11). */
export function localDate(at: Temporal.Instant, zone: string): Temporal.PlainDate {
  return at.toZonedDateTimeISO(zone).toPlainDate();
}
