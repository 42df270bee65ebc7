import { toDate, type Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import type { Queryable } from '../../platform/db/index.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { newTotpSecret } from './totp.js';
import { generateRecoveryCode, hashToken, RECOVERY_CODE_COUNT } from './secrets.js';
import { totpContext } from './identity.policy.js';
import * as identityRepo from './identity.repo.js';

/**
 * Enrols a confirmed TOTP authenticator and recovery codes for an account without the interactive
 * steps: demo data (demo-accounts.json carries the secret), test worlds and benchmarks only. It is a
 * plain function outside the identity service on purpose, and the lint forbids it to every other
 * module and the application (eslint.config.js), so no production code path can skip the proof of the
 * second factor.
 * @param deps - clock, ids, keyring and audit of the composition root
 * @param q - the seeding transaction
 * @param ctx - the seeding context (audited)
 * @param accountId - the account
 * @returns the base32 secret and the recovery codes
 */
export async function seedConfirmedTotp(
  deps: { clock: Clock; ids: IdGen; keyring: Keyring; audit: AuditLog },
  q: Queryable,
  ctx: RequestCtx,
  accountId: string,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const now = toDate(deps.clock.now());
  const secret = newTotpSecret();
  await identityRepo.upsertPendingTotp(q, accountId, await deps.keyring.encrypt(q, 'registry', secret, totpContext(accountId)), now);
  await identityRepo.confirmTotp(q, accountId, now);
  await identityRepo.markMfaEnrolled(q, accountId, now);
  const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode);
  await identityRepo.replaceRecoveryCodes(q, accountId, recoveryCodes.map((c) => ({ id: deps.ids.uuid(), codeHash: hashToken(c) })), now);
  await deps.audit.record(q, ctx, { action: 'auth.mfa_enrolled', subject: { type: 'user_account', id: accountId }, data: { method: 'totp' } });
  return { secret, recoveryCodes };
}
