import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NotificationListSchema, NotificationQuerySchema } from '../../contracts/notifications.js';
import { problemResponses } from '../../contracts/problem.js';
import type { NotificationsService } from './notifications.service.js';

/** Message delivery for administrators. The development sink writes files and serves nothing (file-sink.ts). */
export const notificationsRoutes: FastifyPluginAsyncZod<{ notifications: NotificationsService }> = async (app, { notifications }) => {
  app.get(
    '/admin/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Delivery status of e-mails and SMS (failures are retried and listed here)',
        querystring: NotificationQuerySchema,
        response: { 200: NotificationListSchema, ...problemResponses },
      },
    },
    async (req) => notifications.listNotifications(req.ctx, req.query.status),
  );

};
