import { fromDate, type Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import type { Db } from '../../platform/db/index.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { Outbox } from '../../platform/outbox/outbox.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError } from '../../platform/errors/app-error.js';
import type { PatientLookup } from './patient-lookup.js';
import type { AccessPolicy } from './access-policy.js';

/** What the access use cases need; one object, built in `composition.ts` (STYLE C6). */
export interface AccessDeps {
  db: Db;
  clock: Clock;
  ids: IdGen;
  keyring: Keyring;
  audit: AuditLog;
  policy: AccessPolicy;
  patients: PatientLookup;
  /** Opening and closing a supervision case is told to the facility and the patient after commit. */
  outbox?: Outbox;
}

export type UserActor = Extract<RequestCtx['actor'], { type: 'user' }>;

// Keyring contexts of the encrypted free-text columns (migrations/0005_access.sql).
export const purposeContext = (grantId: string) => `access_grant:${grantId}:purpose`;
export const documentRefContext = (linkId: string) => `representative_link:${linkId}:document_ref`;
export const reasonContext = (caseId: string) => `supervision_case:${caseId}:reason`;
export const emailContext = (accountId: string) => `account:${accountId}:email`;

/** Same normalisation as the identity module's e-mail blind index (trim, NFC, lower case). */
export const normaliseEmail = (email: string) => email.trim().normalize('NFC').toLowerCase();

export const iso = (d: Date) => fromDate(d).toString();
export const isoOrNull = (d: Date | null) => (d ? iso(d) : null);

/**
 * @param ctx - the request context
 * @returns the signed-in user
 * @throws {AppError} `auth.unauthenticated` for anonymous callers, `auth.forbidden` for system actors
 */
export function requireUser(ctx: RequestCtx): UserActor {
  if (ctx.actor.type === 'anonymous') throw new AppError('auth.unauthenticated', { detail: 'Sign in first' });
  if (ctx.actor.type !== 'user') throw new ForbiddenError('Only a signed-in user may do this');
  return ctx.actor;
}

/** `request.invalid` for an end that is not in the future. */
export const endNotInFuture = () =>
  new AppError('request.invalid', { detail: 'The end must be in the future', errors: [{ in: 'body', pointer: '#/validUntil', detail: 'must be in the future' }] });
