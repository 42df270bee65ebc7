import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../contracts/problem.js';
import {
  DirectoryFacilityPageSchema,
  DirectorySearchQuerySchema,
  DirectorySearchResultSchema,
  type DirectorySearchResult,
  type DirectorySlotList,
  DirectorySlotListSchema,
  DirectorySlotsQuerySchema,
  FhirJsonSchema,
} from '../../contracts/directory.js';
import type { DirectoryService } from './directory.service.js';

const tags = ['directory'];
const JSON_UTF8 = 'application/json; charset=utf-8';
/**
 * Performance: the service built the body from the contract's type and serialised it once (it is cached);
 * Fastify sends a Buffer as is, so the zod response serializer does not parse it again on every request.
 * The 200 schema stays on the route for the OpenAPI document.
 */
const prepared = <T>(body: Buffer): T => body as unknown as T;

/** The public directory: no sign-in (Art. 15, R-TM-32). */
export const directoryRoutes: FastifyPluginAsyncZod<{ directory: DirectoryService; publicUrl: string | undefined }> = async (app, { directory, publicUrl }) => {
  app.get('/directory/facilities', { schema: { tags, summary: 'Search facilities (specialty, facility, settlement, region, name, mode, free slot before)', querystring: DirectorySearchQuerySchema, response: { 200: DirectorySearchResultSchema, ...problemResponses } } }, async (req, reply) =>
    reply.type(JSON_UTF8).send(prepared<DirectorySearchResult>(await directory.searchFacilitiesJson(req.query))),
  );
  app.get('/directory/facilities/:id', { schema: { tags, summary: "A facility's public page (Art. 15)", params: z.object({ id: z.uuid() }), response: { 200: DirectoryFacilityPageSchema, ...problemResponses } } }, async (req) =>
    directory.getFacilityPage(req.params.id),
  );
  app.get('/directory/facilities/:id/fhir', { schema: { tags, summary: 'The facility as a FHIR R4 Bundle (Organization, HealthcareService, PractitionerRole, Schedule, Slot)', params: z.object({ id: z.uuid() }), response: { 200: FhirJsonSchema, ...problemResponses } } }, async (req, reply) => {
    const base = `${publicUrl ?? `${req.protocol}://${req.host}`}/fhir/R4`;
    return reply.type('application/fhir+json').send(await directory.getFacilityFhir(req.params.id, base));
  });
  app.get('/directory/slots', { schema: { tags, summary: 'Free slots of a specialist for a service (window ≤ 31 days)', querystring: DirectorySlotsQuerySchema, response: { 200: DirectorySlotListSchema, ...problemResponses } } }, async (req, reply) =>
    reply.type(JSON_UTF8).send(prepared<DirectorySlotList>(await directory.listFreeSlotsJson(req.query))),
  );
};
