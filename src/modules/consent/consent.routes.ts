import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ConsentIdParamsSchema,
  ConsentListSchema,
  ConsentPresentationSchema,
  ConsentSchema,
  ConsentTemplateListSchema,
  ConsentTemplateSchema,
  ConsentVerificationSchema,
  CreateConsentTemplateBodySchema,
  FacilityIdParamsSchema,
  GateStatusSchema,
  IdentityVerificationSchema,
  PatientIdParamsSchema,
  PresentConsentBodySchema,
  RecordVerificationBodySchema,
  RequestIdParamsSchema,
  SignConsentBodySchema,
  TemplateIdParamsSchema,
  TemplateQuerySchema,
  WithdrawConsentBodySchema,
} from '../../contracts/consent.js';
import { problemResponses } from '../../contracts/problem.js';
import type { ConsentService } from './consent.service.js';
import type { AdmissibilityService } from './admissibility.service.js';
import { contentDisposition } from '../../platform/files/content-disposition.js';

const tags = ['consent'];
const PdfSchema = z.any().meta({ type: 'string', format: 'binary' });

/**
 * Consent, identity verification and the gate status over HTTP. Thin: one service call each.
 * The admissibility decision itself is the accept/decline of the requests module's transition route.
 * @param opts - the consent and admissibility services
 */
export const consentRoutes: FastifyPluginAsyncZod<{ consent: ConsentService; admissibility: AdmissibilityService }> = async (app, { consent, admissibility }) => {
  app.get(
    '/facilities/:facilityId/consent-templates',
    { schema: { tags, summary: "A facility's consent forms (published ones; all versions for its administrators)", params: FacilityIdParamsSchema, querystring: TemplateQuerySchema, response: { 200: ConsentTemplateListSchema, ...problemResponses } } },
    async (req) => consent.listTemplates(req.ctx, req.params.facilityId, req.query.kind),
  );
  app.post(
    '/facilities/:facilityId/consent-templates',
    { schema: { tags, summary: 'Draft a new version of a consent form (Art. 19(3))', params: FacilityIdParamsSchema, body: CreateConsentTemplateBodySchema, response: { 201: ConsentTemplateSchema, ...problemResponses } } },
    async (req, reply) => reply.code(201).send(await consent.createTemplate(req.ctx, req.params.facilityId, req.body)),
  );
  app.post(
    '/consent-templates/:templateId/publish',
    { schema: { tags, summary: 'Publish a draft form version (it becomes immutable)', params: TemplateIdParamsSchema, response: { 200: ConsentTemplateSchema, ...problemResponses } } },
    async (req) => consent.publishTemplate(req.ctx, req.params.templateId),
  );
  app.post(
    '/requests/:requestId/consent-presentations',
    { schema: { tags, summary: 'Show the consent information before signing (Art. 11); the signature references it', params: RequestIdParamsSchema, body: PresentConsentBodySchema, response: { 201: ConsentPresentationSchema, ...problemResponses } } },
    async (req, reply) => reply.code(201).send(await consent.presentConsent(req.ctx, req.params.requestId, req.body)),
  );
  app.post(
    '/requests/:requestId/consents',
    { schema: { tags, summary: 'Sign a consent with a fresh second factor (Art. 10, 19)', params: RequestIdParamsSchema, body: SignConsentBodySchema, response: { 201: ConsentSchema, ...problemResponses } } },
    async (req, reply) => reply.code(201).send(await consent.signConsent(req.ctx, req.params.requestId, req.body)),
  );
  app.get(
    '/requests/:requestId/gates',
    { schema: { tags, summary: 'Consent, identity and decision of a request, and what still blocks its service', params: RequestIdParamsSchema, response: { 200: GateStatusSchema, ...problemResponses } } },
    async (req) => admissibility.getGateStatus(req.ctx, req.params.requestId),
  );
  app.post(
    '/requests/:requestId/identity-verifications',
    { schema: { tags, summary: 'Record an identity check before the service (Art. 7(1) item 5)', params: RequestIdParamsSchema, body: RecordVerificationBodySchema, response: { 201: IdentityVerificationSchema, ...problemResponses } } },
    async (req, reply) => reply.code(201).send(await admissibility.recordIdentityVerification(req.ctx, req.params.requestId, req.body)),
  );
  app.get(
    '/patients/:patientId/consents',
    { schema: { tags, summary: "A patient's signed consents", params: PatientIdParamsSchema, response: { 200: ConsentListSchema, ...problemResponses } } },
    async (req) => consent.listPatientConsents(req.ctx, req.params.patientId),
  );
  app.get(
    '/consents/:consentId',
    { schema: { tags, summary: 'One signed consent', params: ConsentIdParamsSchema, response: { 200: ConsentSchema, ...problemResponses } } },
    async (req) => consent.getConsent(req.ctx, req.params.consentId),
  );
  app.get(
    '/consents/:consentId/pdf',
    { schema: { tags, summary: 'The printable copy of a signed consent', params: ConsentIdParamsSchema, response: { 200: PdfSchema, ...problemResponses } } },
    async (req, reply) => {
      const pdf = await consent.consentPdf(req.ctx, req.params.consentId);
      return reply.header('content-type', 'application/pdf').header('content-disposition', contentDisposition('attachment', pdf.filename)).header('cache-control', 'private, no-store').send(pdf.bytes);
    },
  );
  app.get(
    '/consents/:consentId/verification',
    { schema: { tags, summary: 'Recompute and check the content hash of a signed consent', params: ConsentIdParamsSchema, response: { 200: ConsentVerificationSchema, ...problemResponses } } },
    async (req) => consent.verifyConsent(req.ctx, req.params.consentId),
  );
  app.post(
    '/consents/:consentId/withdraw',
    { schema: { tags, summary: 'Withdraw a consent (a recording consent stops recording at once)', params: ConsentIdParamsSchema, body: WithdrawConsentBodySchema, response: { 200: ConsentSchema, ...problemResponses } } },
    async (req) => consent.withdrawConsent(req.ctx, req.params.consentId, req.body),
  );
};
