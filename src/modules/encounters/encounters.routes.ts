import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParamsSchema } from '../../contracts/common.js';
import { EncounterListSchema, EncounterSchema, RecordVisitBodySchema } from '../../contracts/encounters.js';
import { problemResponses } from '../../contracts/problem.js';
import type { EncountersService } from './encounters.service.js';

/** Encounters: access-checked and audited in the service. */
export const encountersRoutes: FastifyPluginAsyncZod<{ encounters: EncountersService }> = async (app, { encounters }) => {
  app.post(
    '/encounters',
    { schema: { tags: ['encounters'], summary: 'Record an in-person, phone or home visit', body: RecordVisitBodySchema, response: { 201: EncounterSchema, ...problemResponses } } },
    async (req, reply) => reply.code(201).send(await encounters.recordVisit(req.ctx, req.body)),
  );
  app.get(
    '/encounters/:id',
    { schema: { tags: ['encounters'], summary: 'One encounter', params: IdParamsSchema, response: { 200: EncounterSchema, ...problemResponses } } },
    async (req) => encounters.readEncounter(req.ctx, req.params.id),
  );
  app.get(
    '/patients/:id/encounters',
    { schema: { tags: ['encounters'], summary: "A patient's encounters, newest first", params: IdParamsSchema, response: { 200: EncounterListSchema, ...problemResponses } } },
    async (req) => ({ items: await encounters.listPatientEncounters(req.ctx, req.params.id) }),
  );
};
