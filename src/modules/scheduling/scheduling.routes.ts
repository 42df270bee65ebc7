import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../contracts/problem.js';
import {
  ScheduleExceptionInputSchema,
  ScheduleExceptionListSchema,
  ScheduleExceptionSchema,
  ScheduleInputSchema,
  ScheduleListSchema,
  ScheduleResultSchema,
  ScheduleUpdateSchema,
} from '../../contracts/scheduling.js';
import { requireRole } from '../identity/index.js';
import type { SchedulingService } from './scheduling.service.js';

const tags = ['scheduling'];
const admin = requireRole('facility_admin', 'coordinator');
const Params = z.object({ id: z.uuid() });
const ChildParams = z.object({ id: z.uuid(), childId: z.uuid() });

/** Schedule administration (Art. 15 item 4, 16): every change rewrites the future free slots. */
export const schedulingRoutes: FastifyPluginAsyncZod<{ scheduling: SchedulingService }> = async (app, { scheduling }) => {
  app.get('/admin/facilities/:id/schedules', { preHandler: admin, schema: { tags, summary: 'Schedules and Art. 16 capacity warnings (R-TM-33)', params: Params, response: { 200: ScheduleListSchema, ...problemResponses } } }, async (req) =>
    scheduling.listSchedules(req.ctx, req.params.id),
  );
  app.post('/admin/facilities/:id/schedules', { preHandler: admin, schema: { tags, summary: 'Publish a weekly schedule', params: Params, body: ScheduleInputSchema, response: { 201: ScheduleResultSchema, ...problemResponses } } }, async (req, reply) =>
    reply.code(201).send(await scheduling.createSchedule(req.ctx, req.params.id, req.body)),
  );
  app.patch('/admin/facilities/:id/schedules/:childId', { preHandler: admin, schema: { tags, summary: 'Change a schedule', params: ChildParams, body: ScheduleUpdateSchema, response: { 200: ScheduleResultSchema, ...problemResponses } } }, async (req) =>
    scheduling.updateSchedule(req.ctx, req.params.id, req.params.childId, req.body),
  );
  app.get('/admin/facilities/:id/schedule-exceptions', { preHandler: admin, schema: { tags, summary: 'Leave and other absences', params: Params, response: { 200: ScheduleExceptionListSchema, ...problemResponses } } }, async (req) =>
    scheduling.listExceptions(req.ctx, req.params.id),
  );
  app.post('/admin/facilities/:id/schedule-exceptions', { preHandler: admin, schema: { tags, summary: 'Record leave (removes the slots of those days)', params: Params, body: ScheduleExceptionInputSchema, response: { 201: ScheduleExceptionSchema, ...problemResponses } } }, async (req, reply) =>
    reply.code(201).send(await scheduling.createException(req.ctx, req.params.id, req.body)),
  );
  app.delete('/admin/facilities/:id/schedule-exceptions/:childId', { preHandler: admin, schema: { tags, summary: 'Remove an absence', params: ChildParams, response: { 204: z.null(), ...problemResponses } } }, async (req, reply) => {
    await scheduling.deleteException(req.ctx, req.params.id, req.params.childId);
    return reply.code(204).send(null);
  });
};
