import { toDate } from '../../platform/clock.js';
import type { Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import type { AccessDeps } from './access-shared.js';
import * as repo from './access.repo.js';

export interface CareRelationshipInput {
  patientId: string;
  practitionerId: string;
  facilityId: string;
  /** What opened it: `request`, `consultation`, … */
  sourceType: string;
  sourceId: string;
  /** Defaults to now. */
  activeFrom?: Date;
  /** Defaults to open-ended (closed by `closeCareRelationship`). */
  activeUntil?: Date;
}

/**
 * Care relationships (Art. 13): what opens a patient's data to the specialist who took on their care.
 * @param deps - the access dependencies
 * @returns the care-relationship use cases
 */
export function createCareUseCases(deps: Pick<AccessDeps, 'clock' | 'ids' | 'audit'>) {
  const { clock, ids, audit } = deps;
  return {
    /**
     * Art. 13 seam: the requests and consultation modules call this in their own transaction when a
     * specialist takes on a patient's request or consultation; the policy then opens the patient's data
     * to that specialist, in that facility, until the relationship is closed.
     * @param q - the caller's transaction
     * @param ctx - who acts (audited)
     * @param input - patient, practitioner, facility, source and validity
     * @returns the care relationship id
     * @throws {AppError} `resource.conflict` when the same source already opened one for this practitioner
     */
    async openCareRelationship(q: Queryable, ctx: RequestCtx, input: CareRelationshipInput): Promise<string> {
      const id = ids.uuid();
      const now = toDate(clock.now());
      await repo.insertCareRelationship(q, {
        id,
        patientId: input.patientId,
        practitionerId: input.practitionerId,
        facilityId: input.facilityId,
        sourceType: input.sourceType,
        sourceId: input.sourceId,
        activeFrom: input.activeFrom ?? now,
        activeUntil: input.activeUntil ?? null,
        createdAt: now,
      });
      await audit.record(q, ctx, {
        action: 'care.opened',
        patientId: input.patientId,
        facilityId: input.facilityId,
        subject: { type: 'care_relationship', id },
        reason: `${input.sourceType}:${input.sourceId}`,
        data: { practitionerId: input.practitionerId },
      });
      return id;
    },

    /**
     * Closes every open care relationship of a source (the request was declined or closed, the
     * consultation's record was signed), from `at` (default now).
     * @param q - the caller's transaction
     * @param ctx - who acts (audited)
     * @param source - the source type and id, and when it ends
     * @returns how many relationships were closed
     */
    async closeCareRelationship(q: Queryable, ctx: RequestCtx, source: { sourceType: string; sourceId: string; at?: Date }): Promise<number> {
      const rows = await repo.closeCareRelationships(q, source.sourceType, source.sourceId, source.at ?? toDate(clock.now()));
      for (const r of rows) {
        await audit.record(q, ctx, {
          action: 'care.closed',
          patientId: r.patientId,
          facilityId: r.facilityId,
          subject: { type: 'care_relationship', id: r.id },
          reason: `${r.sourceType}:${r.sourceId}`,
        });
      }
      return rows.length;
    },
  };
}
