import { toDate, type Temporal } from '../../platform/clock.js';
import { withTransaction, type Queryable } from '../../platform/db/index.js';
import { facilityScope } from '../../platform/crypto/keyring.js';
import type { AuditEntry } from '../../platform/audit/audit-log.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, NotFoundError, RuleViolation } from '../../platform/errors/app-error.js';
import { isRetryable, pgErrorOf, PgCode } from '../../platform/db/pg-errors.js';
import { CreateRequestBodySchema, type CreateRequestBody, type RequestForm, type RequestWithAppointment } from '../../contracts/requests.js';
import * as repo from './requests.repo.js';
import { bodyHash, formContext, invalid, requireUser, slotTaken, type ParsedCreateRequest, type RequestsDeps, type UserActor } from './request-common.js';
import type { RequestViews } from './request-view.js';

/**
 * Filing a request (Art. 18): who may file for whom (R-TM-03/04/05/31), planned care with a time booked
 * in one statement (STYLE C8), planned care without a time, and emergencies routed to the rota (Art. 14).
 * @param deps - the requests dependencies
 * @param views - the shared viewer and view helpers
 * @returns createRequest
 */
export function createFileRequest(deps: RequestsDeps, views: RequestViews) {
  const { db, pool, clock, ids, keyring, audit, outbox, policy } = deps;
  const { view, notify } = views;

  interface Filer {
    requesterKind: 'patient' | 'representative' | 'specialist';
    patientId: string | null;
    requesterPractitionerId: string | null;
    requesterFacilityId: string | null;
    reason: string;
    onBehalfOf?: string;
  }

  /** R-TM-03, R-TM-04, R-TM-05, R-TM-31: who files, for whom, and what kind they may ask for. */
  async function resolveFiler(tx: Queryable, ctx: RequestCtx, actor: UserActor, body: ParsedCreateRequest): Promise<Filer> {
    if (actor.role === 'patient' || actor.role === 'representative') {
      // Regulatory: R-TM-05 — patients (and their representatives) request planned care only (Art. 14(2)-(3)).
      if (body.urgency === 'emergency') throw new RuleViolation('R-TM-05', 'A patient may request planned care only; emergencies are consultations between specialists (Art. 14(3))', [{ in: 'body', pointer: '#/urgency', detail: 'planned only' }]);
      const patientId = body.patientId ?? (actor.role === 'patient' ? actor.patientId : undefined);
      if (!patientId) throw invalid('#/patientId', 'Choose the patient the request is for');
      // Regulatory: R-TM-04 / R-TM-31 — the recipient files it: the patient, or the patient's representative.
      const access = await policy.assertCanActForPatient(ctx, tx, patientId, 'request.created');
      return {
        requesterKind: actor.role,
        patientId,
        requesterPractitionerId: null,
        requesterFacilityId: null,
        reason: access.reason,
        ...(access.onBehalfOf ? { onBehalfOf: access.onBehalfOf } : {}),
      };
    }
    if (actor.role === 'specialist') {
      const practitionerId = await repo.practitionerOfAccount(tx, actor.id);
      // Regulatory: R-TM-03 — a specialist requests from a facility they work in (Art. 8(1)).
      const facilityId = body.requesterFacilityId ?? (actor.facilityIds.length === 1 ? actor.facilityIds[0] : undefined);
      if (!practitionerId || !facilityId || !actor.facilityIds.includes(facilityId)) {
        throw new RuleViolation('R-TM-03', 'A specialist files requests from a facility they work in', [{ in: 'body', pointer: '#/requesterFacilityId', detail: 'not your facility' }]);
      }
      let reason = 'self';
      if (body.patientId) {
        // Security: the requesting specialist must already be entitled to the patient's clinical data.
        reason = (await policy.assertCanReadPatient(ctx, tx, body.patientId, 'clinical')).reason;
      }
      return { requesterKind: 'specialist', patientId: body.patientId ?? null, requesterPractitionerId: practitionerId, requesterFacilityId: facilityId, reason };
    }
    // Regulatory: R-TM-03 — administrators, coordinators, supervisors and the operator are not requesters.
    throw new RuleViolation('R-TM-03', 'Only a patient, a representative or a specialist in a facility may request care at a distance');
  }

  /** The request row as filed (ids, parties, encrypted form), shared by both filing paths. */
  function newRequest(id: string, actor: UserActor, filer: Filer, body: ParsedCreateRequest, formEnc: Buffer, idempotencyKey: string | undefined, hash: string | null, now: Date): repo.NewRequest {
    return {
      id,
      urgency: body.urgency,
      mode: body.mode,
      requesterKind: filer.requesterKind,
      requesterAccountId: actor.id,
      requesterPractitionerId: filer.requesterPractitionerId,
      requesterFacilityId: filer.requesterFacilityId,
      // Regulatory: R-TM-04, docs/decisions.md#d2 — the recipient is the patient (filed by them or their
      // representative) or the requesting specialist in their facility.
      recipientKind: filer.requesterKind === 'specialist' ? 'specialist' : 'patient',
      recipientPractitionerId: filer.requesterPractitionerId,
      recipientFacilityId: filer.requesterFacilityId,
      patientId: filer.patientId,
      providerFacilityId: body.facilityId,
      specialtyCode: body.specialtyCode,
      serviceId: body.serviceId ?? null,
      practitionerId: body.practitionerId ?? null,
      formEnc,
      idempotencyKey: idempotencyKey ?? null,
      idempotencyHash: hash,
      escalationPosition: null,
      now,
    };
  }

  function createdAuditEntry(id: string, filer: Filer, body: ParsedCreateRequest, appointmentId: string | null): AuditEntry {
    return {
      action: 'request.created',
      ...(filer.patientId ? { patientId: filer.patientId } : {}),
      facilityId: body.facilityId,
      subject: { type: 'service_request', id },
      reason: filer.reason,
      ...(filer.onBehalfOf ? { onBehalfOf: filer.onBehalfOf } : {}),
      data: { urgency: body.urgency, mode: body.mode, specialty: body.specialtyCode, ...(appointmentId ? { appointmentId } : {}) },
    };
  }

  /**
   * Planned care with direct interaction: the booking (STYLE C8), in one statement that is its own
   * transaction (repo.bookSlot). The checks before it only read, as they did before the booking
   * statement inside a READ COMMITTED transaction (each statement there saw the latest commits too);
   * they take no locks that the booking relies on, so running them first weakens nothing.
   */
  async function bookPlanned(ctx: RequestCtx, actor: UserActor, body: ParsedCreateRequest, idempotencyKey: string | undefined, hash: string | null, id: string): Promise<{ id: string; row: repo.RequestRow | undefined }> {
    const nowDate = toDate(clock.now());
    // Security: an access denial found here (db, not a transaction) is audited at once by the policy.
    const filer = await resolveFiler(db, ctx, actor, body);
    // Regulatory: R-TM-30 — with direct interaction the time is mandatory and must be a published slot.
    if (!body.slotId) throw invalid('#/slotId', 'Choose a time from the published schedule (required with direct interaction, Art. 18 item 3)');
    const form: RequestForm = { phone: body.phone, circumstances: body.circumstances ?? null, intake: body.intake };
    // The facility's data key is unwrapped once per process and key (keyring cache); the form is not kept.
    const formEnc = await keyring.encryptJson(db, facilityScope(body.facilityId), form, formContext(id));
    const base = newRequest(id, actor, filer, body, formEnc, idempotencyKey, hash, nowDate);
    const appointmentId = ids.uuid();
    const booking = {
      ...base,
      slotId: body.slotId,
      appointmentId,
      eventId: ids.uuid(),
      practitionerFilter: body.practitionerId ?? null,
      outboxId: ids.uuid(),
      outboxPayload: { requestId: id, event: 'created' },
    };
    const auditEntry = createdAuditEntry(id, filer, body, appointmentId);
    let booked: repo.BookedRow | undefined;
    for (let attempt = 1; ; attempt += 1) {
      try {
        // Audit: the row `audit.record` would append, sealed for this connection's chain and written by
        // the booking statement itself, in its transaction (docs/audit.md).
        const client = await pool.connect();
        try {
          booked = await audit.appendWith(client, ctx, auditEntry, async (values) => {
            const row = await repo.bookSlot(client, { ...booking, audit: values });
            return { inserted: row !== undefined, result: row };
          });
        } finally {
          client.release();
        }
        break;
      } catch (err) {
        // Concurrency: another booking overlaps this specialist's time (exclusion constraint, STYLE C8).
        if (pgErrorOf(err)?.code === PgCode.exclusionViolation) throw slotTaken();
        // A deadlock rolled the whole statement back: one retry, as withTransaction does.
        if (attempt > 1 || !isRetryable(err)) throw err;
      }
    }
    if (!booked) return explainFailedBooking(db, body, nowDate);
    // Performance: the booking statement returned everything the answer needs (no read-back).
    return { id, row: filer.requesterKind !== 'specialist' ? bookedRow(base, booked, appointmentId) : undefined };
  }

  /** Requests without a time: planned store-and-forward, and emergencies (Art. 14). */
  async function createRequestTx(tx: Queryable, ctx: RequestCtx, actor: UserActor, body: ParsedCreateRequest, idempotencyKey: string | undefined, hash: string | null, id: string) {
    const now = clock.now();
    const nowDate = toDate(now);
    const filer = await resolveFiler(tx, ctx, actor, body);
    const form: RequestForm = { phone: body.phone, circumstances: body.circumstances ?? null, intake: body.intake };
    const formEnc = await keyring.encryptJson(tx, facilityScope(body.facilityId), form, formContext(id));
    const base = newRequest(id, actor, filer, body, formEnc, idempotencyKey, hash, nowDate);
    // Regulatory: R-TM-30 — without direct interaction there is no time to pick.
    if (body.slotId) throw invalid('#/slotId', 'A time is chosen only for services with direct interaction');
    if (body.urgency === 'planned') {
      await checkPlannedAsync(tx, body);
    } else {
      await checkEmergency(tx, body, filer, now);
      base.escalationPosition = 1;
    }
    try {
      await repo.insertRequest(tx, base);
    } catch (err) {
      if (pgErrorOf(err)?.code === PgCode.uniqueViolation && idempotencyKey) throw new AppError('resource.conflict', { detail: 'idempotency key reused' });
      throw err;
    }
    await repo.insertEvent(tx, { id: ids.uuid(), requestId: id, action: 'file', fromStatus: null, toStatus: 'requested', side: 'requester', actorAccountId: actor.id, reasonEnc: null, at: nowDate });
    await audit.record(tx, ctx, createdAuditEntry(id, filer, body, null));
    if (body.urgency === 'emergency') {
      await startEmergencyRouting(tx, id, body.facilityId, body.specialtyCode, now);
    } else {
      await notify(tx, id, 'created');
    }
    return { id, row: undefined };
  }

  function bookedRow(r: repo.NewRequest, b: repo.BookedRow, appointmentId: string): repo.RequestRow {
    return {
      id: r.id,
      urgency: 'planned',
      mode: 'synchronous',
      status: 'requested',
      version: 1,
      requester_kind: r.requesterKind,
      requester_account_id: r.requesterAccountId,
      requester_practitioner_id: null,
      requester_practitioner_name: null,
      requester_facility_id: null,
      requester_facility_name: null,
      recipient_kind: r.recipientKind,
      recipient_practitioner_id: null,
      recipient_practitioner_name: null,
      recipient_facility_id: null,
      recipient_facility_name: null,
      patient_id: r.patientId,
      provider_facility_id: r.providerFacilityId,
      provider_facility_name: b.provider_facility_name,
      specialty_code: r.specialtyCode,
      specialty_name_bg: b.specialty_name_bg,
      specialty_name_en: b.specialty_name_en,
      service_id: b.service_id,
      service_name: b.service_name,
      practitioner_id: b.practitioner_id,
      practitioner_name: b.practitioner_name,
      slot_id: b.slot_id,
      form_enc: r.formEnc,
      escalation_position: null,
      accepted_at: null,
      accepted_by_account_id: null,
      created_at: r.now,
      updated_at: r.now,
      appointment_id: appointmentId,
      appointment_practitioner_id: b.practitioner_id,
      appointment_facility_id: r.providerFacilityId,
      appointment_start: b.start,
      appointment_end: b.end,
      appointment_status: 'pending',
      appointment_version: 1,
      requester_change_min_minutes: b.requester_change_min_minutes,
      provider_change_min_minutes: b.provider_change_min_minutes,
    };
  }

  /** Why a booking statement took no slot: the most specific answer (STYLE C8 step 1, after the fact). */
  async function explainFailedBooking(tx: Queryable, body: ParsedCreateRequest, now: Date): Promise<never> {
    const slot = await repo.findSlot(tx, body.slotId ?? '');
    if (!slot) throw new AppError('resource.not_found', { detail: 'No such time in the schedule', errors: [{ in: 'body', pointer: '#/slotId', detail: 'unknown' }] });
    if (slot.facility_id !== body.facilityId) throw invalid('#/facilityId', 'The time belongs to another facility');
    if (slot.specialty_code !== body.specialtyCode) throw invalid('#/specialtyCode', 'The time belongs to another specialty');
    if (body.serviceId && slot.service_id !== body.serviceId) throw invalid('#/serviceId', 'The time belongs to another service');
    if (body.practitionerId && slot.practitioner_id !== body.practitionerId) throw invalid('#/practitionerId', 'The time belongs to another specialist');
    // Regulatory: R-TM-08 — planned care only against the facility's published (pre-announced) schedule.
    if (slot.service_status !== 'published') throw new RuleViolation('R-TM-08', 'The service is not published', [{ in: 'body', pointer: '#/serviceId', detail: 'not published' }]);
    if (slot.service_mode !== 'synchronous') throw new RuleViolation('R-TM-09', 'The service is provided without direct interaction; file it as asynchronous', [{ in: 'body', pointer: '#/mode', detail: 'mode mismatch' }]);
    if (slot.start <= now) throw invalid('#/slotId', 'The time has passed');
    throw slotTaken();
  }

  async function checkPlannedAsync(tx: Queryable, body: ParsedCreateRequest): Promise<void> {
    if (!body.serviceId) throw invalid('#/serviceId', 'Choose a published service');
    if (!body.practitionerId) throw invalid('#/practitionerId', 'Choose the specialist (Art. 18 item 2)');
    const service = await repo.findService(tx, body.serviceId);
    if (!service || service.facility_id !== body.facilityId) throw new AppError('resource.not_found', { detail: 'No such service at this facility', errors: [{ in: 'body', pointer: '#/serviceId', detail: 'unknown' }] });
    if (service.status !== 'published') throw new RuleViolation('R-TM-08', 'The service is not published', [{ in: 'body', pointer: '#/serviceId', detail: 'not published' }]);
    if (service.specialty_code !== body.specialtyCode) throw invalid('#/specialtyCode', 'The service belongs to another specialty');
    // Regulatory: R-TM-09 — one mode per encounter, the one the facility publishes for the service.
    if (service.mode !== body.mode) throw new RuleViolation('R-TM-09', 'The service is provided with direct interaction; choose a time', [{ in: 'body', pointer: '#/mode', detail: 'mode mismatch' }]);
    if (!(await repo.practitionerServes(tx, body.practitionerId, body.facilityId, body.specialtyCode))) {
      throw invalid('#/practitionerId', 'The specialist does not provide this specialty at this facility');
    }
  }

  async function checkEmergency(tx: Queryable, body: ParsedCreateRequest, filer: Filer, now: Temporal.Instant): Promise<void> {
    // Regulatory: R-TM-07 — emergency care at a distance is a consultation between specialists.
    if (filer.requesterKind !== 'specialist' || !filer.requesterFacilityId) throw new RuleViolation('R-TM-07', 'Emergency care at a distance is a consultation between specialists');
    if (body.serviceId || body.practitionerId) throw invalid('#/practitionerId', 'Emergencies go to the specialists on duty; do not choose one');
    const zone = await repo.facilityTimeZone(tx, body.facilityId);
    if (!zone) throw new AppError('resource.not_found', { detail: 'No such active facility', errors: [{ in: 'body', pointer: '#/facilityId', detail: 'unknown' }] });
    // Time zone: contract validity is in the provider's calendar dates (migrations/0006, emergency_contract).
    const today = now.toZonedDateTimeISO(zone).toPlainDate().toString();
    // Regulatory: R-TM-06 — only between facilities with an active contract under ЗЛЗ Art. 95(1) (Art. 14(3)).
    if (!(await repo.hasActiveEmergencyContract(tx, filer.requesterFacilityId, body.facilityId, body.specialtyCode, today))) {
      throw new RuleViolation('R-TM-06', 'There is no active emergency contract with this facility for this specialty', [{ in: 'body', pointer: '#/facilityId', detail: 'no contract' }]);
    }
  }

  async function startEmergencyRouting(tx: Queryable, requestId: string, facilityId: string, specialtyCode: string, now: Temporal.Instant): Promise<void> {
    const rota = await repo.listRota(tx, facilityId, specialtyCode);
    const first = rota[0];
    if (!first) throw new AppError('request.no_one_on_duty', { detail: 'No specialist of this specialty is on duty there', errors: [{ in: 'body', pointer: '#/specialtyCode', detail: 'nobody on duty' }] });
    await repo.insertAlert(tx, { requestId, position: 1, practitionerId: first.practitioner_id, at: toDate(now) });
    await notify(tx, requestId, 'emergency_alert', { position: 1 });
    const policyRow = await repo.findPolicy(tx, facilityId);
    // Concurrency: the escalation is a due outbox row, not a timer (STYLE C20); it moves only by CAS.
    await outbox.enqueue(tx, 'request.escalate', { requestId, position: 1 }, now.add({ minutes: policyRow.emergency_ack_minutes }));
  }

  return {
    /**
     * Files a request (Art. 18) and, for planned real-time care, books its slot atomically (STYLE C8).
     * Retrying with the same idempotency key returns the first result.
     * @param ctx - a patient, a representative (for a linked patient) or a specialist
     * @param input - the form
     * @param idempotencyKey - the `Idempotency-Key` header, if any
     * @returns the request and its appointment (null without direct interaction)
     * @throws {AppError} `appointment.slot_taken` when the time is gone; `rule.violated` (R-TM-03, 05, 06,
     *   07, 08, 09); `request.invalid` (R-TM-30: a time only and always with direct interaction);
     *   `request.no_one_on_duty`; `resource.conflict` when the key was used for another request
     */
    async createRequest(ctx: RequestCtx, input: CreateRequestBody, idempotencyKey?: string): Promise<RequestWithAppointment & { replayed: boolean }> {
      const actor = requireUser(ctx);
      const body = CreateRequestBodySchema.parse(input);
      const hash = idempotencyKey ? bodyHash(body) : null;
      try {
        // Regulatory: R-NHIF-01, R-PC-13, R-INS-01 — who pays is settled before a patient's planned booking:
        // interrupted rights pay the price they were shown, a foreigner needs a policy for the day of care.
        // Runs before the booking's transaction (it may ask the NRA registry, docs/insurance.md).
        const patientSide = actor.role === 'patient' || actor.role === 'representative';
        const payFor = body.patientId ?? (actor.role === 'patient' ? actor.patientId : undefined);
        const payment = deps.payment && patientSide && body.urgency === 'planned' && body.serviceId && payFor
          ? await deps.payment.enforceBookingPayment(ctx, payFor, { serviceId: body.serviceId, slotId: body.slotId }, body.acceptedPriceEurCents)
          : undefined;
        const newId = ids.uuid();
        // Regulatory: W14, R-REF-01/04 — an NHIF-paid specialist booking takes the patient's referral once,
        // reserved before the booking statement and given back if the booking does not happen.
        const referral = payment && payFor && body.serviceId && deps.referrals
          ? await deps.referrals.reserveForBooking(ctx, { nrn: body.referralNrn, patientId: payFor, serviceId: body.serviceId, slotId: body.slotId, payer: payment.payer, requestId: newId })
          : null;
        let created: { id: string; row: repo.RequestRow | undefined };
        try {
          created = await policy.guard(ctx, () =>
            body.urgency === 'planned' && body.mode === 'synchronous'
              ? bookPlanned(ctx, actor, body, idempotencyKey, hash, newId)
              : withTransaction(db, (tx) => createRequestTx(tx, ctx, actor, body, idempotencyKey, hash, newId)),
          );
        } catch (err) {
          if (referral && deps.referrals) await deps.referrals.releaseForRequest(ctx, newId);
          throw err;
        }
        const id = created.id;
        if (payment && deps.payment) await deps.payment.recordBookingPayment(ctx, payment, id);
        const row = created.row ?? (await repo.findRequest(db, id));
        if (!row) throw new NotFoundError('service_request', id);
        return { ...view(row, 'requester', ctx.lang), replayed: false };
      } catch (err) {
        const slotGone = err instanceof AppError && err.code === 'appointment.slot_taken';
        // A retry of a booking that went through finds its referral used by the first attempt (at the first's own
        // time a used № 3 is no secondary visit either, R-REF-02).
        const dup = err instanceof AppError && (err.code === 'resource.conflict' || err.code === 'referral.already_used' || err.code === 'referral.secondary_before_primary');
        if (idempotencyKey && (slotGone || dup || pgErrorOf(err)?.code === PgCode.uniqueViolation)) {
          // Idempotency: the first attempt with this key may have taken the slot; answer with its result.
          const existing = await repo.findRequestByIdempotencyKey(db, actor.id, idempotencyKey);
          if (existing) {
            if (existing.idempotency_hash !== hash) throw new AppError('request.idempotency_conflict', { detail: 'This Idempotency-Key was used for a different request' });
            return { ...view(existing, 'requester', ctx.lang), replayed: true };
          }
        }
        if (slotGone) {
          // Audit: a refused booking is recorded in its own short transaction (STYLE C13).
          await audit.recordStandalone(ctx, { action: 'appointment.slot_taken', outcome: 'failure', facilityId: body.facilityId, subject: { type: 'slot', id: body.slotId ?? '' }, data: { specialty: body.specialtyCode } });
        }
        throw err;
      }
    },
  };
}
