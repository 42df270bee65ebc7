import { toDate } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import type { Me, UpdateMeBody } from '../../contracts/identity.js';
import { assertUser } from './identity.policy.js';
import type { IdentityCore } from './identity.core.js';
import * as repo from './identity.repo.js';

/**
 * The account holder's own settings: today the language of their e-mail and SMS (docs/notifications.md#texts;
 * `user_account.notification_lang`, migration 0042). Any signed-in role may set its own, no one else's.
 * @param core - the shared identity machinery
 * @param me - reads the signed-in account back (`getMe`, sessions.ts)
 * @returns the use cases
 */
export function createAccountSettingsUseCases(core: IdentityCore, me: { getMe(ctx: RequestCtx): Promise<Me> }) {
  const { db, clock, audit } = core;
  return {
    /**
     * Changes the signed-in account's notification language; audited with the language before and after.
     * Choosing the language the account already has changes nothing and records nothing.
     * @param ctx - a signed-in user
     * @param body - the new notification language
     * @returns the account as `GET /me` answers it
     * @throws {AppError} `auth.unauthenticated` without a session (or when the account is no longer active)
     */
    async updateMe(ctx: RequestCtx, body: UpdateMeBody): Promise<Me> {
      const actor = assertUser(ctx);
      await withTransaction(db, async (tx) => {
        const from = await repo.setNotificationLang(tx, actor.id, body.notificationLang, toDate(clock.now()));
        if (from === undefined) return;
        await audit.record(tx, ctx, {
          action: 'account.notification_lang_changed',
          subject: { type: 'user_account', id: actor.id },
          data: { from: from === 'en' ? 'en' : 'bg', to: body.notificationLang },
        });
      });
      // An inactive account's session no longer resolves, so getMe answers `auth.unauthenticated` for it.
      return me.getMe(ctx);
    },
  };
}
