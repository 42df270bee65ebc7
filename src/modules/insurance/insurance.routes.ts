import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  BookingPaymentQuerySchema,
  BookingPaymentSchema,
  ClaimDocumentBodySchema, ClaimPayoutBodySchema,
  ForeignInsuranceSchema,
  ForeignPolicyInputSchema,
  ForeignPolicySchema,
  InsuranceCheckSchema,
  InsuranceQuerySchema,
  InsuredEventSchema,
  InsurerNoticeBodySchema,
} from '../../contracts/insurance.js';
import { problemResponses } from '../../contracts/problem.js';
import type { InsuranceService } from './insurance.service.js';

const Params = z.object({ id: z.uuid() });
const tags = ['insurance'];

/** Insurance status (R-NHIF-01), foreigners' policies and claims (R-INS-*), booking payment (R-PC-13); access-checked and audited in the service. */
export const insuranceRoutes: FastifyPluginAsyncZod<{ insurance: InsuranceService }> = async (app, { insurance }) => {
  app.get(
    '/patients/:id/insurance',
    {
      schema: {
        tags,
        summary: "A patient's health-insurance status on a date (NRA registry, cached per day)",
        params: Params,
        querystring: InsuranceQuerySchema,
        response: { 200: InsuranceCheckSchema, ...problemResponses },
      },
    },
    async (req) => insurance.checkInsuranceStatus(req.ctx, req.params.id, req.query.on),
  );
  app.get('/patients/:id/foreign-insurance', { schema: { tags, summary: "A foreigner's medical insurance policies, coverage on a date, covers and exclusions", params: Params, querystring: InsuranceQuerySchema, response: { 200: ForeignInsuranceSchema, ...problemResponses } } }, async (req) =>
    insurance.readForeignInsurance(req.ctx, req.params.id, req.query.on),
  );
  app.post('/patients/:id/foreign-insurance', { schema: { tags, summary: "Record a foreigner's mandatory medical insurance policy (checked against R-INS-02..06)", params: Params, body: ForeignPolicyInputSchema, response: { 201: ForeignPolicySchema, ...problemResponses } } }, async (req, reply) =>
    reply.code(201).send(await insurance.recordForeignPolicy(req.ctx, req.params.id, req.body)),
  );
  app.get('/patients/:id/booking-payment', { schema: { tags, summary: 'Who pays for a booking and the price shown before booking (R-PC-13, R-INS-01, R-INS-11)', params: Params, querystring: BookingPaymentQuerySchema, response: { 200: BookingPaymentSchema, ...problemResponses } } }, async (req) =>
    insurance.assessBookingPayment(req.ctx, req.params.id, req.query),
  );
  app.get('/patients/:id/insured-events', { schema: { tags, summary: "A foreigner's insured events: insurer notice and claim file (R-INS-07, 08, 10)", params: Params, response: { 200: z.object({ items: z.array(InsuredEventSchema) }), ...problemResponses } } }, async (req) =>
    insurance.listInsuredEvents(req.ctx, req.params.id),
  );
  app.post('/insured-events/:id/notice', { schema: { tags, summary: 'The insurer was notified of the event (R-INS-07)', params: Params, body: InsurerNoticeBodySchema, response: { 200: InsuredEventSchema, ...problemResponses } } }, async (req) =>
    insurance.recordInsurerNotice(req.ctx, req.params.id, req.body.channel),
  );
  app.post('/insured-events/:id/documents', { schema: { tags, summary: 'A claim document was submitted (R-INS-10); a complete file starts the 15-day payout (R-INS-08)', params: Params, body: ClaimDocumentBodySchema, response: { 200: InsuredEventSchema, ...problemResponses } } }, async (req) =>
    insurance.recordClaimDocument(req.ctx, req.params.id, req.body.code, req.body.submittedOn),
  );
  app.post('/insured-events/:id/payout', { schema: { tags, summary: 'The insurer paid the claim; abroad at the BNB rate of the transfer day (R-INS-09), not after the limitation (R-INS-18)', params: Params, body: ClaimPayoutBodySchema, response: { 200: InsuredEventSchema, ...problemResponses } } }, async (req) =>
    insurance.recordClaimPayout(req.ctx, req.params.id, req.body),
  );
};
