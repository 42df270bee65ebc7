import websocket from '@fastify/websocket';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  CompletionSchema,
  ConsultationAdmitParamsSchema,
  ConsultationFileListSchema,
  ConsultationIdParamsSchema,
  ConsultationListSchema,
  ConsultationMessageListSchema,
  ConsultationMessageSchema,
  ConsultationQualitySchema,
  ConsultationRecordingParamsSchema,
  ConsultationSchema,
  FacilityQualityParamsSchema,
  FacilityQualityQuerySchema,
  FacilityQualityReportSchema,
  IceServersSchema,
  PostMessageBodySchema,
  QualityReportFacilityListSchema,
  RecordingListSchema,
  RecordingSchema,
  RequestIdParamsSchema,
  SignalQuerySchema,
  StartRecordingBodySchema,
} from '../../contracts/consultation.js';
import { ProblemSchema, problemResponses } from '../../contracts/problem.js';
import { AppError } from '../../platform/errors/app-error.js';
import { SESSION_COOKIE } from '../identity/index.js';
import type { ConsultationService } from './consultation.service.js';
import type { SignallingHub } from './signalling-hub.js';
import { consultationFileRoutes } from './consultation-files.routes.js';

const problems = { ...problemResponses, 415: ProblemSchema } as const;

/**
 * The consultation channel over HTTP and the signalling WebSocket. Thin: one service call each.
 * @param opts - the service, the hub and the public URL (the WebSocket origin check)
 */
export const consultationRoutes: FastifyPluginAsyncZod<{ consultation: ConsultationService; hub: SignallingHub; publicUrl?: string }> = async (app, { consultation, hub, publicUrl }) => {
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  // Uploads and downloads of files and recordings, in their own context: only there are raw bodies accepted.
  await app.register(consultationFileRoutes, { consultation });

  app.get(
    '/consultations/:id/signal',
    {
      websocket: true,
      schema: {
        tags: ['consultation'],
        summary: 'Signalling WebSocket of a consultation (session cookie, same origin); ?mode=chat only receives messages and file notices',
        params: ConsultationIdParamsSchema,
        querystring: SignalQuerySchema,
      },
      preValidation: async (req) => {
        // Security: the cookie authenticates the upgrade, so another site's page must not open it
        // (cross-site WebSocket hijacking): the Origin must be ours.
        const origin = req.headers.origin;
        const expected = publicUrl ? new URL(publicUrl).origin : `${req.protocol}://${req.headers.host ?? ''}`;
        if (!origin || origin !== expected) throw new AppError('signal.origin_denied');
        if (req.ctx.actor.type !== 'user') throw new AppError('auth.unauthenticated');
      },
    },
    (socket, req) => {
      void hub.attach(socket, req.ctx, (req.params as { id: string }).id, req.cookies[SESSION_COOKIE] ?? '', (req.query as { mode: 'call' | 'chat' }).mode);
    },
  );

  app.get('/consultations', { schema: { tags: ['consultation'], summary: 'My consultations', response: { 200: ConsultationListSchema, ...problems } } }, async (req) =>
    consultation.listMine(req.ctx),
  );

  app.post(
    '/requests/:requestId/consultation',
    { schema: { tags: ['consultation'], summary: "Open (or get) a request's consultation", params: RequestIdParamsSchema, response: { 200: ConsultationSchema, ...problems } } },
    async (req) => consultation.openForRequest(req.ctx, req.params.requestId),
  );

  app.get(
    '/consultations/:id',
    { schema: { tags: ['consultation'], summary: 'A consultation', params: ConsultationIdParamsSchema, response: { 200: ConsultationSchema, ...problems } } },
    async (req) => consultation.getConsultation(req.ctx, req.params.id),
  );

  app.post(
    '/consultations/:id/participants/:accountId/admit',
    { schema: { tags: ['consultation'], summary: 'Admit a participant from the waiting room (providing specialist)', params: ConsultationAdmitParamsSchema, response: { 200: ConsultationSchema, ...problems } } },
    async (req) => consultation.admit(req.ctx, req.params.id, req.params.accountId),
  );

  app.get(
    '/consultations/:id/ice-servers',
    { schema: { tags: ['consultation'], summary: 'STUN/TURN servers with a short-lived TURN credential', params: ConsultationIdParamsSchema, response: { 200: IceServersSchema, ...problems } } },
    async (req) => consultation.iceServers(req.ctx, req.params.id),
  );

  app.get(
    '/consultations/:id/messages',
    { schema: { tags: ['consultation'], summary: 'Chat, case description and answers', params: ConsultationIdParamsSchema, response: { 200: ConsultationMessageListSchema, ...problems } } },
    async (req) => consultation.listMessages(req.ctx, req.params.id),
  );

  app.post(
    '/consultations/:id/messages',
    { schema: { tags: ['consultation'], summary: 'Post a message', params: ConsultationIdParamsSchema, body: PostMessageBodySchema, response: { 201: ConsultationMessageSchema, ...problems } } },
    async (req, reply) => reply.code(201).send(await consultation.postMessage(req.ctx, req.params.id, req.body)),
  );

  app.get(
    '/consultations/:id/files',
    { schema: { tags: ['consultation'], summary: 'Files of the consultation', params: ConsultationIdParamsSchema, response: { 200: ConsultationFileListSchema, ...problems } } },
    async (req) => consultation.listFiles(req.ctx, req.params.id),
  );

  app.get(
    '/consultations/:id/quality',
    { schema: { tags: ['consultation'], summary: 'Quality evidence (Art. 28(1) items 8-9)', params: ConsultationIdParamsSchema, response: { 200: ConsultationQualitySchema, ...problems } } },
    async (req) => consultation.getQuality(req.ctx, req.params.id),
  );

  app.get(
    '/consultation-quality/facilities',
    { schema: { tags: ['consultation'], summary: 'The facilities whose quality report the caller may open, with names', response: { 200: QualityReportFacilityListSchema, ...problems } } },
    async (req) => consultation.qualityReportFacilities(req.ctx),
  );

  app.get(
    '/facilities/:facilityId/consultation-quality',
    {
      schema: {
        tags: ['consultation'],
        summary: 'Facility quality report: samples, breaches of 50 ms / 150 ms, flagged consultations',
        params: FacilityQualityParamsSchema,
        querystring: FacilityQualityQuerySchema,
        response: { 200: FacilityQualityReportSchema, ...problems },
      },
    },
    async (req) => consultation.facilityQualityReport(req.ctx, req.params.facilityId, req.query.from, req.query.to),
  );

  app.post(
    '/consultations/:id/recordings',
    { schema: { tags: ['consultation'], summary: 'Start a recording (needs a valid recording consent, Art. 19)', params: ConsultationIdParamsSchema, body: StartRecordingBodySchema, response: { 201: RecordingSchema, ...problems } } },
    async (req, reply) => reply.code(201).send(await consultation.startRecording(req.ctx, req.params.id, req.body.media)),
  );

  app.get(
    '/consultations/:id/recordings',
    { schema: { tags: ['consultation'], summary: 'Recordings (participants only; audited)', params: ConsultationIdParamsSchema, response: { 200: RecordingListSchema, ...problems } } },
    async (req) => consultation.listRecordings(req.ctx, req.params.id),
  );

  app.post(
    '/consultations/:id/recordings/:recordingId/stop',
    { schema: { tags: ['consultation'], summary: 'Stop a recording', params: ConsultationRecordingParamsSchema, response: { 200: RecordingSchema, ...problems } } },
    async (req) => consultation.stopRecording(req.ctx, req.params.id, req.params.recordingId),
  );

  app.post(
    '/consultations/:id/complete',
    { schema: { tags: ['consultation'], summary: 'The specialist ends the service (Art. 17(2): the documentation deadline starts)', params: ConsultationIdParamsSchema, response: { 200: CompletionSchema, ...problems } } },
    async (req) => consultation.complete(req.ctx, req.params.id),
  );
};
