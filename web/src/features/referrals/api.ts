import { PrescriptionListSchema, ReferralListSchema, type Prescription, type Referral } from '../../../../src/contracts/referrals.js';
import type { Http } from '../../api/http.js';

export type { Prescription, Referral };

/** Referrals and e-prescriptions (server module `referrals`, contract `src/contracts/referrals.ts`). */
export interface ReferralsApi {
  /** `GET /api/v1/patients/:id/referrals`: with validity and where each can be used. */
  referrals(patientId: string): Promise<{ items: Referral[] }>;
  /** `GET /api/v1/patients/:id/prescriptions`: with numbers and the dispensing pharmacy. */
  prescriptions(patientId: string): Promise<{ items: Prescription[] }>;
  /** The printable PDF (a plain link: the browser sends the session cookie). */
  pdfHref(kind: 'referral' | 'prescription', id: string): string;
}

export function createReferralsApi(http: Http): ReferralsApi {
  return {
    referrals: (patientId) => http.getJson(`/api/v1/patients/${encodeURIComponent(patientId)}/referrals`, ReferralListSchema),
    prescriptions: (patientId) => http.getJson(`/api/v1/patients/${encodeURIComponent(patientId)}/prescriptions`, PrescriptionListSchema),
    pdfHref: (kind, id) => `/api/v1/${kind}s/${encodeURIComponent(id)}/pdf`,
  };
}
