import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../contracts/problem.js';
import {
  ClinicalDocumentSchema,
  ComplianceQuerySchema,
  ComplianceReportSchema,
  CorrectDocumentBodySchema,
  CreateDraftBodySchema,
  DeadlineSchema,
  DetachedVerificationSchema,
  HealthRecordSchema,
  Icd10SearchQuerySchema,
  Icd10SearchResultSchema,
  MarkComplexBodySchema,
  SheetTemplateListSchema,
  SignDocumentBodySchema,
  PrepareAgentSignatureBodySchema,
  AgentSigningInputSchema,
  AgentSignDocumentBodySchema,
  NhisCardStepBodySchema,
  NhisCardStepSchema,
  UpdateDraftBodySchema,
  VerificationSchema,
  VerifyDetachedBodySchema,
  WorklistSchema,
  PendingNhisListSchema,
  NationalRecordSchema,
} from '../../contracts/records.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { NhisSimulatorControl } from '../nhis/index.js';
import type { RecordsService } from './records.service.js';
import type { DeadlinesService } from './deadlines.service.js';
import { contentDisposition } from '../../platform/files/content-disposition.js';

const IdParams = z.object({ id: z.uuid() });
const RequestParams = z.object({ requestId: z.uuid() });
const PatientParams = z.object({ patientId: z.uuid() });
const ConsultationParams = z.object({ consultationId: z.uuid() });

/**
 * The version from an `If-Match` header (`"3"` or `W/"3"`); required on writes to a draft (STYLE C9).
 * @throws {AppError} `request.invalid` when absent or malformed
 */
function ifMatch(header: string | undefined): number {
  const m = header ? /^(?:W\/)?"?(\d+)"?$/.exec(header.trim()) : null;
  if (!m?.[1]) throw new AppError('request.invalid', { detail: 'If-Match with the document version is required', errors: [{ in: 'headers', pointer: '#/if-match', detail: 'required, e.g. "3"' }] });
  return Number(m[1]);
}

/** Clinical records, deadlines, health record and compliance. Thin: one service call each. */
export const recordsRoutes: FastifyPluginAsyncZod<{ records: RecordsService; deadlines: DeadlinesService; nhisSimulator?: NhisSimulatorControl }> = async (app, { records, deadlines, nhisSimulator }) => {
  app.get('/records/icd10', { schema: { tags: ['records'], summary: 'Search ICD-10 (NHIS CL011) by code prefix or words in Bulgarian, English or Latin transliteration', querystring: Icd10SearchQuerySchema, response: { 200: Icd10SearchResultSchema, ...problemResponses } } }, async (req) => ({
    items: await records.searchIcd10(req.query.q, req.query.limit, req.ctx),
  }));

  app.get('/records/templates', { schema: { tags: ['records'], summary: 'Sheet editor templates for a specialty', querystring: z.object({ specialty: z.string().regex(/^\d{4}$/).optional() }), response: { 200: SheetTemplateListSchema, ...problemResponses } } }, async (req) => ({
    items: records.listTemplates(req.query.specialty),
  }));

  app.get('/requests/:requestId/documents', { schema: { tags: ['records'], summary: 'The clinical documents of a service the caller may see', params: RequestParams, response: { 200: z.object({ items: z.array(ClinicalDocumentSchema) }), ...problemResponses } } }, async (req) => ({
    items: await records.listRequestDocuments(req.ctx, req.params.requestId),
  }));

  app.post('/requests/:requestId/documents', { schema: { tags: ['records'], summary: 'Start (or return) the draft ambulatory sheet, written consultation or information for the patient', params: RequestParams, body: CreateDraftBodySchema, response: { 201: ClinicalDocumentSchema, ...problemResponses } } }, async (req, reply) => {
    const doc = await records.createDraft(req.ctx, req.params.requestId, req.body);
    return reply.code(201).header('etag', `"${doc.version}"`).send(doc);
  });

  app.get('/records/documents/:id', { schema: { tags: ['records'], summary: 'One clinical document (audited)', params: IdParams, response: { 200: ClinicalDocumentSchema, ...problemResponses } } }, async (req, reply) => {
    const doc = await records.getDocument(req.ctx, req.params.id);
    return reply.header('etag', `"${doc.version}"`).send(doc);
  });

  app.put('/records/documents/:id', { schema: { tags: ['records'], summary: 'Save a draft (If-Match required)', params: IdParams, body: UpdateDraftBodySchema, response: { 200: ClinicalDocumentSchema, ...problemResponses } } }, async (req, reply) => {
    const doc = await records.updateDraft(req.ctx, req.params.id, ifMatch(req.headers['if-match']), req.body.body);
    return reply.header('etag', `"${doc.version}"`).send(doc);
  });

  app.delete('/records/documents/:id', { schema: { tags: ['records'], summary: 'Discard an unsigned draft (If-Match required)', params: IdParams, response: { 204: z.null(), ...problemResponses } } }, async (req, reply) => {
    await records.discardDraft(req.ctx, req.params.id, ifMatch(req.headers['if-match']));
    return reply.code(204).send(null);
  });

  app.post('/records/documents/:id/sign', { schema: { tags: ['records'], summary: 'Sign the draft with a fresh second factor (advanced electronic signature, JWS over the RFC 8785 canonical content); If-Match required', params: IdParams, body: SignDocumentBodySchema, response: { 200: ClinicalDocumentSchema, ...problemResponses } } }, async (req, reply) => {
    const doc = await records.signDocument(req.ctx, req.params.id, ifMatch(req.headers['if-match']), req.body.code);
    return reply.header('etag', `"${doc.version}"`).send(doc);
  });

  app.post('/records/documents/:id/agent-signature/prepare', { schema: { tags: ['records'], summary: 'The JAdES signing input the doctor’s card signs through the local agent (certificate checked: trusted CA, this doctor); If-Match required', params: IdParams, body: PrepareAgentSignatureBodySchema, response: { 200: AgentSigningInputSchema, ...problemResponses } } }, async (req) =>
    records.prepareAgentSignature(req.ctx, req.params.id, ifMatch(req.headers['if-match']), req.body.certificateChain),
  );

  app.post('/records/documents/:id/agent-signature', { schema: { tags: ['records'], summary: 'Sign the draft qualified with the card’s signature over the prepared input (verified: CA, doctor, content, freshness) and a fresh second factor; If-Match required', params: IdParams, body: AgentSignDocumentBodySchema, response: { 200: ClinicalDocumentSchema, ...problemResponses } } }, async (req, reply) => {
    const doc = await records.signWithAgent(req.ctx, req.params.id, ifMatch(req.headers['if-match']), req.body);
    return reply.header('etag', `"${doc.version}"`).send(doc);
  });

  app.post('/records/documents/:id/nhis-card-steps', { schema: { tags: ['records'], summary: 'The NHIS messages of a record signed by the doctor’s card: send the step the card signed, get the next one to sign (token challenge, X001, X003) or the end', params: IdParams, body: NhisCardStepBodySchema, response: { 200: NhisCardStepSchema, ...problemResponses } } }, async (req) =>
    records.nextNhisCardStep(req.ctx, req.params.id, req.body),
  );

  app.post('/records/documents/:id/corrections', { schema: { tags: ['records'], summary: 'Start a correction: a new draft revision referencing the signed one', params: IdParams, body: CorrectDocumentBodySchema, response: { 201: ClinicalDocumentSchema, ...problemResponses } } }, async (req, reply) => {
    const doc = await records.correctDocument(req.ctx, req.params.id, req.body);
    return reply.code(201).header('etag', `"${doc.version}"`).send(doc);
  });

  app.get('/records/documents/:id/verification', { schema: { tags: ['records'], summary: 'Verify the signature and integrity of a signed document', params: IdParams, response: { 200: VerificationSchema, ...problemResponses } } }, async (req) =>
    records.verifyDocument(req.ctx, req.params.id),
  );

  app.get('/records/documents/:id/pdf', { schema: { tags: ['records'], summary: 'PDF copy with the verification data (JWS, digest, key id; canonical content attached)', params: IdParams, response: { 200: z.any(), ...problemResponses } } }, async (req, reply) => {
    const file = await records.documentPdf(req.ctx, req.params.id);
    return reply.type('application/pdf').header('content-disposition', contentDisposition('attachment', file.filename)).send(file.body);
  });

  app.post('/records/verify', { schema: { tags: ['records'], summary: 'Verify a JWS (and canonical content) copied from a PDF', body: VerifyDetachedBodySchema, response: { 200: DetachedVerificationSchema, ...problemResponses } } }, async (req) =>
    records.verifyDetached(req.ctx, req.body),
  );

  app.get('/records/signing-keys/:id', { schema: { tags: ['records'], summary: 'The public key (JWK) of a signing key', params: IdParams, response: { 200: z.object({ keyId: z.uuid(), level: z.enum(['advanced', 'qualified']), practitionerId: z.uuid(), jwk: z.record(z.string(), z.unknown()), createdAt: z.string(), retiredAt: z.string().nullable() }), ...problemResponses } } }, async (req) =>
    records.publicKey(req.params.id),
  );

  app.get('/patients/:patientId/health-record', { schema: { tags: ['records'], summary: 'The patient’s record of remote services (Art. 13 access rules; audited)', params: PatientParams, response: { 200: HealthRecordSchema, ...problemResponses } } }, async (req) =>
    records.getHealthRecord(req.ctx, req.params.patientId),
  );

  app.get('/patients/:patientId/health-record/fhir', { schema: { tags: ['records'], summary: 'The health record as a FHIR R4 collection of document Bundles, one per signed document', params: PatientParams, response: { 200: z.record(z.string(), z.unknown()), ...problemResponses } } }, async (req, reply) => {
    const bundle = await records.exportFhir(req.ctx, req.params.patientId, `${req.protocol}://${req.host}`);
    return reply.type('application/fhir+json').header('content-disposition', contentDisposition('attachment', `health-record-${req.params.patientId}.json`)).send(bundle);
  });

  app.get('/requests/:requestId/deadline', { schema: { tags: ['records'], summary: 'The Art. 17 documentation deadline of a completed service', params: RequestParams, response: { 200: DeadlineSchema, ...problemResponses } } }, async (req) =>
    deadlines.getDeadline(req.ctx, req.params.requestId),
  );

  app.post('/requests/:requestId/deadline/complex', { schema: { tags: ['records'], summary: 'Mark the case complex (providing specialist, before the base deadline, with a reason; R-TM-43)', params: RequestParams, body: MarkComplexBodySchema, response: { 200: DeadlineSchema, ...problemResponses } } }, async (req) =>
    deadlines.markComplex(req.ctx, req.params.requestId, req.body),
  );

  app.get('/records/worklist', { schema: { tags: ['records'], summary: 'The specialist’s documentation worklist with time left', response: { 200: WorklistSchema, ...problemResponses } } }, async (req) => deadlines.worklist(req.ctx));

  // The patient's national record in the consultation (Art. 13, R-TM-29; docs/records.md#the-national-record).
  app.get('/consultations/:consultationId/national-record', { schema: { tags: ['records'], summary: 'The patient’s national record (НЗИС) kept for the consultation, without asking the NHIS (the consultation’s specialist, with consent)', params: ConsultationParams, response: { 200: NationalRecordSchema, ...problemResponses } } }, async (req) =>
    records.getNationalRecord(req.ctx, req.params.consultationId),
  );
  app.post('/consultations/:consultationId/national-record/fetch', { schema: { tags: ['records'], summary: 'Ask the NHIS for the patient’s recent examinations, referrals and prescriptions (X005, R015, P017) once per consultation; an unreachable NHIS is answered, not an error', params: ConsultationParams, response: { 200: NationalRecordSchema, ...problemResponses } } }, async (req) =>
    records.fetchNationalRecord(req.ctx, req.params.consultationId),
  );

  app.get('/records/nhis-pending', { schema: { tags: ['records'], summary: 'Records waiting for the NHIS and why (the specialist’s own, or the facility’s)', response: { 200: PendingNhisListSchema, ...problemResponses } } }, async (req) => deadlines.pendingNhis(req.ctx));

  app.get('/records/facility-alerts', { schema: { tags: ['records'], summary: 'Escalated (80%) and missed deadlines of the caller’s facilities', response: { 200: WorklistSchema, ...problemResponses } } }, async (req) => deadlines.facilityAlerts(req.ctx));

  app.get('/records/compliance', { schema: { tags: ['records'], summary: 'Compliance report per facility and period (JSON, CSV or PDF)', querystring: ComplianceQuerySchema, response: { 200: z.union([ComplianceReportSchema, z.any()]), ...problemResponses } } }, async (req, reply) => {
    const out = await deadlines.complianceReport(req.ctx, req.query);
    if (out.format === 'json') return reply.send(out.body);
    void reply.header('content-disposition', contentDisposition('attachment', out.filename));
    return reply.type(out.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/pdf').send(out.body);
  });

  if (nhisSimulator) {
    const SimBody = z.object({ failNext: z.number().int().min(0).max(100).optional(), mode: z.enum(['unavailable', 'reject']).optional(), unavailableUntil: z.iso.datetime({ offset: true }).nullable().optional(), latencyMs: z.number().int().min(0).max(30_000).optional(), reset: z.boolean().optional() });
    const SimState = z.object({ received: z.record(z.string(), z.number()), examinations: z.number().int() });
    // Security: the simulator is operated by the platform operator (demo and acceptance runs), never by clinical roles.
    const operatorOnly = (role: string | undefined) => {
      if (role !== 'operator') throw new AppError('auth.forbidden', { detail: 'The NHIS simulator is controlled by the platform operator' });
    };
    app.get('/ops/nhis-simulator', { schema: { tags: ['ops'], summary: 'NHIS simulator state', response: { 200: SimState, ...problemResponses } } }, async (req) => {
      operatorOnly(req.ctx.actor.type === 'user' ? req.ctx.actor.role : undefined);
      return { received: nhisSimulator.received(), examinations: nhisSimulator.examinations().length };
    });
    app.post('/ops/nhis-simulator', { schema: { tags: ['ops'], summary: 'Tell the NHIS simulator to fail, reject or delay', body: SimBody, response: { 200: SimState, ...problemResponses } } }, async (req) => {
      operatorOnly(req.ctx.actor.type === 'user' ? req.ctx.actor.role : undefined);
      const b = req.body;
      if (b.reset) nhisSimulator.reset();
      if (b.failNext !== undefined) nhisSimulator.failNext(b.failNext, b.mode);
      if (b.unavailableUntil !== undefined) nhisSimulator.unavailableUntil(b.unavailableUntil);
      if (b.latencyMs !== undefined) nhisSimulator.setLatency(b.latencyMs);
      return { received: nhisSimulator.received(), examinations: nhisSimulator.examinations().length };
    });
  }
};
