import { PatientBannerSchema, PatientIdentifierSchema, type PatientBanner, type PatientIdentifier } from '../../../../src/contracts/requests.js';
import type { Http } from '../../api/http.js';

export type { PatientBanner, PatientIdentifier };

/** The patient on every clinical screen (server module `requests`: the request opens the patient). */
export interface PatientApi {
  /** `GET /api/v1/requests/:id/patient-banner`: an audited read for the request's participants. */
  banner(requestId: string): Promise<PatientBanner>;
  /** `POST /api/v1/requests/:id/patient-identifier`: the full EGN/LNCh, audited as a reveal. */
  revealIdentifier(requestId: string): Promise<PatientIdentifier>;
}

export function createPatientApi(http: Http): PatientApi {
  const id = (v: string) => encodeURIComponent(v);
  return {
    banner: (requestId) => http.getJson(`/api/v1/requests/${id(requestId)}/patient-banner`, PatientBannerSchema),
    revealIdentifier: (requestId) => http.sendJson('POST', `/api/v1/requests/${id(requestId)}/patient-identifier`, undefined, PatientIdentifierSchema),
  };
}
