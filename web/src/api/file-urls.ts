/**
 * The addresses of files the browser opens itself (PDF, CSV, XML, FHIR): plain strings, so a screen can
 * link to them before its feature's API group (and its contracts) has loaded (`client.ts`, lazy groups).
 */
const enc = encodeURIComponent;

export interface CompliancePeriodRef {
  facilityId: string;
  from: string;
  to: string;
}

export const fileUrls = {
  compliance: (p: CompliancePeriodRef, format: 'csv' | 'pdf') => `/api/v1/records/compliance?${new URLSearchParams({ facilityId: p.facilityId, from: p.from, to: p.to, format }).toString()}`,
  consentPdf: (consentId: string) => `/api/v1/consents/${enc(consentId)}/pdf`,
  gpPatientListReport: (practitionerId: string, month: string, format: 'csv' | 'pdf' = 'csv') => `/api/v1/practitioners/${enc(practitionerId)}/patient-list/report.${format}?month=${month}`,
  recordPdf: (documentId: string) => `/api/v1/records/documents/${enc(documentId)}/pdf`,
  healthRecordFhir: (patientId: string) => `/api/v1/patients/${enc(patientId)}/health-record/fhir`,
  restoreCheckPdf: (id: string) => `/api/v1/ops/restore-checks/${enc(id)}/pdf`,
  practiceNhifReport: (facilityId: string, month: string, format: 'xml' | 'pdf') => `/api/v1/practices/${enc(facilityId)}/reports/nhif-monthly?month=${month}&format=${format}`,
  receipt: (paymentId: string) => `/api/v1/payments/${enc(paymentId)}/receipt.pdf`,
  referralPdf: (kind: 'referral' | 'prescription', id: string) => `/api/v1/${kind}s/${enc(id)}/pdf`,
};
