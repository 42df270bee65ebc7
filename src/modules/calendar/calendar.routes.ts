import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../contracts/problem.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { CalendarService } from './calendar.service.js';
import { contentDisposition } from '../../platform/files/content-disposition.js';

const ICS = 'text/calendar; charset=utf-8';

/** Calendar files and the private feed. */
export const calendarRoutes: FastifyPluginAsyncZod<{ calendar: CalendarService; origin: string }> = async (app, { calendar, origin }) => {
  app.get(
    '/requests/:id/calendar.ics',
    { schema: { tags: ['calendar'], summary: 'One appointment as an iCalendar file (requester side)', params: z.object({ id: z.uuid() }), response: { 200: z.string(), ...problemResponses } } },
    async (req, reply) => {
      const text = await calendar.appointmentIcs(req.ctx, req.params.id);
      return reply.type(ICS).header('content-disposition', contentDisposition('attachment', 'distansia-appointment.ics')).header('cache-control', 'no-store').send(text);
    },
  );

  app.get(
    '/me/calendar-feed',
    { schema: { tags: ['calendar'], summary: 'Whether my private calendar feed is live (its URL is shown only when created)', response: { 200: z.object({ createdAt: z.string().nullable() }), ...problemResponses } } },
    async (req) => calendar.feedStatus(req.ctx),
  );

  app.post(
    '/me/calendar-feed',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Create or replace my private calendar feed URL (the old one stops working)',
        response: { 201: z.object({ url: z.string(), createdAt: z.string() }), ...problemResponses },
      },
    },
    async (req, reply) => {
      const { token, createdAt } = await calendar.createFeed(req.ctx);
      return reply.code(201).send({ url: `${origin}/api/v1/calendar/${token}.ics`, createdAt });
    },
  );

  app.delete(
    '/me/calendar-feed',
    { schema: { tags: ['calendar'], summary: 'Revoke my private calendar feed URL', response: { 204: z.null(), ...problemResponses } } },
    async (req, reply) => {
      await calendar.revokeFeed(req.ctx);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/calendar/:file',
    { schema: { tags: ['calendar'], summary: 'A private calendar feed (`<token>.ics`): upcoming appointments', params: z.object({ file: z.string().regex(/^[\w-]{20,200}\.ics$/) }), response: { 200: z.string(), ...problemResponses } } },
    async (req, reply) => {
      const text = await calendar.feed(req.ctx, req.params.file.replace(/\.ics$/, ''));
      // Security: an unknown and a revoked token answer alike.
      if (text === undefined) throw new AppError('resource.not_found', { detail: 'No such calendar' });
      return reply.type(ICS).header('cache-control', 'private, max-age=300').header('referrer-policy', 'no-referrer').send(text);
    },
  );
};
