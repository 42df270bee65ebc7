import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ConsultationFileParamsSchema, ConsultationFileSchema, ConsultationIdParamsSchema, ConsultationRecordingParamsSchema, RecordingChunkQuerySchema, UploadFileQuerySchema } from '../../contracts/consultation.js';
import { ProblemSchema, problemResponses } from '../../contracts/problem.js';
import { registerLazyBody, type BodySource } from '../../platform/body-stream.js';
import type { ConsultationService } from './consultation.service.js';
import { contentDisposition } from '../../platform/files/content-disposition.js';

const problems = { ...problemResponses, 415: ProblemSchema } as const;
const RAW_TYPES = ['application/octet-stream', 'image/jpeg', 'image/png', 'application/pdf', 'application/dicom', 'video/webm', 'audio/webm'];
const BinarySchema = z.any().meta({ type: 'string', format: 'binary' });

function sendFile(reply: FastifyReply, f: { name?: string; contentType: string; bytes: Buffer }, inline: boolean) {
  // Security: only a participant gets here. Only a decodable JPEG/PNG within 40 megapixels or a PDF scanned
  // passive is shown inline, inside our own page (frame-ancestors 'self'); anything else is a download.
  // nosniff keeps the browser to the declared type, nothing in it runs (default-src 'none'), and nobody
  // caches it (docs/security-input.md).
  void reply
    .header('content-type', f.contentType)
    .header('content-disposition', contentDisposition(inline ? 'inline' : 'attachment', f.name ?? 'recording.webm'))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .header('content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'")
    .header('x-frame-options', 'SAMEORIGIN');
  return reply.send(f.bytes);
}

/**
 * Files and recordings of a consultation. Their own plugin context, so raw bodies are accepted on these
 * routes only, and handed to the use case unread: it authorises the caller first, then reads the body
 * within its limit (docs/security-input.md). Thin: one service call each.
 * @param opts - the consultation service
 */
export const consultationFileRoutes: FastifyPluginAsyncZod<{ consultation: ConsultationService }> = async (app, { consultation }) => {
  registerLazyBody(app, RAW_TYPES);

  app.post(
    '/consultations/:id/files',
    {
      schema: {
        tags: ['consultation'],
        summary: 'Upload a file (JPEG, PNG, PDF, DICOM) as the raw body; the type is checked from the content',
        description: 'Participants only; the body is read after authorisation. Images over 40 megapixels, headers that do not decode and PDFs with JavaScript or automatic actions are refused.',
        params: ConsultationIdParamsSchema,
        querystring: UploadFileQuerySchema,
        response: { 201: ConsultationFileSchema, ...problems },
      },
    },
    async (req, reply) =>
      reply.code(201).send(
        await consultation.uploadFile(req.ctx, req.params.id, {
          name: req.query.name,
          declaredType: req.headers['content-type'],
          declaredLength: req.headers['content-length'],
          body: req.body as BodySource | undefined,
        }),
      ),
  );

  app.get(
    '/consultations/:id/files/:fileId',
    {
      schema: {
        tags: ['consultation'],
        summary: 'Download a file (participants only; audited). Passive JPEG, PNG and PDF are shown inline, everything else downloads',
        params: ConsultationFileParamsSchema,
        response: { 200: BinarySchema, ...problems },
      },
    },
    async (req, reply) => {
      const f = await consultation.downloadFile(req.ctx, req.params.id, req.params.fileId);
      return sendFile(reply, f, f.inline);
    },
  );

  app.put(
    '/consultations/:id/recordings/:recordingId/chunks',
    {
      schema: {
        tags: ['consultation'],
        summary: 'Upload the next MediaRecorder chunk (raw body); refused after a stop or a withdrawal',
        params: ConsultationRecordingParamsSchema,
        querystring: RecordingChunkQuerySchema,
        response: { 200: z.object({ seq: z.number().int() }), ...problems },
      },
    },
    async (req) => consultation.appendRecordingChunk(req.ctx, req.params.id, req.params.recordingId, req.query.seq, req.body as BodySource | undefined, req.headers['content-length']),
  );

  app.get(
    '/consultations/:id/recordings/:recordingId',
    { schema: { tags: ['consultation'], summary: 'Download a recording (participants only; every access audited)', params: ConsultationRecordingParamsSchema, response: { 200: BinarySchema, ...problems } } },
    async (req, reply) => sendFile(reply, await consultation.downloadRecording(req.ctx, req.params.id, req.params.recordingId), false),
  );
};
