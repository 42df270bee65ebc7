import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError } from '../../platform/errors/app-error.js';
import type { CancelBody } from '../../contracts/referrals.js';
import { NHIS_DOCUMENT, type NhisDocumentMessage, type ReferralsDeps } from './referrals.deps.js';
import { withStepUpFailure } from './issue-common.js';
import * as repo from './referrals.repo.js';

/**
 * `POST /referrals/:id/cancel` and `/prescriptions/:id/cancel`: the issuing doctor cancels an issued
 * document in the NHIS (R007 / P007) with a reason and a fresh second factor. The signed content never
 * changes; the status moves to `cancelling` and to `cancelled` when the NHIS acknowledges.
 * @param deps - see ReferralsDeps
 * @returns the use case
 */
export function cancelDocumentUseCase(deps: ReferralsDeps) {
  const { db, audit, outbox, policy } = deps;
  return async function cancelDocument(ctx: RequestCtx, kind: repo.DocKind, id: string, body: CancelBody): Promise<{ id: string; status: repo.DocStatus }> {
    return policy.guard(ctx, () =>
      withStepUpFailure(deps, ctx, () =>
        withTransaction(db, async (tx) => {
          if (ctx.actor.type !== 'user') throw new ForbiddenError('Only the issuing doctor cancels');
          const row = kind === 'referral' ? await repo.findReferral(tx, id, true) : await repo.findPrescription(tx, id, true);
          const practitionerId = await repo.practitionerOfAccount(tx, ctx.actor.id);
          if (!row || row.practitioner_id !== practitionerId) throw new ForbiddenError('Only the issuing doctor cancels');
          if (row.status !== 'issued') throw new AppError('state.bad_transition', { detail: 'Only a document acknowledged by the NHIS and not yet used is cancelled', meta: { from: row.status } });
          const up = await deps.stepUp.confirmStepUp(tx, ctx, body.code, `${kind}.cancel`);
          await repo.moveStatus(tx, kind, id, ['issued'], { status: 'cancelling', cancelReason: body.reason });
          await outbox.enqueue(tx, NHIS_DOCUMENT, { kind, id, op: 'cancel' } satisfies NhisDocumentMessage);
          await audit.record(tx, ctx, { action: `${kind}.cancel_requested`, patientId: row.patient_id, facilityId: row.facility_id, subject: { type: kind, id }, data: { stepUpId: up.stepUpId } });
          return { id, status: 'cancelling' as const };
        }),
      ),
    );
  };
}
