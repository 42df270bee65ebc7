import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../contracts/problem.js';
import {
  CompleteDocumentRequestBodySchema,
  CreateDocumentRequestBodySchema,
  CreateProcessingActivityBodySchema,
  CreateSubjectRequestBodySchema,
  DocumentRequestListSchema,
  DocumentRequestQuerySchema,
  DocumentRequestSchema,
  HandleSubjectRequestBodySchema,
  ProcessingActivityListSchema,
  ProcessingActivitySchema,
  SubjectRequestListSchema,
  SubjectRequestSchema,
} from '../../contracts/practice-records.js';
import {
  AnswerComplaintBodySchema,
  BreachListSchema,
  BreachSchema,
  CloseQueueEntryBodySchema,
  ComplaintListSchema,
  ComplaintSchema,
  CreateBreachBodySchema,
  CreateHomeVisitBodySchema,
  DecideHomeVisitBodySchema,
  HomeVisitListSchema,
  HomeVisitSchema,
  MonthQuerySchema,
  ProphylaxisDueSchema,
  CreateComplaintBodySchema,
  CreatePaymentBodySchema,
  CreatePhoneConsultationBodySchema,
  CreatePriceListBodySchema,
  CreateQueueEntryBodySchema,
  DayQuerySchema,
  NhifMonthlyReportSchema,
  NhifReportQuerySchema,
  NotifyBreachBodySchema,
  OutOfHoursBodySchema,
  OutOfHoursSchema,
  PaymentListSchema,
  PaymentSchema,
  PhoneConsultationListSchema,
  PhoneConsultationSchema,
  PracticeVisitListSchema,
  PracticeVisitSchema,
  PriceListSchema,
  QueueEntrySchema,
  QueueSchema,
  RecordVisitBodySchema,
} from '../../contracts/practice.js';
import type { PracticeService } from './practice.service.js';
import { contentDisposition } from '../../platform/files/content-disposition.js';

const tags = ['practice'];
const Params = z.object({ id: z.uuid() });
const SubParams = z.object({ id: z.uuid(), entryId: z.uuid() });

/** The practice's day (docs/practice.md); rules, access and audit live in the service. */
export const practiceRoutes: FastifyPluginAsyncZod<{ practice: PracticeService }> = async (app, { practice }) => {
  app.get('/practices/:id/price-list', { schema: { tags, summary: 'The price list in force, every version, the user fee and its exemptions (public)', params: Params, response: { 200: PriceListSchema, ...problemResponses } } }, async (req) =>
    practice.readPriceList(req.ctx, req.params.id),
  );
  app.post('/practices/:id/price-list', { schema: { tags, summary: 'Add a price-list version effective from a day (EUR)', params: Params, body: CreatePriceListBodySchema, response: { 201: PriceListSchema, ...problemResponses } } }, async (req, reply) =>
    reply.code(201).send(await practice.createPriceList(req.ctx, req.params.id, req.body)),
  );
  app.post('/practices/:id/visits', { schema: { tags, summary: 'The GP records a visit; its fee is assessed (R-PC-12/13/16, R-72)', params: Params, body: RecordVisitBodySchema, response: { 201: PracticeVisitSchema, ...problemResponses } } }, async (req, reply) =>
    reply.code(201).send(await practice.recordVisit(req.ctx, req.params.id, req.body)),
  );
  app.get('/practices/:id/visits', { schema: { tags, summary: "A day's visits with their fees (front desk)", params: Params, querystring: DayQuerySchema, response: { 200: PracticeVisitListSchema, ...problemResponses } } }, async (req) =>
    practice.listVisits(req.ctx, req.params.id, req.query.date),
  );
  app.post('/encounters/:id/payments', { schema: { tags, summary: 'Record a payment for a visit and issue the receipt', params: Params, body: CreatePaymentBodySchema, response: { 201: PaymentSchema, ...problemResponses } } }, async (req, reply) =>
    reply.code(201).send(await practice.recordPayment(req.ctx, req.params.id, req.body)),
  );
  app.get('/patients/:id/payments', { schema: { tags, summary: "A patient's fees and receipts", params: Params, response: { 200: PaymentListSchema, ...problemResponses } } }, async (req) =>
    practice.listPatientPayments(req.ctx, req.params.id),
  );
  app.get('/payments/:id/receipt.pdf', { schema: { tags, summary: 'The receipt (PDF)', params: Params, response: { 200: z.any(), ...problemResponses } } }, async (req, reply) => {
    const r = await practice.receiptPdf(req.ctx, req.params.id);
    return reply.header('content-type', 'application/pdf').header('content-disposition', contentDisposition('attachment', r.filename)).send(r.pdf);
  });
  app.post('/practices/:id/phone-consultations', { schema: { tags, summary: 'Register a phone consultation (W17, R-PC-07/08)', params: Params, body: CreatePhoneConsultationBodySchema, response: { 201: PhoneConsultationSchema, ...problemResponses } } }, async (req, reply) =>
    reply.code(201).send(await practice.recordPhoneConsultation(req.ctx, req.params.id, req.body)),
  );
  app.get('/practices/:id/phone-consultations', { schema: { tags, summary: "A day's phone register", params: Params, querystring: DayQuerySchema, response: { 200: PhoneConsultationListSchema, ...problemResponses } } }, async (req) =>
    practice.listPhoneConsultations(req.ctx, req.params.id, req.query.date),
  );
  app.post('/practices/:id/queue', { schema: { tags, summary: 'A walk-in joins the queue (W19)', params: Params, body: CreateQueueEntryBodySchema, response: { 201: QueueEntrySchema, ...problemResponses } } }, async (req, reply) =>
    reply.code(201).send(await practice.joinQueue(req.ctx, req.params.id, req.body)),
  );
  app.get('/practices/:id/queue', { schema: { tags, summary: 'The waiting queue in calling order with the 48 h target (R-PC-01/02)', params: Params, response: { 200: QueueSchema, ...problemResponses } } }, async (req) =>
    practice.readQueue(req.ctx, req.params.id),
  );
  app.post('/practices/:id/queue/:entryId/close', { schema: { tags, summary: 'Close a queue entry (seen or left)', params: SubParams, body: CloseQueueEntryBodySchema, response: { 204: z.null(), ...problemResponses } } }, async (req, reply) => {
    await practice.closeQueueEntry(req.ctx, req.params.id, req.params.entryId, req.body.status);
    return reply.code(204).send(null);
  });
  app.post('/practices/:id/home-visits', { schema: { tags, summary: 'Record a home-visit request (W18)', params: Params, body: CreateHomeVisitBodySchema, response: { 201: HomeVisitSchema, ...problemResponses } } }, async (req, reply) =>
    reply.code(201).send(await practice.requestHomeVisit(req.ctx, req.params.id, req.body)),
  );
  app.get('/practices/:id/home-visits', { schema: { tags, summary: 'Open home-visit requests', params: Params, response: { 200: HomeVisitListSchema, ...problemResponses } } }, async (req) =>
    practice.listHomeVisits(req.ctx, req.params.id),
  );
  app.post('/practices/:id/home-visits/:entryId/decision', { schema: { tags, summary: "The GP's decision: covered or paid (R-PC-16)", params: SubParams, body: DecideHomeVisitBodySchema, response: { 200: HomeVisitSchema, ...problemResponses } } }, async (req) =>
    practice.decideHomeVisit(req.ctx, req.params.id, req.params.entryId, req.body),
  );
  app.get('/practices/:id/prophylaxis/due', { schema: { tags, summary: "The GP's patients due a prophylactic exam in a month (W20, R-PRO-01)", params: Params, querystring: MonthQuerySchema, response: { 200: ProphylaxisDueSchema, ...problemResponses } } }, async (req) =>
    practice.prophylaxisDue(req.ctx, req.params.id, req.query.month),
  );
  app.post('/practices/:id/complaints', { schema: { tags, summary: 'File an opinion or complaint (W24)', params: Params, body: CreateComplaintBodySchema, response: { 201: ComplaintSchema, ...problemResponses } } }, async (req, reply) =>
    reply.code(201).send(await practice.fileComplaint(req.ctx, req.params.id, req.body)),
  );
  app.get('/practices/:id/complaints', { schema: { tags, summary: 'The opinion and complaint journal (R-CMP-01..03)', params: Params, response: { 200: ComplaintListSchema, ...problemResponses } } }, async (req) =>
    practice.listComplaints(req.ctx, req.params.id),
  );
  app.post('/practices/:id/complaints/:entryId/answer', { schema: { tags, summary: 'Record the review and the reply', params: SubParams, body: AnswerComplaintBodySchema, response: { 200: ComplaintSchema, ...problemResponses } } }, async (req) =>
    practice.answerComplaint(req.ctx, req.params.id, req.params.entryId, req.body),
  );
  app.post('/practices/:id/data-breaches', { schema: { tags, summary: 'Record a personal-data breach (W25, R-DATA-02)', params: Params, body: CreateBreachBodySchema, response: { 201: BreachSchema, ...problemResponses } } }, async (req, reply) =>
    reply.code(201).send(await practice.recordBreach(req.ctx, req.params.id, req.body)),
  );
  app.get('/practices/:id/data-breaches', { schema: { tags, summary: 'The breach register with the 72 h deadline', params: Params, response: { 200: BreachListSchema, ...problemResponses } } }, async (req) =>
    practice.listBreaches(req.ctx, req.params.id),
  );
  app.post('/practices/:id/data-breaches/:entryId/notified', { schema: { tags, summary: 'Record the notice to the data subjects', params: SubParams, body: NotifyBreachBodySchema, response: { 204: z.null(), ...problemResponses } } }, async (req, reply) => {
    await practice.notifyBreach(req.ctx, req.params.id, req.params.entryId, req.body.channel);
    return reply.code(204).send(null);
  });
  app.post('/practices/:id/out-of-hours', { schema: { tags, summary: 'Publish the out-of-hours arrangement (W21, R-OOH-01/03)', params: Params, body: OutOfHoursBodySchema, response: { 200: OutOfHoursSchema, ...problemResponses } } }, async (req) =>
    practice.setOutOfHours(req.ctx, req.params.id, req.body),
  );
  app.get('/practices/:id/out-of-hours', { schema: { tags, summary: 'How patients reach care out of hours (public)', params: Params, response: { 200: OutOfHoursSchema.nullable(), ...problemResponses } } }, async (req) =>
    practice.readOutOfHours(req.params.id),
  );
  app.post('/practices/:id/document-requests', { schema: { tags, summary: 'Ask the practice for a document (E34); the deadline and fee follow R-DOC-01..05', params: Params, body: CreateDocumentRequestBodySchema, response: { 201: DocumentRequestSchema, ...problemResponses } } }, async (req, reply) =>
    reply.code(201).send(await practice.requestDocument(req.ctx, req.params.id, req.body)),
  );
  app.get('/practices/:id/document-requests', { schema: { tags, summary: "The practice's document requests, open ones by deadline", params: Params, querystring: DocumentRequestQuerySchema, response: { 200: DocumentRequestListSchema, ...problemResponses } } }, async (req) =>
    practice.listDocumentRequests(req.ctx, req.params.id, req.query.status),
  );
  app.post('/practices/:id/document-requests/:entryId/complete', { schema: { tags, summary: 'Issue the document or refuse it with the reason (R-PC-19)', params: SubParams, body: CompleteDocumentRequestBodySchema, response: { 200: DocumentRequestSchema, ...problemResponses } } }, async (req) =>
    practice.completeDocumentRequest(req.ctx, req.params.id, req.params.entryId, req.body),
  );
  app.get('/patients/:id/document-requests', { schema: { tags, summary: "A patient's document requests", params: Params, response: { 200: DocumentRequestListSchema, ...problemResponses } } }, async (req) =>
    practice.listPatientDocumentRequests(req.ctx, req.params.id),
  );
  app.post('/practices/:id/processing-activities', { schema: { tags, summary: 'Add to the register of processing activities (GDPR Art. 30)', params: Params, body: CreateProcessingActivityBodySchema, response: { 201: ProcessingActivitySchema, ...problemResponses } } }, async (req, reply) =>
    reply.code(201).send(await practice.addProcessingActivity(req.ctx, req.params.id, req.body)),
  );
  app.get('/practices/:id/processing-activities', { schema: { tags, summary: 'The register of processing activities (practice and supervisor)', params: Params, response: { 200: ProcessingActivityListSchema, ...problemResponses } } }, async (req) =>
    practice.listProcessingActivities(req.ctx, req.params.id),
  );
  app.post('/practices/:id/data-subject-requests', { schema: { tags, summary: 'File a data-subject request (GDPR Art. 15-21); due in one month (Art. 12(3))', params: Params, body: CreateSubjectRequestBodySchema, response: { 201: SubjectRequestSchema, ...problemResponses } } }, async (req, reply) =>
    reply.code(201).send(await practice.fileSubjectRequest(req.ctx, req.params.id, req.body)),
  );
  app.get('/practices/:id/data-subject-requests', { schema: { tags, summary: "The practice's data-subject requests with their deadlines", params: Params, response: { 200: SubjectRequestListSchema, ...problemResponses } } }, async (req) =>
    practice.listSubjectRequests(req.ctx, req.params.id),
  );
  app.post('/practices/:id/data-subject-requests/:entryId', { schema: { tags, summary: 'Extend (once, within the first month), complete or refuse a data-subject request', params: SubParams, body: HandleSubjectRequestBodySchema, response: { 200: SubjectRequestSchema, ...problemResponses } } }, async (req) =>
    practice.handleSubjectRequest(req.ctx, req.params.id, req.params.entryId, req.body),
  );
  app.get('/patients/:id/data-subject-requests', { schema: { tags, summary: "A patient's data-subject requests and answers", params: Params, response: { 200: SubjectRequestListSchema, ...problemResponses } } }, async (req) =>
    practice.listPatientSubjectRequests(req.ctx, req.params.id),
  );
  app.get('/practices/:id/reports/nhif-monthly', { schema: { tags, summary: 'The monthly NHIF activity report (R-127): JSON with drill-down, XML or PDF', params: Params, querystring: NhifReportQuerySchema, response: { 200: z.union([NhifMonthlyReportSchema, z.any()]), ...problemResponses } } }, async (req, reply) => {
    if (req.query.format === 'json') return practice.readNhifMonthlyReport(req.ctx, req.params.id, req.query.month);
    const f = await practice.nhifMonthlyReportFile(req.ctx, req.params.id, req.query.month, req.query.format);
    return reply.header('content-type', f.contentType).header('content-disposition', contentDisposition('attachment', f.filename)).send(f.body);
  });
};
