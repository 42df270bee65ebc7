import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AttachmentBodySchema,
  AttachmentMetaSchema,
  AttachmentParamsSchema,
  CreateRequestBodySchema,
  EmergencyRotaBodySchema,
  EmergencyRotaParamsSchema,
  EmergencyRotaSchema,
  EmergencyTargetListSchema,
  PatientBannerSchema,
  PatientIdentifierSchema,
  RequestDetailSchema,
  RequestIdParamsSchema,
  RequestListQuerySchema,
  RequestListSchema,
  RequestWithAppointmentSchema,
  TransitionBodySchema,
  WorklistSchema,
} from '../../contracts/requests.js';
import { problemResponses } from '../../contracts/problem.js';
import { signedInBeforeBody } from '../../platform/body-stream.js';
import type { RequestsService } from './requests.service.js';
import { contentDisposition } from '../../platform/files/content-disposition.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const IdempotencyHeadersSchema = z.object({ 'idempotency-key': z.string().trim().min(8).max(200).optional() });

/** Telemedicine requests and booking. Thin: parse, one service call, respond (STYLE C2). */
export const requestsRoutes: FastifyPluginAsyncZod<{ requests: RequestsService }> = async (app, { requests }) => {
  app.post(
    '/requests',
    {
      schema: {
        tags: ['requests'],
        summary: 'File a request (Art. 18) and, with direct interaction, book its time atomically',
        description: 'Retries with the same `Idempotency-Key` header return the first result. A time taken by someone else answers 409 `appointment.slot_taken`.',
        headers: IdempotencyHeadersSchema,
        body: CreateRequestBodySchema,
        response: { 201: RequestWithAppointmentSchema, ...problemResponses },
      },
    },
    async (req, reply) => {
      const { replayed, ...result } = await requests.createRequest(req.ctx, req.body, req.headers['idempotency-key']);
      if (replayed) void reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(result);
    },
  );

  app.get(
    '/requests',
    { schema: { tags: ['requests'], summary: 'My requests (filed by me or for patients I act for)', querystring: RequestListQuerySchema, response: { 200: RequestListSchema, ...problemResponses } } },
    async (req) => requests.listMyRequests(req.ctx, req.query.when),
  );

  app.get(
    '/requests/worklist',
    { schema: { tags: ['requests'], summary: "The specialist's worklist: emergencies first, then planned by time", response: { 200: WorklistSchema, ...problemResponses } } },
    async (req) => requests.worklist(req.ctx),
  );

  app.get(
    '/requests/:id',
    { schema: { tags: ['requests'], summary: 'One request with its form, history and attachments (audited)', params: RequestIdParamsSchema, response: { 200: RequestDetailSchema, ...problemResponses } } },
    async (req) => requests.getRequest(req.ctx, req.params.id),
  );

  app.get(
    '/requests/:id/patient-banner',
    { schema: { tags: ['requests'], summary: "The patient banner of the request's clinical screens: names, age, sex, masked identifier, representative, reason, medicines (audited)", params: RequestIdParamsSchema, response: { 200: PatientBannerSchema, ...problemResponses } } },
    async (req) => requests.patientBanner(req.ctx, req.params.id),
  );

  app.post(
    '/requests/:id/patient-identifier',
    { schema: { tags: ['requests'], summary: "Reveal the patient's full EGN/LNCh (audited as a reveal, shown in the patient's access log)", params: RequestIdParamsSchema, response: { 200: PatientIdentifierSchema, ...problemResponses } } },
    async (req) => requests.revealPatientIdentifier(req.ctx, req.params.id),
  );

  app.post(
    '/requests/:id/transitions',
    {
      schema: {
        tags: ['requests'],
        summary: 'Accept, decline, schedule, start, complete, document, cancel, no-show or reschedule',
        params: RequestIdParamsSchema,
        body: TransitionBodySchema,
        response: { 200: RequestWithAppointmentSchema, ...problemResponses },
      },
    },
    async (req) => requests.transition(req.ctx, req.params.id, req.body),
  );

  app.post(
    '/requests/:id/attachments',
    {
      bodyLimit: 8 * 1024 * 1024,
      // Security: above the global 1 MB, so no anonymous caller gets its body read (docs/security-input.md).
      onRequest: signedInBeforeBody,
      // Authorised for this request before the body is read: preParsing runs before the JSON parser.
      // An id that is not a UUID is left to the params schema (400).
      preParsing: async (req: FastifyRequest) => {
        const { id } = req.params as { id: string };
        if (UUID.test(id)) await requests.authoriseAttachment(req.ctx, id);
      },
      schema: { tags: ['requests'], summary: 'Attach a document or image (encrypted at rest)', params: RequestIdParamsSchema, body: AttachmentBodySchema, response: { 201: AttachmentMetaSchema, ...problemResponses } },
    },
    async (req, reply) => reply.code(201).send(await requests.addAttachment(req.ctx, req.params.id, req.body)),
  );

  app.get(
    '/requests/:id/attachments/:attachmentId',
    { schema: { tags: ['requests'], summary: 'Download an attachment (audited)', params: AttachmentParamsSchema, response: { 200: z.any(), ...problemResponses } } },
    async (req, reply) => {
      const a = await requests.getAttachment(req.ctx, req.params.id, req.params.attachmentId);
      return reply
        .type(a.contentType)
        .header('content-disposition', contentDisposition('attachment', a.name))
        .header('cache-control', 'no-store')
        .send(a.content);
    },
  );

  app.get(
    '/emergency/targets',
    { schema: { tags: ['requests'], summary: 'Facilities and specialties I may send emergencies to (Art. 14(3))', response: { 200: EmergencyTargetListSchema, ...problemResponses } } },
    async (req) => requests.listEmergencyTargets(req.ctx),
  );

  app.get(
    '/facilities/:facilityId/emergency-rota/:specialtyCode',
    { schema: { tags: ['requests'], summary: 'The emergency rota of a facility for a specialty', params: EmergencyRotaParamsSchema, response: { 200: EmergencyRotaSchema, ...problemResponses } } },
    async (req) => requests.getRota(req.ctx, req.params.facilityId, req.params.specialtyCode),
  );

  app.put(
    '/facilities/:facilityId/emergency-rota/:specialtyCode',
    {
      schema: { tags: ['requests'], summary: 'Replace the emergency rota (order = escalation order)', params: EmergencyRotaParamsSchema, body: EmergencyRotaBodySchema, response: { 200: EmergencyRotaSchema, ...problemResponses } },
    },
    async (req) => requests.setRota(req.ctx, req.params.facilityId, req.params.specialtyCode, req.body.practitionerIds),
  );
};
