import { toDate } from '../../platform/clock.js';
import { withTransaction, type Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, NotFoundError } from '../../platform/errors/app-error.js';
import { systemCtx } from '../../platform/auth/request-context.js';
import type { OutboxMessage } from '../../platform/outbox/outbox.js';
import type { ClaimPayoutBody, InsuredEvent } from '../../contracts/insurance.js';
import type { AuditData } from '../../contracts/audit-events.js';
import type { AuditEntry } from '../../platform/audit/audit-log.js';
import { claimState } from './foreign-insurance-rules.js';
import { findEventForUpdate, listEvents, loadRuleValues, markNoticeOverdue, setDocuments, setNotice, setPayout, type EventRow } from './foreign-insurance.repo.js';
import { eventDay, localDay, toEvent, type ForeignInsuranceDeps } from './foreign-insurance.common.js';
import { claimExpiresOn, convertPayoutAbroad, isTimeBarred } from './claim-rules.js';
import type { ForeignInsuranceRuleValues } from './foreign-insurance-rules.js';

const timeBarred = (eventOn: string, values: Pick<ForeignInsuranceRuleValues, 'ins.claim_limitation'>) =>
  new AppError('insurance.claim_time_barred', { detail: `The rights under the contract expired on ${claimExpiresOn(eventOn, values['ins.claim_limitation'])}`, meta: { rule: 'R-INS-18' } });

/**
 * Insured events of foreigners and their claim files (W23): the 24-hour insurer notice (R-INS-07), the
 * documents of Art. 20(2) (R-INS-10) and the 15-day payout deadline once the file is complete (R-INS-08).
 * @param deps - the insurance dependencies
 * @returns the use cases and the notice escalation handler
 */
export function createInsuredEvents(deps: ForeignInsuranceDeps) {
  /** The insured or the treating facility notifies the insurer (Art. 20(1)): the patient side, or the facility's staff. */
  // Security: staff of the treating facility handle its own events (ids and dates only, no patient data);
  // anyone else must be the patient or a linked representative.
  async function assertMayHandle(ctx: RequestCtx, q: Queryable, e: EventRow, action: string): Promise<{ reason: string }> {
    if (ctx.actor.type === 'user' && ctx.actor.facilityIds.includes(e.facility_id) && ['specialist', 'coordinator', 'facility_admin'].includes(ctx.actor.role)) {
      return { reason: `treating_facility:${e.facility_id}` };
    }
    return deps.policy.assertCanActForPatient(ctx, q, e.patient_id, action);
  }

  async function change<A extends 'insurance.insurer_notified' | 'insurance.claim_document_recorded' | 'insurance.claim_paid'>(ctx: RequestCtx, eventId: string, action: A, apply: (tx: Queryable, e: EventRow, by: string) => Promise<AuditData<A>>): Promise<InsuredEvent> {
    if (ctx.actor.type !== 'user') throw new AppError('auth.unauthenticated');
    const by = ctx.actor.id;
    return deps.policy.guard(ctx, () =>
      withTransaction(deps.db, async (tx) => {
        const e = await findEventForUpdate(tx, eventId);
        if (!e) throw new NotFoundError('foreign_insurance_event', eventId);
        const access = await assertMayHandle(ctx, tx, e, action);
        const data = await apply(tx, e, by);
        // TypeScript does not pair a generic action with its data; apply's type does (AuditData<A>).
        await deps.audit.record(tx, ctx, { action, patientId: e.patient_id, facilityId: e.facility_id, subject: { type: 'foreign_insurance_event', id: e.id }, reason: access.reason, data } as AuditEntry);
        const after = await findEventForUpdate(tx, eventId);
        return toEvent(after as EventRow, await loadRuleValues(tx, localDay(deps.clock, deps.zone)), deps.zone);
      }),
    );
  }

  return {
    /**
     * `GET /patients/:id/insured-events`: the patient's insured events with notice and claim state.
     * @returns newest first
     */
    async listInsuredEvents(ctx: RequestCtx, patientId: string): Promise<{ items: InsuredEvent[] }> {
      return deps.policy.guard(ctx, () =>
        withTransaction(deps.db, async (tx) => {
          const access = await deps.policy.assertCanReadPatient(ctx, tx, patientId, 'demographics');
          const rows = await listEvents(tx, patientId);
          const values = await loadRuleValues(tx, localDay(deps.clock, deps.zone));
          await deps.audit.record(tx, ctx, { action: 'insurance.events_read', patientId, subject: { type: 'patient', id: patientId }, reason: access.reason, data: { count: rows.length } });
          return { items: rows.map((r) => toEvent(r, values, deps.zone)) };
        }),
      );
    },

    /**
     * `POST /insured-events/:id/notice`: the insurer was notified (R-INS-07), once; a late notice is kept
     * and stays marked overdue.
     * @returns the event
     */
    async recordInsurerNotice(ctx: RequestCtx, eventId: string, channel: 'letter' | 'phone' | 'fax' | 'other'): Promise<InsuredEvent> {
      return change(ctx, eventId, 'insurance.insurer_notified', async (tx, e, by) => {
        if (e.notified_at) throw new AppError('resource.conflict', { detail: 'The insurer was already notified' });
        const at = deps.clock.now();
        await setNotice(tx, e.id, channel, by, toDate(at));
        return { channel, late: at.epochMilliseconds > new Date(e.notice_due_at).getTime() };
      });
    },

    /**
     * `POST /insured-events/:id/documents`: a claim document was submitted (R-INS-10); when the last
     * required one arrives, the payout is due 15 days later (R-INS-08).
     * @returns the event
     */
    async recordClaimDocument(ctx: RequestCtx, eventId: string, code: string, submittedOn: string): Promise<InsuredEvent> {
      return change(ctx, eventId, 'insurance.claim_document_recorded', async (tx, e) => {
        const values = await loadRuleValues(tx, submittedOn);
        if (!values['ins.claim_documents'].some((d) => d.code === code)) {
          throw new AppError('request.invalid', { detail: 'Unknown claim document', errors: [{ in: 'body', pointer: '#/code', detail: 'not a document of Art. 20(2)' }] });
        }
        const today = localDay(deps.clock, deps.zone);
        // R-INS-18: a claim file cannot grow after the rights under the contract are time-barred.
        if (isTimeBarred(eventDay(e, deps.zone), submittedOn, values['ins.claim_limitation'])) throw timeBarred(eventDay(e, deps.zone), values);
        if (submittedOn > today) throw new AppError('request.invalid', { detail: 'A document cannot be submitted in the future', errors: [{ in: 'body', pointer: '#/submittedOn', detail: 'in the future' }] });
        const docs = { ...(typeof e.documents === 'string' ? (JSON.parse(e.documents) as Record<string, string>) : e.documents), [code]: submittedOn };
        const s = claimState(docs, values);
        await setDocuments(tx, e.id, docs, s.completeOn, s.payoutDueOn);
        return { code, complete: s.completeOn !== null };
      });
    },

    /**
     * `POST /insured-events/:id/payout`: the insurer paid the claim (Art. 21: to the provider or to the
     * insured), once the file is complete (R-INS-08) and before the rights are time-barred (R-INS-18); a
     * payout abroad in another currency is converted at the BNB central rate of the transfer day (R-INS-09).
     * @returns the event
     */
    async recordClaimPayout(ctx: RequestCtx, eventId: string, body: ClaimPayoutBody): Promise<InsuredEvent> {
      return change(ctx, eventId, 'insurance.claim_paid', async (tx, e, by) => {
        const values = await loadRuleValues(tx, body.paidOn);
        if (body.paidOn > localDay(deps.clock, deps.zone)) throw new AppError('request.invalid', { detail: 'A payout cannot be recorded for a future day', errors: [{ in: 'body', pointer: '#/paidOn', detail: 'in the future' }] });
        if (!e.documents_complete_on) throw new AppError('resource.conflict', { detail: 'The claim file is not complete (R-INS-10)', meta: { rule: 'R-INS-08' } });
        if (isTimeBarred(eventDay(e, deps.zone), body.paidOn, values['ins.claim_limitation'])) throw timeBarred(eventDay(e, deps.zone), values);
        let abroad: { currency: string; rate: string; cents: number } | null = null;
        if (body.abroad) {
          const c = convertPayoutAbroad({ amountCents: body.amountCents, transferredOn: body.paidOn, currency: body.abroad.currency, rate: body.abroad.rate, rateOn: body.abroad.rateOn });
          if ('refused' in c) throw new AppError(c.refused, { detail: c.detail, meta: { rule: c.rule }, errors: [{ in: 'body', pointer: '#/abroad/rateOn', detail: c.detail }] });
          abroad = { currency: body.abroad.currency, rate: body.abroad.rate, cents: c.cents };
        }
        if (!(await setPayout(tx, e.id, { paidOn: body.paidOn, cents: body.amountCents, currency: body.currency, to: body.to, abroad, by }))) throw new AppError('resource.conflict', { detail: 'The payout is already recorded' });
        return { paidOn: body.paidOn, late: e.payout_due_on !== null && body.paidOn > e.payout_due_on, abroad: abroad !== null };
      });
    },

    /**
     * Outbox handler: the notice deadline came; an event still without a notice is marked overdue and
     * audited (`insurance.notice_overdue`) so the facility's list shows it (R-INS-07). Idempotent.
     * @param msg - `{ eventId }`
     */
    async handleNoticeDue(msg: OutboxMessage): Promise<void> {
      const { eventId } = msg.payload as { eventId: string };
      const ctx = systemCtx('insurance.notice_due');
      await withTransaction(deps.db, async (tx) => {
        const hit = await markNoticeOverdue(tx, eventId, toDate(deps.clock.now()));
        if (!hit) return;
        await deps.audit.record(tx, ctx, { action: 'insurance.notice_overdue', outcome: 'failure', patientId: hit.patient_id, facilityId: hit.facility_id, subject: { type: 'foreign_insurance_event', id: eventId }, data: { rule: 'R-INS-07' } });
      });
    },
  };
}
