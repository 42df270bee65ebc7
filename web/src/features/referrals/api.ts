import { z } from 'zod';
import {
  BudgetListSchema,
  IssuedDocumentListSchema,
  MedicineListSchema,
  NhisDocumentStatusSchema,
  PathwayHospitalListSchema,
  PrescriptionListSchema,
  PrescriptionSchema,
  ReferralListSchema,
  ReferralSchema,
  type Budget,
  type CreatePrescriptionBody,
  type CreateReferralBody,
  type IssuedDocument,
  type Medicine,
  type PathwayHospital,
  type Prescription,
  type Referral,
} from '../../../../src/contracts/referrals.js';
import { fileUrls } from '../../api/file-urls.js';
import type { Http } from '../../api/http.js';

const CancelResultSchema = z.object({ id: z.uuid(), status: NhisDocumentStatusSchema });

export type { Budget, CreatePrescriptionBody, CreateReferralBody, IssuedDocument, Medicine, PathwayHospital, Prescription, Referral };

/** Referrals and e-prescriptions (server module `referrals`, contract `src/contracts/referrals.ts`). */
export interface ReferralsApi {
  /** `GET /api/v1/patients/:id/referrals`: with validity and where each can be used. */
  referrals(patientId: string): Promise<{ items: Referral[] }>;
  /** `GET /api/v1/patients/:id/prescriptions`: with numbers and the dispensing pharmacy. */
  prescriptions(patientId: string): Promise<{ items: Prescription[] }>;
  /** The printable PDF (a plain link: the browser sends the session cookie). */
  pdfHref(kind: 'referral' | 'prescription', id: string): string;
  /** `POST /api/v1/referrals`: issue and sign (a fresh TOTP code); pending until the NHIS acknowledges. */
  issueReferral(body: CreateReferralBody): Promise<Referral>;
  /** `POST /api/v1/prescriptions`: issue and sign an e-prescription. */
  issuePrescription(body: CreatePrescriptionBody): Promise<Prescription>;
  /** `GET /api/v1/referrals/:id`: its status and, once acknowledged, the НРН. */
  referral(id: string): Promise<Referral>;
  /** `GET /api/v1/prescriptions/:id`. */
  prescription(id: string): Promise<Prescription>;
  /** `GET /api/v1/referral-budgets`: the practice's quarterly standards per form. */
  budgets(facilityId: string): Promise<{ items: Budget[] }>;
  /** `GET /api/v1/medicines?q=`: the medicines nomenclature. */
  medicines(q: string, signal?: AbortSignal): Promise<{ items: Medicine[] }>;
  /** `GET /api/v1/referral-hospitals?pathway=`: hospitals contracted for the pathway (R-REF-07). */
  hospitals(pathway: string): Promise<{ items: PathwayHospital[] }>;
  /** `GET /api/v1/issued-documents`: what the signed-in doctor issued. */
  issued(): Promise<{ items: IssuedDocument[] }>;
  /** `POST /api/v1/{referrals|prescriptions}/:id/cancel`: R007 / P007 with a reason and a fresh TOTP code. */
  cancel(kind: 'referral' | 'prescription', id: string, body: { reason: string; code: string }): Promise<{ id: string; status: string }>;
}

export function createReferralsApi(http: Http): ReferralsApi {
  const id = (v: string) => encodeURIComponent(v);
  return {
    referrals: (patientId) => http.getJson(`/api/v1/patients/${id(patientId)}/referrals`, ReferralListSchema),
    prescriptions: (patientId) => http.getJson(`/api/v1/patients/${id(patientId)}/prescriptions`, PrescriptionListSchema),
    pdfHref: fileUrls.referralPdf,
    issueReferral: (body) => http.sendJson('POST', '/api/v1/referrals', body, ReferralSchema),
    issuePrescription: (body) => http.sendJson('POST', '/api/v1/prescriptions', body, PrescriptionSchema),
    referral: (docId) => http.getJson(`/api/v1/referrals/${id(docId)}`, ReferralSchema),
    prescription: (docId) => http.getJson(`/api/v1/prescriptions/${id(docId)}`, PrescriptionSchema),
    budgets: (facilityId) => http.getJson(`/api/v1/referral-budgets?facilityId=${id(facilityId)}`, BudgetListSchema),
    medicines: (q, signal) => http.getJson(`/api/v1/medicines?q=${id(q)}&limit=10`, MedicineListSchema, signal ? { signal } : {}),
    hospitals: (pathway) => http.getJson(`/api/v1/referral-hospitals?pathway=${id(pathway)}`, PathwayHospitalListSchema),
    issued: () => http.getJson('/api/v1/issued-documents', IssuedDocumentListSchema),
    cancel: (kind, docId, body) => http.sendJson('POST', `/api/v1/${kind}s/${id(docId)}/cancel`, body, CancelResultSchema),
  };
}
