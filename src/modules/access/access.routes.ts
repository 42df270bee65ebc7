import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AccessGrantListSchema,
  AccessGrantSchema,
  AccessIdParamsSchema,
  ActingForListSchema,
  CreateAccessGrantBodySchema,
  CreateRepresentativeLinkBodySchema,
  FacilityQuerySchema,
  OpenSupervisionCaseBodySchema,
  PatientIdParamsSchema,
  RepresentativeLinkListSchema,
  RepresentativeLinkSchema,
  SharedPatientListSchema,
  SupervisionCaseListSchema,
  SupervisionCaseSchema,
} from '../../contracts/access.js';
import { problemResponses } from '../../contracts/problem.js';
import type { AccessService } from './access.service.js';

/** Access grants, representative links and supervision cases (docs/access.md). Thin: one service call each. */
export const accessRoutes: FastifyPluginAsyncZod<{ access: AccessService }> = async (app, { access }) => {
  app.get(
    '/patients/:patientId/access-grants',
    {
      schema: {
        tags: ['access'],
        summary: "A patient's access grants (the patient or a linked representative)",
        params: PatientIdParamsSchema,
        response: { 200: AccessGrantListSchema, ...problemResponses },
      },
    },
    async (req) => access.listGrants(req.ctx, req.params.patientId),
  );

  app.post(
    '/patients/:patientId/access-grants',
    {
      schema: {
        tags: ['access'],
        summary: 'Let a named person read the patient’s data (Art. 28(4))',
        params: PatientIdParamsSchema,
        body: CreateAccessGrantBodySchema,
        response: { 201: AccessGrantSchema, ...problemResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await access.grantAccess(req.ctx, req.params.patientId, req.body)),
  );

  app.post(
    '/access-grants/:id/revoke',
    {
      schema: {
        tags: ['access'],
        summary: 'Revoke an access grant',
        params: AccessIdParamsSchema,
        response: { 200: AccessGrantSchema, ...problemResponses },
      },
    },
    async (req) => access.revokeGrant(req.ctx, req.params.id),
  );

  app.get(
    '/access/shared-with-me',
    { schema: { tags: ['access'], summary: 'Patients who currently share their data with me', response: { 200: SharedPatientListSchema, ...problemResponses } } },
    async (req) => access.listSharedWithMe(req.ctx),
  );

  app.get(
    '/access/acting-for',
    { schema: { tags: ['access'], summary: 'Patients I act for: myself, or the patients linked to me as representative', response: { 200: ActingForListSchema, ...problemResponses } } },
    async (req) => access.listActingFor(req.ctx),
  );

  app.post(
    '/admin/representative-links',
    {
      schema: {
        tags: ['access'],
        summary: 'Link a representative to a patient after checking the documents (facility administrator)',
        body: CreateRepresentativeLinkBodySchema,
        response: { 201: RepresentativeLinkSchema, ...problemResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await access.createRepresentativeLink(req.ctx, req.body)),
  );

  app.get(
    '/admin/representative-links',
    {
      schema: {
        tags: ['access'],
        summary: "The representative links a facility's administrators created",
        querystring: FacilityQuerySchema,
        response: { 200: RepresentativeLinkListSchema, ...problemResponses },
      },
    },
    async (req) => access.listRepresentativeLinks(req.ctx, req.query.facilityId),
  );

  app.post(
    '/admin/representative-links/:id/end',
    {
      schema: {
        tags: ['access'],
        summary: 'End a representative link',
        params: AccessIdParamsSchema,
        response: { 200: RepresentativeLinkSchema, ...problemResponses },
      },
    },
    async (req) => access.endRepresentativeLink(req.ctx, req.params.id),
  );

  app.post(
    '/supervision-cases',
    {
      schema: {
        tags: ['access'],
        summary: 'Open a supervision case (supervisory agency, Art. 21)',
        body: OpenSupervisionCaseBodySchema,
        response: { 201: SupervisionCaseSchema, ...problemResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await access.openSupervisionCase(req.ctx, req.body)),
  );

  app.get(
    '/supervision-cases',
    { schema: { tags: ['access'], summary: "The supervisor's own supervision cases", response: { 200: SupervisionCaseListSchema, ...problemResponses } } },
    async (req) => access.listMySupervisionCases(req.ctx),
  );

  app.get(
    '/admin/supervision-cases',
    {
      schema: {
        tags: ['access'],
        summary: 'Supervision cases about a facility, open or closed (its administrators, Art. 21)',
        querystring: FacilityQuerySchema,
        response: { 200: SupervisionCaseListSchema, ...problemResponses },
      },
    },
    async (req) => access.listFacilitySupervisionCases(req.ctx, req.query.facilityId),
  );

  app.post(
    '/supervision-cases/:id/close',
    {
      schema: {
        tags: ['access'],
        summary: 'Close a supervision case',
        params: AccessIdParamsSchema,
        response: { 200: SupervisionCaseSchema, ...problemResponses },
      },
    },
    async (req) => access.closeSupervisionCase(req.ctx, req.params.id),
  );
};
