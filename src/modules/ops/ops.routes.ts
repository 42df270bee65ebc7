import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { LivenessSchema, ReadinessSchema } from '../../contracts/ops.js';
import type { OpsService } from './ops.service.js';

export const opsRoutes: FastifyPluginAsyncZod<{ ops: OpsService }> = async (app, { ops }) => {
  app.get('/live', { schema: { tags: ['ops'], summary: 'Liveness: the process answers', response: { 200: LivenessSchema } } }, async () => ({ status: 'ok' as const }));

  app.get(
    '/ready',
    { schema: { tags: ['ops'], summary: 'Readiness: database answers and migrations are applied', response: { 200: ReadinessSchema, 503: ReadinessSchema } } },
    async (_req, reply) => {
      const r = await ops.readiness();
      return reply.code(r.status === 'ok' ? 200 : 503).send(r);
    },
  );
};
