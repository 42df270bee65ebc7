import {
  AccessGrantListSchema,
  AccessGrantSchema,
  ActingForListSchema,
  SharedPatientListSchema,
  type AccessGrant,
  type AccessGrantList,
  type ActingFor,
  type ActingForList,
  type CreateAccessGrantBody,
  type SharedPatientList,
} from '../../../../src/contracts/access.js';
import { PatientSchema, type Patient } from '../../../../src/contracts/patients.js';
import type { Http } from '../../api/http.js';

export type { AccessGrant, AccessGrantList, ActingFor, ActingForList, CreateAccessGrantBody, Patient, SharedPatientList };

/** Access grants and the patients one acts for (server module `access`, contract `src/contracts/access.ts`). */
export interface AccessApi {
  /** `GET /api/v1/access/acting-for`: the signed-in patient, or a representative's linked patients. */
  actingFor(): Promise<ActingForList>;
  /** `GET /api/v1/access/shared-with-me`: patients whose grants name the signed-in account. */
  sharedWithMe(): Promise<SharedPatientList>;
  listGrants(patientId: string): Promise<AccessGrantList>;
  grantAccess(patientId: string, body: CreateAccessGrantBody): Promise<AccessGrant>;
  revokeGrant(grantId: string): Promise<AccessGrant>;
  /** `GET /api/v1/patients/:id`: demographics, if the policy allows. */
  getPatient(patientId: string): Promise<Patient>;
}

export function createAccessApi(http: Http): AccessApi {
  const id = (v: string) => encodeURIComponent(v);
  return {
    actingFor: () => http.getJson('/api/v1/access/acting-for', ActingForListSchema),
    sharedWithMe: () => http.getJson('/api/v1/access/shared-with-me', SharedPatientListSchema),
    listGrants: (patientId) => http.getJson(`/api/v1/patients/${id(patientId)}/access-grants`, AccessGrantListSchema),
    grantAccess: (patientId, body) => http.sendJson('POST', `/api/v1/patients/${id(patientId)}/access-grants`, body, AccessGrantSchema),
    revokeGrant: (grantId) => http.sendJson('POST', `/api/v1/access-grants/${id(grantId)}/revoke`, undefined, AccessGrantSchema),
    getPatient: (patientId) => http.getJson(`/api/v1/patients/${id(patientId)}`, PatientSchema),
  };
}
