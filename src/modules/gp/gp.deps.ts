import type { Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import type { Db, Queryable } from '../../platform/db/index.js';
import { facilityScope, type Keyring } from '../../platform/crypto/keyring.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import type { WorkingCalendar } from '../../platform/calendar.js';
import type { CreateGpRegistrationBody, GpFormPatient, GpRegistration } from '../../contracts/gp.js';
import type { AccessPolicy, AccessService } from '../access/index.js';
import type { PatientsService } from '../patients/index.js';
import type { InsuranceService } from '../insurance/index.js';
import type { RegistrationRow } from './gp.repo.js';

export interface GpDeps {
  db: Db;
  clock: Clock;
  ids: IdGen;
  keyring: Keyring;
  audit: AuditLog;
  policy: AccessPolicy;
  access: Pick<AccessService, 'openCareRelationship' | 'closeCareRelationship'>;
  patients: Pick<PatientsService, 'readPatientIn' | 'findPatientIdByIdentifier' | 'matchPresentedPatient'>;
  /** Today's insurance status for the desk's lookup (R-NHIF-01). */
  insurance: Pick<InsuranceService, 'checkPresentedInsurance'>;
  calendar: WorkingCalendar;
  /** The platform's zone, for lists and jobs not tied to one practice (STYLE C11). */
  zone: string;
}

/** The registration form as stored, encrypted with the practice's key. Persisted shape. */
export interface GpForm {
  patient: GpFormPatient;
  signer: CreateGpRegistrationBody['signer'];
  interdiction: CreateGpRegistrationBody['interdiction'];
  documents: CreateGpRegistrationBody['documents'];
  exception?: CreateGpRegistrationBody['exception'];
  birthNotification?: CreateGpRegistrationBody['birthNotification'];
  temporary?: CreateGpRegistrationBody['temporary'];
}

/** The care relationships the access policy reads are opened per registration (Art. 13). */
export const GP_CARE_SOURCE = 'gp_registration';

export const formContext = (registrationId: string) => `gp_registration:${registrationId}:form`;

/**
 * Decrypts a registration form with its practice's key.
 * @returns the form
 */
export function decryptForm(deps: Pick<GpDeps, 'keyring'>, ctx: RequestCtx, q: Queryable, row: { id: string; facility_id: string; form_enc: Buffer }): Promise<GpForm> {
  return deps.keyring.decryptJson<GpForm>(ctx, q, facilityScope(row.facility_id), row.form_enc, formContext(row.id));
}

/**
 * A registration row in its wire form (no form data: names and documents stay with the practice).
 * @returns the contract shape
 */
export function toRegistration(row: RegistrationRow): GpRegistration {
  return {
    id: row.id,
    patientId: row.patient_id,
    kind: row.kind,
    basis: row.basis,
    practitioner: { id: row.practitioner_id, name: row.practitioner_name },
    facility: { id: row.facility_id, name: row.facility_name, rhifCode: row.rhif_code },
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    endedOn: row.ended_on,
    endReason: row.end_reason,
    signer: row.signer,
    enteredBy: { accountId: row.entered_by, role: row.entered_by_role },
    createdAt: new Date(row.created_at).toISOString(),
  };
}
