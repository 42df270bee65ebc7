import type { FastifyPluginAsync } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamsSchema } from '../../contracts/common.js';
import { ApiClientCreatedSchema, ApiClientListSchema, ApiClientSchema, RegisterApiClientBodySchema } from '../../contracts/api-clients.js';
import { problemResponses } from '../../contracts/problem.js';
import type { ApiClientsService } from './api-clients.service.js';
import { OAuthError } from './issue-token.js';

/** Registering a facility's systems (`/api/v1`): its administrators only, audited in the service. */
export const apiClientsRoutes: FastifyPluginAsyncZod<{ apiClients: ApiClientsService }> = async (app, { apiClients }) => {
  app.post(
    '/facilities/:id/api-clients',
    { schema: { tags: ['api-clients'], summary: 'Register a system of the facility (OAuth client credentials); the secret is shown once', params: IdParamsSchema, body: RegisterApiClientBodySchema, response: { 201: ApiClientCreatedSchema, ...problemResponses } } },
    async (req, reply) => reply.code(201).header('cache-control', 'no-store').send(await apiClients.registerApiClient(req.ctx, req.params.id, req.body)),
  );
  app.get(
    '/facilities/:id/api-clients',
    { schema: { tags: ['api-clients'], summary: "The facility's registered systems", params: IdParamsSchema, response: { 200: ApiClientListSchema, ...problemResponses } } },
    async (req) => ({ items: await apiClients.listApiClients(req.ctx, req.params.id) }),
  );
  app.delete(
    '/api-clients/:id',
    { schema: { tags: ['api-clients'], summary: 'Revoke a system: its tokens stop working at once', params: IdParamsSchema, response: { 200: ApiClientSchema, ...problemResponses } } },
    async (req) => apiClients.revokeApiClient(req.ctx, req.params.id),
  );
};

const FORM = 'application/x-www-form-urlencoded';

/**
 * The OAuth 2.0 token endpoint (`POST /oauth/token`, RFC 6749 §4.4 client credentials): client
 * authentication by HTTP Basic (`client_secret_basic`) or in the form (`client_secret_post`). Answers
 * and errors in OAuth's JSON shape, never cached.
 */
export const oauthTokenRoutes: FastifyPluginAsync<{ apiClients: ApiClientsService }> = async (app, { apiClients }) => {
  app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  app.post('/oauth/token', async (req, reply) => {
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    try {
      if (!req.headers['content-type']?.startsWith(FORM)) throw new OAuthError(400, 'invalid_request', `Send the form as ${FORM}`);
      const form = z.record(z.string(), z.string()).parse(req.body ?? {});
      let clientId = form.client_id;
      let clientSecret = form.client_secret;
      const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
      if (basic?.[1]) {
        // RFC 6749 §2.3.1: id and secret are form-encoded before Base64.
        const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
        clientId = decodeURIComponent(id ?? '');
        clientSecret = decodeURIComponent(secret ?? '');
      }
      return await apiClients.issueToken(req.ctx, { grantType: form.grant_type, clientId, clientSecret, scope: form.scope });
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      if (err.status === 401) reply.header('www-authenticate', 'Basic realm="distansia"');
      return reply.code(err.status).send({ error: err.error, error_description: err.description });
    }
  });
};
