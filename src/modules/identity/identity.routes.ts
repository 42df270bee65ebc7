import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../contracts/problem.js';
import {
  ActivationCompleteBodySchema,
  ActivationStartSchema,
  ActivationTokenBodySchema,
  ConfirmTotpBodySchema,
  EnrolmentTokenBodySchema,
  IdParamsSchema,
  LoginBodySchema,
  LoginResponseSchema,
  MeSchema,
  MfaBodySchema,
  PasskeyListSchema,
  PasskeyOptionsBodySchema,
  PasskeyParamsSchema,
  PasskeyRegisterBodySchema,
  PasskeySchema,
  PasskeyVerifyBodySchema,
  ChangePasswordBodySchema,
  ChangePasswordResultSchema,
  PasswordResetConfirmBodySchema,
  PasswordResetRequestBodySchema,
  RecoveryCodesSchema,
  SessionListSchema,
  SignedInSchema,
  TotpEnrolmentSchema,
  UpdateMeBodySchema,
  WebAuthnJsonSchema,
} from '../../contracts/identity.js';
import type { IdentityService } from './identity.service.js';
import { CSRF_COOKIE, CSRF_HEADER, DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_SECONDS, SESSION_COOKIE, type SessionGrant } from './identity.policy.js';
import { parseDeviceCookie } from './identity.core.js';

export interface IdentityRouteOptions {
  identity: IdentityService;
  /** Mark cookies `Secure` (HTTPS deployments). */
  cookieSecure: boolean;
}

/** Documents the double-submit token on cookie-authenticated writes (OpenAPI security + header). */
const csrfHeaders = z.object({
  [CSRF_HEADER]: z.string().optional().describe('Required with the session cookie on POST/PUT/PATCH/DELETE: the value of the `csrf` cookie.'),
});
const cookieWrite = [{ sessionCookie: [], csrfToken: [] }];
const cookieRead = [{ sessionCookie: [] }];

/**
 * Sign-in, second factor, enrolment, the signed-in account and its sessions.
 * Registered under `/api/v1` in app.ts.
 */
export const identityRoutes: FastifyPluginAsyncZod<IdentityRouteOptions> = async (app, { identity, cookieSecure }) => {
  function setSessionCookies(reply: FastifyReply, grant: SessionGrant, req: FastifyRequest): void {
    // Security: the device cookie (OWASP device cookies) marks this browser as one that signed in to the
    // account, so a stranger's failures do not lock it out; newest entry first, a bounded list.
    const entries = [grant.deviceEntry, ...parseDeviceCookie(req.cookies[DEVICE_COOKIE]).filter((e) => e !== grant.deviceEntry)].slice(0, 8);
    void reply.setCookie(DEVICE_COOKIE, entries.join('~'), { httpOnly: true, sameSite: 'strict', secure: cookieSecure, path: '/api/v1/auth', maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS });
    // Security: the session token is httpOnly + SameSite=Strict; the CSRF token is readable by the page
    // (double submit) but useless without the session cookie, which other sites cannot send.
    void reply.setCookie(SESSION_COOKIE, grant.sessionToken, { httpOnly: true, sameSite: 'strict', secure: cookieSecure, path: '/', maxAge: grant.maxAgeSeconds });
    void reply.setCookie(CSRF_COOKIE, grant.csrfToken, { httpOnly: false, sameSite: 'strict', secure: cookieSecure, path: '/', maxAge: grant.maxAgeSeconds });
  }
  function clearSessionCookies(reply: FastifyReply): void {
    void reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: cookieSecure });
    void reply.clearCookie(CSRF_COOKIE, { path: '/', sameSite: 'strict', secure: cookieSecure });
  }
  const rp = (req: FastifyRequest) => identity.relyingParty(`${req.protocol}://${req.host}`);

  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Password step of sign-in',
        description:
          'Unknown e-mail and wrong password get the same 401 `auth.invalid_credentials` after the same work. Five failures in 15 minutes lock sign-in for 15 minutes (429 `auth.locked` with Retry-After). Success returns an MFA token (5 min, single use) or, for an account without a second factor, an enrolment token.',
        body: LoginBodySchema,
        response: { 200: LoginResponseSchema, ...problemResponses },
      },
    },
    async (req) => identity.login(req.ctx, req.body, req.cookies[DEVICE_COOKIE]),
  );

  app.post(
    '/auth/mfa',
    {
      schema: {
        tags: ['auth'],
        summary: 'Second-factor step: TOTP or recovery code',
        description: 'On success sets the httpOnly, SameSite=Strict `distansia_session` cookie and the `csrf` cookie (send its value as `x-csrf-token` on writes).',
        body: MfaBodySchema,
        response: { 200: SignedInSchema, ...problemResponses },
      },
    },
    async (req, reply) => {
      const grant = await identity.verifyMfa(req.ctx, req.body);
      setSessionCookies(reply, grant, req);
      return grant.body;
    },
  );

  app.post(
    '/auth/mfa/passkey/options',
    { schema: { tags: ['auth'], summary: 'WebAuthn options for the second factor', body: PasskeyOptionsBodySchema, response: { 200: WebAuthnJsonSchema, ...problemResponses } } },
    async (req) => identity.passkeyAuthenticationOptions(req.ctx, req.body.mfaToken, rp(req)),
  );

  app.post(
    '/auth/mfa/passkey',
    { schema: { tags: ['auth'], summary: 'Second-factor step with a passkey', body: PasskeyVerifyBodySchema, response: { 200: SignedInSchema, ...problemResponses } } },
    async (req, reply) => {
      const grant = await identity.verifyPasskey(req.ctx, req.body, rp(req));
      setSessionCookies(reply, grant, req);
      return grant.body;
    },
  );

  app.post(
    '/auth/enrolment/totp',
    {
      schema: {
        tags: ['auth'],
        summary: 'Start TOTP enrolment (enrolment token only)',
        body: EnrolmentTokenBodySchema,
        response: { 200: TotpEnrolmentSchema, ...problemResponses },
      },
    },
    async (req) => identity.startTotpEnrolment(req.ctx, req.body.enrolmentToken),
  );

  app.post(
    '/auth/enrolment/totp/confirm',
    {
      schema: {
        tags: ['auth'],
        summary: 'Confirm TOTP enrolment with the first code; signs in and returns recovery codes once',
        body: ConfirmTotpBodySchema,
        response: { 200: SignedInSchema, ...problemResponses },
      },
    },
    async (req, reply) => {
      const grant = await identity.confirmTotpEnrolment(req.ctx, req.body);
      setSessionCookies(reply, grant, req);
      return grant.body;
    },
  );

  app.post(
    '/auth/activation/start',
    {
      schema: {
        tags: ['auth'],
        summary: 'Staff activation, step 1: check the e-mailed link and start an authenticator (secret and QR code)',
        body: ActivationTokenBodySchema,
        response: { 200: ActivationStartSchema, ...problemResponses },
      },
    },
    async (req) => identity.startActivation(req.ctx, req.body.token),
  );

  app.post(
    '/auth/activation/complete',
    {
      schema: {
        tags: ['auth'],
        summary: 'Staff activation, step 2: your own password and the first authenticator code; signs in and returns recovery codes once',
        body: ActivationCompleteBodySchema,
        response: { 200: SignedInSchema, ...problemResponses },
      },
    },
    async (req, reply) => {
      const grant = await identity.completeActivation(req.ctx, req.body);
      setSessionCookies(reply, grant, req);
      return grant.body;
    },
  );

  app.post(
    '/auth/logout',
    { schema: { tags: ['auth'], summary: 'End the current session', headers: csrfHeaders, security: cookieWrite, response: { 204: z.null(), ...problemResponses } } },
    async (req, reply) => {
      await identity.logout(req.ctx);
      clearSessionCookies(reply);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/me',
    { schema: { tags: ['me'], summary: 'The signed-in account', security: cookieRead, response: { 200: MeSchema, ...problemResponses } } },
    async (req) => identity.getMe(req.ctx),
  );

  app.patch(
    '/me',
    {
      schema: {
        tags: ['me'],
        summary: 'Change my settings: the language of my e-mail and SMS (`bg` or `en`)',
        body: UpdateMeBodySchema,
        headers: csrfHeaders,
        security: cookieWrite,
        response: { 200: MeSchema, ...problemResponses },
      },
    },
    async (req) => identity.updateMe(req.ctx, req.body),
  );

  app.get(
    '/me/sessions',
    { schema: { tags: ['me'], summary: 'My live sessions', security: cookieRead, response: { 200: SessionListSchema, ...problemResponses } } },
    async (req) => ({ items: await identity.listSessions(req.ctx) }),
  );

  app.delete(
    '/me/sessions/:id',
    {
      schema: { tags: ['me'], summary: 'End one of my sessions', params: IdParamsSchema, headers: csrfHeaders, security: cookieWrite, response: { 204: z.null(), ...problemResponses } },
    },
    async (req, reply) => {
      await identity.revokeSession(req.ctx, req.params.id);
      if (req.ctx.actor.type === 'user' && req.ctx.actor.sessionId === req.params.id) clearSessionCookies(reply);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/auth/password-reset',
    {
      schema: {
        tags: ['auth'],
        summary: 'Forgotten password: e-mail a single-use reset link (same answer whether or not the e-mail has an account)',
        body: PasswordResetRequestBodySchema,
        response: { 202: z.null(), ...problemResponses },
      },
    },
    async (req, reply) => {
      await identity.requestPasswordReset(req.ctx, req.body);
      return reply.code(202).send(null);
    },
  );

  app.post(
    '/auth/password-reset/confirm',
    {
      schema: {
        tags: ['auth'],
        summary: 'Set a new password with the e-mailed token and the second factor; ends every session',
        body: PasswordResetConfirmBodySchema,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (req, reply) => {
      await identity.confirmPasswordReset(req.ctx, req.body);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/me/password',
    {
      schema: {
        tags: ['me'],
        summary: 'Change my password (current password and a fresh TOTP code; ends my other sessions)',
        body: ChangePasswordBodySchema,
        headers: csrfHeaders,
        security: cookieWrite,
        response: { 200: ChangePasswordResultSchema, ...problemResponses },
      },
    },
    async (req) => identity.changePassword(req.ctx, req.body),
  );

  app.post(
    '/me/recovery-codes',
    { schema: { tags: ['me'], summary: 'Replace my recovery codes (shown once)', headers: csrfHeaders, security: cookieWrite, response: { 200: RecoveryCodesSchema, ...problemResponses } } },
    async (req) => ({ recoveryCodes: await identity.regenerateRecoveryCodes(req.ctx) }),
  );

  app.get(
    '/me/passkeys',
    { schema: { tags: ['me'], summary: 'My passkeys', security: cookieRead, response: { 200: PasskeyListSchema, ...problemResponses } } },
    async (req) => ({ items: await identity.listPasskeys(req.ctx) }),
  );

  app.post(
    '/me/passkeys/options',
    { schema: { tags: ['me'], summary: 'WebAuthn registration options', headers: csrfHeaders, security: cookieWrite, response: { 200: WebAuthnJsonSchema, ...problemResponses } } },
    async (req) => identity.passkeyRegistrationOptions(req.ctx, rp(req)),
  );

  app.post(
    '/me/passkeys',
    {
      schema: { tags: ['me'], summary: 'Register a passkey', body: PasskeyRegisterBodySchema, headers: csrfHeaders, security: cookieWrite, response: { 201: PasskeySchema, ...problemResponses } },
    },
    async (req, reply) => reply.code(201).send(await identity.registerPasskey(req.ctx, req.body, rp(req))),
  );

  app.delete(
    '/me/passkeys/:id',
    { schema: { tags: ['me'], summary: 'Remove a passkey', params: PasskeyParamsSchema, headers: csrfHeaders, security: cookieWrite, response: { 204: z.null(), ...problemResponses } } },
    async (req, reply) => {
      await identity.deletePasskey(req.ctx, req.params.id);
      return reply.code(204).send(null);
    },
  );
};
