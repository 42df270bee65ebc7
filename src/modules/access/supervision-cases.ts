import { toDate } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import type { OutboxMessage } from '../../platform/outbox/outbox.js';
import { ForbiddenError, InvalidTransitionError, NotFoundError } from '../../platform/errors/app-error.js';
import type { OpenSupervisionCaseBody, SupervisionCase, SupervisionCaseList } from '../../contracts/access.js';
import type { Delivery } from '../notifications/index.js';
import { iso, isoOrNull, reasonContext, requireUser, type AccessDeps, type UserActor } from './access-shared.js';
import * as repo from './access.repo.js';

/** Outbox message type: tell the facility's administrators and the patient that a case opened or closed. */
export const SUPERVISION_NOTIFY = 'access.supervision_notify';

const caseView = (c: repo.SupervisionCaseRow): SupervisionCase => ({
  id: c.id,
  facilityId: c.facilityId,
  patientId: c.patientId,
  legalBasis: c.legalBasis,
  openedAt: iso(c.openedAt),
  closedAt: isoOrNull(c.closedAt),
});

function requireSupervisor(ctx: RequestCtx, what: string): UserActor {
  const actor = requireUser(ctx);
  if (actor.role !== 'supervisor') throw new ForbiddenError(`Only the supervisory agency ${what} supervision cases`);
  return actor;
}

/**
 * Supervision cases (Art. 21, R-TM-22; docs/access.md "Supervision"). A case names the facility inspected
 * and its legal basis; while open it lets the supervisor read what that facility recorded about the
 * patients it cared for, and nothing else. Opening and closing are audited and told to the facility's
 * administrators and to the patient.
 * @param deps - the access dependencies
 * @returns the supervision use cases
 */
export function createSupervisionUseCases(deps: AccessDeps) {
  const { db, clock, ids, keyring, audit } = deps;

  return {
    /**
     * Opens a supervision case.
     * @param ctx - a supervisor
     * @param body - facility, legal basis (inspection order), optional patient, reason
     * @returns the case
     * @throws {ForbiddenError} unless the actor is a supervisor
     * @throws {NotFoundError} unknown facility; a patient the facility never cared for (the same answer
     *   as an unknown patient: a case cannot reach care given elsewhere)
     */
    async openSupervisionCase(ctx: RequestCtx, body: OpenSupervisionCaseBody): Promise<SupervisionCase> {
      const actor = requireSupervisor(ctx, 'opens');
      return withTransaction(db, async (tx) => {
        if (!(await repo.facilityExists(tx, body.facilityId))) throw new NotFoundError('facility', body.facilityId);
        // Regulatory: Art. 21 — the case reaches only the care given at the facility it names.
        if (body.patientId && !(await repo.facilityCaredFor(tx, body.facilityId, body.patientId))) throw new NotFoundError('patient', body.patientId);
        const id = ids.uuid();
        await repo.insertSupervisionCase(tx, {
          id,
          facilityId: body.facilityId,
          patientId: body.patientId ?? null,
          openedBy: actor.id,
          legalBasis: body.legalBasis,
          reasonEnc: await keyring.encrypt(tx, 'registry', body.reason, reasonContext(id)),
          openedAt: toDate(clock.now()),
        });
        await audit.record(tx, ctx, {
          action: 'supervision.case_opened',
          facilityId: body.facilityId,
          ...(body.patientId ? { patientId: body.patientId } : {}),
          subject: { type: 'supervision_case', id },
          reason: `supervision_case:${id}`,
          data: { legalBasis: body.legalBasis },
        });
        await deps.outbox?.enqueue(tx, SUPERVISION_NOTIFY, { caseId: id, event: 'opened' });
        const row = await repo.findSupervisionCase(tx, id);
        if (!row) throw new NotFoundError('supervision_case', id);
        return caseView(row);
      });
    },

    /**
     * Closes a supervision case; patient data closes to the supervisor again.
     * @param ctx - the supervisor who opened it
     * @param caseId - which case
     * @returns the closed case
     * @throws {ForbiddenError} not a supervisor; {NotFoundError} unknown or someone else's case; {InvalidTransitionError} already closed
     */
    async closeSupervisionCase(ctx: RequestCtx, caseId: string): Promise<SupervisionCase> {
      const actor = requireSupervisor(ctx, 'closes');
      return withTransaction(db, async (tx) => {
        const existing = await repo.findSupervisionCase(tx, caseId);
        if (!existing || existing.openedBy !== actor.id) throw new NotFoundError('supervision_case', caseId);
        const closed = await repo.closeSupervisionCase(tx, caseId, actor.id, toDate(clock.now()));
        if (!closed) throw new InvalidTransitionError('closed', 'closed');
        await audit.record(tx, ctx, {
          action: 'supervision.case_closed',
          facilityId: closed.facilityId,
          ...(closed.patientId ? { patientId: closed.patientId } : {}),
          subject: { type: 'supervision_case', id: caseId },
          reason: `supervision_case:${caseId}`,
          data: { legalBasis: closed.legalBasis },
        });
        await deps.outbox?.enqueue(tx, SUPERVISION_NOTIFY, { caseId, event: 'closed' });
        return caseView(closed);
      });
    },

    /**
     * The supervisor's own cases, newest first.
     * @param ctx - a supervisor
     * @returns the cases
     */
    async listMySupervisionCases(ctx: RequestCtx): Promise<SupervisionCaseList> {
      const actor = requireSupervisor(ctx, 'lists');
      return withTransaction(db, async (tx) => {
        const items = (await repo.listSupervisionCasesOpenedBy(tx, actor.id)).map(caseView);
        await audit.record(tx, ctx, { action: 'supervision.cases_viewed', data: { count: items.length } });
        return { items };
      });
    },

    /**
     * Every supervision case about a facility, open or closed: its administrators see who inspects
     * them, under which legal basis, and since when (Art. 21; S-23 "approved by the facility and logged").
     * @param ctx - an administrator of the facility
     * @param facilityId - which facility
     * @returns the cases, newest first
     * @throws {ForbiddenError} unless the actor administers that facility
     */
    async listFacilitySupervisionCases(ctx: RequestCtx, facilityId: string): Promise<SupervisionCaseList> {
      const actor = requireUser(ctx);
      if (actor.role !== 'facility_admin' || !actor.facilityIds.includes(facilityId)) throw new ForbiddenError("Only the facility's administrators see its supervision cases");
      return withTransaction(db, async (tx) => {
        const items = (await repo.listSupervisionCasesOfFacility(tx, facilityId)).map(caseView);
        await audit.record(tx, ctx, { action: 'supervision.cases_viewed', facilityId, data: { count: items.length } });
        return { items };
      });
    },

    /**
     * Outbox handler of SUPERVISION_NOTIFY: e-mails the facility's administrators and, for a case about
     * one patient, the patient's accounts and representatives. Operational text only: facility, legal
     * basis, dates; never clinical content. Idempotent per case, event and recipient.
     * @param msg - `{ caseId, event: 'opened' | 'closed' }`
     * @param deliver - the notifications module's delivery
     */
    async handleSupervisionNotify(msg: OutboxMessage, deliver: (d: Delivery) => Promise<number>): Promise<void> {
      const p = msg.payload as { caseId?: unknown; event?: unknown };
      if (typeof p.caseId !== 'string' || (p.event !== 'opened' && p.event !== 'closed')) throw new Error('supervision notification without caseId or event');
      const c = await repo.findSupervisionCase(db, p.caseId);
      if (!c) return;
      const facility = (await repo.facilityName(db, c.facilityId)) ?? '';
      const admins = await repo.facilityAdminAccounts(db, c.facilityId);
      const patientSide = c.patientId ? await repo.accountsSpeakingFor(db, c.patientId, toDate(clock.now())) : [];
      const recipients = [...new Set([...admins, ...patientSide])].map((accountId) => ({ channel: 'email' as const, accountId }));
      if (recipients.length === 0) return;
      const opened = p.event === 'opened';
      await deliver({
        sourceId: `supervision:${c.id}:${p.event}`,
        requestId: null,
        facilityId: c.facilityId,
        recipients,
        message: { kind: opened ? 'supervision_opened' : 'supervision_closed', facility, legalBasis: c.legalBasis },
      });
    },
  };
}
