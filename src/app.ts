import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from './composition.js';
import { registerSecurityHeaders } from './platform/security-headers.js';
import { registerStrictJsonParser, validatorCompiler } from './platform/validation.js';
import { registerRateLimits } from './platform/rate-limits.js';
import { registerProblemHandler, negotiateLang, sendNotFound } from './platform/errors/problem.js';
import { opsRoutes } from './modules/ops/index.js';
import { patientsRoutes } from './modules/patients/index.js';
import { accessRoutes } from './modules/access/index.js';
import { auditTrailRoutes } from './modules/audit-trail/index.js';
import { backupRoutes } from './modules/backup/index.js';
import { identityRoutes, registerAuthHook, staffAccountsRoutes } from './modules/identity/index.js';
import { registryRoutes } from './modules/registry/index.js';
import { schedulingRoutes } from './modules/scheduling/index.js';
import { directoryRoutes } from './modules/directory/index.js';
import { recordsRoutes } from './modules/records/index.js';
import { fhirRoutes } from './modules/fhir/index.js';
import { consultationRoutes } from './modules/consultation/index.js';
import { consentRoutes } from './modules/consent/index.js';
import { requestsRoutes } from './modules/requests/index.js';
import { notificationsRoutes } from './modules/notifications/index.js';
import { insuranceRoutes } from './modules/insurance/index.js';
import { gpRoutes } from './modules/gp/index.js';
import { encountersRoutes } from './modules/encounters/index.js';
import { sickLeaveRoutes } from './modules/sick-leave/index.js';
import { apiClientsRoutes, oauthTokenRoutes } from './modules/api-clients/index.js';
import { practiceRoutes } from './modules/practice/index.js';
import { registrationRoutes } from './modules/registration/index.js';
import { calendarRoutes } from './modules/calendar/index.js';
import { referralsRoutes } from './modules/referrals/index.js';
import type { RequestCtx } from './platform/auth/request-context.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Actor, request id, IP and user agent for the use case (STYLE C6). */
    ctx: RequestCtx;
  }
}

/**
 * Builds the HTTP application; every module is registered here, explicitly, with a literal prefix (STYLE C2).
 * @param deps - from `createDeps`
 * @returns the Fastify instance, not yet listening
 */
export async function buildApp(deps: Deps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    trustProxy: deps.config.TRUST_PROXY,
    requestIdHeader: 'x-request-id',
    genReqId: () => deps.ids.uuid(),
    bodyLimit: 1_048_576,
  }).withTypeProvider<ZodTypeProvider>();

  // Every contract also refuses NUL and unpaired surrogates, and JSON must be valid UTF-8 (docs/security-input.md).
  app.setValidatorCompiler(validatorCompiler);
  registerStrictJsonParser(app);
  app.setSerializerCompiler(serializerCompiler);
  registerProblemHandler(app);

  app.decorateRequest('ctx', null as unknown as RequestCtx);
  app.addHook('onRequest', async (req, reply) => {
    req.ctx = {
      actor: { type: 'anonymous' },
      requestId: req.id,
      ip: req.ip,
      userAgent: req.headers['user-agent'],
      lang: negotiateLang(req.headers['accept-language']),
    };
    void reply.header('x-request-id', req.id);
  });

  registerSecurityHeaders(app);
  await app.register(cookie);
  // Identity: resolves the session cookie into req.ctx.actor, then gateway and CSRF checks.
  registerAuthHook(app, deps.identity);
  // Rate limits per route (sign-in, MFA, reset, activation, registration, anonymous writes), before any route.
  await registerRateLimits(app, {
    authMax: deps.config.RATE_LIMIT_AUTH_MAX,
    anonymousWriteMax: deps.config.RATE_LIMIT_ANONYMOUS_WRITE_MAX,
    windowSeconds: deps.config.RATE_LIMIT_WINDOW_SECONDS,
    authPrefix: '/api/v1/auth/',
    isSignedIn: (req) => req.ctx.actor.type === 'user',
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Distansia API',
        description: 'Telemedicine for Bulgarian healthcare under the Ordinance on medical care at a distance. Errors are RFC 9457 problem details.',
        version: '0.1.0',
      },
      servers: deps.config.PUBLIC_URL ? [{ url: deps.config.PUBLIC_URL }] : [],
      components: {
        securitySchemes: {
          sessionCookie: { type: 'apiKey', in: 'cookie', name: 'distansia_session', description: 'httpOnly, SameSite=Strict session cookie set by POST /api/v1/auth/mfa.' },
          csrfToken: { type: 'apiKey', in: 'header', name: 'x-csrf-token', description: 'Double-submit CSRF token: the value of the `csrf` cookie, required with the session cookie on POST/PUT/PATCH/DELETE (403 auth.csrf otherwise).' },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true, uiConfig: { docExpansion: 'list', deepLinking: true } });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(opsRoutes, { prefix: '/health', ops: deps.ops });
  await app.register(patientsRoutes, { prefix: '/api/v1', patients: deps.patients });
  await app.register(accessRoutes, { prefix: '/api/v1', access: deps.access });
  await app.register(auditTrailRoutes, { prefix: '/api/v1', auditTrail: deps.auditTrail });
  await app.register(identityRoutes, { prefix: '/api/v1', identity: deps.identity, cookieSecure: deps.config.COOKIE_SECURE ?? Boolean(deps.config.PUBLIC_URL?.startsWith('https:')) });
  await app.register(staffAccountsRoutes, { prefix: '/api/v1', staffAccounts: deps.staffAccounts });
  await app.register(requestsRoutes, { prefix: '/api/v1', requests: deps.requests });
  await app.register(notificationsRoutes, { prefix: '/api/v1', notifications: deps.notifications });
  await app.register(registryRoutes, { prefix: '/api/v1', registry: deps.registry, nhisRegistration: deps.nhisRegistration });
  await app.register(schedulingRoutes, { prefix: '/api/v1', scheduling: deps.scheduling });
  await app.register(directoryRoutes, { prefix: '/api/v1', directory: deps.directory, publicUrl: deps.config.PUBLIC_URL });
  await app.register(recordsRoutes, { prefix: '/api/v1', records: deps.records, deadlines: deps.deadlines, nhisSimulator: deps.nhisMode === 'live' ? undefined : deps.nhisSimulator });
  await app.register(fhirRoutes, { prefix: '/fhir/R4', identity: deps.identity, clients: deps.apiClients, directory: deps.fhirDirectory, patients: deps.fhirPatients, clinical: deps.fhirClinical, encounters: deps.encounters, auditTrail: deps.auditTrail, audit: deps.audit, publicUrl: deps.config.PUBLIC_URL });
  await app.register(consentRoutes, { prefix: '/api/v1', consent: deps.consent, admissibility: deps.admissibility });
  await app.register(consultationRoutes, { prefix: '/api/v1', consultation: deps.consultation, hub: deps.signalling, publicUrl: deps.config.PUBLIC_URL });

  await app.register(insuranceRoutes, { prefix: '/api/v1', insurance: deps.insurance });
  await app.register(gpRoutes, { prefix: '/api/v1', gp: deps.gp });
  await app.register(encountersRoutes, { prefix: '/api/v1', encounters: deps.encounters });
  await app.register(sickLeaveRoutes, { prefix: '/api/v1', sickLeave: deps.sickLeave });
  await app.register(apiClientsRoutes, { prefix: '/api/v1', apiClients: deps.apiClients });
  await app.register(oauthTokenRoutes, { apiClients: deps.apiClients });
  // backups (docs/operations.md)
  await app.register(backupRoutes, { prefix: '/api/v1', backup: deps.backup });
  await app.register(practiceRoutes, { prefix: '/api/v1', practice: deps.practice });
  // registration and calendars
  await app.register(registrationRoutes, { prefix: '/api/v1', registration: deps.registration });
  await app.register(calendarRoutes, { prefix: '/api/v1', calendar: deps.appointmentCalendar, origin: deps.calendarOrigin });
  await app.register(referralsRoutes, { prefix: '/api/v1', referrals: deps.referrals });
  await registerWebApp(app, resolve(deps.config.WEB_DIST_DIR));
  return app;
}

/** Serves the built SPA at `/`; client-side routes fall back to index.html, unknown API routes get a problem. */
async function registerWebApp(app: FastifyInstance, dir: string): Promise<void> {
  const hasWeb = existsSync(resolve(dir, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: dir, prefix: '/', wildcard: false, index: ['index.html'] });
  } else {
    app.log.warn({ dir }, 'web app not built; run `npm run build:web`');
  }
  app.setNotFoundHandler(async (req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    const isApi = path.startsWith('/api/') || path.startsWith('/health/') || path.startsWith('/fhir/');
    if (hasWeb && req.method === 'GET' && !isApi && !/\.[a-z0-9]+$/i.test(path)) {
      return reply.type('text/html').sendFile('index.html');
    }
    return sendNotFound(req, reply);
  });
}
