import { Temporal } from 'temporal-polyfill';
import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Budget, CreateReferralBody, Referral } from '../../contracts/referrals.js';
import { budgetStatus, issuerKind, NHIF_FORMS, quarterOf, referralRefusals, validUntil } from './referral-rules.js';
import { encounterOf, localDate, rulesOn, type ReferralContent, type ReferralsDeps } from './referrals.deps.js';
import { insuredOn, issuerFacts, refuse, resolveIssuer, subjectOf, withStepUpFailure } from './issue-common.js';
import * as repo from './referrals.repo.js';
import { refusedRules, signStoreAndQueue, supersede } from './sign-document.js';
import { referralView } from './views.js';

/**
 * `POST /referrals`: issues a referral from an encounter (W13; DECISIONS 20: remote and in-person alike,
 * citing the consultation). Checks every R-REF rule (referral-rules.ts), the practice's quarterly standard
 * (R-48, warned from 80 %), confirms a fresh second factor, signs the content with the doctor's key
 * (the sheet's `DocumentSigner`), stores it encrypted and immutable, and queues R001 in the outbox. The
 * referral counts as issued when the NHIS acknowledges it with its НРН (status `issued`). With
 * `replacesId` it is a correction: a new signed version; the old one is cancelled in the NHIS (R007).
 * Refusals are problems naming the rule and are audited (`referral.refused`).
 * @param deps - see ReferralsDeps
 * @returns the use case
 */
export function issueReferralUseCase(deps: ReferralsDeps) {
  const { db, clock, ids, audit, policy } = deps;

  return async function issueReferral(ctx: RequestCtx, body: CreateReferralBody): Promise<Referral> {
    try {
      return await policy.guard(ctx, () =>
        withStepUpFailure(deps, ctx, async () => {
          const now = clock.now();
          const pre = await withTransaction(db, async (tx) => {
            const e = await encounterOf(deps, ctx, tx, body);
            const f = await issuerFacts(tx, e.practitionerId, e.facilityId, localDate(now, 'Europe/Sofia').toString());
            return { patientId: e.patientId, zone: f?.time_zone ?? 'Europe/Sofia' };
          });
          const issuedOn = localDate(now, pre.zone);
          const on = issuedOn.toString();
          // R-REF-11: the insurance status on the issue date, for the NHIF forms.
          const insured = NHIF_FORMS.includes(body.form) ? await insuredOn(deps, ctx, pre.patientId, on) : true;

          return withTransaction(db, async (tx) => {
            const e = await encounterOf(deps, ctx, tx, body);
            const { facts, snapshot } = await resolveIssuer(ctx, tx, e, on);
            const access = await policy.assertCanReadPatient(ctx, tx, e.patientId, 'clinical');
            const rules = await rulesOn(tx, on);

            let hospital: ReferralContent['hospital'] = null;
            let hospitalOk: boolean | null = null;
            if (body.form === '7') {
              if (!body.hospitalFacilityId || !body.clinicalPathway) throw new AppError('request.invalid', { detail: 'A № 7 names the hospital and the clinical pathway' });
              hospitalOk = await repo.hospitalContracted(tx, body.hospitalFacilityId, body.clinicalPathway, on);
              const h = (await repo.facilityNames(tx, [body.hospitalFacilityId])).get(body.hospitalFacilityId);
              if (h) hospital = { facilityId: body.hospitalFacilityId, number: h.number, name: h.name, clinicalPathway: body.clinicalPathway };
            }
            if ((body.form === '3' || body.form === '3A') && !body.specialtyCode) throw new AppError('request.invalid', { detail: 'A № 3 or № 3А names the specialty' });

            // one issuer at a time per practice and form, so the budget's last unit is taken once.
            let before: { used: number; limit: number | null } | null = null;
            const quarter = quarterOf(issuedOn);
            if (body.form !== '119a') {
              await repo.lockBudget(tx, e.facilityId, body.form);
              before = await repo.budgetOf(tx, e.facilityId, body.form, on, quarter.from.toString(), quarter.to.toString());
            }

            const refusals = referralRefusals({
              form: body.form,
              purpose: body.purpose,
              basis: body.basis,
              independentlyJudgedNecessary: body.independentlyJudgedNecessary,
              diagnosisCode: body.diagnosisCode,
              encounter: { kind: e.kind, startedAt: Temporal.Instant.from(e.startedAt), ended: e.endedAt !== null },
              issuer: { kind: issuerKind(facts.facility_type, facts.is_gp), rhifContract: facts.rhif_contract },
              insured,
              hospitalContractedForPathway: hospitalOk,
              budget: before && before.limit !== null ? { used: before.used, limit: before.limit } : null,
            });
            // R-REF-10 / W13.1: the exam has taken place (an encounter that has not started is not one).
            if (Temporal.Instant.compare(Temporal.Instant.from(e.startedAt), now) > 0) refusals.push({ code: 'referral.no_documented_problem', rule: 'R-REF-10', detail: 'The encounter has not taken place yet' });
            if (refusals.length) refuse(refusals);
            // What the doctor sees after this one: used, remaining, and the 80 % warning (R-48, W13.8).
            const budget: Budget | undefined = before ? { form: body.form, quarterFrom: quarter.from.toString(), ...budgetStatus(before.used + 1, before.limit, rules.budgetWarnPercent) } : undefined;

            const { replaces, revision } = body.replacesId
              ? await supersede(deps, tx, 'referral', await repo.findReferral(tx, body.replacesId, true), { patientId: e.patientId, practitionerId: snapshot.practitionerId }, {
                  forbidden: 'Only the issuing doctor corrects a referral',
                  notCorrectable: 'Only an issued or refused referral is corrected',
                  cancelReason: 'Коригирано с нова версия',
                })
              : { replaces: null, revision: 1 };

            const up = await deps.stepUp.confirmStepUp(tx, ctx, body.code, `referral.sign:${body.form}`);
            const patient = await deps.patients.readPatientIn(tx, ctx, e.patientId);
            const id = ids.uuid();
            const until = validUntil(body.form, issuedOn, rules.validity);
            const content: ReferralContent = {
              schema: 'distansia.referral/1',
              documentId: id,
              revision,
              replaces,
              form: body.form,
              purpose: body.purpose,
              basis: body.basis,
              independentlyJudgedNecessary: body.independentlyJudgedNecessary,
              diagnosisCode: body.diagnosisCode,
              request: body.request,
              specialtyCode: body.specialtyCode ?? null,
              activityCodes: body.activityCodes ?? [],
              hospital,
              encounter: { id: e.id, kind: e.kind, consultationId: e.consultationId, requestId: e.requestId, startedAt: e.startedAt },
              subject: subjectOf(patient),
              issuer: snapshot,
              issuedOn: on,
              validUntil: until?.toString() ?? null,
              signedAt: up.at.toString(),
            };
            const sig = await signStoreAndQueue(deps, ctx, tx, { kind: 'referral', signedKind: `referral:${body.form}`, id, revision, replaces, encounter: e, issuer: snapshot, content, up, on, now }, (columns) =>
              repo.insertReferral(tx, { ...columns, form: body.form, valid_until: content.validUntil }),
            );
            await audit.record(tx, ctx, {
              action: 'referral.issued',
              patientId: e.patientId,
              facilityId: e.facilityId,
              subject: { type: 'referral', id },
              reason: access.reason,
              data: { form: body.form, revision, encounterId: e.id, encounterKind: e.kind, keyId: sig.keyId, stepUpId: up.stepUpId, ...(budget ? { budgetLevel: budget.level } : {}) },
            });
            const row = await repo.findReferral(tx, id);
            if (!row) throw new AppError('internal');
            return referralView(row, content, ctx.lang, budget);
          });
        }),
      );
    } catch (err) {
      const rules = refusedRules(err);
      if (rules) await audit.recordStandalone(ctx, { action: 'referral.refused', outcome: 'denied', subject: { type: 'encounter', id: body.encounterId ?? body.requestId ?? '' }, data: { form: body.form, rules } });
      throw err;
    }
  };
}
