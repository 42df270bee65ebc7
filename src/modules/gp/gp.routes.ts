import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../contracts/problem.js';
import {
  CreateGpRegistrationBodySchema,
  GpDeskLookupBodySchema,
  GpDeskLookupSchema,
  GpRegistrationSchema,
  ListReportQuerySchema,
  PatientGpSchema,
  PatientListQuerySchema,
  PatientListSchema,
  PatientListSummaryQuerySchema,
  PatientListSummarySchema,
} from '../../contracts/gp.js';
import type { GpService } from './gp.service.js';
import { contentDisposition } from '../../platform/files/content-disposition.js';

const tags = ['gp'];
const Params = z.object({ id: z.uuid() });

/** GP choice (W8-W10) and the GP's patient list (НРД R-22..34); rules, access and audit live in the service. */
export const gpRoutes: FastifyPluginAsyncZod<{ gp: GpService }> = async (app, { gp }) => {
  app.post('/gp-registrations', { schema: { tags, summary: 'Register an initial, permanent or temporary GP choice', body: CreateGpRegistrationBodySchema, response: { 201: GpRegistrationSchema, ...problemResponses } } }, async (req, reply) =>
    reply.code(201).send(await gp.registerGpChoice(req.ctx, req.body)),
  );
  // Security: POST so the EGN travels in the body, never in a URL that access logs keep.
  app.post('/practices/:id/gp-registration-lookups', { schema: { tags, summary: "The desk finds a patient from the documents: GP today, window, insurance, the practice's GPs", params: Params, body: GpDeskLookupBodySchema, response: { 200: GpDeskLookupSchema, ...problemResponses } } }, async (req) =>
    gp.lookUpForRegistration(req.ctx, req.params.id, req.body),
  );
  app.get('/patients/:id/gp', { schema: { tags, summary: "A patient's GP today, the history and the change window", params: Params, response: { 200: PatientGpSchema, ...problemResponses } } }, async (req) =>
    gp.readPatientGp(req.ctx, req.params.id),
  );
  app.get('/practitioners/:id/patient-list', { schema: { tags, summary: "The GP's patient list, paged (listed or left)", params: Params, querystring: PatientListQuerySchema, response: { 200: PatientListSchema, ...problemResponses } } }, async (req) =>
    gp.readPatientList(req.ctx, req.params.id, req.query),
  );
  app.get('/practitioners/:id/patient-list/summary', { schema: { tags, summary: 'Age groups, capitation, capacity, staffing and leavers', params: Params, querystring: PatientListSummaryQuerySchema, response: { 200: PatientListSummarySchema, ...problemResponses } } }, async (req) =>
    gp.readPatientListSummary(req.ctx, req.params.id, req.query.on),
  );
  app.get('/practitioners/:id/patient-list/report.csv', { schema: { tags, summary: 'Monthly list register for the RHIF (CSV)', params: Params, querystring: ListReportQuerySchema, response: { 200: z.string(), ...problemResponses } } }, async (req, reply) => {
    const report = await gp.generateListReport(req.ctx, req.params.id, req.query.month);
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', contentDisposition('attachment', report.filename)).send(report.csv);
  });
  app.get('/practitioners/:id/patient-list/report.pdf', { schema: { tags, summary: 'Monthly list register for the RHIF (PDF)', params: Params, querystring: ListReportQuerySchema, response: { 200: z.any(), ...problemResponses } } }, async (req, reply) => {
    const report = await gp.generateListReportPdf(req.ctx, req.params.id, req.query.month);
    return reply.header('content-type', 'application/pdf').header('content-disposition', contentDisposition('attachment', report.filename)).send(report.pdf);
  });
};
