import {
  GpDeskLookupSchema,
  GpRegistrationSchema,
  PatientGpSchema,
  PatientListSchema,
  PatientListSummarySchema,
  type CreateGpRegistrationBody,
  type GpDeskLookup,
  type GpDeskLookupBody,
  type GpRegistration,
  type PatientGp,
  type PatientList,
  type PatientListSummary,
} from '../../../../src/contracts/gp.js';
import { fileUrls } from '../../api/file-urls.js';
import type { Http } from '../../api/http.js';

export type { GpDeskLookup, GpDeskLookupBody, GpRegistration, PatientGp, PatientList, PatientListSummary };

/** GP choice and patient lists (server module `gp`, contract `src/contracts/gp.ts`). */
export interface GpApi {
  /** `GET /api/v1/patients/:id/gp`: current GP, history and the change window. */
  patientGp(patientId: string): Promise<PatientGp>;
  /** `GET /api/v1/practitioners/:id/patient-list`: one page of the GP's own list. */
  patientList(practitionerId: string, params: { page: number; status: 'listed' | 'left' }): Promise<PatientList>;
  /** `GET /api/v1/practitioners/:id/patient-list/summary`: age groups, capitation, capacity, staffing. */
  summary(practitionerId: string): Promise<PatientListSummary>;
  /** The monthly register's download address (a plain link: the browser sends the session cookie). */
  reportHref(practitionerId: string, month: string, format?: 'csv' | 'pdf'): string;
  /** `POST /api/v1/practices/:id/gp-registration-lookups`: the desk finds a patient from the documents presented. */
  lookUp(facilityId: string, body: GpDeskLookupBody): Promise<GpDeskLookup>;
  /** `POST /api/v1/gp-registrations`: an initial, permanent or temporary choice (W8-W10). */
  register(body: CreateGpRegistrationBody): Promise<GpRegistration>;
}

export function createGpApi(http: Http): GpApi {
  return {
    patientGp: (patientId) => http.getJson(`/api/v1/patients/${encodeURIComponent(patientId)}/gp`, PatientGpSchema),
    patientList: (practitionerId, { page, status }) =>
      http.getJson(`/api/v1/practitioners/${encodeURIComponent(practitionerId)}/patient-list?page=${page}&pageSize=50&status=${status}`, PatientListSchema),
    summary: (practitionerId) => http.getJson(`/api/v1/practitioners/${encodeURIComponent(practitionerId)}/patient-list/summary`, PatientListSummarySchema),
    lookUp: (facilityId, body) => http.sendJson('POST', `/api/v1/practices/${encodeURIComponent(facilityId)}/gp-registration-lookups`, body, GpDeskLookupSchema),
    register: (body) => http.sendJson('POST', '/api/v1/gp-registrations', body, GpRegistrationSchema),
    reportHref: fileUrls.gpPatientListReport,
  };
}
