import { z } from 'zod';
import {
  IssueSickLeaveResultSchema,
  LimitCountersSchema,
  LkkCaseSchema,
  LkkListSchema,
  LkkQueueSchema,
  LkkSessionSchema,
  PatientNoticesSchema,
  PatientSickLeavesSchema,
  PatientTelkCasesSchema,
  TelkCaseSchema,
  type IssueSickLeaveBody,
  type IssueSickLeaveResult,
  type Lkk,
  type LkkCase,
  type MedicalNotice,
  type RouteToLkkBody,
  type SickLeave,
  type TelkCase,
} from '../../../../src/contracts/sick-leave.js';
import type { Http } from '../../api/http.js';

export type { IssueSickLeaveBody, IssueSickLeaveResult, Lkk, LkkCase, MedicalNotice, RouteToLkkBody, SickLeave, TelkCase };
const CountersSchema = z.object({ ok: z.boolean(), rule: z.string().nullable(), counters: LimitCountersSchema });
export type Counters = z.infer<typeof CountersSchema>;
const p = encodeURIComponent;

/** Sick leave, the ЛКК, TELK and medical notices (server module `sick-leave`, contract `src/contracts/sick-leave.ts`). */
export interface SickLeaveApi {
  counters(patientId: string, q: { practitionerId: string; kind: string; startOn: string; endOn: string }): Promise<Counters>;
  issue(body: IssueSickLeaveBody): Promise<IssueSickLeaveResult>;
  sickLeaves(patientId: string): Promise<{ items: SickLeave[] }>;
  lkks(): Promise<{ items: Lkk[] }>;
  route(body: RouteToLkkBody): Promise<LkkCase>;
  queue(lkkId: string): Promise<{ items: LkkCase[] }>;
  openSession(lkkId: string, heldOn: string): Promise<{ id: string }>;
  decide(caseId: string, body: { sessionId: string; decision: NonNullable<LkkCase['decision']>; text: string; startOn?: string; endOn?: string }): Promise<LkkCase>;
  sign(caseId: string): Promise<LkkCase>;
  patientCases(patientId: string): Promise<{ items: LkkCase[] }>;
  telkCases(patientId: string): Promise<{ items: TelkCase[] }>;
  updateTelk(id: string, body: { checklist?: Record<string, boolean>; complete?: boolean }): Promise<TelkCase>;
  notices(patientId: string): Promise<{ items: MedicalNotice[] }>;
}

export function createSickLeaveApi(http: Http): SickLeaveApi {
  return {
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
  };
}
