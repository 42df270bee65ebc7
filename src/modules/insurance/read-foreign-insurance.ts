import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import type { ForeignInsurance } from '../../contracts/insurance.js';
import { mapInOrder } from '../../platform/db/index.js';
import { bgnCentsToEurCents, coverageOn, decimalToCents } from './foreign-insurance-rules.js';
import { listPolicies, loadRuleValues } from './foreign-insurance.repo.js';
import { coverageWire, localDay, stored, toPolicy, type ForeignInsuranceDeps } from './foreign-insurance.common.js';

/**
 * `GET /patients/:id/foreign-insurance?on=`: the foreigner's policies, the coverage on a date, the date a
 * renewal is due by (R-INS-06), and what the insurance covers and excludes (R-INS-12..16) with the limits
 * (R-INS-02, R-INS-04/05) as the dated data states them. Access-checked, audited (`insurance.policy_read`).
 * @returns the use case
 */
export function readForeignInsuranceUseCase(deps: ForeignInsuranceDeps) {
  return async function readForeignInsurance(ctx: RequestCtx, patientId: string, onDate?: string): Promise<ForeignInsurance> {
    const on = onDate ?? localDay(deps.clock, deps.zone);
    return deps.policy.guard(ctx, () =>
      withTransaction(deps.db, async (tx) => {
        const access = await deps.policy.assertCanReadPatient(ctx, tx, patientId, 'demographics');
        const rows = await listPolicies(tx, patientId);
        const values = await loadRuleValues(tx, on);
        const coverage = coverageOn(stored(rows), on);
        const minBgn = decimalToCents(values['ins.min_sum'].bgn);
        await deps.audit.record(tx, ctx, {
          action: 'insurance.policy_read',
          patientId,
          subject: { type: 'patient', id: patientId },
          reason: access.reason,
          ...(access.facilityId ? { facilityId: access.facilityId } : {}),
          ...(access.onBehalfOf ? { onBehalfOf: access.onBehalfOf } : {}),
          data: { on, count: rows.length },
        });
        return {
          patientId,
          on,
          policies: await mapInOrder(rows, (r) => toPolicy(deps, ctx, tx, r)),
          coverage: coverageWire(coverage),
          renewBy: coverage.state === 'covered' ? coverage.endsOn : null,
          minimumSum: { bgnCents: minBgn, eurCents: bgnCentsToEurCents(minBgn, values['money.bgn_per_eur'].rate) },
          maxTermDays: values['ins.max_term_days'],
          covered: values['ins.covered'],
          exclusions: values['ins.exclusions'],
        };
      }),
    );
  };
}
