import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BackupOverviewSchema, RestoreCheckDocumentSchema } from '../../contracts/backup.js';
import { problemResponses } from '../../contracts/problem.js';
import type { BackupService } from './backup.service.js';
import { contentDisposition } from '../../platform/files/content-disposition.js';

/** The operator's and the supervisor's view of backups and restore checks. Thin: one service call each. */
export const backupRoutes: FastifyPluginAsyncZod<{ backup: BackupService }> = async (app, { backup }) => {
  app.get(
    '/ops/backups',
    { schema: { tags: ['ops'], summary: 'The last 30 backups with each destination’s outcome, and the restore checks (operator, supervisor)', response: { 200: BackupOverviewSchema, ...problemResponses } } },
    async (req) => backup.overview(req.ctx),
  );
  app.get(
    '/ops/restore-checks/:id',
    { schema: { tags: ['ops'], summary: 'A signed restore-check report (JSON) with the key that verifies it', params: z.object({ id: z.uuid() }), response: { 200: RestoreCheckDocumentSchema, ...problemResponses } } },
    async (req) => backup.report(req.ctx, req.params.id),
  );
  app.get(
    '/ops/restore-checks/:id/pdf',
    { schema: { tags: ['ops'], summary: 'A restore-check report as PDF', params: z.object({ id: z.uuid() }), response: { 200: z.any(), ...problemResponses } } },
    async (req, reply) => {
      const pdf = await backup.reportPdf(req.ctx, req.params.id);
      return reply.type('application/pdf').header('content-disposition', contentDisposition('inline', `restore-check-${req.params.id}.pdf`)).send(pdf);
    },
  );
};
