import { fromDate, toDate, type Clock } from '../../platform/clock.js';
import { mapInOrder, withTransaction, type Db, type Queryable } from '../../platform/db/index.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { AuditData } from '../../contracts/audit-events.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import { systemCtx, type Actor, type RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError, InvalidTransitionError, NotFoundError } from '../../platform/errors/app-error.js';
import type { ChangeStaffEmailBody, CreateStaffAccountBody, StaffAccount, StaffFacilityList, StaffList } from '../../contracts/identity.js';
import type { IdentityService } from './identity.service.js';
import { assertUser, emailContext } from './identity.policy.js';
import { normaliseEmail } from './secrets.js';
import { revokeOtherSessions } from './identity.repo.js';
import * as repo from './staff-accounts.repo.js';

/** What an administrator does to a facility's staff accounts. */
type StaffAction = 'list' | 'create' | 'deactivate' | 'reactivate' | 'reset_mfa' | 'unlock' | 'change_email' | 'resend_activation';

/**
 * Regulatory: the platform operator runs the system but must never reach patient data (Art. 28(3),
 * docs/decisions.md#d13). Creating an account, changing its e-mail, sending activation links,
 * reactivating one or resetting its second factor decide where an account's way in goes, so those stay
 * with the facility's administrators. Listing, unlocking and deactivating (an incident response) cannot.
 */
const OPERATOR_MAY: ReadonlySet<StaffAction> = new Set(['list', 'unlock', 'deactivate']);

/** Refusals recorded as denied audit events (their own transaction: the use case has rolled back). */
const DENIALS: ReadonlySet<string> = new Set(['auth.forbidden', 'resource.not_found', 'account.self_action']);

// Security: staff e-mails are decrypted by identity as a system actor (as at sign-in), so the operator
// can see whom they unlock; a staff e-mail is not patient data.
const identityCtx = systemCtx('identity');

export interface StaffAccountsDeps {
  db: Db;
  clock: Clock;
  keyring: Keyring;
  audit: AuditLog;
  identity: Pick<IdentityService, 'createAccount' | 'issueActivation' | 'noticeStaffChange'>;
}

type UserActor = Extract<Actor, { type: 'user' }>;

/**
 * Whether the actor may do `action` to the staff of `facilityId` (deny by default): a facility
 * administrator for the facilities on their account, the operator for what `OPERATOR_MAY` allows.
 * @throws {AppError} `auth.unauthenticated`, `auth.forbidden`
 */
function assertMayManage(ctx: RequestCtx, facilityId: string, action: StaffAction): UserActor {
  const actor = assertUser(ctx);
  if (actor.role === 'facility_admin' && actor.facilityIds.includes(facilityId)) return actor;
  if (actor.role === 'operator' && OPERATOR_MAY.has(action)) return actor;
  throw new ForbiddenError('Only the facility’s administrators manage its staff accounts');
}

function assertNotSelf(actor: UserActor, accountId: string): void {
  if (actor.id === accountId) throw new AppError('account.self_action', { detail: 'Ask another administrator of the facility' });
}

const instant = (d: Date | string) => fromDate(new Date(d)).toString();

/**
 * Staff accounts of a facility: its administrators list, create, deactivate and reactivate
 * accounts, reset a second factor and end a sign-in lock. Every change and every refusal is audited.
 * @param deps - database, clock, keyring (e-mails), audit and identity (account creation)
 * @returns the staff-accounts service
 */
export function createStaffAccountsService(deps: StaffAccountsDeps) {
  const { db, clock, keyring, audit, identity } = deps;

  async function toStaffAccount(q: Queryable, row: repo.StaffAccountRow): Promise<StaffAccount> {
    const email = (await keyring.decrypt(identityCtx, q, 'registry', row.email_enc, emailContext(row.id))).toString('utf8');
    const practitionerName = row.given_name && row.family_name ? `${row.given_name} ${row.family_name}` : null;
    return {
      id: row.id,
      name: row.display_name ?? practitionerName,
      email,
      role: row.role,
      practitionerId: row.practitioner_id,
      mfaEnrolled: row.mfa_enrolled_at !== null,
      status: row.status !== 'active' ? 'deactivated' : row.locked_until ? 'locked' : 'active',
      lockedUntil: row.locked_until ? instant(row.locked_until) : null,
      lastSignInAt: row.last_sign_in_at ? instant(row.last_sign_in_at) : null,
      createdAt: instant(row.created_at),
    };
  }

  async function staffOr404(q: Queryable, facilityId: string, accountId: string): Promise<repo.StaffAccountRow> {
    const row = await repo.findStaff(q, facilityId, accountId, toDate(clock.now()));
    // Security: another facility's account, a patient's or an unknown id all get the same answer (no IDOR).
    if (!row) throw new NotFoundError('staff_account', accountId);
    return row;
  }

  /** The administrator's changes to an account, each with the same audit data (src/contracts/audit-events.ts). */
  type StaffAuditAction = 'account.email_changed' | 'account.activation_sent' | 'account.deactivated' | 'account.reactivated' | 'account.mfa_reset' | 'account.unlocked';
  type StaffChangeData = Extract<AuditData<'account.deactivated'>, { role: string }>;

  /** Runs a use case; a refusal is recorded as a denied event of `action` before it is rethrown. */
  async function audited<T>(ctx: RequestCtx, action: StaffAuditAction | 'account.staff_listed' | 'account.created', facilityId: string, accountId: string | undefined, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof AppError && DENIALS.has(err.code) && ctx.actor.type === 'user') {
        await audit.recordStandalone(ctx, { action, outcome: 'denied', facilityId, ...(accountId ? { subject: { type: 'user_account', id: accountId } } : {}), data: { code: err.code } });
      }
      throw err;
    }
  }

  /**
   * One administrator action on an existing account: authorise, load it in the facility, change it,
   * audit, and answer with the account as it is now.
   */
  function change(
    action: Exclude<StaffAction, 'list' | 'create'>,
    auditAction: StaffAuditAction,
    opts: { notSelf: boolean },
    apply: (tx: Queryable, row: repo.StaffAccountRow, at: Date, ctx: RequestCtx, facilityId: string) => Promise<Omit<StaffChangeData, 'role'>>,
  ) {
    return (ctx: RequestCtx, facilityId: string, accountId: string): Promise<StaffAccount> =>
      audited(ctx, auditAction, facilityId, accountId, async () => {
        const actor = assertMayManage(ctx, facilityId, action);
        if (opts.notSelf) assertNotSelf(actor, accountId);
        const at = toDate(clock.now());
        return withTransaction(db, async (tx) => {
          const row = await staffOr404(tx, facilityId, accountId);
          const data = await apply(tx, row, at, ctx, facilityId);
          await audit.record(tx, ctx, { action: auditAction, facilityId, subject: { type: 'user_account', id: accountId }, data: { role: row.role, ...data } });
          return toStaffAccount(tx, await staffOr404(tx, facilityId, accountId));
        });
      });
  }

  /** Ends every session and spends every pending sign-in token of the account. */
  async function cutOff(tx: Queryable, accountId: string, reason: 'deactivated' | 'mfa_reset' | 'email_changed', at: Date): Promise<number> {
    await repo.spendLiveChallenges(tx, accountId, at);
    return revokeOtherSessions(tx, accountId, null, reason, at);
  }

  /** Clears the password and every second factor and ends the sessions: only a new activation gets in. */
  async function clearWayIn(tx: Queryable, accountId: string, reason: 'mfa_reset' | 'email_changed', at: Date): Promise<number> {
    await repo.removeSecondFactors(tx, accountId, at);
    await repo.clearPassword(tx, accountId, at);
    return cutOff(tx, accountId, reason, at);
  }

  return {
    /**
     * Facilities whose staff the caller may manage, and what the caller may do there.
     * @param ctx - a facility administrator or the operator
     * @returns the facilities and the caller's permissions
     * @throws {AppError} `auth.unauthenticated`, `auth.forbidden`
     */
    async listFacilities(ctx: RequestCtx): Promise<StaffFacilityList> {
      const actor = assertUser(ctx);
      if (actor.role !== 'facility_admin' && actor.role !== 'operator') throw new ForbiddenError('Only facility administrators and the operator manage staff accounts');
      const admin = actor.role === 'facility_admin';
      const items = await repo.listFacilities(db, admin ? actor.facilityIds : undefined);
      return { items, can: { create: admin, reactivate: admin, resetMfa: admin } };
    },

    /**
     * The facility's staff accounts (administrators, coordinators, specialists) and the specialists who
     * have no account yet. The read is audited: it shows staff e-mail addresses.
     * @param ctx - an administrator of the facility, or the operator
     * @param facilityId - the facility
     * @returns accounts and unlinked practitioners
     * @throws {AppError} `auth.unauthenticated`, `auth.forbidden`
     */
    listStaff(ctx: RequestCtx, facilityId: string): Promise<StaffList> {
      return audited(ctx, 'account.staff_listed', facilityId, undefined, async () => {
        assertMayManage(ctx, facilityId, 'list');
        const now = toDate(clock.now());
        return withTransaction(db, async (tx) => {
          const rows = await repo.listStaff(tx, facilityId, now);
          const items = await mapInOrder(rows, (row) => toStaffAccount(tx, row));
          const unlinked = await repo.listUnlinkedPractitioners(tx, facilityId);
          await audit.record(tx, ctx, { action: 'account.staff_listed', facilityId, subject: { type: 'facility', id: facilityId }, data: { count: items.length } });
          return { items, unlinkedPractitioners: unlinked.map((p) => ({ id: p.id, name: `${p.given_name} ${p.family_name}` })) };
        });
      });
    },

    /**
     * The first administrator of a facility, created on the server's command line
     * (`distansia accounts create-admin`). Whoever runs it already holds the database and the key
     * files; still, nobody but the person chooses the password: the account gets an activation link at
     * its e-mail like any staff account. Refused once the facility has an active administrator: from
     * then on its administrators create accounts themselves. The operator role cannot do it (OPERATOR_MAY).
     * @param ctx - a system context (the CLI)
     * @param facilityId - the facility
     * @param body - e-mail and display name
     * @returns the new account
     * @throws {AppError} `auth.forbidden` (not the CLI), `resource.not_found`, `resource.conflict`
     */
    async createFirstAdministrator(ctx: RequestCtx, facilityId: string, body: { email: string; displayName: string }): Promise<StaffAccount> {
      if (ctx.actor.type !== 'system') throw new ForbiddenError('The first administrator is created on the server’s command line');
      return withTransaction(db, async (tx) => {
        const [facility] = await repo.listFacilities(tx, [facilityId]);
        if (!facility) throw new NotFoundError('facility', facilityId);
        const staff = await repo.listStaff(tx, facilityId, toDate(clock.now()));
        if (staff.some((r) => r.role === 'facility_admin' && r.status === 'active')) {
          throw new AppError('resource.conflict', { detail: 'The facility already has an administrator, who creates further accounts at /admin/staff' });
        }
        const id = await identity.createAccount(tx, ctx, { ...body, role: 'facility_admin', facilityIds: [facilityId], actingFacilityId: facilityId });
        await identity.issueActivation(tx, ctx, id, { reason: 'created', facilityId });
        return toStaffAccount(tx, await staffOr404(tx, facilityId, id));
      });
    },

    /**
     * Creates a staff account of the facility without a password: the person gets a single-use
     * activation link (72 h) at the account's e-mail and sets the password and the second factor
     * themselves, so the administrator never knows a way in (Art. 28(2)-(3); docs/identity.md). The
     * facility's other administrators are told.
     * @param ctx - an administrator of the facility
     * @param facilityId - the facility the account works for
     * @param body - role, e-mail, and the practitioner (specialist) or a display name
     * @returns the new account
     * @throws {AppError} `auth.forbidden`, `resource.conflict` (e-mail or practitioner already has an
     *   account), `account.practitioner_not_in_facility`
     */
    createStaffAccount(ctx: RequestCtx, facilityId: string, body: CreateStaffAccountBody): Promise<StaffAccount> {
      return audited(ctx, 'account.created', facilityId, undefined, async () => {
        const actor = assertMayManage(ctx, facilityId, 'create');
        return withTransaction(db, async (tx) => {
          const base = { email: body.email, role: body.role, actingFacilityId: facilityId };
          let id: string;
          if (body.role === 'specialist') {
            const practitioner = await repo.practitionerAtFacility(tx, facilityId, body.practitionerId);
            if (!practitioner) {
              throw new AppError('account.practitioner_not_in_facility', { errors: [{ in: 'body', pointer: '#/practitionerId', detail: 'not_in_facility' }] });
            }
            if (practitioner.has_account) {
              throw new AppError('resource.conflict', { detail: 'This specialist already has an account', errors: [{ in: 'body', pointer: '#/practitionerId', detail: 'taken' }] });
            }
            id = await identity.createAccount(tx, ctx, { ...base, practitionerId: body.practitionerId });
          } else {
            id = await identity.createAccount(tx, ctx, { ...base, displayName: body.displayName, facilityIds: [facilityId] });
          }
          await identity.issueActivation(tx, ctx, id, { reason: 'created', facilityId });
          await identity.noticeStaffChange(tx, 'created', id, actor.id, [facilityId]);
          return toStaffAccount(tx, await staffOr404(tx, facilityId, id));
        });
      });
    },

    /**
     * Changes a staff account's e-mail. The way in follows the address, so the password and second
     * factors are cleared, sessions end, and a new activation link goes to the new address; the
     * facility's other administrators are told.
     * @param ctx - an administrator of the facility
     * @param facilityId - the facility the account works for
     * @param accountId - the account (not the caller's own)
     * @param body - the new e-mail
     * @returns the account
     * @throws {AppError} `auth.forbidden`, `resource.not_found`, `account.self_action`, `resource.conflict` (e-mail taken)
     */
    changeStaffEmail(ctx: RequestCtx, facilityId: string, accountId: string, body: ChangeStaffEmailBody): Promise<StaffAccount> {
      return change('change_email', 'account.email_changed', { notSelf: true }, async (tx, row, at, c, f) => {
        const email = normaliseEmail(body.email);
        const emailIndex = await keyring.blindIndex('registry', email);
        if (emailIndex !== row.email_index && (await repo.emailIndexTaken(tx, emailIndex))) {
          throw new AppError('resource.conflict', { detail: 'An account with this e-mail exists', errors: [{ in: 'body', pointer: '#/email', detail: 'taken' }] });
        }
        await repo.setEmail(tx, row.id, emailIndex, await keyring.encrypt(tx, 'registry', email, emailContext(row.id)), at);
        const sessionsEnded = await clearWayIn(tx, row.id, 'email_changed', at);
        await identity.issueActivation(tx, c, row.id, { reason: 'email_changed', facilityId: f });
        await identity.noticeStaffChange(tx, 'email_changed', row.id, c.actor.type === 'user' ? c.actor.id : null, [f]);
        return { sessionsEnded };
      })(ctx, facilityId, accountId);
    },

    /**
     * Sends a new activation link to an account that has not activated (or lost its link); earlier
     * links stop working. An account that is already active keeps its password and factors.
     * @param ctx - an administrator of the facility
     * @param facilityId - the facility the account works for
     * @param accountId - the account
     * @returns the account
     * @throws {AppError} `auth.forbidden`, `resource.not_found`, `state.bad_transition` when it is already activated
     */
    resendActivation: change('resend_activation', 'account.activation_sent', { notSelf: true }, async (tx, row, _at, c, f) => {
      if (row.mfa_enrolled_at !== null) throw new AppError('state.bad_transition', { detail: 'The account is already activated; reset its second factor to send a new link' });
      await identity.issueActivation(tx, c, row.id, { reason: 'resent', facilityId: f });
      return {};
    }),

    /**
     * Deactivates an account: it can no longer sign in, and its sessions end now.
     * @param ctx - an administrator of the facility, or the operator
     * @param facilityId - the facility the account works for
     * @param accountId - the account (not the caller's own)
     * @returns the account
     * @throws {AppError} `auth.forbidden`, `resource.not_found`, `account.self_action`, `state.bad_transition`
     */
    deactivateStaffAccount: change('deactivate', 'account.deactivated', { notSelf: true }, async (tx, row, at) => {
      if (!(await repo.setAccountStatus(tx, row.id, 'active', 'disabled', at))) throw new InvalidTransitionError('deactivated', 'deactivated');
      return { sessionsEnded: await cutOff(tx, row.id, 'deactivated', at) };
    }),

    /**
     * Lets a deactivated account sign in again (with its password and second factor as before).
     * @param ctx - an administrator of the facility
     * @param facilityId - the facility the account works for
     * @param accountId - the account
     * @returns the account
     * @throws {AppError} `auth.forbidden`, `resource.not_found`, `state.bad_transition`
     */
    reactivateStaffAccount: change('reactivate', 'account.reactivated', { notSelf: false }, async (tx, row, at) => {
      if (!(await repo.setAccountStatus(tx, row.id, 'disabled', 'active', at))) throw new InvalidTransitionError('active', 'active');
      return {};
    }),

    /**
     * A lost phone: removes the account's second factors (authenticator, recovery codes, passkeys) and
     * its password, ends its sessions, and sends the person a new activation link. Nobody gets in with
     * the old password, the administrator included; the facility's other administrators are told.
     * @param ctx - an administrator of the facility
     * @param facilityId - the facility the account works for
     * @param accountId - the account (not the caller's own)
     * @returns the account
     * @throws {AppError} `auth.forbidden`, `resource.not_found`, `account.self_action`
     */
    resetStaffMfa: change('reset_mfa', 'account.mfa_reset', { notSelf: true }, async (tx, row, at, c, f) => {
      const sessionsEnded = await clearWayIn(tx, row.id, 'mfa_reset', at);
      await identity.issueActivation(tx, c, row.id, { reason: 'mfa_reset', facilityId: f });
      await identity.noticeStaffChange(tx, 'mfa_reset', row.id, c.actor.type === 'user' ? c.actor.id : null, [f]);
      return { wasEnrolled: row.mfa_enrolled_at !== null, sessionsEnded };
    }),

    /**
     * Ends the account's sign-in lock now; the failures that caused it no longer count.
     * @param ctx - an administrator of the facility, or the operator
     * @param facilityId - the facility the account works for
     * @param accountId - the account
     * @returns the account
     * @throws {AppError} `auth.forbidden`, `resource.not_found`, `state.bad_transition` when it is not locked
     */
    unlockStaffAccount: change('unlock', 'account.unlocked', { notSelf: false }, async (tx, row, at) => {
      if (!(await repo.endLock(tx, row.email_index, at))) throw new AppError('state.bad_transition', { detail: 'The account is not locked' });
      return {};
    }),
  };
}

export type StaffAccountsService = ReturnType<typeof createStaffAccountsService>;
