import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AccessLogQuerySchema, AccessLogSchema, AuditEventBundleSchema, AuditExportQuerySchema } from '../../contracts/audit-trail.js';
import { problemResponses } from '../../contracts/problem.js';
import type { AuditTrailService } from './audit-trail.service.js';
import { contentDisposition } from '../../platform/files/content-disposition.js';

/** "Who accessed my data" and the supervisor's audit export. Thin: one service call each. */
export const auditTrailRoutes: FastifyPluginAsyncZod<{ auditTrail: AuditTrailService }> = async (app, { auditTrail }) => {
  app.get(
    '/me/access-log',
    {
      schema: {
        tags: ['audit'],
        summary: 'Who accessed my data: every recorded access to the patient’s data (patient or linked representative)',
        querystring: AccessLogQuerySchema,
        response: { 200: AccessLogSchema, ...problemResponses },
      },
    },
    async (req) => auditTrail.getAccessLog(req.ctx, req.query),
  );

  app.get(
    '/supervision/audit-export',
    {
      schema: {
        tags: ['audit'],
        summary: 'Export a facility’s audit trail for a period as CSV or FHIR AuditEvent JSON (supervisors)',
        querystring: AuditExportQuerySchema,
        response: { 200: z.union([z.string(), AuditEventBundleSchema]), ...problemResponses },
      },
    },
    async (req, reply) => {
      const file = await auditTrail.exportFacilityTrail(req.ctx, req.query);
      void reply.header('content-disposition', contentDisposition('attachment', file.filename));
      if (file.format === 'csv') return reply.type('text/csv; charset=utf-8').send(file.body);
      return reply.type('application/fhir+json').send(file.body);
    },
  );
};
