import type { IdentityDeps } from './identity.policy.js';
import { createIdentityCore } from './identity.core.js';
import { createSignInUseCases } from './sign-in.js';
import { createEnrolmentUseCases } from './enrolment.js';
import { createPasswordUseCases } from './passwords.js';
import { createSessionUseCases } from './sessions.js';
import { createActivationUseCases } from './activation.js';
import { createEmailConfirmationUseCases } from './email-confirmation.js';
import { createCalendarFeedUseCases } from './calendar-feed.js';
import { createAccountSettingsUseCases } from './account-settings.js';

/**
 * Accounts, second factors, sessions and staff activation (docs/identity.md). One file per use-case
 * group; this composes them into the one service the routes and other modules use.
 * @param deps - database, clock, ids, keyring, audit, outbox and the identity settings
 * @returns the identity service
 */
export function createIdentityService(deps: IdentityDeps) {
  const core = createIdentityCore(deps);
  const enrolment = createEnrolmentUseCases(core);
  const sessions = createSessionUseCases(core);
  return {
    ...createSignInUseCases(core),
    ...enrolment,
    ...createPasswordUseCases(core, enrolment),
    ...sessions,
    ...createAccountSettingsUseCases(core, sessions),
    ...createActivationUseCases(core),
    ...createEmailConfirmationUseCases(core),
    ...createCalendarFeedUseCases(core),
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
