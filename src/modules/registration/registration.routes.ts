import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../contracts/problem.js';
import { ConfirmEmailBodySchema, LoginResponseSchema, RegistrationBodySchema } from '../../contracts/identity.js';
import type { RegistrationService } from './registration.service.js';

/**
 * A patient's own registration. Under `/api/v1/auth/`, so the authentication rate limit applies per IP.
 */
export const registrationRoutes: FastifyPluginAsyncZod<{ registration: RegistrationService }> = async (app, { registration }) => {
  app.post(
    '/auth/register',
    {
      schema: {
        tags: ['auth'],
        summary: 'Register as a patient; a confirmation link is e-mailed',
        description:
          'The answer is 202 whether or not the e-mail or the EGN/LNCh is already registered (their holders are told by e-mail). Only mistakes in the form itself are answered: checksum, date of birth against the EGN, password policy.',
        body: RegistrationBodySchema,
        response: { 202: z.null(), ...problemResponses },
      },
    },
    async (req, reply) => {
      await registration.register(req.ctx, req.body);
      return reply.code(202).send(null);
    },
  );

  app.post(
    '/auth/register/confirm',
    {
      schema: {
        tags: ['auth'],
        summary: 'Confirm the e-mail with the link token; returns an enrolment token for the second factor',
        body: ConfirmEmailBodySchema,
        response: { 200: LoginResponseSchema, ...problemResponses },
      },
    },
    async (req) => registration.confirmEmail(req.ctx, req.body.token),
  );
};
