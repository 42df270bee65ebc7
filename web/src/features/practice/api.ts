import type { z } from 'zod';
import {
  ComplaintSchema,
  OutOfHoursSchema,
  NhifMonthlyReportSchema,
  PaymentListSchema,
  PaymentSchema,
  PhoneConsultationListSchema,
  PhoneConsultationSchema,
  PracticeVisitListSchema,
  PriceListSchema,
  QueueEntrySchema,
  QueueSchema,
  type Complaint,
  type OutOfHours,
  type CreateComplaintBody,
  type CreatePaymentBody,
  type CreatePhoneConsultationBody,
  type NhifMonthlyReport,
  type Payment,
  type PhoneConsultation,
  type PracticeVisit,
  type PriceList,
  type QueueEntry,
} from '../../../../src/contracts/practice.js';
import {
  DocumentRequestListSchema,
  DocumentRequestSchema,
  ProcessingActivityListSchema,
  ProcessingActivitySchema,
  SubjectRequestListSchema,
  SubjectRequestSchema,
  type CreateDocumentRequestBody,
  type CreateProcessingActivityBody,
  type DocumentRequest,
  type HandleSubjectRequestBody,
  type ProcessingActivity,
  type SubjectRequest,
} from '../../../../src/contracts/practice-records.js';
import { fileUrls } from '../../api/file-urls.js';
import type { Http } from '../../api/http.js';

export type { DocumentRequest, ProcessingActivity, SubjectRequest };
export type { Complaint, OutOfHours, NhifMonthlyReport, Payment, PhoneConsultation, PracticeVisit, PriceList, QueueEntry };
export type PaymentList = z.infer<typeof PaymentListSchema>;

/** The practice's day (server module `practice`, contract `src/contracts/practice.ts`). */
export interface PracticeApi {
  priceList(facilityId: string): Promise<PriceList>;
  visits(facilityId: string, date?: string): Promise<{ date: string; items: PracticeVisit[] }>;
  pay(encounterId: string, body: CreatePaymentBody): Promise<Payment>;
  queue(facilityId: string): Promise<{ items: QueueEntry[] }>;
  joinQueue(facilityId: string, body: { patientId: string; priority: QueueEntry['priority'] }): Promise<QueueEntry>;
  phoneRegister(facilityId: string, date?: string): Promise<{ date: string; items: PhoneConsultation[] }>;
  registerCall(facilityId: string, body: CreatePhoneConsultationBody): Promise<PhoneConsultation>;
  monthlyReport(facilityId: string, month: string): Promise<NhifMonthlyReport>;
  reportHref(facilityId: string, month: string, format: 'xml' | 'pdf'): string;
  myPayments(patientId: string): Promise<PaymentList>;
  receiptHref(paymentId: string): string;
  fileComplaint(facilityId: string, body: CreateComplaintBody): Promise<Complaint>;
  /** `GET /practices/:id/out-of-hours` (public): how patients reach care out of hours, or null (W21). */
  outOfHours(facilityId: string, options?: { signal?: AbortSignal }): Promise<OutOfHours | null>;
  /** Document requests (E34): ask, the patient's own, the practice's worklist, issue or refuse. */
  requestDocument(facilityId: string, body: CreateDocumentRequestBody): Promise<DocumentRequest>;
  myDocumentRequests(patientId: string): Promise<{ items: DocumentRequest[] }>;
  documentRequests(facilityId: string): Promise<{ items: DocumentRequest[] }>;
  completeDocumentRequest(facilityId: string, requestId: string, body: { outcome: 'issued' | 'refused'; note?: string }): Promise<DocumentRequest>;
  /** Personal data (W25, GDPR Art. 30 and 12-21): the register of processing activities and data-subject requests. */
  processingActivities(facilityId: string): Promise<{ items: ProcessingActivity[] }>;
  addProcessingActivity(facilityId: string, body: CreateProcessingActivityBody): Promise<ProcessingActivity>;
  subjectRequests(facilityId: string): Promise<{ items: SubjectRequest[] }>;
  handleSubjectRequest(facilityId: string, requestId: string, body: HandleSubjectRequestBody): Promise<SubjectRequest>;
}

export function createPracticeApi(http: Http): PracticeApi {
  const p = (facilityId: string, path: string) => `/api/v1/practices/${encodeURIComponent(facilityId)}${path}`;
  const day = (date?: string) => (date ? `?date=${date}` : '');
  return {
    priceList: (facilityId) => http.getJson(p(facilityId, '/price-list'), PriceListSchema),
    visits: (facilityId, date) => http.getJson(p(facilityId, `/visits${day(date)}`), PracticeVisitListSchema),
    pay: (encounterId, body) => http.sendJson('POST', `/api/v1/encounters/${encodeURIComponent(encounterId)}/payments`, body, PaymentSchema),
    queue: (facilityId) => http.getJson(p(facilityId, '/queue'), QueueSchema),
    joinQueue: (facilityId, body) => http.sendJson('POST', p(facilityId, '/queue'), body, QueueEntrySchema),
    phoneRegister: (facilityId, date) => http.getJson(p(facilityId, `/phone-consultations${day(date)}`), PhoneConsultationListSchema),
    registerCall: (facilityId, body) => http.sendJson('POST', p(facilityId, '/phone-consultations'), body, PhoneConsultationSchema),
    monthlyReport: (facilityId, month) => http.getJson(p(facilityId, `/reports/nhif-monthly?month=${month}&format=json`), NhifMonthlyReportSchema),
    reportHref: fileUrls.practiceNhifReport,
    myPayments: (patientId) => http.getJson(`/api/v1/patients/${encodeURIComponent(patientId)}/payments`, PaymentListSchema),
    receiptHref: fileUrls.receipt,
    fileComplaint: (facilityId, body) => http.sendJson('POST', p(facilityId, '/complaints'), body, ComplaintSchema),
    requestDocument: (facilityId, body) => http.sendJson('POST', p(facilityId, '/document-requests'), body, DocumentRequestSchema),
    myDocumentRequests: (patientId) => http.getJson(`/api/v1/patients/${encodeURIComponent(patientId)}/document-requests`, DocumentRequestListSchema),
    documentRequests: (facilityId) => http.getJson(p(facilityId, '/document-requests?status=open'), DocumentRequestListSchema),
    completeDocumentRequest: (facilityId, requestId, body) => http.sendJson('POST', p(facilityId, `/document-requests/${encodeURIComponent(requestId)}/complete`), body, DocumentRequestSchema),
    processingActivities: (facilityId) => http.getJson(p(facilityId, '/processing-activities'), ProcessingActivityListSchema),
    addProcessingActivity: (facilityId, body) => http.sendJson('POST', p(facilityId, '/processing-activities'), body, ProcessingActivitySchema),
    subjectRequests: (facilityId) => http.getJson(p(facilityId, '/data-subject-requests'), SubjectRequestListSchema),
    handleSubjectRequest: (facilityId, requestId, body) => http.sendJson('POST', p(facilityId, `/data-subject-requests/${encodeURIComponent(requestId)}`), body, SubjectRequestSchema),
    outOfHours: (facilityId, options) => http.getJson(p(facilityId, '/out-of-hours'), OutOfHoursSchema.nullable(), options?.signal ? { signal: options.signal } : {}),
  };
}
