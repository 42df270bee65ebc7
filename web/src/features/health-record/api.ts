import {
  ClinicalDocumentSchema,
  HealthRecordSchema,
  VerificationSchema,
  type ClinicalDocument,
  type Diagnosis,
  type DocumentKind,
  type HealthRecord,
  type Verification,
} from '../../../../src/contracts/records.js';
import { fileUrls } from '../../api/file-urls.js';
import type { Http } from '../../api/http.js';

export type { ClinicalDocument, Diagnosis, DocumentKind, HealthRecord, Verification };
export type HealthRecordEntry = HealthRecord['documents'][number];

/** The patient's record of remote services (server module `records`, contract `src/contracts/records.ts`). */
export interface HealthRecordApi {
  /** `GET /api/v1/patients/:id/health-record`: signed documents, diagnoses and medications (Art. 13 access; audited). */
  get(patientId: string): Promise<HealthRecord>;
  /** `GET /api/v1/records/documents/:id`: one signed document, read-only (audited). */
  document(documentId: string): Promise<ClinicalDocument>;
  /** `GET /api/v1/records/documents/:id/verification`: signature, content digest, header and correction chain. */
  verify(documentId: string): Promise<Verification>;
  /** Where the browser downloads the PDF copy with the verification data (same origin, session cookie). */
  pdfUrl(documentId: string): string;
  /** Where the browser downloads the FHIR R4 Bundle of the whole record. */
  fhirUrl(patientId: string): string;
}

export function createHealthRecordApi(http: Http): HealthRecordApi {
  const id = (v: string) => encodeURIComponent(v);
  return {
    get: (patientId) => http.getJson(`/api/v1/patients/${id(patientId)}/health-record`, HealthRecordSchema),
    document: (documentId) => http.getJson(`/api/v1/records/documents/${id(documentId)}`, ClinicalDocumentSchema),
    verify: (documentId) => http.getJson(`/api/v1/records/documents/${id(documentId)}/verification`, VerificationSchema),
    pdfUrl: fileUrls.recordPdf,
    fhirUrl: fileUrls.healthRecordFhir,
  };
}
