import { createOpsApi, type OpsApi } from '../features/ops/api.js';
import { createAuthApi, type AuthApi } from '../features/auth/api.js';
import { createAccessApi, type AccessApi } from '../features/access/api.js';
import { createAccessLogApi, type AccessLogApi } from '../features/access-log/api.js';
import { createConsultationApi, type ConsultationApi } from '../features/consultation/api.js';
import { createRequestsApi, type RequestsApi } from '../features/requests/api.js';
import { createDirectoryApi, type DirectoryApi } from '../features/directory/api.js';
import { createConsentApi, type ConsentApi } from '../features/consent/api.js';
import { createRecordsApi, type RecordsApi } from '../features/records/api.js';
import { createHealthRecordApi, type HealthRecordApi } from '../features/health-record/api.js';
import { createComplianceApi, type ComplianceApi } from '../features/compliance/api.js';
import { createStaffAdminApi, type StaffAdminApi } from '../features/staff-admin/api.js';
import { createGpApi, type GpApi } from '../features/gp/api.js';
import { createSickLeaveApi, type SickLeaveApi } from '../features/sick-leave/api.js';
import { createInsuranceApi, type InsuranceApi } from '../features/insurance/api.js';
import { createPracticeApi, type PracticeApi } from '../features/practice/api.js';
import { createReferralsApi, type ReferralsApi } from '../features/referrals/api.js';
import { createRegistryAdminApi, type RegistryAdminApi } from '../features/registry-admin/api.js';
import { createPatientApi, type PatientApi } from '../features/patient/api.js';
import { createRegistrationApi, type RegistrationApi } from '../features/registration/api.js';
import { createHttp, type HttpOptions } from './http.js';

/**
 * The typed API client, one group per server module (STYLE C19), and the only one: every feature
 * reaches the server through it. Components get it from `useApi()` (data loads through `useResource`),
 * so tests render them with a fake that implements only what they call.
 */
export interface ApiClient {
  ops: OpsApi;
  auth: AuthApi;
  access: AccessApi;
  accessLog: AccessLogApi;
  consultation: ConsultationApi;
  requests: RequestsApi;
  directory: DirectoryApi;
  consent: ConsentApi;
  records: RecordsApi;
  healthRecord: HealthRecordApi;
  compliance: ComplianceApi;
  staff: StaffAdminApi;
  gp: GpApi;
  sickLeave: SickLeaveApi;
  insurance: InsuranceApi;
  practice: PracticeApi;
  referrals: ReferralsApi;
  registryAdmin: RegistryAdminApi;
  patient: PatientApi;
  registration: RegistrationApi;
}

export function createApiClient(options: HttpOptions = {}): ApiClient {
  const http = createHttp(options);
  return {
    ops: createOpsApi(http),
    auth: createAuthApi(http),
    access: createAccessApi(http),
    accessLog: createAccessLogApi(http),
    consultation: createConsultationApi(http),
    requests: createRequestsApi(http),
    directory: createDirectoryApi(http),
    consent: createConsentApi(http),
    records: createRecordsApi(http),
    healthRecord: createHealthRecordApi(http),
    compliance: createComplianceApi(http),
    staff: createStaffAdminApi(http),
    gp: createGpApi(http),
    sickLeave: createSickLeaveApi(http),
    insurance: createInsuranceApi(http),
    practice: createPracticeApi(http),
    referrals: createReferralsApi(http),
    registryAdmin: createRegistryAdminApi(http),
    patient: createPatientApi(http),
    registration: createRegistrationApi(http),
  };
}
