import { toDate } from '../../platform/clock.js';
import { withTransaction, type Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError } from '../../platform/errors/app-error.js';
import type { Encounter } from '../../contracts/encounters.js';
import { toEncounter, type EncountersDeps } from './encounters.deps.js';
import * as repo from './encounters.repo.js';
import { readConsultationFactsIn } from '../consultation/index.js';
import { readAcceptedNoDirectContactIn } from '../consent/index.js';
import { readRequestFactsIn } from '../requests/index.js';

/**
 * The encounter use cases other modules call inside their own transaction (they audit their own action),
 * and the audited reads behind the routes.
 * @param deps - see `EncountersDeps`
 * @returns the use cases
 */
export function readEncountersUseCases(deps: EncountersDeps) {
  /**
   * One encounter, access-checked for clinical reading (the patient, a representative, a doctor with a
   * care relationship at the recording facility). The caller audits.
   * @throws {ForbiddenError} for an unknown id too (authorisation before existence, docs/access.md)
   */
  async function readEncounterIn(ctx: RequestCtx, q: Queryable, id: string): Promise<Encounter> {
    if (ctx.actor.type === 'anonymous') throw new AppError('auth.unauthenticated');
    const row = await repo.findEncounter(q, id);
    if (!row) throw new ForbiddenError('You have no access to this encounter');
    await deps.policy.assertCanReadPatient(ctx, q, row.patient_id, 'clinical', row.facility_id);
    return toEncounter(deps, ctx, q, row);
  }

  /**
   * The remote consultation's encounter, created on first use once the consultation has started (a
   * referral, prescription or sick leave is issued on it: DECISIONS 20). Idempotent per consultation.
   * @throws {AppError} `encounter.consultation_not_started` before the consultation started
   */
  async function encounterForConsultationIn(ctx: RequestCtx, q: Queryable, requestId: string): Promise<Encounter> {
    if (ctx.actor.type !== 'user') throw new AppError('auth.unauthenticated');
    const facts = await readConsultationFactsIn(q, requestId);
    if (!facts?.patientId) throw new ForbiddenError('You have no access to this consultation');
    await deps.policy.assertCanReadPatient(ctx, q, facts.patientId, 'clinical', facts.facilityId);
    if (!facts.startedAt) throw new AppError('encounter.consultation_not_started');
    const existing = await repo.findByConsultation(q, facts.id);
    if (existing) return toEncounter(deps, ctx, q, existing);
    const serviceId = (await readRequestFactsIn(q, requestId))?.serviceId ?? null;
    const row: repo.EncounterRow = {
      id: deps.ids.uuid(),
      patient_id: facts.patientId,
      facility_id: facts.facilityId,
      practitioner_id: facts.practitionerId,
      kind: 'remote',
      consultation_id: facts.id,
      request_id: facts.requestId,
      // As the published service says (Art. 15); an emergency consultation between specialists has none.
      nhif_paid: serviceId ? ((await repo.serviceNhifPaid(q, serviceId)) ?? false) : false,
      // Regulatory: Art. 9 with Art. 7(1) item 4 — the specialist's own answer at admission.
      remote_assessable: (await readAcceptedNoDirectContactIn(q, requestId)) ?? false,
      started_at: facts.startedAt,
      ended_at: facts.completedAt,
      reason_enc: null,
    };
    await repo.insertEncounter(q, { ...row, recordedBy: ctx.actor.id, createdAt: toDate(deps.clock.now()) });
    // A concurrent first use may have won the unique consultation key: that row is the encounter.
    const stored = await repo.findByConsultation(q, facts.id);
    return toEncounter(deps, ctx, q, stored ?? row);
  }

  /** `GET /encounters/:id`, audited (`encounter.read`). */
  async function readEncounter(ctx: RequestCtx, id: string): Promise<Encounter> {
    return deps.policy.guard(ctx, () =>
      withTransaction(deps.db, async (tx) => {
        const e = await readEncounterIn(ctx, tx, id);
        await deps.audit.record(tx, ctx, { action: 'encounter.read', patientId: e.patientId, facilityId: e.facilityId, subject: { type: 'encounter', id } });
        return e;
      }),
    );
  }

  /** `GET /patients/:id/encounters`: the newest 100, audited (`encounter.listed`). */
  async function listPatientEncounters(ctx: RequestCtx, patientId: string): Promise<Encounter[]> {
    return deps.policy.guard(ctx, () =>
      withTransaction(deps.db, async (tx) => {
        const access = await deps.policy.assertCanReadPatient(ctx, tx, patientId, 'clinical');
        const found = await repo.listForPatient(tx, patientId, 100);
        const items = await Promise.all(found.map((r) => toEncounter(deps, ctx, tx, r)));
        await deps.audit.record(tx, ctx, {
          action: 'encounter.listed',
          patientId,
          subject: { type: 'patient', id: patientId },
          reason: access.reason,
          ...(access.facilityId ? { facilityId: access.facilityId } : {}),
          ...(access.onBehalfOf ? { onBehalfOf: access.onBehalfOf } : {}),
          data: { count: items.length },
        });
        return items;
      }),
    );
  }

  /**
   * The signed-in doctor's own encounters since an instant, newest first (at most 50), each access-checked;
   * the caller audits. What a doctor issues sick leave, notices and referrals from.
   */
  async function listOwnEncountersIn(ctx: RequestCtx, q: Queryable, since: Date): Promise<Encounter[]> {
    if (ctx.actor.type !== 'user' || ctx.actor.role !== 'specialist') throw new ForbiddenError('Only doctors have examinations');
    const practitionerId = await repo.practitionerOfAccount(q, ctx.actor.id);
    if (!practitionerId) return [];
    const out: Encounter[] = [];
    for (const row of await repo.listForPractitioner(q, practitionerId, since, 50)) {
      await deps.policy.assertCanReadPatient(ctx, q, row.patient_id, 'clinical', row.facility_id);
      out.push(await toEncounter(deps, ctx, q, row));
    }
    return out;
  }

  return { readEncounterIn, encounterForConsultationIn, readEncounter, listPatientEncounters, listOwnEncountersIn };
}
