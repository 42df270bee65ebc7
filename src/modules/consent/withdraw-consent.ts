import { toDate } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { facilityScope } from '../../platform/crypto/keyring.js';
import { AppError, NotFoundError } from '../../platform/errors/app-error.js';
import type { Consent, WithdrawConsentBody } from '../../contracts/consent.js';
import * as repo from './consent.repo.js';
import { type RecordingConsentWithdrawnListener, RECORDING_CONSENT_WITHDRAWN, type ConsentDeps } from './consent-common.js';
import type { ConsentCore } from './consent-core.js';

/**
 * Withdrawing a consent (Art. 10(3)); a withdrawn recording consent stops recordings through listeners and the outbox.
 * @param deps - the consent dependencies
 * @param core - the shared consent helpers
 */
export function createWithdrawConsent(deps: ConsentDeps, core: ConsentCore) {
  const { db, clock, audit, keyring, outbox, policy } = deps;
  const { listeners, ctxKey, consentView } = core;

  return {
    /**
     * Withdraws a consent (the patient, a linked representative, or whoever signed it). Withdrawing a
     * recording consent stops every recording of the request at once (Art. 19; docs/decisions.md#d6):
     * the listeners run right after commit and an outbox message repeats it until it succeeds.
     * @throws {AppError} `consent.withdrawn` when it already was
     */
    async withdrawConsent(ctx: RequestCtx, consentId: string, body: WithdrawConsentBody): Promise<Consent> {
      const result = await policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const c = await repo.findConsent(tx, consentId);
          if (!c) throw new NotFoundError('consent', consentId);
          const a = ctx.actor;
          if (a.type !== 'user') throw new AppError('auth.unauthenticated');
          let onBehalfOf: string | undefined;
          if (a.id !== c.signer_account_id) {
            const g = await policy.assertCanActForPatient(ctx, tx, c.patient_id, 'consent.withdraw');
            onBehalfOf = g.onBehalfOf;
          }
          const reason = body.reason?.trim();
          const reasonEnc = reason ? await keyring.encrypt(tx, facilityScope(c.facility_id), reason, ctxKey(c.id, 'withdrawal')) : null;
          if (!(await repo.withdrawConsent(tx, c.id, a.id, reasonEnc, toDate(clock.now())))) throw new AppError('consent.withdrawn');
          if (c.kind === 'recording') await outbox.enqueue(tx, RECORDING_CONSENT_WITHDRAWN, { requestId: c.request_id, consentId: c.id });
          await audit.record(tx, ctx, {
            action: 'consent.withdrawn',
            patientId: c.patient_id,
            facilityId: c.facility_id,
            subject: { type: 'consent', id: c.id },
            reason: `request:${c.request_id}`,
            ...(onBehalfOf ? { onBehalfOf } : {}),
            data: { kind: c.kind },
          });
          const row = await repo.findConsent(tx, c.id);
          if (!row) throw new AppError('internal');
          return consentView(ctx, tx, row);
        }),
      );
      if (result.kind === 'recording') {
        for (const l of listeners) {
          try {
            await l(ctx, { requestId: result.requestId, consentId: result.id });
          } catch (err) {
            // The outbox message written with the withdrawal repeats this until it succeeds (STYLE C20).
            deps.onListenerError?.(err);
          }
        }
      }
      return result;
    },

    /**
     * Subscribes to committed withdrawals of recording consents (the consultation stops recordings).
     * @param listener - called after commit with the request and consent ids
     */
    onRecordingConsentWithdrawn(listener: RecordingConsentWithdrawnListener): void {
      listeners.push(listener);
    },

  };
}
