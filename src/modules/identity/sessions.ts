import { Temporal, fromDate, toDate } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Me, Role, Session } from '../../contracts/identity.js';
import { hashToken, safeEqual } from './secrets.js';
import { TOUCH_AFTER_SECONDS, assertUser, isoOf, type ResolvedSession, type WebAuthnRp } from './identity.policy.js';
import type { IdentityCore } from './identity.core.js';
import * as repo from './identity.repo.js';

/**
 * Sessions: the auth hook's resolution, CSRF, the network gateway, the signed-in account and its sessions.
 * @param core - the shared identity machinery
 * @returns the use cases
 */
export function createSessionUseCases(core: IdentityCore) {
  const { db, clock, audit, config, gateway, idle, loadMe } = core;
  return {
    /**
     * Resolves a session cookie into an actor (the auth hook); refreshes the idle timer at most once a minute.
     * @param token - the cookie value
     * @returns the session, or undefined when unknown, revoked, idle or expired
     */
    async resolveSession(token: string): Promise<ResolvedSession | undefined> {
      if (!token || token.length > 200) return undefined;
      const now = clock.now();
      const found = await repo.findSessionByTokenHash(db, hashToken(token));
      if (!found) return undefined;
      const { session, account } = found;
      const expiresAt = fromDate(session.expiresAt);
      const lastSeen = fromDate(session.lastSeenAt);
      if (session.revokedAt || account.status !== 'active') return undefined;
      if (Temporal.Instant.compare(expiresAt, now) <= 0 || Temporal.Instant.compare(lastSeen.add(idle), now) <= 0) return undefined;
      if (now.since(lastSeen).total('seconds') >= TOUCH_AFTER_SECONDS) await repo.touchSession(db, session.id, toDate(now));
      const { facilityIds } = found;
      const actor: ResolvedSession['actor'] = {
        type: 'user',
        id: account.id,
        role: account.role as Role,
        sessionId: session.id,
        facilityIds,
        ...(account.patientId ? { patientId: account.patientId } : {}),
      };
      return { actor, csrfHash: session.csrfHash, expiresAt, idleExpiresAt: now.add(idle) };
    },

    /**
     * Checks a double-submit CSRF token against the session's.
     * @param session - the resolved session
     * @param header - the `x-csrf-token` header
     * @param cookie - the `csrf` cookie
     * @returns true when both match the session's token
     */
    csrfMatches(session: ResolvedSession, header: string | undefined, cookie: string | undefined): boolean {
      if (!header || !cookie || !safeEqual(header, cookie)) return false;
      return safeEqual(hashToken(header), session.csrfHash);
    },

    /**
     * Whether the actor's role may work from this address (Art. 28(1)-(2)); audits a refusal.
     * @param ctx - the request with its resolved actor
     * @throws {AppError} `auth.network_denied`
     */
    async assertNetworkAllowed(ctx: RequestCtx): Promise<void> {
      if (ctx.actor.type !== 'user' || gateway.allows(ctx.actor.role, ctx.ip)) return;
      await audit.recordStandalone(ctx, { action: 'auth.network_denied', outcome: 'denied', subject: { type: 'user_account', id: ctx.actor.id } });
      throw new AppError('auth.network_denied');
    },

    /**
     * The signed-in account.
     * @param ctx - a signed-in user
     * @returns the account with its factors and current session
     * @throws {AppError} `auth.unauthenticated`
     */
    async getMe(ctx: RequestCtx): Promise<Me> {
      const actor = assertUser(ctx);
      const found = await repo.findAccountById(db, actor.id);
      const sessions = found ? await repo.listLiveSessions(db, actor.id, toDate(clock.now()), toDate(clock.now().subtract(idle))) : [];
      const session = sessions.find((s) => s.id === actor.sessionId);
      if (!found || !session) throw new AppError('auth.unauthenticated');
      return loadMe(db, found, session);
    },

    /**
     * The signed-in user's live sessions, most recently used first.
     * @param ctx - a signed-in user
     * @returns sessions, the current one marked
     */
    async listSessions(ctx: RequestCtx): Promise<Session[]> {
      const actor = assertUser(ctx);
      const now = clock.now();
      const rows = await repo.listLiveSessions(db, actor.id, toDate(now), toDate(now.subtract(idle)));
      return rows.map((s) => ({
        id: s.id,
        createdAt: isoOf(s.createdAt),
        lastSeenAt: isoOf(s.lastSeenAt),
        expiresAt: isoOf(s.expiresAt),
        idleExpiresAt: fromDate(s.lastSeenAt).add(idle).toString(),
        ip: s.ip,
        userAgent: s.userAgent,
        mfaMethod: s.mfaMethod,
        current: s.id === actor.sessionId,
      }));
    },

    /**
     * Ends one of the signed-in user's sessions.
     * @param ctx - a signed-in user
     * @param sessionId - the session to end (the current one signs the user out)
     * @throws {NotFoundError} when the session is not theirs or already ended
     */
    async revokeSession(ctx: RequestCtx, sessionId: string): Promise<void> {
      const actor = assertUser(ctx);
      const now = clock.now();
      await withTransaction(db, async (tx) => {
        if (!(await repo.revokeSession(tx, actor.id, sessionId, 'user', toDate(now)))) throw new AppError('resource.not_found', { meta: { kind: 'session' } });
        await audit.record(tx, ctx, { action: 'auth.session_revoked', subject: { type: 'user_session', id: sessionId }, data: { reason: 'user', current: sessionId === actor.sessionId } });
      });
    },

    /**
     * Ends the current session (sign-out). Anonymous callers get the same answer: there is nothing to end.
     * @param ctx - the request
     */
    async logout(ctx: RequestCtx): Promise<void> {
      if (ctx.actor.type !== 'user') return;
      const actor = ctx.actor;
      const now = clock.now();
      await withTransaction(db, async (tx) => {
        if (await repo.revokeSession(tx, actor.id, actor.sessionId, 'logout', toDate(now))) {
          await audit.record(tx, ctx, { action: 'auth.signed_out', subject: { type: 'user_session', id: actor.sessionId } });
        }
      });
    },

    /** The WebAuthn relying party from config (PUBLIC_URL, WEBAUTHN_RP_ID), else from the request host. */
    relyingParty(requestOrigin: string): WebAuthnRp {
      const origin = config.PUBLIC_URL ? new URL(config.PUBLIC_URL).origin : requestOrigin;
      return { origin, rpId: config.WEBAUTHN_RP_ID ?? new URL(origin).hostname };
    },
  };
}
