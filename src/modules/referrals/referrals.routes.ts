import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../contracts/problem.js';
import {
  BudgetListSchema,
  BudgetQuerySchema,
  CancelBodySchema,
  CreatePrescriptionBodySchema,
  CreateReferralBodySchema,
  IssuedDocumentListSchema,
  PathwayHospitalListSchema,
  PathwayHospitalsQuerySchema,
  MedicineListSchema,
  MedicineSearchQuerySchema,
  NhisDocumentStatusSchema,
  PrescriptionListSchema,
  PrescriptionSchema,
  ReferralListSchema,
  ReferralSchema,
  UseReferralBodySchema,
  ReferralLookupQuerySchema,
} from '../../contracts/referrals.js';
import type { ReferralsService } from './referrals.service.js';
import { contentDisposition } from '../../platform/files/content-disposition.js';

const tags = ['referrals'];
const Params = z.object({ id: z.uuid() });
const NrnParams = z.object({ nrn: z.string().regex(/^[0-9A-Za-z]{12}$/) });
const CancelResult = z.object({ id: z.uuid(), status: NhisDocumentStatusSchema });

/** Referrals and e-prescriptions (W13, W14, W27); rules, access and audit live in the service. */
export const referralsRoutes: FastifyPluginAsyncZod<{ referrals: ReferralsService }> = async (app, { referrals }) => {
  app.post('/referrals', { schema: { tags, summary: 'Issue and sign a referral from an encounter (recorded in the NHIS through the outbox)', body: CreateReferralBodySchema, response: { 201: ReferralSchema, ...problemResponses } } }, async (req, reply) =>
    reply.code(201).send(await referrals.issueReferral(req.ctx, req.body)),
  );
  app.get('/referrals/:id', { schema: { tags, summary: 'One referral', params: Params, response: { 200: ReferralSchema, ...problemResponses } } }, async (req) => referrals.getReferral(req.ctx, req.params.id));
  app.post('/referrals/:id/cancel', { schema: { tags, summary: 'Cancel an issued referral in the NHIS (R007)', params: Params, body: CancelBodySchema, response: { 202: CancelResult, ...problemResponses } } }, async (req, reply) =>
    reply.code(202).send(await referrals.cancelReferral(req.ctx, req.params.id, req.body)),
  );
  app.get('/referrals/by-nrn/:nrn', { schema: { tags, summary: 'The receiving specialist finds a referral by its НРН', params: NrnParams, querystring: ReferralLookupQuerySchema, response: { 200: ReferralSchema, ...problemResponses } } }, async (req) =>
    referrals.findReferralByNrn(req.ctx, req.params.nrn, req.query.facilityId),
  );
  app.post('/referrals/by-nrn/:nrn/use', { schema: { tags, summary: 'Use a referral (once) to book or perform', params: NrnParams, body: UseReferralBodySchema, response: { 200: ReferralSchema, ...problemResponses } } }, async (req) =>
    referrals.useReferral(req.ctx, req.params.nrn, req.body.facilityId),
  );
  app.get('/patients/:id/referrals', { schema: { tags, summary: "A patient's referrals with their validity and where they can be used", params: Params, response: { 200: ReferralListSchema, ...problemResponses } } }, async (req) => referrals.listReferrals(req.ctx, req.params.id));
  app.get('/issued-documents', { schema: { tags, summary: "The signed-in doctor's own referrals and prescriptions, newest first", response: { 200: IssuedDocumentListSchema, ...problemResponses } } }, async (req) => referrals.listIssued(req.ctx));
  app.get('/referral-hospitals', { schema: { tags, summary: 'Hospitals contracted for a clinical pathway today (R-REF-07), for a № 7', querystring: PathwayHospitalsQuerySchema, response: { 200: PathwayHospitalListSchema, ...problemResponses } } }, async (req) => referrals.hospitalsForPathway(req.ctx, req.query.pathway));
  app.get('/referral-budgets', { schema: { tags, summary: "The practice's quarterly referral standards (R-48), warned from 80 %", querystring: BudgetQuerySchema, response: { 200: BudgetListSchema, ...problemResponses } } }, async (req) => referrals.readBudgets(req.ctx, req.query.facilityId));

  app.post('/prescriptions', { schema: { tags, summary: 'Issue and sign an e-prescription from an encounter', body: CreatePrescriptionBodySchema, response: { 201: PrescriptionSchema, ...problemResponses } } }, async (req, reply) =>
    reply.code(201).send(await referrals.issuePrescription(req.ctx, req.body)),
  );
  app.get('/prescriptions/:id', { schema: { tags, summary: 'One prescription', params: Params, response: { 200: PrescriptionSchema, ...problemResponses } } }, async (req) => referrals.getPrescription(req.ctx, req.params.id));
  app.post('/prescriptions/:id/cancel', { schema: { tags, summary: 'Cancel an undispensed prescription in the NHIS (P007)', params: Params, body: CancelBodySchema, response: { 202: CancelResult, ...problemResponses } } }, async (req, reply) =>
    reply.code(202).send(await referrals.cancelPrescription(req.ctx, req.params.id, req.body)),
  );
  app.post('/prescriptions/:id/nhis-status', { schema: { tags, summary: 'Ask the NHIS (P017) for the status and the dispensing pharmacy', params: Params, response: { 200: PrescriptionSchema, ...problemResponses } } }, async (req) =>
    referrals.refreshPrescription(req.ctx, req.params.id),
  );
  app.get('/patients/:id/prescriptions', { schema: { tags, summary: "A patient's prescriptions with their numbers and dispensing", params: Params, response: { 200: PrescriptionListSchema, ...problemResponses } } }, async (req) => referrals.listPrescriptions(req.ctx, req.params.id));
  for (const kind of ['referral', 'prescription'] as const) {
    app.get(`/${kind}s/:id/pdf`, { schema: { tags, summary: `The print-ready ${kind} with its НРН and a QR code`, params: Params, response: { 200: z.any(), ...problemResponses } } }, async (req, reply) => {
      const { pdf, filename } = await referrals.documentPdf(req.ctx, kind, req.params.id);
      return reply.type('application/pdf').header('content-disposition', contentDisposition('inline', filename)).send(pdf);
    });
  }
  app.get('/medicines', { schema: { tags, summary: 'Search the medicines nomenclature', querystring: MedicineSearchQuerySchema, response: { 200: MedicineListSchema, ...problemResponses } } }, async (req) => referrals.searchMedicines(req.query.q, req.query.limit));
};
