import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemResponses } from '../../contracts/problem.js';
import {
  ChangeStaffEmailBodySchema,
  CreateStaffAccountBodySchema,
  IdParamsSchema,
  StaffAccountParamsSchema,
  StaffAccountSchema,
  StaffFacilityListSchema,
  StaffListSchema,
} from '../../contracts/identity.js';
import type { StaffAccountsService } from './staff-accounts.service.js';

const tags = ['staff'];
const cookieRead = [{ sessionCookie: [] }];
const cookieWrite = [{ sessionCookie: [], csrfToken: [] }];
const account = { params: StaffAccountParamsSchema, security: cookieWrite, response: { 200: StaffAccountSchema, ...problemResponses } };

/**
 * Staff accounts of a facility, for its administrators and, in part, the platform operator.
 * Routes are thin: the service authorises the facility, owns the transaction and audits.
 * Registered under `/api/v1` in app.ts.
 */
export const staffAccountsRoutes: FastifyPluginAsyncZod<{ staffAccounts: StaffAccountsService }> = async (app, { staffAccounts }) => {
  app.get(
    '/admin/staff/facilities',
    { schema: { tags, summary: 'Facilities whose staff accounts the caller manages, and what the caller may do', security: cookieRead, response: { 200: StaffFacilityListSchema, ...problemResponses } } },
    async (req) => staffAccounts.listFacilities(req.ctx),
  );
  app.get(
    '/admin/facilities/:id/staff',
    { schema: { tags, summary: "The facility's staff accounts, and its specialists without one (audited)", params: IdParamsSchema, security: cookieRead, response: { 200: StaffListSchema, ...problemResponses } } },
    async (req) => staffAccounts.listStaff(req.ctx, req.params.id),
  );
  app.post(
    '/admin/facilities/:id/staff',
    {
      schema: {
        tags,
        summary: 'Create a staff account; the person gets an activation link (72 h) to set their own password and second factor',
        params: IdParamsSchema,
        body: CreateStaffAccountBodySchema,
        security: cookieWrite,
        response: { 201: StaffAccountSchema, ...problemResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await staffAccounts.createStaffAccount(req.ctx, req.params.id, req.body)),
  );
  app.post('/admin/facilities/:id/staff/:childId/deactivate', { schema: { tags, summary: 'Deactivate an account and end its sessions (not your own)', ...account } }, async (req) =>
    staffAccounts.deactivateStaffAccount(req.ctx, req.params.id, req.params.childId),
  );
  app.post('/admin/facilities/:id/staff/:childId/reactivate', { schema: { tags, summary: 'Let a deactivated account sign in again', ...account } }, async (req) =>
    staffAccounts.reactivateStaffAccount(req.ctx, req.params.id, req.params.childId),
  );
  app.post('/admin/facilities/:id/staff/:childId/reset-mfa', { schema: { tags, summary: 'Remove the second factors and the password, end the sessions and send the person a new activation link (not your own)', ...account } }, async (req) =>
    staffAccounts.resetStaffMfa(req.ctx, req.params.id, req.params.childId),
  );
  app.post(
    '/admin/facilities/:id/staff/:childId/email',
    { schema: { tags, summary: "Change the account's e-mail; it is re-activated through a link sent there (not your own)", ...account, body: ChangeStaffEmailBodySchema } },
    async (req) => staffAccounts.changeStaffEmail(req.ctx, req.params.id, req.params.childId, req.body),
  );
  app.post('/admin/facilities/:id/staff/:childId/activation', { schema: { tags, summary: 'Send a new activation link to an account that has not activated', ...account } }, async (req) =>
    staffAccounts.resendActivation(req.ctx, req.params.id, req.params.childId),
  );
  app.post('/admin/facilities/:id/staff/:childId/unlock', { schema: { tags, summary: 'End the sign-in lock after repeated failures', ...account } }, async (req) =>
    staffAccounts.unlockStaffAccount(req.ctx, req.params.id, req.params.childId),
  );
};
