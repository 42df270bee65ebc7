import { z } from 'zod';
import {
  AgentSigningInputSchema,
  NhisCardStepSchema,
  type NhisCardStep,
  type NhisCardStepBody,
  ClinicalDocumentSchema,
  DeadlineSchema,
  Icd10SearchResultSchema,
  NationalRecordSchema,
  PendingNhisListSchema,
  SheetTemplateListSchema,
  VerificationSchema,
  WorklistSchema,
  type ClinicalDocument,
  type Deadline,
  type Diagnosis,
  type DocumentBody,
  type DocumentBodyInput,
  type DocumentKind,
  type Icd10Entry,
  type MarkComplexBody,
  type NationalExamination,
  type NationalPrescription,
  type NationalRecord,
  type NationalReferral,
  type PendingNhisSubmission,
  type Verification,
} from '../../../../src/contracts/records.js';
import { fileUrls } from '../../api/file-urls.js';
import type { Http } from '../../api/http.js';

export type { PendingNhisSubmission, NationalRecord, NationalExamination, NationalReferral, NationalPrescription };
export type PendingNhisList = z.infer<typeof PendingNhisListSchema>;
export type { ClinicalDocument, Deadline, Diagnosis, DocumentBody, DocumentBodyInput, DocumentKind, Icd10Entry, MarkComplexBody, Verification };
export type AgentSigningInput = z.infer<typeof AgentSigningInputSchema>;
export type SheetTemplate = z.infer<typeof SheetTemplateListSchema>['items'][number];
export type RecordsWorklist = z.infer<typeof WorklistSchema>;
/** The document kinds that close a service (R-TM-40); the editor writes these. */
export type ClosingKind = Deadline['documentKind'];

const DocumentListSchema = z.object({ items: z.array(ClinicalDocumentSchema) });

/** Clinical records and Art. 17 deadlines (server module `records`, contract `src/contracts/records.ts`). */
export interface RecordsApi {
  /** `GET /api/v1/records/icd10`: as-you-type search by code prefix or words (Bulgarian, English, Latin). */
  searchIcd10(q: string, limit?: number, signal?: AbortSignal): Promise<Icd10Entry[]>;
  /** `GET /api/v1/records/templates`: the editor templates of a specialty and the general ones. */
  templates(specialtyCode?: string): Promise<SheetTemplate[]>;
  /** `GET /api/v1/requests/:id/documents`: the service's documents the caller may see (drafts: their author). */
  listForRequest(requestId: string): Promise<ClinicalDocument[]>;
  /** `POST /api/v1/requests/:id/documents`: starts the draft of this kind, or returns the existing one. */
  createDraft(requestId: string, kind: DocumentKind, body?: DocumentBodyInput): Promise<ClinicalDocument>;
  get(documentId: string): Promise<ClinicalDocument>;
  /** `PUT /api/v1/records/documents/:id` with `If-Match: "<version>"`; 412 `resource.version_mismatch` when stale. */
  saveDraft(documentId: string, version: number, body: DocumentBodyInput): Promise<ClinicalDocument>;
  /** `DELETE /api/v1/records/documents/:id` with `If-Match`. */
  discardDraft(documentId: string, version: number): Promise<void>;
  /**
   * `POST /api/v1/records/documents/:id/sign` with `If-Match` (the version the author reviewed is the one
   * signed) and a fresh TOTP code (docs/decisions.md#d5).
   */
  sign(documentId: string, version: number, code: string): Promise<ClinicalDocument>;
  /** `POST …/agent-signature/prepare`: the JAdES signing input for the doctor's card (certificate checked). */
  prepareAgentSignature(documentId: string, version: number, certificateChain: string[]): Promise<AgentSigningInput>;
  /** `POST …/agent-signature`: the card's signature over that input, confirmed by a fresh code (qualified). */
  signWithAgent(documentId: string, version: number, body: { code: string; signingInput: string; signature: string }): Promise<ClinicalDocument>;
  /**
   * `POST …/nhis-card-steps`: the NHIS messages of a record signed with the card, signed by the same card:
   * sends the step the card signed and answers the next one to sign, or the end (docs/nhis.md#signer).
   */
  nhisCardStep(documentId: string, body: NhisCardStepBody): Promise<NhisCardStep>;
  /** `POST /api/v1/records/documents/:id/corrections`: a new draft revision referencing the signed one. */
  startCorrection(documentId: string, body: DocumentBodyInput, reason: string): Promise<ClinicalDocument>;
  verify(documentId: string): Promise<Verification>;
  /** Where the browser downloads the PDF copy (same origin, session cookie). */
  pdfUrl(documentId: string): string;
  /** `GET /api/v1/requests/:id/deadline` (404 before the service is completed). */
  deadline(requestId: string): Promise<Deadline>;
  /** `POST /api/v1/requests/:id/deadline/complex` (R-TM-43). */
  markComplex(requestId: string, body: MarkComplexBody): Promise<Deadline>;
  /** `GET /api/v1/records/nhis-pending`: signed records waiting for the NHIS, and why. */
  nhisPending(): Promise<PendingNhisList>;
  /** `GET /api/v1/records/worklist`: the specialist's deadlines, open ones first. */
  worklist(): Promise<RecordsWorklist>;
  /** The patient's national record kept for the consultation (no NHIS call). */
  nationalRecord(consultationId: string): Promise<NationalRecord>;
  /** Asks the NHIS once per consultation; later calls return the kept copy. */
  fetchNationalRecord(consultationId: string): Promise<NationalRecord>;
}

const ifMatch = (version: number) => ({ headers: { 'if-match': `"${version}"` } });

export function createRecordsApi(http: Http): RecordsApi {
  const id = (v: string) => encodeURIComponent(v);
  return {
    searchIcd10: async (q, limit = 12, signal) =>
      (await http.getJson(`/api/v1/records/icd10?${new URLSearchParams({ q, limit: String(limit) }).toString()}`, Icd10SearchResultSchema, signal ? { signal } : {})).items,
    templates: async (specialtyCode) => (await http.getJson(`/api/v1/records/templates${specialtyCode ? `?specialty=${id(specialtyCode)}` : ''}`, SheetTemplateListSchema)).items,
    listForRequest: async (requestId) => (await http.getJson(`/api/v1/requests/${id(requestId)}/documents`, DocumentListSchema)).items,
    createDraft: (requestId, kind, body) => http.sendJson('POST', `/api/v1/requests/${id(requestId)}/documents`, body ? { kind, body } : { kind }, ClinicalDocumentSchema),
    get: (documentId) => http.getJson(`/api/v1/records/documents/${id(documentId)}`, ClinicalDocumentSchema),
    saveDraft: (documentId, version, body) => http.sendJson('PUT', `/api/v1/records/documents/${id(documentId)}`, { body }, ClinicalDocumentSchema, ifMatch(version)),
    discardDraft: (documentId, version) => http.sendJson('DELETE', `/api/v1/records/documents/${id(documentId)}`, undefined, null, ifMatch(version)),
    prepareAgentSignature: (documentId, version, certificateChain) => http.sendJson('POST', `/api/v1/records/documents/${id(documentId)}/agent-signature/prepare`, { certificateChain }, AgentSigningInputSchema, ifMatch(version)),
    signWithAgent: (documentId, version, body) => http.sendJson('POST', `/api/v1/records/documents/${id(documentId)}/agent-signature`, body, ClinicalDocumentSchema, ifMatch(version)),
    nhisCardStep: (documentId, body) => http.sendJson('POST', `/api/v1/records/documents/${id(documentId)}/nhis-card-steps`, body, NhisCardStepSchema),
    sign: (documentId, version, code) => http.sendJson('POST', `/api/v1/records/documents/${id(documentId)}/sign`, { code }, ClinicalDocumentSchema, ifMatch(version)),
    startCorrection: (documentId, body, reason) => http.sendJson('POST', `/api/v1/records/documents/${id(documentId)}/corrections`, { body, reason }, ClinicalDocumentSchema),
    verify: (documentId) => http.getJson(`/api/v1/records/documents/${id(documentId)}/verification`, VerificationSchema),
    pdfUrl: fileUrls.recordPdf,
    deadline: (requestId) => http.getJson(`/api/v1/requests/${id(requestId)}/deadline`, DeadlineSchema),
    markComplex: (requestId, body) => http.sendJson('POST', `/api/v1/requests/${id(requestId)}/deadline/complex`, body, DeadlineSchema),
    worklist: () => http.getJson('/api/v1/records/worklist', WorklistSchema),
    nhisPending: () => http.getJson('/api/v1/records/nhis-pending', PendingNhisListSchema),
    nationalRecord: (consultationId) => http.getJson(`/api/v1/consultations/${id(consultationId)}/national-record`, NationalRecordSchema),
    fetchNationalRecord: (consultationId) => http.sendJson('POST', `/api/v1/consultations/${id(consultationId)}/national-record/fetch`, undefined, NationalRecordSchema),
  };
}
