import { Temporal } from 'temporal-polyfill';
import type { Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import type { Db, Queryable } from '../../platform/db/index.js';
import { facilityScope, type Keyring } from '../../platform/crypto/keyring.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import type { Outbox } from '../../platform/outbox/outbox.js';
import type { WorkingCalendar } from '../../platform/calendar.js';
import { AppError, ForbiddenError } from '../../platform/errors/app-error.js';
import type { Employer, SickLeave } from '../../contracts/sick-leave.js';
import type { AccessPolicy } from '../access/index.js';
import type { PatientsService } from '../patients/index.js';
import type { ExpertiseNhisClient } from '../nhis/index.js';
import type { NotificationsService } from '../notifications/index.js';
import type { MaternityRule, SickLeaveLimits } from './sick-leave-rules.js';
import type { TelkClockRule } from './telk-rules.js';
import * as repo from './sick-leave.repo.js';

/**
 * The examination a sick leave or notice is issued on: the encounters module's `Encounter`
 * (docs/sick-leave.md#encounters). Kept as a port here so this module depends only on what it reads.
 */
export interface EncounterView {
  id: string;
  patientId: string;
  facilityId: string;
  practitionerId: string;
  kind: 'remote' | 'in_person' | 'phone' | 'home_visit';
  consultationId: string | null;
  requestId: string | null;
  remoteAssessable: boolean | null;
  startedAt: string;
}
export interface EncounterPort {
  /** Reads one encounter inside the caller's transaction, access-checked; the caller audits. */
  readEncounterIn(ctx: RequestCtx, q: Queryable, id: string): Promise<EncounterView>;
  /** The remote consultation's encounter, created on first use once it has started. */
  encounterForConsultationIn(ctx: RequestCtx, q: Queryable, requestId: string): Promise<EncounterView>;
  /** The signed-in doctor's own encounters since an instant, access-checked; the caller audits. */
  listOwnEncountersIn(ctx: RequestCtx, q: Queryable, since: Date): Promise<EncounterView[]>;
}

/** The examination named by a body: an encounter id, or a remote consultation's request id. */
export function examinationOf(deps: Pick<SickLeaveDeps, 'encounters'>, ctx: RequestCtx, q: Queryable, ref: { encounterId?: string | undefined; requestId?: string | undefined }): Promise<EncounterView> {
  if (ref.encounterId) return deps.encounters.readEncounterIn(ctx, q, ref.encounterId);
  if (ref.requestId) return deps.encounters.encounterForConsultationIn(ctx, q, ref.requestId);
  throw new AppError('request.invalid', { detail: 'Give either encounterId or requestId' });
}

export interface SickLeaveDeps {
  db: Db;
  clock: Clock;
  ids: IdGen;
  keyring: Keyring;
  audit: AuditLog;
  outbox: Outbox;
  policy: AccessPolicy;
  patients: Pick<PatientsService, 'readPatientIn'>;
  encounters: EncounterPort;
  calendar: WorkingCalendar;
  nhis: ExpertiseNhisClient;
  /** E-mails to the practice when an expertise deadline is about to be missed or was (outbox handler). */
  notifications: Pick<NotificationsService, 'deliver'>;
  /** The referrals module: the № 6 a case cites (read in its own transaction, before ours). */
  referrals: { getReferral(ctx: RequestCtx, id: string): Promise<{ form: string; purpose: string; patientId: string; issuer: { practitionerId: string } }> };
  /** The identity module's step-up: a fresh TOTP confirms each signature; failures count towards the lock. */
  stepUp: {
    confirmStepUp(tx: Queryable, ctx: RequestCtx, code: string, purpose: string): Promise<{ stepUpId: string; method: 'totp-step-up'; at: Temporal.Instant }>;
    recordStepUpFailure(ctx: RequestCtx): Promise<AppError>;
  };
  /** Europe/Sofia (STYLE C11). */
  zone: string;
}

/** Outbox message type: record a sick leave (X011) or a notice (C041/C045) in the NHIS. */
export const EXPERTISE_NHIS = 'sick_leave.nhis';
/** Outbox message type: e-mail the practice about an expertise deadline `{ deadlineId, event: 'escalated' | 'missed' }`. */
export const EXPERTISE_DEADLINE_NOTIFY = 'sick_leave.deadline_notify';

export const dataContext = (table: 'sick_leave' | 'telk_case' | 'medical_notice', id: string) => `${table}:${id}:data`;
export const caseContext = (id: string, part: 'request' | 'protocol') => `lkk_case:${id}:${part}`;

/** What a certificate holds encrypted: the clinical and employer data, and the NHIS subject snapshot. */
export interface SickLeaveData {
  diagnosis: { code: string; text?: string };
  reason?: string;
  employer: Employer;
  care?: { sickPatientId: string; relation: string };
  serviceNote?: unknown;
  examDocument?: unknown;
  maternity?: unknown;
  lateIssueReason?: string;
  subject: { identifierType: 'egn' | 'lnch' | 'passport' | 'other'; identifier: string; birthDate: string; sex: 'male' | 'female' | 'other' | 'unknown' };
  performer: { uin: string; practiceNumber: string };
  /** The step-up that confirmed the doctor's signature (absent on the ЛКК's certificates, signed by its members). */
  signedWith?: { stepUpId: string; at: string };
}

export interface ExpertiseRules {
  limits: SickLeaveLimits;
  maternity: MaternityRule;
  deadlines: { retroactiveWorkingDays: number; duplicateWorkingDays: number };
  telkClock: TelkClockRule;
  telkPreparation: { temporaryAddressMonths: number; reuseMonths: number; dossierReturnDays: number };
}

/**
 * The dated rules in force on a date (DECISIONS.md item 17).
 * @throws Error when a rule has no version on that date: a configuration fault, never "allowed"
 */
export async function rulesOn(q: Queryable, date: string): Promise<ExpertiseRules> {
  const rows = await repo.loadRules(q);
  const on = <T>(key: string): T => {
    const hit = rows.filter((r) => r.key === key && r.validFrom <= date && (r.validTo === null || date < r.validTo)).sort((a, b) => (a.validFrom < b.validFrom ? 1 : -1))[0];
    if (!hit) throw new Error(`no ${key} rule in force on ${date}`);
    return hit.value as T;
  };
  return { limits: on('sick_leave.limits'), maternity: on('sick_leave.maternity'), deadlines: on('sick_leave.deadlines'), telkClock: on('telk.clock'), telkPreparation: on('telk.preparation') };
}

export const localDate = (instant: Temporal.Instant | string, zone: string): string => (typeof instant === 'string' ? Temporal.Instant.from(instant) : instant).toZonedDateTimeISO(zone).toPlainDate().toString();

/**
 * The acting specialist's practitioner, working for `facilityId`.
 * @throws {ForbiddenError} for anyone else
 */
export async function actingPractitioner(ctx: RequestCtx, q: Queryable, facilityId: string): Promise<{ accountId: string; practitionerId: string }> {
  const a = ctx.actor;
  if (a.type === 'anonymous') throw new AppError('auth.unauthenticated');
  if (a.type !== 'user' || a.role !== 'specialist' || !a.facilityIds.includes(facilityId)) throw new ForbiddenError('Only a doctor of the facility can do this');
  const practitionerId = await repo.practitionerOfAccount(q, a.id);
  if (!practitionerId) throw new ForbiddenError('This account is not linked to a doctor');
  return { accountId: a.id, practitionerId };
}

/**
 * A certificate in its wire form.
 * @returns the contract shape
 */
export async function toSickLeave(deps: Pick<SickLeaveDeps, 'keyring'>, ctx: RequestCtx, q: Queryable, row: repo.SickLeaveRow): Promise<SickLeave> {
  const data = await deps.keyring.decryptJson<SickLeaveData>(ctx, q, facilityScope(row.facility_id), row.data_enc, dataContext('sick_leave', row.id));
  return {
    id: row.id,
    certificateSet: row.certificate_set,
    employerIndex: row.employer_index,
    patientId: row.patient_id,
    facilityId: row.facility_id,
    practitioner: { id: row.practitioner_id, name: row.practitioner_name },
    encounterId: row.encounter_id,
    consultationId: row.consultation_id,
    lkkCaseId: row.lkk_case_id,
    kind: row.kind,
    capacity: row.capacity,
    startOn: row.start_on,
    endOn: row.end_on,
    days: row.days,
    issuedOn: row.issued_on,
    retroactive: row.retroactive,
    duplicateOf: row.duplicate_of,
    marking: row.duplicate_of ? 'дубликат' : '',
    diagnosis: data.diagnosis,
    employer: data.employer,
    nhisStatus: row.nhis_status,
    nrn: row.nrn,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
