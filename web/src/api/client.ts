import type { OpsApi } from '../features/ops/api.js';
import type { AuthApi } from '../features/auth/api.js';
import type { AccessApi } from '../features/access/api.js';
import type { AccessLogApi } from '../features/access-log/api.js';
import type { ConsultationApi } from '../features/consultation/api.js';
import type { RequestsApi } from '../features/requests/api.js';
import type { DirectoryApi } from '../features/directory/api.js';
import { createDirectorySearchApi } from '../features/directory/search-api.js';
import type { ConsentApi } from '../features/consent/api.js';
import type { RecordsApi } from '../features/records/api.js';
import type { HealthRecordApi } from '../features/health-record/api.js';
import type { ComplianceApi } from '../features/compliance/api.js';
import type { StaffAdminApi } from '../features/staff-admin/api.js';
import type { GpApi } from '../features/gp/api.js';
import type { SickLeaveApi } from '../features/sick-leave/api.js';
import type { InsuranceApi } from '../features/insurance/api.js';
import type { PracticeApi } from '../features/practice/api.js';
import type { ReferralsApi } from '../features/referrals/api.js';
import type { RegistryAdminApi } from '../features/registry-admin/api.js';
import type { PatientApi } from '../features/patient/api.js';
import type { RegistrationApi } from '../features/registration/api.js';
import { fileUrls } from './file-urls.js';
import { createHttp, surelySignedOut, type HttpOptions } from './http.js';
import { ApiError, networkProblem } from './problem.js';

/** The members of a group that answer at once (file addresses), not through a request. */
type SyncPart<T> = { [K in keyof T as T[K] extends (...args: never[]) => Promise<unknown> ? never : K]: T[K] };

/**
 * A group whose module, with its contracts, loads on its first call (performance: the first load of the
 * directory carries neither these modules nor the whole of zod, bench/README.md). `sync` must hold every
 * member that does not return a promise; the type checks that none is missing. `first` answers some calls
 * without loading the group (the directory search, whose contracts are `zod/mini`; `me` for an anonymous
 * visitor); it gets the loader for the calls it passes on.
 */
export function lazyGroup<T extends object>(load: () => Promise<T>, sync: SyncPart<T>, first?: (group: () => Promise<T>) => Partial<T>): T {
  let group: Promise<T> | undefined;
  const loaded = (): Promise<T> =>
    (group ??= load().catch((error: unknown) => {
      // A chunk that did not arrive (offline, a deploy replaced it) fails this call as a network problem
      // and is asked for again on the next one, instead of failing the whole group until a reload.
      group = undefined;
      throw new ApiError(networkProblem(), { cause: error });
    }));
  return new Proxy({ ...sync, ...first?.(loaded) } as T, {
    get(target, name, receiver) {
      if (Reflect.has(target, name)) return Reflect.get(target, name, receiver) as unknown;
      // Not a thenable, and nothing for symbols: only method names reach the loader.
      if (typeof name !== 'string' || name === 'then') return undefined;
      return (...args: unknown[]) => loaded().then((g) => (g[name as keyof T] as (...a: unknown[]) => Promise<unknown>)(...args));
    },
  });
}

/**
 * The typed API client, one group per server module (STYLE C19), and the only one: every feature
 * reaches the server through it. Components get it from `useApi()` (data loads through `useResource`),
 * so tests render them with a fake that implements only what they call. Every group loads with its
 * first call (`lazyGroup`), except the directory search and an anonymous visitor's `me`.
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
    ops: lazyGroup(async () => (await import('../features/ops/api.js')).createOpsApi(http), { restoreCheckPdfUrl: fileUrls.restoreCheckPdf }),
    auth: lazyGroup(async () => (await import('../features/auth/api.js')).createAuthApi(http), {}, (group) => ({
      me: async () => (surelySignedOut() ? null : (await group()).me()),
    })),
    access: lazyGroup(async () => (await import('../features/access/api.js')).createAccessApi(http), {}),
    accessLog: lazyGroup(async () => (await import('../features/access-log/api.js')).createAccessLogApi(http), {}),
    consultation: lazyGroup(async () => (await import('../features/consultation/api.js')).createConsultationApi(http), {}),
    requests: lazyGroup(async () => (await import('../features/requests/api.js')).createRequestsApi(http), {}),
    directory: lazyGroup(async () => (await import('../features/directory/api.js')).createDirectoryApi(http), {}, () => createDirectorySearchApi(http)),
    consent: lazyGroup(async () => (await import('../features/consent/api.js')).createConsentApi(http), { pdfUrl: fileUrls.consentPdf }),
    records: lazyGroup(async () => (await import('../features/records/api.js')).createRecordsApi(http), { pdfUrl: fileUrls.recordPdf }),
    healthRecord: lazyGroup(async () => (await import('../features/health-record/api.js')).createHealthRecordApi(http), { pdfUrl: fileUrls.recordPdf, fhirUrl: fileUrls.healthRecordFhir }),
    compliance: lazyGroup(async () => (await import('../features/compliance/api.js')).createComplianceApi(http), { fileUrl: fileUrls.compliance }),
    staff: lazyGroup(async () => (await import('../features/staff-admin/api.js')).createStaffAdminApi(http), {}),
    gp: lazyGroup(async () => (await import('../features/gp/api.js')).createGpApi(http), { reportHref: fileUrls.gpPatientListReport }),
    sickLeave: lazyGroup(async () => (await import('../features/sick-leave/api.js')).createSickLeaveApi(http), {}),
    insurance: lazyGroup(async () => (await import('../features/insurance/api.js')).createInsuranceApi(http), {}),
    practice: lazyGroup(async () => (await import('../features/practice/api.js')).createPracticeApi(http), { reportHref: fileUrls.practiceNhifReport, receiptHref: fileUrls.receipt }),
    referrals: lazyGroup(async () => (await import('../features/referrals/api.js')).createReferralsApi(http), { pdfHref: fileUrls.referralPdf }),
    registryAdmin: lazyGroup(async () => (await import('../features/registry-admin/api.js')).createRegistryAdminApi(http), {}),
    patient: lazyGroup(async () => (await import('../features/patient/api.js')).createPatientApi(http), {}),
    registration: lazyGroup(async () => (await import('../features/registration/api.js')).createRegistrationApi(http), {}),
  };
}
