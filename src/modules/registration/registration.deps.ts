import type { Db } from '../../platform/db/index.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { IdentityService } from '../identity/index.js';
import type { PatientsService } from '../patients/index.js';

export interface RegistrationDeps {
  db: Db;
  audit: AuditLog;
  identity: Pick<IdentityService, 'createAccount' | 'hashPassword' | 'accountByEmail' | 'accountIdOfPatient' | 'issueEmailConfirmation' | 'noticeRegistrationAttempt' | 'confirmEmail'>;
  patients: Pick<PatientsService, 'createPatient' | 'findPatientIdByIdentifier'>;
}
