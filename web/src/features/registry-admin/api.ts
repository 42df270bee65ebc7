import {
  CentreListSchema,
  CentreSchema,
  CertificateListSchema,
  CertificateSchema,
  EmergencyContractListSchema,
  EmergencyContractSchema,
  FacilityListSchema,
  FacilitySchema,
  NhisRegistrationSchema,
  PractitionerListSchema,
  PractitionerSchema,
  ReferenceDataSchema,
  ServiceListSchema,
  ServiceSchema,
  type Centre,
  type CentreInput,
  type CentreMemberInput,
  type CentreUpdate,
  type Certificate,
  type CertificateInput,
  type EmergencyContract,
  type EmergencyContractInput,
  type Facility,
  type FacilityInput,
  type FacilityStatus,
  type FacilityUpdate,
  type NhisRegistration,
  type Practitioner,
  type PractitionerInput,
  type PractitionerRoleInput,
  type ReferenceData,
  type Service,
  type ServiceInput,
  type ServiceUpdate,
} from '../../../../src/contracts/registry.js';
import {
  ScheduleExceptionListSchema,
  ScheduleExceptionSchema,
  ScheduleListSchema,
  ScheduleResultSchema,
  type CapacityWarning,
  type Schedule,
  type ScheduleException,
  type ScheduleExceptionInput,
  type ScheduleInput,
  type ScheduleResult,
  type ScheduleUpdate,
} from '../../../../src/contracts/scheduling.js';
import { DirectoryFacilityPageSchema, DirectorySearchResultSchema, type DirectoryFacilityPage, type DirectorySearchResult } from '../../../../src/contracts/directory.js';
import { ApiClientCreatedSchema, ApiClientListSchema, ApiClientSchema, type ApiClient, type ApiClientCreated, type RegisterApiClientBody } from '../../../../src/contracts/api-clients.js';
import type { Http } from '../../api/http.js';

export type {
  CapacityWarning,
  Centre,
  CentreInput,
  CentreMemberInput,
  CentreUpdate,
  Certificate,
  CertificateInput,
  DirectoryFacilityPage,
  DirectorySearchResult,
  EmergencyContract,
  EmergencyContractInput,
  Facility,
  FacilityInput,
  FacilityStatus,
  FacilityUpdate,
  NhisRegistration,
  Practitioner,
  PractitionerInput,
  PractitionerRoleInput,
  ReferenceData,
  Schedule,
  ScheduleException,
  ScheduleExceptionInput,
  ScheduleInput,
  ScheduleResult,
  ScheduleUpdate,
  Service,
  ServiceInput,
  ServiceUpdate,
};

type Items<T> = { items: T[] };

/**
 * Registry administration (server modules `registry` and `scheduling`, contracts
 * `src/contracts/registry.ts` and `scheduling.ts`): what a facility administrator and a coordinator of
 * telemedicine centres change. Writes carry the `version` the editor saw; the server answers 409
 * `resource.version_mismatch` when someone else changed the record first.
 */
export interface RegistryAdminApi {
  /** `GET /api/v1/registry/reference`: facility types, specialties, RHIF regions, service kinds. */
  reference(): Promise<ReferenceData>;
  /** `GET /api/v1/directory/facilities?q=`: facilities by name (to pick the other party of a contract). */
  findFacilities(q: string): Promise<DirectorySearchResult>;
  /** `GET /api/v1/directory/facilities/:id`: a facility's public page (to name the other party of a contract). */
  publicFacility(id: string): Promise<DirectoryFacilityPage>;

  facilities(): Promise<Items<Facility>>;
  registerFacility(input: FacilityInput): Promise<Facility>;
  facility(id: string): Promise<Facility>;
  updateFacility(id: string, input: FacilityUpdate): Promise<Facility>;
  setFacilityStatus(id: string, status: FacilityStatus, version: number): Promise<Facility>;
  /** `GET …/nhis-registration`: the facility's entry in the NHIS telemedicine database (Art. 24). */
  nhisRegistration(id: string): Promise<NhisRegistration>;
  /** `POST …/nhis-registration/sync`: send the entry now (202; the outbox sends it). */
  syncNhisRegistration(id: string): Promise<void>;

  certificates(facilityId: string): Promise<Items<Certificate>>;
  recordCertificate(facilityId: string, input: CertificateInput): Promise<Certificate>;
  withdrawCertificate(facilityId: string, certificateId: string): Promise<void>;

  practitioners(facilityId: string): Promise<Items<Practitioner>>;
  /** `GET /api/v1/admin/practitioners?uin=`: 404 `resource.not_found` when nobody has this UIN. */
  findPractitioner(uin: string): Promise<Practitioner>;
  registerPractitioner(input: PractitionerInput): Promise<Practitioner>;
  setPractitionerRole(facilityId: string, practitionerId: string, input: PractitionerRoleInput): Promise<Practitioner>;

  services(facilityId: string): Promise<Items<Service>>;
  createService(facilityId: string, input: ServiceInput): Promise<Service>;
  updateService(facilityId: string, serviceId: string, input: ServiceUpdate): Promise<Service>;
  publishService(facilityId: string, serviceId: string, version: number): Promise<Service>;
  withdrawService(facilityId: string, serviceId: string, version: number): Promise<Service>;

  schedules(facilityId: string): Promise<{ items: Schedule[]; warnings: CapacityWarning[] }>;
  createSchedule(facilityId: string, input: ScheduleInput): Promise<ScheduleResult>;
  updateSchedule(facilityId: string, scheduleId: string, input: ScheduleUpdate): Promise<ScheduleResult>;
  absences(facilityId: string): Promise<Items<ScheduleException>>;
  addAbsence(facilityId: string, input: ScheduleExceptionInput): Promise<ScheduleException>;
  removeAbsence(facilityId: string, absenceId: string): Promise<void>;

  emergencyContracts(facilityId: string): Promise<Items<EmergencyContract>>;
  recordEmergencyContract(input: EmergencyContractInput): Promise<EmergencyContract>;
  terminateEmergencyContract(contractId: string, version: number): Promise<EmergencyContract>;

  /** A facility's registered systems (OAuth 2.0 client credentials for /fhir/R4, docs/fhir.md#machine-clients). */
  apiClients(facilityId: string): Promise<Items<ApiClient>>;
  /** The answer carries the secret, shown once. */
  registerApiClient(facilityId: string, input: RegisterApiClientBody): Promise<ApiClientCreated>;
  revokeApiClient(clientId: string): Promise<ApiClient>;

  centres(): Promise<Items<Centre>>;
  centre(id: string): Promise<Centre>;
  createCentre(input: CentreInput): Promise<Centre>;
  updateCentre(id: string, input: CentreUpdate): Promise<Centre>;
  setCentreMember(id: string, input: CentreMemberInput): Promise<Centre>;
  removeCentreMember(id: string, facilityId: string): Promise<Centre>;
  activateCentre(id: string, version: number): Promise<Centre>;
  suspendCentre(id: string, version: number): Promise<Centre>;
}

export function createRegistryAdminApi(http: Http): RegistryAdminApi {
  const e = encodeURIComponent;
  const f = (facilityId: string) => `/api/v1/admin/facilities/${e(facilityId)}`;
  const c = (centreId: string) => `/api/v1/admin/centres/${e(centreId)}`;
  return {
    reference: () => http.getJson('/api/v1/registry/reference', ReferenceDataSchema),
    findFacilities: (q) => http.getJson(`/api/v1/directory/facilities?${new URLSearchParams({ q, limit: '20' }).toString()}`, DirectorySearchResultSchema),

    publicFacility: (id) => http.getJson(`/api/v1/directory/facilities/${e(id)}`, DirectoryFacilityPageSchema),

    apiClients: (id) => http.getJson(`/api/v1/facilities/${e(id)}/api-clients`, ApiClientListSchema),
    registerApiClient: (id, input) => http.sendJson('POST', `/api/v1/facilities/${e(id)}/api-clients`, input, ApiClientCreatedSchema),
    revokeApiClient: (clientId) => http.sendJson('DELETE', `/api/v1/api-clients/${e(clientId)}`, undefined, ApiClientSchema),

    facilities: () => http.getJson('/api/v1/admin/facilities', FacilityListSchema),
    registerFacility: (input) => http.sendJson('POST', '/api/v1/admin/facilities', input, FacilitySchema),
    facility: (id) => http.getJson(f(id), FacilitySchema),
    updateFacility: (id, input) => http.sendJson('PATCH', f(id), input, FacilitySchema),
    setFacilityStatus: (id, status, version) => http.sendJson('POST', `${f(id)}/status`, { status, version }, FacilitySchema),
    nhisRegistration: (id) => http.getJson(`${f(id)}/nhis-registration`, NhisRegistrationSchema),
    syncNhisRegistration: (id) => http.sendJson('POST', `${f(id)}/nhis-registration/sync`, undefined, null),

    certificates: (id) => http.getJson(`${f(id)}/certificates`, CertificateListSchema),
    recordCertificate: (id, input) => http.sendJson('POST', `${f(id)}/certificates`, input, CertificateSchema),
    withdrawCertificate: (id, certificateId) => http.sendJson('POST', `${f(id)}/certificates/${e(certificateId)}/withdraw`, undefined, null),

    practitioners: (id) => http.getJson(`${f(id)}/practitioners`, PractitionerListSchema),
    findPractitioner: (uin) => http.getJson(`/api/v1/admin/practitioners?${new URLSearchParams({ uin }).toString()}`, PractitionerSchema),
    registerPractitioner: (input) => http.sendJson('POST', '/api/v1/admin/practitioners', input, PractitionerSchema),
    setPractitionerRole: (id, practitionerId, input) => http.sendJson('PUT', `${f(id)}/practitioners/${e(practitionerId)}`, input, PractitionerSchema),

    services: (id) => http.getJson(`${f(id)}/services`, ServiceListSchema),
    createService: (id, input) => http.sendJson('POST', `${f(id)}/services`, input, ServiceSchema),
    updateService: (id, serviceId, input) => http.sendJson('PATCH', `${f(id)}/services/${e(serviceId)}`, input, ServiceSchema),
    publishService: (id, serviceId, version) => http.sendJson('POST', `${f(id)}/services/${e(serviceId)}/publish`, { version }, ServiceSchema),
    withdrawService: (id, serviceId, version) => http.sendJson('POST', `${f(id)}/services/${e(serviceId)}/withdraw`, { version }, ServiceSchema),

    schedules: (id) => http.getJson(`${f(id)}/schedules`, ScheduleListSchema),
    createSchedule: (id, input) => http.sendJson('POST', `${f(id)}/schedules`, input, ScheduleResultSchema),
    updateSchedule: (id, scheduleId, input) => http.sendJson('PATCH', `${f(id)}/schedules/${e(scheduleId)}`, input, ScheduleResultSchema),
    absences: (id) => http.getJson(`${f(id)}/schedule-exceptions`, ScheduleExceptionListSchema),
    addAbsence: (id, input) => http.sendJson('POST', `${f(id)}/schedule-exceptions`, input, ScheduleExceptionSchema),
    removeAbsence: (id, absenceId) => http.sendJson('DELETE', `${f(id)}/schedule-exceptions/${e(absenceId)}`, undefined, null),

    emergencyContracts: (id) => http.getJson(`${f(id)}/emergency-contracts`, EmergencyContractListSchema),
    recordEmergencyContract: (input) => http.sendJson('POST', '/api/v1/admin/emergency-contracts', input, EmergencyContractSchema),
    terminateEmergencyContract: (contractId, version) => http.sendJson('POST', `/api/v1/admin/emergency-contracts/${e(contractId)}/terminate`, { version }, EmergencyContractSchema),

    centres: () => http.getJson('/api/v1/admin/centres', CentreListSchema),
    centre: (id) => http.getJson(c(id), CentreSchema),
    createCentre: (input) => http.sendJson('POST', '/api/v1/admin/centres', input, CentreSchema),
    updateCentre: (id, input) => http.sendJson('PATCH', c(id), input, CentreSchema),
    setCentreMember: (id, input) => http.sendJson('PUT', `${c(id)}/members`, input, CentreSchema),
    removeCentreMember: (id, facilityId) => http.sendJson('DELETE', `${c(id)}/members/${e(facilityId)}`, undefined, CentreSchema),
    activateCentre: (id, version) => http.sendJson('POST', `${c(id)}/activate`, { version }, CentreSchema),
    suspendCentre: (id, version) => http.sendJson('POST', `${c(id)}/suspend`, { version }, CentreSchema),
  };
}
