import { toDate } from '../../platform/clock.js';
import { withTransaction, type Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError } from '../../platform/errors/app-error.js';
import { ForeignPolicyInputSchema, type ForeignPolicy, type ForeignPolicyInput } from '../../contracts/insurance.js';
import type { AccessGranted } from '../access/index.js';
import { isForeigner, validatePolicy } from './foreign-insurance-rules.js';
import { insertPolicy, listPolicies, loadRuleValues } from './foreign-insurance.repo.js';
import { policyContext, toPolicy, type ForeignInsuranceDeps, type PolicyDetails } from './foreign-insurance.common.js';

/**
 * The patient or their representative records the policy; facility staff who may read the patient may
 * enter it from the presented policy (the front desk).
 * @returns the access basis
 */
export async function assertMayRecord(deps: ForeignInsuranceDeps, ctx: RequestCtx, q: Queryable, patientId: string, action: string): Promise<AccessGranted> {
  const role = ctx.actor.type === 'user' ? ctx.actor.role : undefined;
  if (role === 'patient' || role === 'representative') return deps.policy.assertCanActForPatient(ctx, q, patientId, action);
  return deps.policy.assertCanReadPatient(ctx, q, patientId, 'demographics');
}

/**
 * `POST /patients/:id/foreign-insurance`: records a foreigner's mandatory medical insurance policy (W22).
 * Regulatory: R-INS-02..06 through `validatePolicy` with the values in force on the conclusion date; a
 * refusal names the first rule and lists every broken one. Audited (`insurance.policy_recorded`).
 * @returns the use case
 */
export function recordForeignPolicyUseCase(deps: ForeignInsuranceDeps) {
  return async function recordForeignPolicy(ctx: RequestCtx, patientId: string, input: ForeignPolicyInput): Promise<ForeignPolicy> {
    const body = ForeignPolicyInputSchema.parse(input);
    if (ctx.actor.type !== 'user') throw new AppError('auth.unauthenticated');
    const actor = ctx.actor;
    return deps.policy.guard(ctx, () =>
      withTransaction(deps.db, async (tx) => {
        const access = await assertMayRecord(deps, ctx, tx, patientId, 'insurance.policy_recorded');
        const patient = await deps.patients.readPatientIn(tx, ctx, patientId);
        // Regulatory: R-INS-01 — the mandatory policy is the foreigner's (LNCh or passport).
        if (!isForeigner(patient.identifierKind)) {
          throw new AppError('insurance.not_a_foreigner', { detail: 'A mandatory medical insurance policy is recorded for a foreigner (LNCh or passport)', meta: { rule: 'R-INS-01' } });
        }
        const existing = await listPolicies(tx, patientId);
        const renews = body.renewsPolicyId ? existing.find((p) => p.id === body.renewsPolicyId) : undefined;
        if (body.renewsPolicyId && !renews) {
          throw new AppError('request.invalid', { detail: 'No such policy of this patient', errors: [{ in: 'body', pointer: '#/renewsPolicyId', detail: 'unknown' }] });
        }
        const values = await loadRuleValues(tx, body.concludedOn);
        const refusals = validatePolicy(body, values, renews ? { id: renews.id, startsOn: renews.starts_on, endsOn: renews.ends_on } : undefined);
        const first = refusals[0];
        if (first) {
          throw new AppError(first.code, {
            detail: first.detail,
            errors: refusals.map((r) => ({ in: 'body' as const, pointer: r.pointer, detail: `${r.rule}: ${r.detail}` })),
            meta: { rule: first.rule, rules: refusals.map((r) => r.rule) },
          });
        }
        const id = deps.ids.uuid();
        const details: PolicyDetails = { insurer: body.insurer, policyNumber: body.policyNumber, premiumCents: body.premiumCents, premiumCurrency: body.premiumCurrency };
        const detailsEnc = await deps.keyring.encryptJson(tx, 'registry', details, policyContext(id));
        const at = toDate(deps.clock.now());
        await insertPolicy(tx, {
          id,
          patientId,
          stayKind: body.stayKind,
          concludedOn: body.concludedOn,
          startsOn: body.startsOn,
          endsOn: body.endsOn,
          sumInsuredCents: body.sumInsuredCents,
          sumCurrency: body.sumCurrency,
          renewsPolicyId: renews?.id ?? null,
          detailsEnc,
          recordedBy: actor.id,
          recordedByRole: actor.role,
          at,
        });
        await deps.audit.record(tx, ctx, {
          action: 'insurance.policy_recorded',
          patientId,
          subject: { type: 'foreign_insurance_policy', id },
          reason: access.reason,
          ...(access.onBehalfOf ? { onBehalfOf: access.onBehalfOf } : {}),
          data: { stayKind: body.stayKind, startsOn: body.startsOn, endsOn: body.endsOn, renewal: renews !== undefined },
        });
        const [row] = (await listPolicies(tx, patientId)).filter((p) => p.id === id);
        if (!row) throw new Error('policy vanished');
        return toPolicy(deps, ctx, tx, row);
      }),
    );
  };
}
