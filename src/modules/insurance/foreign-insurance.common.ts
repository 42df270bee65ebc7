import { fromDate, type Clock } from '../../platform/clock.js';
import type { Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import type { Outbox } from '../../platform/outbox/outbox.js';
import type { ForeignPolicy, InsuredEvent } from '../../contracts/insurance.js';
import type { InsuranceDeps } from './check-insurance-status.js';
import { claimExpiresOn } from './claim-rules.js';
import { claimState, termDays, type ForeignCoverage, type ForeignInsuranceRuleValues } from './foreign-insurance-rules.js';
import type { EventRow, PolicyRow } from './foreign-insurance.repo.js';

export interface ForeignInsuranceDeps extends InsuranceDeps {
  outbox: Pick<Outbox, 'enqueue'>;
}

/** The encrypted part of a policy (it names the patient's contract). Persisted shape. */
export interface PolicyDetails {
  insurer: string;
  policyNumber: string;
  premiumCents: number;
  premiumCurrency: 'BGN' | 'EUR';
}

export const policyContext = (id: string) => `foreign_insurance_policy:${id}`;

/** Outbox message: the insurer notice deadline of an event has come (R-INS-07). */
export const NOTICE_DUE = 'insurance.notice_due';

/** The local date of an instant in the platform's zone. */
export const localDay = (clock: Clock, zone: string, at = clock.now()) => at.toZonedDateTimeISO(zone).toPlainDate().toString();

/**
 * A policy row in its wire form (details decrypted).
 * @returns the contract shape
 */
export async function toPolicy(deps: Pick<ForeignInsuranceDeps, 'keyring'>, ctx: RequestCtx, q: Queryable, row: PolicyRow): Promise<ForeignPolicy> {
  const d = await deps.keyring.decryptJson<PolicyDetails>(ctx, q, 'registry', row.details_enc, policyContext(row.id));
  return {
    id: row.id,
    patientId: row.patient_id,
    stayKind: row.stay_kind,
    insurer: d.insurer,
    policyNumber: d.policyNumber,
    concludedOn: row.concluded_on,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    termDays: termDays(row.starts_on, row.ends_on),
    sumInsuredCents: Number(row.sum_insured_cents),
    sumCurrency: row.sum_currency,
    premiumCents: d.premiumCents,
    premiumCurrency: d.premiumCurrency,
    renewsPolicyId: row.renews_policy_id,
    recordedAt: fromDate(new Date(row.created_at)).toString(),
  };
}

export const stored = (rows: readonly PolicyRow[]) => rows.map((r) => ({ id: r.id, startsOn: r.starts_on, endsOn: r.ends_on }));

/** The coverage in its wire form. */
export function coverageWire(c: ForeignCoverage): { state: ForeignCoverage['state']; policyId: string | null; date: string | null } {
  switch (c.state) {
    case 'covered':
      return { state: c.state, policyId: c.policyId, date: c.endsOn };
    case 'expired':
      return { state: c.state, policyId: null, date: c.endedOn };
    case 'not_started':
      return { state: c.state, policyId: null, date: c.startsOn };
    case 'none':
      return { state: 'none', policyId: null, date: null };
  }
}

const instant = (d: Date | string) => fromDate(new Date(d)).toString();

/** The local day of an insured event (R-INS-18 counts from it). */
export const eventDay = (row: Pick<EventRow, 'occurred_at'>, zone: string): string => fromDate(new Date(row.occurred_at)).toZonedDateTimeISO(zone).toPlainDate().toString();

/**
 * An event row with its claim file (R-INS-07, R-INS-08, R-INS-10).
 * @returns the contract shape
 */
export function toEvent(row: EventRow, values: Pick<ForeignInsuranceRuleValues, 'ins.claim_documents' | 'ins.payout_days' | 'ins.claim_limitation'>, zone: string): InsuredEvent {
  const docs = typeof row.documents === 'string' ? (JSON.parse(row.documents) as Record<string, string>) : row.documents;
  const state = claimState(docs, values);
  return {
    id: row.id,
    policyId: row.policy_id,
    patientId: row.patient_id,
    facilityId: row.facility_id,
    requestId: row.request_id,
    occurredAt: instant(row.occurred_at),
    noticeDueAt: instant(row.notice_due_at),
    notifiedAt: row.notified_at ? instant(row.notified_at) : null,
    noticeChannel: row.notice_channel,
    noticeOverdue: row.notice_overdue_at !== null,
    documents: values['ins.claim_documents'].map((d) => ({ code: d.code, bg: d.bg, en: d.en, optional: d.optional ?? false, submittedOn: docs[d.code] ?? null })),
    missing: state.missing,
    completeOn: state.completeOn,
    payoutDueOn: state.payoutDueOn,
    claimExpiresOn: claimExpiresOn(eventDay(row, zone), values['ins.claim_limitation']),
    payout:
      row.paid_on && row.payout_cents !== null && row.payout_currency && row.payout_to
        ? {
            paidOn: row.paid_on,
            cents: Number(row.payout_cents),
            currency: row.payout_currency,
            to: row.payout_to,
            abroad: row.abroad_currency && row.abroad_cents !== null && row.abroad_rate ? { currency: row.abroad_currency, rate: row.abroad_rate, cents: Number(row.abroad_cents) } : null,
          }
        : null,
  };
}
