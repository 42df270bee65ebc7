import { toDate } from '../../platform/clock.js';
import { withTransaction, type Tx } from '../../platform/db/index.js';
import { facilityScope } from '../../platform/crypto/keyring.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError } from '../../platform/errors/app-error.js';
import type { Encounter, RecordVisitBody } from '../../contracts/encounters.js';
import { assertUser } from '../identity/index.js';
import { ENCOUNTER_CARE_SOURCE, reasonContext, toEncounter, type EncountersDeps } from './encounters.deps.js';
import * as repo from './encounters.repo.js';

/** Who records a practice's visits: its doctors for themselves, its front desk and administrators for any of its doctors. */
const RECORDING_ROLES = new Set(['specialist', 'coordinator', 'facility_admin']);

/**
 * `POST /encounters`: a practice records an in-person, phone or home visit (W17-W19). The visit opens the
 * patient's data to the doctor who saw them (Art. 13) and is audited (`encounter.recorded`).
 * @param deps - see `EncountersDeps`
 * @returns the use case
 */
export function recordVisitUseCase(deps: EncountersDeps) {
  const recordVisitIn = recordVisitInUseCase(deps);
  return async function recordVisit(ctx: RequestCtx, body: RecordVisitBody): Promise<Encounter> {
    return withTransaction(deps.db, (tx) => recordVisitIn(tx, ctx, body));
  };
}

/**
 * The same use case inside the caller's transaction, so a practice records the visit and its fee
 * atomically: a refused fee rolls the encounter and its care relationship back.
 * @returns the use case taking the transaction
 */
export function recordVisitInUseCase(deps: EncountersDeps) {
  return async function recordVisitIn(tx: Tx, ctx: RequestCtx, body: RecordVisitBody): Promise<Encounter> {
    const actor = assertUser(ctx);
    if (!RECORDING_ROLES.has(actor.role) || !actor.facilityIds.includes(body.facilityId)) {
      throw new ForbiddenError('Only the practice records its visits');
    }
    if (body.endedAt && Date.parse(body.endedAt) < Date.parse(body.startedAt)) {
      throw new AppError('request.invalid', { detail: 'A visit cannot end before it starts', errors: [{ in: 'body', pointer: '/endedAt', detail: 'before startedAt' }] });
    }
    if (!(await repo.practitionerWorksAt(tx, body.practitionerId, body.facilityId))) {
      throw new ForbiddenError('This doctor does not work at this practice');
    }
    if (actor.role === 'specialist' && (await repo.practitionerOfAccount(tx, actor.id)) !== body.practitionerId) {
      throw new ForbiddenError('A doctor records their own visits');
    }
    // Security: an unknown patient answers as a forbidden one (no existence oracle, docs/access.md).
    if (!(await repo.patientExists(tx, body.patientId))) throw new ForbiddenError('Not allowed');
    const id = deps.ids.uuid();
    const now = toDate(deps.clock.now());
    const reasonEnc = body.reason ? await deps.keyring.encrypt(tx, facilityScope(body.facilityId), body.reason, reasonContext(id)) : null;
    const row: repo.EncounterRow = {
      id,
      patient_id: body.patientId,
      facility_id: body.facilityId,
      practitioner_id: body.practitionerId,
      kind: body.kind,
      consultation_id: null,
      request_id: null,
      nhif_paid: body.nhifPaid,
      remote_assessable: null,
      started_at: new Date(body.startedAt),
      ended_at: body.endedAt ? new Date(body.endedAt) : null,
      reason_enc: reasonEnc,
    };
    await repo.insertEncounter(tx, { ...row, recordedBy: actor.id, createdAt: now });
    // Regulatory: Art. 13 — the doctor who saw the patient may read their data from the visit on.
    await deps.access.openCareRelationship(tx, ctx, {
      patientId: body.patientId,
      practitionerId: body.practitionerId,
      facilityId: body.facilityId,
      sourceType: ENCOUNTER_CARE_SOURCE,
      sourceId: id,
      activeFrom: row.started_at,
    });
    await deps.audit.record(tx, ctx, {
      action: 'encounter.recorded',
      patientId: body.patientId,
      facilityId: body.facilityId,
      subject: { type: 'encounter', id },
      data: { kind: body.kind, nhifPaid: body.nhifPaid, practitionerId: body.practitionerId },
    });
    return toEncounter(deps, ctx, tx, row);
  };
}
