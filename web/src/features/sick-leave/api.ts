import { z } from 'zod';
import { ReferralSchema } from '../../../../src/contracts/referrals.js';
import {
  ExaminationListSchema,
  IssueSickLeaveResultSchema,
  LimitCountersSchema,
  LkkCaseSchema,
  LkkListSchema,
  LkkQueueSchema,
  LkkSessionSchema,
  LkkMonthlyReportSchema,
  MedicalNoticeSchema,
  PatientNoticesSchema,
  PatientSickLeavesSchema,
  PatientTelkCasesSchema,
  TelkCaseSchema,
  type Examination,
  type IssueSickLeaveBody,
  type IssueSickLeaveResult,
  type Lkk,
  type LkkCase,
  type LkkMonthlyReport,
  type MedicalNotice,
  type RouteToLkkBody,
  type SickLeave,
  type TelkCase,
} from '../../../../src/contracts/sick-leave.js';
import type { Http } from '../../api/http.js';

export type { Examination, IssueSickLeaveBody, IssueSickLeaveResult, Lkk, LkkCase, LkkMonthlyReport, MedicalNotice, RouteToLkkBody, SickLeave, TelkCase };
const CountersSchema = z.object({ ok: z.boolean(), rule: z.string().nullable(), counters: LimitCountersSchema });
export type Counters = z.infer<typeof CountersSchema>;
const p = encodeURIComponent;

/** Where the PDFs are: opened in a new tab, the session cookie authorises them. */
export const pdfUrl = {
  sickLeave: (id: string) => `/api/v1/sick-leaves/${p(id)}/pdf`,
  lkkProtocol: (id: string) => `/api/v1/lkk-cases/${p(id)}/pdf`,
  notice: (id: string) => `/api/v1/medical-notices/${p(id)}/pdf`,
  telkBundle: (id: string) => `/api/v1/telk-cases/${p(id)}/pdf`,
  lkkReport: (lkkId: string, month: string) => `/api/v1/lkks/${p(lkkId)}/monthly-report/pdf?month=${p(month)}`,
};

/** Sick leave, the ЛКК, TELK and medical notices (server module `sick-leave`, contract `src/contracts/sick-leave.ts`). */
export interface SickLeaveApi {
  /** The signed-in doctor's examinations of the last week, with the patient banner. */
  examinations(): Promise<{ items: Examination[] }>;
  /** A № 6 (талон за ЛКК) on the same examination, signed with a fresh TOTP (server module `referrals`). */
  issueForm6(body: { encounterId: string; diagnosisCode: string; request: string; code: string }): Promise<{ id: string }>;
  openTelk(body: { patientId: string; facilityId: string }): Promise<TelkCase>;
  telkCase(id: string): Promise<TelkCase>;
  counters(patientId: string, q: { practitionerId: string; kind: string; startOn: string; endOn: string }): Promise<Counters>;
  issue(body: IssueSickLeaveBody): Promise<IssueSickLeaveResult>;
  sickLeaves(patientId: string): Promise<{ items: SickLeave[] }>;
  lkks(): Promise<{ items: Lkk[] }>;
  route(body: RouteToLkkBody): Promise<LkkCase>;
  queue(lkkId: string): Promise<{ items: LkkCase[] }>;
  openSession(lkkId: string, heldOn: string): Promise<{ id: string; heldOn: string }>;
  decide(caseId: string, body: { sessionId: string; decision: NonNullable<LkkCase['decision']>; text: string; startOn?: string; endOn?: string }): Promise<LkkCase>;
  sign(caseId: string): Promise<LkkCase>;
  patientCases(patientId: string): Promise<{ items: LkkCase[] }>;
  telkCases(patientId: string): Promise<{ items: TelkCase[] }>;
  updateTelk(id: string, body: { checklist?: Record<string, boolean>; complete?: boolean }): Promise<TelkCase>;
  notices(patientId: string): Promise<{ items: MedicalNotice[] }>;
  /** A medical notice on the examination (NHIS C041); R-EXP-05: only after an examination. */
  issueNotice(body: { encounterId: string; purpose: MedicalNotice['purpose']; text: string; validUntil?: string }): Promise<MedicalNotice>;
  /** Cancels a notice (NHIS C045) with the reason. */
  cancelNotice(id: string, reason: string): Promise<MedicalNotice>;
  /** The chair's monthly report to the РЗОК (НРД R-133); `month` is YYYY-MM. */
  lkkReport(lkkId: string, month: string): Promise<LkkMonthlyReport>;
}

export function createSickLeaveApi(http: Http): SickLeaveApi {
  return {
    examinations: () => http.getJson('/api/v1/sick-leave/examinations', ExaminationListSchema),
    issueForm6: (body) => http.sendJson('POST', '/api/v1/referrals', { ...body, form: '6', purpose: 'sick_leave_extension' }, ReferralSchema),
    openTelk: (body) => http.sendJson('POST', '/api/v1/telk-cases', { ...body, route: 'gp', temporaryIncapacityPreceded: false }, TelkCaseSchema),
    telkCase: (id) => http.getJson(`/api/v1/telk-cases/${p(id)}`, TelkCaseSchema),
    counters: (patientId, q) => http.getJson(`/api/v1/patients/${p(patientId)}/sick-leave-counters?practitionerId=${p(q.practitionerId)}&kind=${p(q.kind)}&startOn=${p(q.startOn)}&endOn=${p(q.endOn)}`, CountersSchema),
    issue: (body) => http.sendJson('POST', '/api/v1/sick-leaves', body, IssueSickLeaveResultSchema),
    sickLeaves: (patientId) => http.getJson(`/api/v1/patients/${p(patientId)}/sick-leaves`, PatientSickLeavesSchema),
    lkks: () => http.getJson('/api/v1/lkks', LkkListSchema),
    route: (body) => http.sendJson('POST', '/api/v1/lkk-cases', body, LkkCaseSchema),
    queue: (lkkId) => http.getJson(`/api/v1/lkks/${p(lkkId)}/queue`, LkkQueueSchema),
    openSession: (lkkId, heldOn) => http.sendJson('POST', `/api/v1/lkks/${p(lkkId)}/sessions`, { heldOn }, LkkSessionSchema),
    decide: (caseId, body) => http.sendJson('POST', `/api/v1/lkk-cases/${p(caseId)}/decision`, body, LkkCaseSchema),
    sign: (caseId) => http.sendJson('POST', `/api/v1/lkk-cases/${p(caseId)}/signatures`, {}, LkkCaseSchema),
    patientCases: (patientId) => http.getJson(`/api/v1/patients/${p(patientId)}/lkk-cases`, LkkQueueSchema),
    telkCases: (patientId) => http.getJson(`/api/v1/patients/${p(patientId)}/telk-cases`, PatientTelkCasesSchema),
    updateTelk: (id, body) => http.sendJson('POST', `/api/v1/telk-cases/${p(id)}`, body, TelkCaseSchema),
    notices: (patientId) => http.getJson(`/api/v1/patients/${p(patientId)}/medical-notices`, PatientNoticesSchema),
    issueNotice: (body) => http.sendJson('POST', '/api/v1/medical-notices', body, MedicalNoticeSchema),
    cancelNotice: (id, reason) => http.sendJson('POST', `/api/v1/medical-notices/${p(id)}/cancel`, { reason }, MedicalNoticeSchema),
    lkkReport: (lkkId, month) => http.getJson(`/api/v1/lkks/${p(lkkId)}/monthly-report?month=${p(month)}`, LkkMonthlyReportSchema),
  };
}
