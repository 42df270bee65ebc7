import {
  ConsentListSchema,
  ConsentPresentationSchema,
  ConsentSchema,
  ConsentVerificationSchema,
  GateStatusSchema,
  IdentityVerificationSchema,
  type Art7Checklist,
  type Consent,
  type ConsentKind,
  type ConsentList,
  type ConsentPresentation,
  type ConsentVerification,
  type GateStatus,
  type IdentityVerification,
  type RecordVerificationBody,
  type RecordingMedia,
  type SignConsentBody,
} from '../../../../src/contracts/consent.js';
import { RequestWithAppointmentSchema, type RequestWithAppointment } from '../../../../src/contracts/requests.js';
import { fileUrls } from '../../api/file-urls.js';
import type { Http } from '../../api/http.js';

export type { Art7Checklist, Consent, ConsentKind, ConsentList, ConsentPresentation, ConsentVerification, GateStatus, IdentityVerification, RecordVerificationBody, RecordingMedia, SignConsentBody };

/** Consent, identity verification and admissibility (server module `consent`, contract `src/contracts/consent.ts`). */
export interface ConsentApi {
  /** `GET /api/v1/requests/:id/gates`: consent, identity, decision and what still blocks the service. */
  gates(requestId: string): Promise<GateStatus>;
  /** `POST /api/v1/requests/:id/consent-presentations`: shows the text and records that it was shown. */
  present(requestId: string, kind: ConsentKind, lang: 'bg' | 'en'): Promise<ConsentPresentation>;
  sign(requestId: string, body: SignConsentBody): Promise<Consent>;
  withdraw(consentId: string, reason?: string): Promise<Consent>;
  listForPatient(patientId: string): Promise<ConsentList>;
  verify(consentId: string): Promise<ConsentVerification>;
  /** Where the browser downloads the printable copy (same origin, session cookie). */
  pdfUrl(consentId: string): string;
  recordVerification(requestId: string, body: RecordVerificationBody): Promise<IdentityVerification>;
  /** The admissibility decision is the accept/decline of the request (`POST /api/v1/requests/:id/transitions`). */
  decide(requestId: string, outcome: 'accept' | 'decline', checklist: Art7Checklist, reason?: string): Promise<RequestWithAppointment>;
}

export function createConsentApi(http: Http): ConsentApi {
  const id = (v: string) => encodeURIComponent(v);
  return {
    gates: (requestId) => http.getJson(`/api/v1/requests/${id(requestId)}/gates`, GateStatusSchema),
    present: (requestId, kind, lang) => http.sendJson('POST', `/api/v1/requests/${id(requestId)}/consent-presentations`, { kind, lang }, ConsentPresentationSchema),
    sign: (requestId, body) => http.sendJson('POST', `/api/v1/requests/${id(requestId)}/consents`, body, ConsentSchema),
    withdraw: (consentId, reason) => http.sendJson('POST', `/api/v1/consents/${id(consentId)}/withdraw`, reason ? { reason } : {}, ConsentSchema),
    listForPatient: (patientId) => http.getJson(`/api/v1/patients/${id(patientId)}/consents`, ConsentListSchema),
    verify: (consentId) => http.getJson(`/api/v1/consents/${id(consentId)}/verification`, ConsentVerificationSchema),
    pdfUrl: fileUrls.consentPdf,
    recordVerification: (requestId, body) => http.sendJson('POST', `/api/v1/requests/${id(requestId)}/identity-verifications`, body, IdentityVerificationSchema),
    decide: (requestId, outcome, checklist, reason) =>
      http.sendJson('POST', `/api/v1/requests/${id(requestId)}/transitions`, { action: outcome, checklist, ...(reason ? { reason } : {}) }, RequestWithAppointmentSchema),
  };
}
