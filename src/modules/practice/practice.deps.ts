import type { Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import { mapInOrder, withTransaction, type Db, type Queryable, type Tx } from '../../platform/db/index.js';
import { facilityScope, type Keyring } from '../../platform/crypto/keyring.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import type { WorkingCalendar } from '../../platform/calendar.js';
import { AppError, ForbiddenError } from '../../platform/errors/app-error.js';
import type { ErrorCode } from '../../platform/errors/catalog.js';
import type { AccessPolicy } from '../access/index.js';
import type { PatientsService } from '../patients/index.js';
import type { InsuranceService } from '../insurance/index.js';
import type { EncountersService } from '../encounters/index.js';
import { assertUser } from '../identity/index.js';
import type { readIssuedReferralsIn } from '../referrals/index.js';
import type { PaymentProvider } from './payment-provider.js';
import type { Outbox } from '../../platform/outbox/outbox.js';

export interface PracticeDeps {
  db: Db;
  clock: Clock;
  ids: IdGen;
  keyring: Keyring;
  audit: AuditLog;
  policy: AccessPolicy;
  patients: Pick<PatientsService, 'readPatientIn' | 'birthDatesForPlanIn'>;
  /** The plan's reminders (W20) are outbox messages, sent after commit at their hour. */
  outbox: Pick<Outbox, 'enqueue'>;
  insurance: Pick<InsuranceService, 'checkInsuranceStatus'>;
  // The one place this module uses encounters (docs/practice.md): visits and phone calls are encounters.
  encounters: Pick<EncountersService, 'recordVisitIn'>;
  payments: PaymentProvider;
  // The monthly report counts the practice's referrals through the referrals module's port.
  referrals: { readIssuedReferralsIn: typeof readIssuedReferralsIn };
  calendar: WorkingCalendar;
  /** The platform's zone (Europe/Sofia): visit days and report months are local. */
  zone: string;
}

/** Roles that work at a practice's desk or surgery. */
const STAFF = new Set(['specialist', 'coordinator', 'facility_admin']);

/**
 * The actor works at this practice (deny by default); a denial is recorded at once.
 * @param roles - the roles allowed, staff by default
 * @returns the user actor
 * @throws {ForbiddenError} for anyone else
 */
export async function assertPracticeStaff(deps: Pick<PracticeDeps, 'audit'>, ctx: RequestCtx, facilityId: string, roles: ReadonlySet<string> = STAFF) {
  const actor = assertUser(ctx);
  if (roles.has(actor.role) && actor.facilityIds.includes(facilityId)) return actor;
  await deps.audit.recordStandalone(ctx, { action: 'access.denied', outcome: 'denied', facilityId, subject: { type: 'facility', id: facilityId }, data: { purpose: 'practice', why: 'not_practice_staff' } });
  throw new ForbiddenError('Only the practice’s staff may do this');
}

/**
 * A refusal by a practice rule: the problem names the rule (STYLE C4).
 * @returns the error to throw
 */
export function ruleRefusal(code: ErrorCode, rule: string, detail?: string): AppError {
  return new AppError(code, { detail: detail ?? `Refused by ${rule}`, meta: { rule } });
}

/**
 * A patient's own records at practices (document requests, data-subject requests): access-checked for the
 * patient or a representative, limited to a facility scope, audited with the count.
 * @returns the records in wire form
 */
export function listPatientRecords<R extends { facility_id: string }, W>(
  deps: Pick<PracticeDeps, 'db' | 'policy' | 'audit'>,
  ctx: RequestCtx,
  patientId: string,
  action: 'practice.document_requests_read' | 'practice.subject_requests_read',
  load: (tx: Tx) => Promise<R[]>,
  wire: (tx: Tx, row: R) => Promise<W>,
): Promise<{ items: W[] }> {
  return deps.policy.guard(ctx, () =>
    withTransaction(deps.db, async (tx) => {
      const access = await deps.policy.assertCanReadPatient(ctx, tx, patientId, 'demographics');
      let rows = await load(tx);
      if (access.facilityScope) rows = rows.filter((r) => access.facilityScope?.includes(r.facility_id));
      await deps.audit.record(tx, ctx, { action, patientId, subject: { type: 'patient', id: patientId }, reason: access.reason, ...(access.onBehalfOf ? { onBehalfOf: access.onBehalfOf } : {}), data: { count: rows.length } });
      return { items: await mapInOrder(rows, (r) => wire(tx, r)) };
    }),
  );
}

/** Encrypts practice data (names, topics, complaints) with the practice's key. */
export function sealFor(deps: Pick<PracticeDeps, 'keyring'>, q: Queryable, facilityId: string, value: unknown, context: string): Promise<Buffer> {
  return deps.keyring.encryptJson(q, facilityScope(facilityId), value, context);
}

/** Decrypts practice data. */
export function openFor<T>(deps: Pick<PracticeDeps, 'keyring'>, ctx: RequestCtx, q: Queryable, facilityId: string, sealed: Buffer, context: string): Promise<T> {
  return deps.keyring.decryptJson<T>(ctx, q, facilityScope(facilityId), sealed, context);
}
