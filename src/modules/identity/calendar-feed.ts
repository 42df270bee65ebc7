import { toDate } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import type { Actor, RequestCtx } from '../../platform/auth/request-context.js';
import type { Role } from '../../contracts/identity.js';
import { assertUser, isoOf } from './identity.policy.js';
import { hashToken } from './secrets.js';
import type { IdentityCore } from './identity.core.js';
import * as repo from './identity.repo.js';

/**
 * The private calendar feed of an account (docs/registration.md#calendar): a secret URL a calendar
 * application polls. Only the token's SHA-256 is stored, so the URL is shown once; a new one revokes the old.
 * @param core - the shared identity machinery
 * @returns the use cases
 */
export function createCalendarFeedUseCases(core: IdentityCore) {
  const { db, clock, ids, audit } = core;
  return {
    /**
     * Creates (or replaces) the signed-in account's feed token.
     * @param ctx - a signed-in user
     * @returns the token (shown once) and when it was made
     */
    async createCalendarFeed(ctx: RequestCtx): Promise<{ token: string; createdAt: string }> {
      const actor = assertUser(ctx);
      const now = toDate(clock.now());
      const token = ids.token(32);
      await withTransaction(db, async (tx) => {
        await repo.replaceCalendarFeed(tx, actor.id, hashToken(token), now);
        await audit.record(tx, ctx, { action: 'calendar.feed_created', subject: { type: 'user_account', id: actor.id } });
      });
      return { token, createdAt: isoOf(now) };
    },

    /**
     * Revokes the signed-in account's feed: the URL stops answering at once.
     * @param ctx - a signed-in user
     * @returns whether there was one
     */
    async revokeCalendarFeed(ctx: RequestCtx): Promise<boolean> {
      const actor = assertUser(ctx);
      return withTransaction(db, async (tx) => {
        const had = await repo.deleteCalendarFeed(tx, actor.id);
        if (had) await audit.record(tx, ctx, { action: 'calendar.feed_revoked', subject: { type: 'user_account', id: actor.id } });
        return had;
      });
    },

    /**
     * Whether the signed-in account has a live feed (the URL itself cannot be shown again).
     * @param ctx - a signed-in user
     * @returns since when, or null
     */
    async calendarFeedStatus(ctx: RequestCtx): Promise<{ createdAt: string | null }> {
      const actor = assertUser(ctx);
      const row = await repo.findCalendarFeed(db, actor.id);
      return { createdAt: row ? isoOf(row.createdAt) : null };
    },

    /**
     * The account a feed token belongs to, as the actor the feed is read for (no session: the feed reads
     * only the account's own appointments through the same access policy).
     * @param token - from the URL
     * @returns the actor, or undefined for an unknown or revoked token or an inactive account
     */
    async actorOfCalendarFeed(token: string): Promise<Extract<Actor, { type: 'user' }> | undefined> {
      if (token.length < 20 || token.length > 200) return undefined;
      const account = await repo.accountOfCalendarToken(db, hashToken(token));
      if (!account || account.status !== 'active') return undefined;
      const facilityIds = await repo.facilityIdsOf(db, account.id);
      return { type: 'user', id: account.id, role: account.role as Role, sessionId: `calendar-feed:${account.id}`, facilityIds, ...(account.patientId ? { patientId: account.patientId } : {}) };
    },
  };
}
