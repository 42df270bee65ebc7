import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../contracts/problem.js';
import {
  CancelMedicalNoticeBodySchema,
  CreateLkkBodySchema,
  CreateLkkSessionBodySchema,
  CreateTelkCaseBodySchema,
  DecideLkkCaseBodySchema,
  DuplicateBodySchema,
  ExaminationListSchema,
  ExpertiseDeadlinesSchema,
  IssueMedicalNoticeBodySchema,
  IssueSickLeaveBodySchema,
  IssueSickLeaveResultSchema,
  LimitCountersSchema,
  LkkCaseSchema,
  LkkListSchema,
  LkkMonthlyReportSchema,
  LkkReportQuerySchema,
  LkkQueueSchema,
  LkkSchema,
  LkkSessionSchema,
  MedicalNoticeSchema,
  PatientNoticesSchema,
  PatientSickLeavesSchema,
  PatientTelkCasesSchema,
  RouteToLkkBodySchema,
  SickLeaveCountersQuerySchema,
  SickLeaveSchema,
  TelkCaseSchema,
  UpdateTelkCaseBodySchema,
} from '../../contracts/sick-leave.js';
import type { SickLeaveService } from './sick-leave.service.js';
import { contentDisposition } from '../../platform/files/content-disposition.js';

const tags = ['sick-leave'];
const Params = z.object({ id: z.uuid() });

/** Sick leave, the ЛКК, TELK and medical notices (W15, W16); rules, access and audit live in the service. */
export const sickLeaveRoutes: FastifyPluginAsyncZod<{ sickLeave: SickLeaveService }> = async (app, { sickLeave: s }) => {
  app.post('/sick-leaves', { schema: { tags, summary: 'Issue sick leave on an examination (one certificate per employer)', body: IssueSickLeaveBodySchema, response: { 201: IssueSickLeaveResultSchema, ...problemResponses } } }, async (req, reply) =>
    reply.code(201).send(await s.issueSickLeave(req.ctx, req.body)),
  );
  app.post('/sick-leaves/:id/duplicate', { schema: { tags, summary: 'Issue a duplicate marked "дубликат" (R-SL-17/18)', params: Params, body: DuplicateBodySchema, response: { 201: SickLeaveSchema, ...problemResponses } } }, async (req, reply) =>
    reply.code(201).send(await s.issueDuplicate(req.ctx, req.params.id, req.body)),
  );
  app.get('/patients/:id/sick-leaves', { schema: { tags, summary: "A patient's sick-leave certificates", params: Params, response: { 200: PatientSickLeavesSchema, ...problemResponses } } }, async (req) => s.listPatientSickLeaves(req.ctx, req.params.id));
  app.get('/patients/:id/sick-leave-counters', { schema: { tags, summary: "The issuing doctor's 14/40 counters for a planned period", params: Params, querystring: SickLeaveCountersQuerySchema, response: { 200: z.object({ ok: z.boolean(), rule: z.string().nullable(), counters: LimitCountersSchema }), ...problemResponses } } }, async (req) =>
    s.readCounters(req.ctx, req.params.id, req.query),
  );
  app.get('/sick-leave/examinations', { schema: { tags, summary: "The signed-in doctor's examinations of the last week, with the patient banner", response: { 200: ExaminationListSchema, ...problemResponses } } }, async (req) => s.listExaminations(req.ctx));
  app.get('/sick-leaves/:id/pdf', { schema: { tags, summary: "The certificate's data as a PDF (audited as a read)", params: Params, response: { 200: z.any(), ...problemResponses } } }, async (req, reply) => {
    const { pdf, filename } = await s.sickLeavePdf(req.ctx, req.params.id);
    return reply.type('application/pdf').header('content-disposition', contentDisposition('inline', filename)).send(pdf);
  });
  app.get('/lkk-cases/:id/pdf', { schema: { tags, summary: 'The ЛКК protocol as a PDF, with who has signed', params: Params, response: { 200: z.any(), ...problemResponses } } }, async (req, reply) => {
    const { pdf, filename } = await s.lkkProtocolPdf(req.ctx, req.params.id);
    return reply.type('application/pdf').header('content-disposition', contentDisposition('inline', filename)).send(pdf);
  });
  app.get('/lkks', { schema: { tags, summary: 'Medical advisory commissions (ЛКК)', response: { 200: LkkListSchema, ...problemResponses } } }, async (req) => s.listLkks(req.ctx));
  app.post('/lkks', { schema: { tags, summary: "Create the facility's ЛКК with its members", body: CreateLkkBodySchema, response: { 201: LkkSchema, ...problemResponses } } }, async (req, reply) => reply.code(201).send(await s.createLkk(req.ctx, req.body)));
  app.post('/lkks/:id/sessions', { schema: { tags, summary: 'Open an ЛКК session', params: Params, body: CreateLkkSessionBodySchema, response: { 201: LkkSessionSchema, ...problemResponses } } }, async (req, reply) =>
    reply.code(201).send(await s.openSession(req.ctx, req.params.id, req.body.heldOn)),
  );
  app.get('/lkks/:id/monthly-report', { schema: { tags, summary: "The ЛКК chair's monthly report to the РЗОК (НРД R-133)", params: Params, querystring: LkkReportQuerySchema, response: { 200: LkkMonthlyReportSchema, ...problemResponses } } }, async (req) =>
    s.lkkMonthlyReport(req.ctx, req.params.id, req.query.month),
  );
  app.get('/lkks/:id/monthly-report/pdf', { schema: { tags, summary: 'The monthly report as a PDF', params: Params, querystring: LkkReportQuerySchema, response: { 200: z.any(), ...problemResponses } } }, async (req, reply) => {
    const { pdf, filename } = await s.lkkMonthlyReportPdf(req.ctx, req.params.id, req.query.month);
    return reply.type('application/pdf').header('content-disposition', contentDisposition('inline', filename)).send(pdf);
  });
  app.get('/lkks/:id/queue', { schema: { tags, summary: "The ЛКК's queue of routed cases", params: Params, response: { 200: LkkQueueSchema, ...problemResponses } } }, async (req) => s.readQueue(req.ctx, req.params.id));
  app.post('/lkk-cases', { schema: { tags, summary: 'Route a case to the ЛКК (R-SL-03, R-SL-23)', body: RouteToLkkBodySchema, response: { 201: LkkCaseSchema, ...problemResponses } } }, async (req, reply) => reply.code(201).send(await s.routeCase(req.ctx, req.body)));
  app.get('/lkk-cases/:id', { schema: { tags, summary: 'An ЛКК case with its protocol', params: Params, response: { 200: LkkCaseSchema, ...problemResponses } } }, async (req) => s.readCase(req.ctx, req.params.id));
  app.post('/lkk-cases/:id/decision', { schema: { tags, summary: 'Decide a case in a session (extend, refuse, send to TELK, confirm, reject)', params: Params, body: DecideLkkCaseBodySchema, response: { 200: LkkCaseSchema, ...problemResponses } } }, async (req) =>
    s.decideCase(req.ctx, req.params.id, req.body),
  );
  app.post('/lkk-cases/:id/signatures', { schema: { tags, summary: 'A member signs the protocol; it takes effect when all have', params: Params, response: { 200: LkkCaseSchema, ...problemResponses } } }, async (req) => s.signProtocol(req.ctx, req.params.id));
  app.get('/patients/:id/lkk-cases', { schema: { tags, summary: "A patient's ЛКК cases", params: Params, response: { 200: LkkQueueSchema, ...problemResponses } } }, async (req) => s.listPatientCases(req.ctx, req.params.id));
  app.post('/telk-cases', { schema: { tags, summary: 'Start a TELK preparation: the 30-day clock (R-TELK-01/02)', body: CreateTelkCaseBodySchema, response: { 201: TelkCaseSchema, ...problemResponses } } }, async (req, reply) => reply.code(201).send(await s.openTelkCase(req.ctx, req.body)));
  app.get('/telk-cases/:id', { schema: { tags, summary: 'A TELK preparation with its checklist and clock', params: Params, response: { 200: TelkCaseSchema, ...problemResponses } } }, async (req) => s.readTelkCase(req.ctx, req.params.id));
  app.post('/telk-cases/:id', { schema: { tags, summary: 'Tick the checklist, schedule, lend or return the dossier, complete', params: Params, body: UpdateTelkCaseBodySchema, response: { 200: TelkCaseSchema, ...problemResponses } } }, async (req) =>
    s.updateTelkCase(req.ctx, req.params.id, req.body),
  );
  app.get('/telk-cases/:id/pdf', { schema: { tags, summary: 'The list (опис) of the TELK document bundle as a PDF (R-TELK-10)', params: Params, response: { 200: z.any(), ...problemResponses } } }, async (req, reply) => {
    const { pdf, filename } = await s.telkBundlePdf(req.ctx, req.params.id);
    return reply.type('application/pdf').header('content-disposition', contentDisposition('inline', filename)).send(pdf);
  });
  app.get('/medical-notices/:id/pdf', { schema: { tags, summary: 'A medical notice as a PDF (audited as a read)', params: Params, response: { 200: z.any(), ...problemResponses } } }, async (req, reply) => {
    const { pdf, filename } = await s.medicalNoticePdf(req.ctx, req.params.id);
    return reply.type('application/pdf').header('content-disposition', contentDisposition('inline', filename)).send(pdf);
  });
  app.get('/patients/:id/telk-cases', { schema: { tags, summary: "A patient's TELK preparations", params: Params, response: { 200: PatientTelkCasesSchema, ...problemResponses } } }, async (req) => s.listPatientTelkCases(req.ctx, req.params.id));
  app.post('/medical-notices', { schema: { tags, summary: 'Issue a medical notice on an examination (NHIS C041)', body: IssueMedicalNoticeBodySchema, response: { 201: MedicalNoticeSchema, ...problemResponses } } }, async (req, reply) =>
    reply.code(201).send(await s.issueMedicalNotice(req.ctx, req.body)),
  );
  app.post('/medical-notices/:id/cancel', { schema: { tags, summary: 'Cancel a medical notice (NHIS C045)', params: Params, body: CancelMedicalNoticeBodySchema, response: { 200: MedicalNoticeSchema, ...problemResponses } } }, async (req) =>
    s.cancelMedicalNotice(req.ctx, req.params.id, req.body.reason),
  );
  app.get('/patients/:id/medical-notices', { schema: { tags, summary: "A patient's medical notices", params: Params, response: { 200: PatientNoticesSchema, ...problemResponses } } }, async (req) => s.listPatientNotices(req.ctx, req.params.id));
  app.get('/facilities/:id/expertise-deadlines', { schema: { tags, summary: 'Expertise deadlines: the compliance view', params: Params, response: { 200: ExpertiseDeadlinesSchema, ...problemResponses } } }, async (req) => s.listDeadlines(req.ctx, req.params.id));
};
