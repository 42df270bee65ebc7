import type { Clock } from '../../platform/clock.js';
import { toDate } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import { withTransaction, type Db, type Queryable } from '../../platform/db/index.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { AuditEventOf } from '../../contracts/audit-events.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError, NotFoundError } from '../../platform/errors/app-error.js';
import { validateEgn, validateLnch } from '../../platform/identifiers.js';
import type { Patient, PatientDemographics } from '../../contracts/patients.js';
import type { AccessPolicy } from '../access/index.js';
import { findPatientById, findPatientByIndex, insertPatient } from './patients.repo.js';

/** Keyring context binding a patient's PII envelope to its row. */
export const piiContext = (patientId: string) => `patient:${patientId}:pii`;

/**
 * Checks a national identifier against its algorithm.
 * @param kind - EGN, LNCh or another document
 * @param identifier - the value
 * @throws {AppError} `request.invalid` with a pointer to the identifier field
 */
export function assertValidIdentifier(kind: PatientDemographics['identifierKind'], identifier: string): void {
  const result = kind === 'egn' ? validateEgn(identifier) : kind === 'lnch' ? validateLnch(identifier) : { ok: true as const };
  if (!result.ok) {
    throw new AppError('request.invalid', {
      detail: `The ${kind.toUpperCase()} is not valid (${result.reason})`,
      errors: [{ in: 'body', pointer: '#/identifier', detail: `invalid ${kind}: ${result.reason}` }],
    });
  }
}

/**
 * The patient registry: who a patient is, encrypted at rest.
 * @param deps - database, clock, ids, keyring, audit and the access policy
 * @returns the patients service
 */
export function createPatientsService(deps: { db: Db; clock: Clock; ids: IdGen; keyring: Keyring; audit: AuditLog; policy: AccessPolicy }) {
  /**
   * Decrypts a patient's demographics on a request's basis (access decided by the caller) and audits
   * the read as `event` says, in the caller's transaction.
   * @throws {NotFoundError} when the record is gone
   */
  async function readForRequestBasis(
    q: Queryable,
    ctx: RequestCtx,
    patientId: string,
    basis: { reason: string; facilityId: string; onBehalfOf?: string },
    event: (d: PatientDemographics) => AuditEventOf<'patient.read' | 'patient.identifier_revealed'>,
  ): Promise<{ id: string; demographics: PatientDemographics }> {
    const row = await findPatientById(q, patientId);
    if (!row) throw new NotFoundError('patient', patientId);
    const demographics = await deps.keyring.decryptJson<PatientDemographics>(ctx, q, 'registry', row.pii, piiContext(row.id));
    await deps.audit.record(q, ctx, {
      ...event(demographics),
      patientId,
      subject: { type: 'patient', id: patientId },
      reason: basis.reason,
      facilityId: basis.facilityId,
      ...(basis.onBehalfOf ? { onBehalfOf: basis.onBehalfOf } : {}),
    });
    return { id: row.id, demographics };
  }

  const service = {
    /**
     * Registers a patient inside the caller's transaction; the identifier is unique across the platform.
     * @param q - the transaction
     * @param ctx - the acting user or system
     * @param input - demographics
     * @returns the new patient's id
     * @throws {AppError} `resource.conflict` when the identifier is already registered
     */
    async createPatient(q: Queryable, ctx: RequestCtx, input: PatientDemographics): Promise<string> {
      assertValidIdentifier(input.identifierKind, input.identifier);
      const index = await deps.keyring.blindIndex('registry', `${input.identifierKind}:${input.identifier}`);
      if (await findPatientByIndex(q, index)) {
        throw new AppError('resource.conflict', { detail: 'A patient with this identifier is already registered' });
      }
      const id = deps.ids.uuid();
      const now = toDate(deps.clock.now());
      const pii = await deps.keyring.encryptJson(q, 'registry', input, piiContext(id));
      await insertPatient(q, { id, identifierKind: input.identifierKind, identifierIndex: index, pii, createdAt: now, updatedAt: now });
      await deps.audit.record(q, ctx, { action: 'patient.created', patientId: id, subject: { type: 'patient', id } });
      return id;
    },

    /**
     * Finds a registered patient by national identifier, without decrypting anything (blind index).
     * @param q - the caller's transaction
     * @param kind - EGN, LNCh or another document
     * @param identifier - the value
     * @returns the patient's id, or undefined
     */
    async findPatientIdByIdentifier(q: Queryable, kind: PatientDemographics['identifierKind'], identifier: string): Promise<string | undefined> {
      const index = await deps.keyring.blindIndex('registry', `${kind}:${identifier}`);
      return (await findPatientByIndex(q, index))?.id;
    },

    /**
     * The patient whose record matches an identity document presented at a counter: the identifier,
     * both names (case and spacing aside) and the birth date. No access check and no audit here: the
     * caller decides who may ask and audits the lookup; the answer is only the id, or nothing.
     * Security: an identifier alone never matches, so a guessed EGN reveals nothing.
     * @param q - the caller's transaction
     * @param ctx - the acting user (for the keyring)
     * @param presented - the document's data
     * @returns the patient id, or undefined when no record matches all of it
     */
    async matchPresentedPatient(q: Queryable, ctx: RequestCtx, presented: Pick<PatientDemographics, 'identifierKind' | 'identifier' | 'givenName' | 'familyName' | 'birthDate'>): Promise<string | undefined> {
      const index = await deps.keyring.blindIndex('registry', `${presented.identifierKind}:${presented.identifier}`);
      const row = await findPatientByIndex(q, index);
      if (!row) return undefined;
      const d = await deps.keyring.decryptJson<PatientDemographics>(ctx, q, 'registry', row.pii, piiContext(row.id));
      const same = (a: string, b: string) => a.trim().replace(/\s+/g, ' ').toLocaleLowerCase('bg') === b.trim().replace(/\s+/g, ' ').toLocaleLowerCase('bg');
      return same(d.givenName, presented.givenName) && same(d.familyName, presented.familyName) && d.birthDate === presented.birthDate ? row.id : undefined;
    },

    /**
     * Whether a patient record exists (no decryption, no audit: it reveals nothing about the person).
     * @param q - the caller's transaction
     * @param patientId - the id
     * @returns true when registered
     */
    async patientExists(q: Queryable, patientId: string): Promise<boolean> {
      return (await findPatientById(q, patientId)) !== undefined;
    },

    /**
     * W20: the birth date of a GP's listed patients for the prophylaxis plan's reminders, read by the
     * system's reminder job (no user to check): only the date leaves this module, and each read is audited
     * as `patient.read` of the birth date with the practice as its facility.
     * @param q - the caller's transaction
     * @param ctx - the job's system context (a user context is refused)
     * @param patientIds - the listed patients
     * @param facilityId - the practice whose plan asks
     * @returns birth date (`YYYY-MM-DD`) per patient that exists
     */
    async birthDatesForPlanIn(q: Queryable, ctx: RequestCtx, patientIds: readonly string[], facilityId: string): Promise<Map<string, string>> {
      if (ctx.actor.type !== 'system') throw new ForbiddenError('Only the reminder job reads birth dates in bulk');
      const out = new Map<string, string>();
      for (const patientId of patientIds) {
        const row = await findPatientById(q, patientId);
        if (!row) continue;
        const d = await deps.keyring.decryptJson<PatientDemographics>(ctx, q, 'registry', row.pii, piiContext(row.id));
        await deps.audit.record(q, ctx, { action: 'patient.read', patientId, facilityId, subject: { type: 'patient', id: patientId }, reason: 'prophylaxis_plan', data: { basis: 'prophylaxis_plan', fields: 'birth_date' } });
        out.set(patientId, d.birthDate);
      }
      return out;
    },

    /**
     * Reads a patient's demographics inside the caller's transaction: access-checked and audited
     * (`patient.read` with the basis as reason). The caller wraps its transaction in `policy.guard`.
     * @param q - the caller's transaction
     * @param ctx - the acting user
     * @param patientId - whose record
     * @returns the decrypted demographics
     * @throws {AccessDeniedError} when the actor has no access (also for unknown ids: no existence oracle)
     * @throws {NotFoundError} when an actor with access asks for a record that is gone
     */
    async readPatientIn(q: Queryable, ctx: RequestCtx, patientId: string): Promise<Patient> {
      const access = await deps.policy.assertCanReadPatient(ctx, q, patientId, 'demographics');
      const row = await findPatientById(q, patientId);
      if (!row) throw new NotFoundError('patient', patientId);
      const demographics = await deps.keyring.decryptJson<PatientDemographics>(ctx, q, 'registry', row.pii, piiContext(row.id));
      await deps.audit.record(q, ctx, {
        action: 'patient.read',
        patientId,
        subject: { type: 'patient', id: patientId },
        reason: access.reason,
        ...(access.facilityId ? { facilityId: access.facilityId } : {}),
        ...(access.onBehalfOf ? { onBehalfOf: access.onBehalfOf } : {}),
        data: { basis: access.basis, fields: 'demographics' },
      });
      return { ...demographics, id: row.id };
    },

    /**
     * A patient's demographics for a participant of one of the patient's requests (the patient banner):
     * the caller (the requests module) has already decided that the actor takes part in the request
     * (deny by default there); the read is audited as `patient.read` with the request as its reason.
     * @param q - the caller's transaction
     * @param ctx - the acting user
     * @param patientId - whose record
     * @param basis - the request that opens it, its facility, and the patient a representative acts for
     * @returns the decrypted demographics
     * @throws {NotFoundError} when the record is gone
     */
    async readForRequestIn(q: Queryable, ctx: RequestCtx, patientId: string, basis: { reason: string; facilityId: string; onBehalfOf?: string }): Promise<Patient> {
      const { id, demographics } = await readForRequestBasis(q, ctx, patientId, basis, () => ({ action: 'patient.read', data: { basis: 'request', fields: 'banner' } }));
      return { ...demographics, id };
    },

    /**
     * The full national identifier, shown on request (the banner masks it): audited as
     * `patient.identifier_revealed` so the patient sees it in "Кой е достъпвал данните ми".
     * @param q - the caller's transaction
     * @param ctx - the acting user (access already decided by the caller, as for readForRequestIn)
     * @param patientId - whose identifier
     * @param basis - the request that opens it and its facility
     * @returns the identifier and its kind
     */
    async revealIdentifierIn(q: Queryable, ctx: RequestCtx, patientId: string, basis: { reason: string; facilityId: string; onBehalfOf?: string }): Promise<{ identifierKind: PatientDemographics['identifierKind']; identifier: string }> {
      const { demographics } = await readForRequestBasis(q, ctx, patientId, basis, (d) => ({ action: 'patient.identifier_revealed', data: { kind: d.identifierKind } }));
      return { identifierKind: demographics.identifierKind, identifier: demographics.identifier };
    },

    /**
     * `GET /patients/:id`: one patient's demographics, access-checked and audited in one transaction.
     * @param ctx - the acting user
     * @param patientId - whose record
     * @returns the decrypted demographics
     * @throws {AccessDeniedError} when the actor has no access (recorded as `access.denied`)
     */
    async readPatient(ctx: RequestCtx, patientId: string): Promise<Patient> {
      return deps.policy.guard(ctx, () => withTransaction(deps.db, (tx) => service.readPatientIn(tx, ctx, patientId)));
    },
  };
  return service;
}
export type PatientsService = ReturnType<typeof createPatientsService>;
