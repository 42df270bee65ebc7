import type { Clock } from '../../platform/clock.js';
import { fromDate } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import type { Db, Queryable } from '../../platform/db/index.js';
import { facilityScope, type Keyring } from '../../platform/crypto/keyring.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import type { Encounter } from '../../contracts/encounters.js';
import type { AccessPolicy, AccessService } from '../access/index.js';
import type { EncounterRow } from './encounters.repo.js';

export interface EncountersDeps {
  db: Db;
  clock: Clock;
  ids: IdGen;
  keyring: Keyring;
  audit: AuditLog;
  policy: AccessPolicy;
  access: Pick<AccessService, 'openCareRelationship'>;
}

/** Care relationships opened by a recorded visit carry this source (Art. 13). */
export const ENCOUNTER_CARE_SOURCE = 'encounter';

export const reasonContext = (id: string) => `encounter:${id}:reason`;

/**
 * An encounter row in its wire form, the reason decrypted with the facility's key.
 * @returns the contract shape
 */
export async function toEncounter(deps: Pick<EncountersDeps, 'keyring'>, ctx: RequestCtx, q: Queryable, row: EncounterRow): Promise<Encounter> {
  const reason = row.reason_enc ? (await deps.keyring.decrypt(ctx, q, facilityScope(row.facility_id), row.reason_enc, reasonContext(row.id))).toString('utf8') : null;
  return {
    id: row.id,
    patientId: row.patient_id,
    facilityId: row.facility_id,
    practitionerId: row.practitioner_id,
    kind: row.kind,
    consultationId: row.consultation_id,
    requestId: row.request_id,
    nhifPaid: row.nhif_paid,
    remoteAssessable: row.remote_assessable,
    startedAt: fromDate(row.started_at).toString(),
    endedAt: row.ended_at ? fromDate(row.ended_at).toString() : null,
    reason,
  };
}
