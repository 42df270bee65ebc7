import { createHash } from 'node:crypto';
import { fromDate, type Clock, type Temporal } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import type pg from 'pg';
import type { Db, Tx } from '../../platform/db/index.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { Outbox } from '../../platform/outbox/outbox.js';
import { systemCtx, type Actor, type RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError } from '../../platform/errors/app-error.js';
import type { CreateRequestBodySchema } from '../../contracts/requests.js';
import type { AccessPolicy, AccessService } from '../access/index.js';
import type { AdmissibilityService } from '../consent/index.js';
import type { NotificationsService } from '../notifications/index.js';
import type { InsuranceService } from '../insurance/index.js';
import type { PatientsService } from '../patients/index.js';

// What the requests use cases share: their dependencies, keyring contexts, small helpers.

export type UserActor = Extract<Actor, { type: 'user' }>;

/** The parsed request form (defaults applied). */
export type ParsedCreateRequest = ReturnType<typeof CreateRequestBodySchema.parse>;

// Keyring contexts (migrations/0007_requests.sql); scope is always the providing facility.
export const formContext = (requestId: string) => `request:${requestId}:intake`;
export const reasonContext = (eventId: string) => `request_event:${eventId}:reason`;
export const attachmentContext = (requestId: string, attachmentId: string, part: 'name' | 'content') => `request:${requestId}:attachment:${attachmentId}:${part}`;

export const iso = (d: Date) => fromDate(d).toString();
export const isoOrNull = (d: Date | null) => (d ? iso(d) : null);
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

// Security: outbox handlers read contact data and the form as a system actor; never logged.
export const workerCtx = systemCtx('requests.worker');

export function requireUser(ctx: RequestCtx): UserActor {
  if (ctx.actor.type === 'anonymous') throw new AppError('auth.unauthenticated');
  if (ctx.actor.type !== 'user') throw new ForbiddenError('Only a signed-in user may do this');
  return ctx.actor;
}

export function slotTaken(detail = 'That time was booked by someone else first'): AppError {
  return new AppError('appointment.slot_taken', { detail, errors: [{ in: 'body', pointer: '#/slotId', detail: 'taken' }] });
}

export function invalid(pointer: string, detail: string): AppError {
  return new AppError('request.invalid', { detail, errors: [{ in: 'body', pointer, detail }] });
}

/** A stable hash of what was asked, so a reused idempotency key with another body is refused. */
export function bodyHash(body: unknown): string {
  const canon = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canon);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, canon(x)]));
    return v;
  };
  return createHash('sha256').update(JSON.stringify(canon(body))).digest('hex');
}

export interface RequestsDeps {
  db: Db;
  /** The pool behind `db`: the booking runs as one named statement on one of its connections (repo.bookSlot). */
  pool: Pick<pg.Pool, 'connect'>;
  clock: Clock;
  ids: IdGen;
  keyring: Keyring;
  audit: AuditLog;
  outbox: Outbox;
  policy: AccessPolicy;
  access: AccessService;
  notifications: NotificationsService;
  /** Patients registry: the patient banner's demographics and the audited identifier reveal. */
  patients: Pick<PatientsService, 'readForRequestIn' | 'revealIdentifierIn'>;
  /** Consent module: the Art. 7 decision recorded with accept/decline, and the gates checked at `start`. */
  admissibility: Pick<AdmissibilityService, 'recordDecision' | 'assertServiceMayStart' | 'guardDecision'>;
  /**
   * Records module: completing a service starts its Art. 17 documentation deadline, and a request is
   * documented only with the signed sheet or written consultation (R-TM-40/41).
   */
  documentation: {
    startDeadline(q: Tx, ctx: RequestCtx, requestId: string, completedAt: Temporal.Instant): Promise<unknown>;
    assertCanClose(q: Tx, requestId: string): Promise<void>;
  };
  /** Insurance module: who pays for a patient's planned booking (R-PC-13, R-INS-01); absent in tests that do not wire it. */
  payment?: Pick<InsuranceService, 'enforceBookingPayment' | 'recordBookingPayment'>;
  /**
   * Referrals module: an NHIF-paid specialist booking takes the patient's referral once (W14), given back
   * when the booking fails or the request ends before the visit; absent in tests that do not wire it.
   */
  referrals?: BookingReferrals;
}

/** The referrals module's booking port (late-bound in composition: referrals is built after requests). */
export interface BookingReferrals {
  reserveForBooking(ctx: RequestCtx, q: { nrn?: string | undefined; patientId: string; serviceId: string; slotId?: string | undefined; payer: 'nhif' | 'patient' | 'foreign_insurer' | null; requestId: string }): Promise<{ referralId: string } | null>;
  releaseForRequest(ctx: RequestCtx, requestId: string): Promise<void>;
  releaseForRequestIn(q: Tx, ctx: RequestCtx, requestId: string): Promise<void>;
}
