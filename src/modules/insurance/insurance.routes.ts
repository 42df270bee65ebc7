import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InsuranceCheckSchema, InsuranceQuerySchema } from '../../contracts/insurance.js';
import { problemResponses } from '../../contracts/problem.js';
import type { InsuranceService } from './insurance.service.js';

const Params = z.object({ id: z.uuid() });

/** Insurance status (R-NHIF-01): access-checked and audited in the service. */
export const insuranceRoutes: FastifyPluginAsyncZod<{ insurance: InsuranceService }> = async (app, { insurance }) => {
  app.get(
    '/patients/:id/insurance',
    {
      schema: {
        tags: ['insurance'],
        summary: "A patient's health-insurance status on a date (NRA registry, cached per day)",
        params: Params,
        querystring: InsuranceQuerySchema,
        response: { 200: InsuranceCheckSchema, ...problemResponses },
      },
    },
    async (req) => insurance.checkInsuranceStatus(req.ctx, req.params.id, req.query.on),
  );
};
