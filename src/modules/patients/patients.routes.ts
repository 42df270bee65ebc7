import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PatientSchema } from '../../contracts/patients.js';
import { problemResponses } from '../../contracts/problem.js';
import type { PatientsService } from './patients.service.js';

const PatientParamsSchema = z.object({ id: z.uuid() });

/** Patient records: reads are access-checked and audited in the service. */
export const patientsRoutes: FastifyPluginAsyncZod<{ patients: PatientsService }> = async (app, { patients }) => {
  app.get(
    '/patients/:id',
    {
      schema: {
        tags: ['patients'],
        summary: "A patient's demographics (the patient, a linked representative, a specialist in care, a named grantee)",
        params: PatientParamsSchema,
        response: { 200: PatientSchema, ...problemResponses },
      },
    },
    async (req) => patients.readPatient(req.ctx, req.params.id),
  );
};
