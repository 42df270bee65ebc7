import { Temporal } from 'temporal-polyfill';
import { toDate } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import type { Examination } from '../../contracts/sick-leave.js';
import { localDate, type SickLeaveDeps } from './sick-leave.deps.js';

/** How far back a doctor's examinations are offered: a later issue needs a recorded reason (R-SL-20). */
const DAYS_BACK = 7;
const mask = (id: string) => '•'.repeat(Math.max(0, id.length - 2)) + id.slice(-2);

/**
 * `GET /sick-leave/examinations`: the signed-in doctor's examinations of the last week with the patient
 * banner's facts (names, age, sex, masked identifier), the start of the sick-leave and TELK screens.
 * Each patient read is access-checked and audited (`patient.read`, `encounter.listed`).
 * @param deps - see `SickLeaveDeps`
 * @returns the use case
 */
export function examinationsUseCase(deps: SickLeaveDeps) {
  return async function listExaminations(ctx: RequestCtx): Promise<{ items: Examination[] }> {
    return deps.policy.guard(ctx, () =>
      withTransaction(deps.db, async (tx) => {
        const now = deps.clock.now();
        const today = localDate(now, deps.zone);
        const encounters = await deps.encounters.listOwnEncountersIn(ctx, tx, toDate(now.subtract({ hours: 24 * DAYS_BACK })));
        const items: Examination[] = [];
        for (const e of encounters) {
          const p = await deps.patients.readPatientIn(tx, ctx, e.patientId);
          await deps.audit.record(tx, ctx, { action: 'encounter.listed', patientId: e.patientId, facilityId: e.facilityId, subject: { type: 'encounter', id: e.id }, data: { purpose: 'sick_leave' } });
          items.push({
            encounterId: e.id, requestId: e.requestId, facilityId: e.facilityId, kind: e.kind, remoteAssessable: e.remoteAssessable, startedAt: e.startedAt,
            patient: {
              id: p.id, givenName: p.givenName, middleName: p.middleName ?? null, familyName: p.familyName, sex: p.sex, birthDate: p.birthDate,
              ageYears: Temporal.PlainDate.from(p.birthDate).until(Temporal.PlainDate.from(today), { largestUnit: 'years' }).years,
              identifierKind: p.identifierKind, identifierMasked: mask(p.identifier),
            },
          });
        }
        return { items };
      }),
    );
  };
}
