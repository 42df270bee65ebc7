import { fromDate } from '../../platform/clock.js';
import type { Queryable } from '../../platform/db/index.js';
import type { AuditEntry, AuditLog } from '../../platform/audit/audit-log.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { facilityScope, type Keyring } from '../../platform/crypto/keyring.js';
import { AppError, ForbiddenError } from '../../platform/errors/app-error.js';
import * as repo from './consultation.repo.js';

// What every consultation use case shares: who the actor is, whether they take part, the audit of
// refusals, and the subject of audit rows. Split from consultation.service.ts so the file, message,
// recording and quality use cases each live in their own file.

// Tricky: timestamps come back as Date from node-postgres and as strings through some raw-SQL paths.
export const asDate = (d: Date | string) => (d instanceof Date ? d : new Date(d));
export const iso = (d: Date | string) => fromDate(asDate(d)).toString();
export const isoOrNull = (d: Date | string | null) => (d ? iso(d) : null);

/** The one error for "finished": chat, files and calls close with the service. */
export const finishedError = () => new AppError('consultation.finished');

/** The signed-in account, or 401. */
export function actorId(ctx: RequestCtx): string {
  if (ctx.actor.type !== 'user') throw new AppError('auth.unauthenticated');
  return ctx.actor.id;
}

/** An entry without its outcome, action by action (Omit over the whole union would merge the actions). */
type GuardEntry = AuditEntry extends infer E ? (E extends unknown ? Omit<E, 'outcome'> : never) : never;

/**
 * The shared checks of the consultation use cases.
 * @param deps - the audit log and the keyring
 * @returns guard, participantOf, subject, base and decryptText
 */
export function createConsultationAccess(deps: { audit: AuditLog; keyring: Keyring }) {
  const { audit, keyring } = deps;

  /** Records a refusal after the use case's transaction rolled back (STYLE C13), then rethrows. */
  async function guard<T>(ctx: RequestCtx, entry: GuardEntry, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof AppError && err.code === 'auth.forbidden') {
        // The catalogue allows the code beside what was known (`refusable` in src/contracts/audit-events.ts).
        await audit.recordStandalone(ctx, { ...entry, outcome: 'denied', data: { ...(entry.data as object | undefined), code: err.code } } as AuditEntry);
      }
      throw err;
    }
  }

  /**
   * Loads the actor's participation, then the consultation. Security: authorisation before existence:
   * a consultation that does not exist and one the actor takes no part in get the same 403, so an id
   * reveals nothing to a non-participant (docs/security-input.md).
   */
  async function participantOf(q: Queryable, ctx: RequestCtx, id: string): Promise<{ c: repo.ConsultationRow; me: repo.ParticipantRow }> {
    const accountId = actorId(ctx);
    const me = await repo.findParticipant(q, id, accountId);
    const c = me ? await repo.findConsultation(q, id) : undefined;
    if (!me || !c) throw new ForbiddenError('Only the participants of a consultation may take part in it');
    return { c, me };
  }

  const subject = (id: string) => ({ type: 'consultation', id });
  const base = (c: repo.ConsultationRow) => ({ subject: subject(c.id), patientId: c.patient_id ?? undefined, facilityId: c.facility_id, reason: `request:${c.request_id}` });

  async function decryptText(ctx: RequestCtx, q: Queryable, c: repo.ConsultationRow, env: Buffer, context: string): Promise<string> {
    return (await keyring.decrypt(ctx, q, facilityScope(c.facility_id), env, context)).toString('utf8');
  }

  return { guard, participantOf, subject, base, decryptText };
}

export type ConsultationAccess = ReturnType<typeof createConsultationAccess>;
