import { createHash } from 'node:crypto';
import { fromDate, toDate, Temporal, type Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import { mapInOrder, withTransaction, type Db, type Queryable, type Tx } from '../../platform/db/index.js';
import { facilityScope, type Keyring } from '../../platform/crypto/keyring.js';
import type pg from 'pg';
import type { AuditEntry, AuditLog } from '../../platform/audit/audit-log.js';
import type { Outbox, OutboxMessage } from '../../platform/outbox/outbox.js';
import { systemCtx, type Actor, type RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError, InvalidTransitionError, NotFoundError, RuleViolation } from '../../platform/errors/app-error.js';
import { isRetryable, pgErrorOf, PgCode } from '../../platform/db/pg-errors.js';
import type {
  AttachmentBody,
  AttachmentMeta,
  CreateRequestBody,
  EmergencyRota,
  EmergencyTargetList,
  RequestAction,
  RequestDetail,
  RequestForm,
  RequestList,
  RequestWithAppointment,
  TransitionBody,
  Worklist,
} from '../../contracts/requests.js';
import { looksLikePlainText, sniffFileType } from '../../contracts/file-types.js';
import { CreateRequestBodySchema } from '../../contracts/requests.js';
import type { AccessPolicy, AccessService } from '../access/index.js';
import type { AdmissibilityService } from '../consent/index.js';
import type { NotificationRecipient, NotificationsService } from '../notifications/index.js';
import { allowedActions, appointmentStatusFor, changeAllowed, changeDeadline, nextStatus, TERMINAL, TRANSITIONS, type Side } from './request-status.js';
import * as repo from './requests.repo.js';

type UserActor = Extract<Actor, { type: 'user' }>;

// Keyring contexts (migrations/0007_requests.sql); scope is always the providing facility.
const formContext = (requestId: string) => `request:${requestId}:intake`;
const reasonContext = (eventId: string) => `request_event:${eventId}:reason`;
const attachmentContext = (requestId: string, attachmentId: string, part: 'name' | 'content') => `request:${requestId}:attachment:${attachmentId}:${part}`;

const iso = (d: Date) => fromDate(d).toString();
const isoOrNull = (d: Date | null) => (d ? iso(d) : null);
const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

// Security: outbox handlers read contact data and the form as a system actor; never logged.
const workerCtx = systemCtx('requests.worker');

function requireUser(ctx: RequestCtx): UserActor {
  if (ctx.actor.type === 'anonymous') throw new AppError('auth.unauthenticated');
  if (ctx.actor.type !== 'user') throw new ForbiddenError('Only a signed-in user may do this');
  return ctx.actor;
}

function slotTaken(detail = 'That time was booked by someone else first'): AppError {
  return new AppError('appointment.slot_taken', { detail, errors: [{ in: 'body', pointer: '#/slotId', detail: 'taken' }] });
}

function invalid(pointer: string, detail: string): AppError {
  return new AppError('request.invalid', { detail, errors: [{ in: 'body', pointer, detail }] });
}

/** A stable hash of what was asked, so a reused idempotency key with another body is refused. */
function bodyHash(body: unknown): string {
  const canon = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canon);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, canon(x)]));
    return v;
  };
  return createHash('sha256').update(JSON.stringify(canon(body))).digest('hex');
}

export interface RequestsDeps {
  db: Db;
  /** The pool behind `db`: the booking runs as one named statement on one of its connections (repo.bookSlot). */
  pool: Pick<pg.Pool, 'connect'>;
  clock: Clock;
  ids: IdGen;
  keyring: Keyring;
  audit: AuditLog;
  outbox: Outbox;
  policy: AccessPolicy;
  access: AccessService;
  notifications: NotificationsService;
  /** Consent module: the Art. 7 decision recorded with accept/decline, and the gates checked at `start`. */
  admissibility: Pick<AdmissibilityService, 'recordDecision' | 'assertServiceMayStart' | 'guardDecision'>;
  /**
   * Records module: completing a service starts its Art. 17 documentation deadline, and a request is
   * documented only with the signed sheet or written consultation (R-TM-40/41).
   */
  documentation: {
    startDeadline(q: Tx, ctx: RequestCtx, requestId: string, completedAt: Temporal.Instant): Promise<unknown>;
    assertCanClose(q: Tx, requestId: string): Promise<void>;
  };
}

/**
 * Telemedicine requests and booking: the Art. 18 form with the Art. 12 intake, planned and
 * emergency kinds (Art. 14), atomic booking of a published slot (STYLE C8), the lifecycle as
 * compare-and-swap transitions (STYLE C9), emergency routing along the facility's rota, and the
 * notifications through the outbox (STYLE C20).
 * @param deps - database, clock, ids, keyring, audit, outbox, the access policy and service, notifications
 * @returns the requests service
 */
export function createRequestsService(deps: RequestsDeps) {
  const { db, pool, clock, ids, keyring, audit, outbox, policy } = deps;

  // -------------------------------------------------------------------------------------------------
  // Who is on which side
  // -------------------------------------------------------------------------------------------------

  interface Viewer {
    side: Side;
    /** Audit reason of the read. */
    reason: string;
    onBehalfOf?: string;
    practitionerId?: string;
  }

  /**
   * Decides whether the actor sees the request and on which side; deny by default.
   * @returns the viewer, or undefined when the actor has nothing to do with it
   */
  async function viewerOf(q: Queryable, ctx: RequestCtx, actor: UserActor, row: repo.RequestRow): Promise<Viewer | undefined> {
    if (actor.role === 'specialist') {
      const practitionerId = await repo.practitionerOfAccount(q, actor.id);
      if (!practitionerId) return undefined;
      if (row.requester_practitioner_id === practitionerId || row.requester_account_id === actor.id) return { side: 'requester', reason: `request:${row.id}`, practitionerId };
      if (row.practitioner_id === practitionerId && actor.facilityIds.includes(row.provider_facility_id)) return { side: 'provider', reason: `request:${row.id}`, practitionerId };
      // Emergencies are open to every specialist on the provider's rota until one acknowledges.
      if (
        row.urgency === 'emergency' &&
        row.status === 'requested' &&
        actor.facilityIds.includes(row.provider_facility_id) &&
        (await repo.isOnRota(q, row.provider_facility_id, row.specialty_code, practitionerId))
      ) {
        return { side: 'provider', reason: `request:${row.id}`, practitionerId };
      }
      return undefined;
    }
    if (row.requester_account_id === actor.id) {
      return { side: 'requester', reason: actor.role === 'representative' ? `request:${row.id}` : 'self', ...(row.patient_id && actor.role === 'representative' ? { onBehalfOf: row.patient_id } : {}) };
    }
    if (actor.role === 'patient' && row.patient_id && actor.patientId === row.patient_id) return { side: 'requester', reason: 'self' };
    if (actor.role === 'representative' && row.patient_id) {
      const refs = await policy.patientIdsActorMayActFor(ctx, q);
      const ref = refs.find((r) => r.patientId === row.patient_id);
      if (ref) return { side: 'requester', reason: `representative_link:${ref.linkId ?? ''}`, onBehalfOf: row.patient_id };
    }
    return undefined;
  }

  /** The viewer side's change deadline for the live appointment (the same rule transitionTx enforces), or null. */
  function changeableUntil(row: repo.RequestRow, side: Side, live: boolean, actions: readonly string[]): string | null {
    if (!live || !row.appointment_start || !(actions.includes('cancel') || actions.includes('reschedule'))) return null;
    const min =
      side === 'provider'
        ? (row.provider_change_min_minutes ?? repo.DEFAULT_POLICY.provider_change_min_minutes)
        : (row.requester_change_min_minutes ?? repo.DEFAULT_POLICY.requester_change_min_minutes);
    return new Date(changeDeadline(row.appointment_start.getTime(), min)).toISOString();
  }

  function view(row: repo.RequestRow, side: Side, lang: 'bg' | 'en', acceptedByName: string | null = null): RequestWithAppointment {
    const hasAppointment = row.appointment_id !== null;
    const live = hasAppointment && !['cancelled', 'noshow', 'entered-in-error'].includes(row.appointment_status ?? '');
    const actions = allowedActions(row.status, side, { urgency: row.urgency, mode: row.mode, hasAppointment: live });
    return {
      request: {
        id: row.id,
        urgency: row.urgency,
        mode: row.mode,
        status: row.status,
        version: row.version,
        requester: {
          kind: row.requester_kind,
          accountId: row.requester_account_id,
          practitionerId: row.requester_practitioner_id,
          practitionerName: row.requester_practitioner_name,
          facilityId: row.requester_facility_id,
          facilityName: row.requester_facility_name,
          patientId: row.requester_kind === 'specialist' ? null : row.patient_id,
        },
        recipient: {
          kind: row.recipient_kind,
          accountId: row.recipient_kind === 'patient' ? null : row.requester_account_id,
          practitionerId: row.recipient_practitioner_id,
          practitionerName: row.recipient_practitioner_name,
          facilityId: row.recipient_facility_id,
          facilityName: row.recipient_facility_name,
          patientId: row.recipient_kind === 'patient' ? row.patient_id : null,
        },
        patientId: row.patient_id,
        provider: {
          facilityId: row.provider_facility_id,
          facilityName: row.provider_facility_name,
          specialtyCode: row.specialty_code,
          specialtyName: lang === 'en' ? row.specialty_name_en : row.specialty_name_bg,
          serviceId: row.service_id,
          serviceName: row.service_name,
          practitionerId: row.practitioner_id,
          practitionerName: row.practitioner_name,
        },
        slotId: row.slot_id,
        acceptedAt: isoOrNull(row.accepted_at),
        acceptedByPractitionerName: row.accepted_at ? (acceptedByName ?? row.practitioner_name) : null,
        createdAt: iso(row.created_at),
        updatedAt: iso(row.updated_at),
        viewerSide: side,
        allowedActions: actions,
        changeableUntil: changeableUntil(row, side, live, actions),
      },
      appointment:
        row.appointment_id && row.appointment_start && row.appointment_end && row.appointment_status && row.appointment_practitioner_id && row.appointment_facility_id
          ? {
              id: row.appointment_id,
              requestId: row.id,
              practitionerId: row.appointment_practitioner_id,
              facilityId: row.appointment_facility_id,
              start: iso(row.appointment_start),
              end: iso(row.appointment_end),
              status: row.appointment_status,
              version: row.appointment_version ?? 1,
            }
          : null,
    };
  }

  async function loadVisible(tx: Queryable, ctx: RequestCtx, id: string): Promise<{ row: repo.RequestRow; viewer: Viewer; actor: UserActor }> {
    const actor = requireUser(ctx);
    const row = await repo.findRequest(tx, id);
    if (!row) throw new NotFoundError('service_request', id);
    const viewer = await viewerOf(tx, ctx, actor, row);
    // Security: a request the actor has nothing to do with is "not found" (its existence is not revealed).
    if (!viewer) throw new NotFoundError('service_request', id);
    return { row, viewer, actor };
  }

  async function notify(tx: Queryable, requestId: string, event: string, extra: Record<string, unknown> = {}): Promise<void> {
    await outbox.enqueue(tx, 'request.notify', { requestId, event, ...extra });
  }

  // -------------------------------------------------------------------------------------------------
  // Filing a request
  // -------------------------------------------------------------------------------------------------

  interface Filer {
    requesterKind: 'patient' | 'representative' | 'specialist';
    patientId: string | null;
    requesterPractitionerId: string | null;
    requesterFacilityId: string | null;
    reason: string;
    onBehalfOf?: string;
  }

  /** R-TM-03, R-TM-04, R-TM-05, R-TM-31: who files, for whom, and what kind they may ask for. */
  async function resolveFiler(tx: Queryable, ctx: RequestCtx, actor: UserActor, body: ReturnType<typeof CreateRequestBodySchema.parse>): Promise<Filer> {
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
  function newRequest(id: string, actor: UserActor, filer: Filer, body: ReturnType<typeof CreateRequestBodySchema.parse>, formEnc: Buffer, idempotencyKey: string | undefined, hash: string | null, now: Date): repo.NewRequest {
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

  function createdAuditEntry(id: string, filer: Filer, body: ReturnType<typeof CreateRequestBodySchema.parse>, appointmentId: string | null): AuditEntry {
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
  async function bookPlanned(ctx: RequestCtx, actor: UserActor, body: ReturnType<typeof CreateRequestBodySchema.parse>, idempotencyKey: string | undefined, hash: string | null): Promise<{ id: string; row: repo.RequestRow | undefined }> {
    const nowDate = toDate(clock.now());
    // Security: an access denial found here (db, not a transaction) is audited at once by the policy.
    const filer = await resolveFiler(db, ctx, actor, body);
    // Regulatory: R-TM-30 — with direct interaction the time is mandatory and must be a published slot.
    if (!body.slotId) throw invalid('#/slotId', 'Choose a time from the published schedule (required with direct interaction, Art. 18 item 3)');
    const id = ids.uuid();
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
  async function createRequestTx(tx: Queryable, ctx: RequestCtx, actor: UserActor, body: ReturnType<typeof CreateRequestBodySchema.parse>, idempotencyKey: string | undefined, hash: string | null) {
    const now = clock.now();
    const nowDate = toDate(now);
    const filer = await resolveFiler(tx, ctx, actor, body);
    const id = ids.uuid();
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
  async function explainFailedBooking(tx: Queryable, body: ReturnType<typeof CreateRequestBodySchema.parse>, now: Date): Promise<never> {
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

  async function checkPlannedAsync(tx: Queryable, body: ReturnType<typeof CreateRequestBodySchema.parse>): Promise<void> {
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

  async function checkEmergency(tx: Queryable, body: ReturnType<typeof CreateRequestBodySchema.parse>, filer: Filer, now: Temporal.Instant): Promise<void> {
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

  // -------------------------------------------------------------------------------------------------
  // Transitions
  // -------------------------------------------------------------------------------------------------

  async function transitionTx(tx: Tx, ctx: RequestCtx, id: string, body: TransitionBody): Promise<RequestWithAppointment> {
    const { row, viewer, actor } = await loadVisible(tx, ctx, id);
    const t = TRANSITIONS[body.action];
    if (!t.sides.includes(viewer.side)) throw new ForbiddenError(`Only the ${t.sides.join(' or ')} side may ${body.action}`);
    if (t.needsReason && !body.reason) throw invalid('#/reason', 'Give a reason');
    const now = clock.now();
    const nowDate = toDate(now);
    const to = nextStatus(row.status, body.action);
    if (!to) throw new InvalidTransitionError(row.status, TRANSITIONS[body.action].to);
    const liveAppointment = row.appointment_id && row.appointment_status && !['cancelled', 'noshow', 'entered-in-error'].includes(row.appointment_status) ? row : null;

    if ((body.action === 'cancel' || body.action === 'reschedule') && liveAppointment?.appointment_start) {
      const rules = await repo.findPolicy(tx, row.provider_facility_id);
      const min = viewer.side === 'provider' ? rules.provider_change_min_minutes : rules.requester_change_min_minutes;
      if (!changeAllowed(liveAppointment.appointment_start.getTime(), now.epochMilliseconds, min)) {
        throw new AppError('request.change_window_closed', { detail: `Changes are possible until ${min} minutes before the start`, meta: { minMinutes: min } });
      }
    }
    if (body.action === 'accept' && row.urgency === 'emergency' && !viewer.practitionerId) throw new ForbiddenError('Only a specialist on duty acknowledges an emergency');
    if (body.action === 'accept' || body.action === 'decline') {
      // Regulatory: R-TM-10 (Art. 9) — the decision is the specialist's, with the Art. 7 checklist,
      // recorded in this transaction (the database refuses the status change without it, 0008_consent.sql).
      if (!body.checklist) throw invalid('#/checklist', 'Confirm the Art. 7 checklist');
      await deps.admissibility.recordDecision(tx, ctx, id, { outcome: body.action, checklist: body.checklist, ...(body.reason ? { reasons: body.reason } : {}) });
    }
    // Regulatory: R-TM-10, R-TM-15, R-TM-23 — a service starts only with the decision, a verified identity and consent.
    if (body.action === 'start') await deps.admissibility.assertServiceMayStart(tx, ctx, id);
    // Regulatory: R-TM-40/41 — the request closes only with the signed document (a trigger checks it too).
    if (body.action === 'document') await deps.documentation.assertCanClose(tx, id);

    // Concurrency: compare-and-swap on the status (and the version when the client sent one), STYLE C9.
    const cas = await repo.casRequestStatus(tx, id, t.from.filter((s) => s === row.status), to, nowDate, {
      ...(body.version !== undefined ? { version: body.version } : {}),
      ...(body.action === 'accept' && viewer.practitionerId ? { acceptedBy: { accountId: actor.id, practitionerId: viewer.practitionerId } } : {}),
    });
    if (!cas) {
      if (body.version !== undefined && body.version !== row.version) throw new AppError('resource.version_mismatch');
      throw new InvalidTransitionError(row.status, to);
    }
    const reasonEventId = ids.uuid();
    const reasonEnc = body.reason ? await keyring.encrypt(tx, facilityScope(row.provider_facility_id), body.reason, reasonContext(reasonEventId)) : null;
    await repo.insertEvent(tx, { id: reasonEventId, requestId: id, action: body.action, fromStatus: row.status, toStatus: to, side: viewer.side, actorAccountId: actor.id, reasonEnc, at: nowDate });
    let status = to;

    if (body.action === 'reschedule') {
      if (!body.slotId) throw invalid('#/slotId', 'Choose the new time');
      if (!liveAppointment?.appointment_id || !row.practitioner_id || !row.service_id) throw new InvalidTransitionError(row.status, 'rescheduled');
      await repo.casAppointmentStatus(tx, liveAppointment.appointment_id, liveAppointment.appointment_status ?? 'pending', 'cancelled', nowDate);
      if (row.slot_id) await repo.releaseSlot(tx, row.slot_id);
      let taken: { start: Date; end: Date } | undefined;
      try {
        taken = await repo.takeSlotForReschedule(tx, {
          slotId: body.slotId,
          requestId: id,
          appointmentId: ids.uuid(),
          practitionerId: row.practitioner_id,
          serviceId: row.service_id,
          facilityId: row.provider_facility_id,
          status: liveAppointment.appointment_status === 'pending' ? 'pending' : 'booked',
          now: nowDate,
        });
      } catch (err) {
        if (pgErrorOf(err)?.code === PgCode.exclusionViolation) throw slotTaken();
        throw err;
      }
      if (!taken) throw slotTaken('That time is not free (or belongs to another specialist or service)');
      await repo.setRequestSlot(tx, id, body.slotId);
    } else if (liveAppointment?.appointment_id && liveAppointment.appointment_status) {
      const apptTo = appointmentStatusFor(to, liveAppointment.appointment_status);
      await repo.casAppointmentStatus(tx, liveAppointment.appointment_id, liveAppointment.appointment_status, apptTo, nowDate);
      if ((to === 'cancelled' || to === 'declined') && row.slot_id) await repo.releaseSlot(tx, row.slot_id);
    }

    if (body.action === 'accept') {
      const practitionerId = row.practitioner_id ?? viewer.practitionerId;
      // Regulatory: Art. 13 — taking the request opens the patient's data to the providing specialist.
      if (row.patient_id && practitionerId) {
        await deps.access.openCareRelationship(tx, ctx, { patientId: row.patient_id, practitionerId, facilityId: row.provider_facility_id, sourceType: 'request', sourceId: id });
      }
      // A real-time request already holds its time: accepting it also schedules it (a second CAS step).
      if (liveAppointment) {
        const sched = await repo.casRequestStatus(tx, id, ['accepted'], 'scheduled', nowDate);
        if (!sched) throw new InvalidTransitionError('accepted', 'scheduled');
        await repo.insertEvent(tx, { id: ids.uuid(), requestId: id, action: 'schedule', fromStatus: 'accepted', toStatus: 'scheduled', side: 'provider', actorAccountId: actor.id, reasonEnc: null, at: nowDate });
        status = 'scheduled';
      }
    }
    // Regulatory: Art. 17 — the documentation deadline runs from the moment the service is completed.
    if (status === 'completed') await deps.documentation.startDeadline(tx, ctx, id, now);
    if (TERMINAL.has(status)) {
      await deps.access.closeCareRelationship(tx, ctx, { sourceType: 'request', sourceId: id });
    }
    await audit.record(tx, ctx, {
      action: 'request.transitioned',
      ...(row.patient_id ? { patientId: row.patient_id } : {}),
      facilityId: row.provider_facility_id,
      subject: { type: 'service_request', id },
      reason: viewer.reason,
      ...(viewer.onBehalfOf ? { onBehalfOf: viewer.onBehalfOf } : {}),
      data: { action: body.action, from: row.status, to: status, side: viewer.side, ...(body.slotId ? { slotId: body.slotId } : {}) },
    });
    await notify(tx, id, body.action === 'accept' && row.urgency === 'emergency' ? 'emergency_accepted' : body.action, { side: viewer.side });
    const updated = await repo.findRequest(tx, id);
    if (!updated) throw new NotFoundError('service_request', id);
    return view(updated, viewer.side, ctx.lang);
  }

  // -------------------------------------------------------------------------------------------------
  // Outbox handlers (after commit)
  // -------------------------------------------------------------------------------------------------

  function whenText(d: Date, zone: string): string {
    return new Intl.DateTimeFormat('bg-BG', { timeZone: zone, dateStyle: 'short', timeStyle: 'short' }).format(d);
  }

  async function requesterRecipients(row: repo.RequestRow): Promise<NotificationRecipient[]> {
    const out: NotificationRecipient[] = [{ channel: 'email', accountId: row.requester_account_id }];
    if (row.recipient_kind === 'patient') {
      // Art. 18 item 4: the recipient's phone from the form; decrypted only to send, never stored or logged.
      const form = await keyring.decryptJson<RequestForm>(workerCtx, db, facilityScope(row.provider_facility_id), row.form_enc, formContext(row.id));
      out.push({ channel: 'sms', accountId: null, phone: form.phone });
    }
    return out;
  }

  async function providerRecipients(row: repo.RequestRow): Promise<NotificationRecipient[]> {
    if (!row.practitioner_id) return [];
    const account = await repo.accountOfPractitioner(db, row.practitioner_id);
    return account ? [{ channel: 'email', accountId: account }] : [];
  }

  const ref = (id: string) => id.slice(-8).toUpperCase();

  async function handleNotify(msg: OutboxMessage): Promise<void> {
    const p = msg.payload as { requestId: string; event: string; side?: Side; position?: number };
    const row = await repo.findRequest(db, p.requestId);
    if (!row) return;
    const zone = (await repo.facilityTimeZone(db, row.provider_facility_id)) ?? 'Europe/Sofia';
    const when = row.appointment_start ? ` (${whenText(row.appointment_start, zone)}, ${zone})` : '';
    const base = { sourceId: msg.id, requestId: row.id, facilityId: row.provider_facility_id };
    const facility = row.provider_facility_name;
    // Security: operational text only — reference, facility, time, status; never specialty or content.
    if (p.event === 'created') {
      await deps.notifications.deliver({
        ...base,
        kind: 'request_received',
        recipients: await requesterRecipients(row),
        subject: `Дистансия: заявка ${ref(row.id)} е приета за разглеждане`,
        text: `Заявката ви ${ref(row.id)} към ${facility}${when} е регистрирана и очаква потвърждение от специалиста. / Your request ${ref(row.id)} to ${facility}${when} was received.`,
      });
      await deps.notifications.deliver({
        ...base,
        sourceId: `${msg.id}:provider`,
        kind: 'request_new',
        recipients: await providerRecipients(row),
        subject: `Дистансия: нова заявка ${ref(row.id)}`,
        text: `Имате нова заявка ${ref(row.id)}${when}. Отворете работния списък в Дистансия. / You have a new request ${ref(row.id)}${when}.`,
      });
      if (row.appointment_id && row.appointment_start) await scheduleReminders(row.appointment_id, row.appointment_start);
      return;
    }
    if (p.event === 'emergency_alert') {
      const alerts = await repo.listAlerts(db, row.id);
      const targets = p.position === 0 ? alerts : alerts.filter((a) => a.position === p.position);
      const recipients: NotificationRecipient[] = [];
      for (const a of targets) {
        const account = await repo.accountOfPractitioner(db, a.practitioner_id);
        if (account) recipients.push({ channel: 'email', accountId: account });
      }
      await deps.notifications.deliver({
        ...base,
        kind: 'emergency_alert',
        recipients,
        subject: `СПЕШНО: консултация ${ref(row.id)} от ${row.requester_facility_name ?? ''}`,
        text: `Спешна консултация ${ref(row.id)} очаква потвърждение. Отворете Дистансия веднага. / Emergency consultation ${ref(row.id)} awaits acknowledgement.`,
      });
      return;
    }
    if (p.event === 'emergency_accepted') {
      await deps.notifications.deliver({
        ...base,
        kind: 'emergency_accepted',
        recipients: [{ channel: 'email', accountId: row.requester_account_id }],
        subject: `Дистансия: спешна консултация ${ref(row.id)} е поета`,
        text: `${row.practitioner_name ?? ''} (${facility}) пое спешната консултация ${ref(row.id)}. / ${row.practitioner_name ?? ''} accepted emergency consultation ${ref(row.id)}.`,
      });
      return;
    }
    // Any other transition: tell the other side.
    const recipients = p.side === 'provider' ? await requesterRecipients(row) : await providerRecipients(row);
    await deps.notifications.deliver({
      ...base,
      kind: 'request_changed',
      recipients,
      subject: `Дистансия: промяна по заявка ${ref(row.id)}`,
      text: `Заявка ${ref(row.id)} към ${facility}${when}: ${p.event} → ${row.status}. / Request ${ref(row.id)}${when}: ${p.event} → ${row.status}.`,
    });
    if (p.event === 'reschedule' && row.appointment_id && row.appointment_start) await scheduleReminders(row.appointment_id, row.appointment_start);
  }

  async function scheduleReminders(appointmentId: string, start: Date): Promise<void> {
    const startAt = fromDate(start);
    const now = clock.now();
    for (const [kind, hours] of [['reminder_24h', 24], ['reminder_1h', 1]] as const) {
      const due = startAt.subtract({ hours });
      if (Temporal.Instant.compare(due, now) <= 0) continue;
      // Idempotency: a duplicate reminder row sends nothing twice (the notification key is per appointment).
      await outbox.enqueue(db, 'request.reminder', { appointmentId, kind }, due);
    }
  }

  async function handleReminder(msg: OutboxMessage): Promise<void> {
    const p = msg.payload as { appointmentId: string; kind: 'reminder_24h' | 'reminder_1h' };
    // Tricky: the appointment may have been cancelled or moved since; only a live one is reminded.
    const appt = await repo.findAppointment(db, p.appointmentId);
    if (!appt || !['pending', 'booked'].includes(appt.status)) return;
    const row = await repo.findRequest(db, appt.request_id);
    if (!row?.appointment_start || row.appointment_id !== p.appointmentId) return;
    const zone = (await repo.facilityTimeZone(db, row.provider_facility_id)) ?? 'Europe/Sofia';
    const when = `${whenText(row.appointment_start, zone)} (${zone})`;
    const label = p.kind === 'reminder_24h' ? 'утре' : 'след един час';
    await deps.notifications.deliver({
      kind: p.kind,
      sourceId: `${p.appointmentId}:${p.kind}`,
      requestId: row.id,
      facilityId: row.provider_facility_id,
      recipients: [...(await requesterRecipients(row)), ...(await providerRecipients(row))],
      subject: `Дистансия: напомняне за ${when}`,
      text: `Напомняне: консултация ${ref(row.id)} при ${row.provider_facility_name} е ${label}, ${when}. / Reminder: consultation ${ref(row.id)} at ${when}.`,
    });
  }

  async function handleEscalate(msg: OutboxMessage): Promise<void> {
    const p = msg.payload as { requestId: string; position: number };
    const ctx = systemCtx('requests.escalation');
    await withTransaction(db, async (tx) => {
      const row = await repo.findRequest(tx, p.requestId);
      if (!row || row.status !== 'requested' || row.escalation_position !== p.position) return;
      const rota = await repo.listRota(tx, row.provider_facility_id, row.specialty_code);
      const now = clock.now();
      const nextMember = rota.find((m) => m.position > p.position);
      // Past the end of the rota everyone on it is alerted at once (position 0 = all), and escalation stops.
      const next = nextMember ? nextMember.position : 0;
      if (p.position === 0 || !(await repo.casEscalation(tx, row.id, p.position, next, toDate(now)))) return;
      if (nextMember) await repo.insertAlert(tx, { requestId: row.id, position: nextMember.position, practitionerId: nextMember.practitioner_id, at: toDate(now) });
      await audit.record(tx, ctx, {
        action: 'request.emergency_escalated',
        facilityId: row.provider_facility_id,
        subject: { type: 'service_request', id: row.id },
        data: { from: p.position, to: next },
      });
      await repo.insertEvent(tx, { id: ids.uuid(), requestId: row.id, action: 'escalate', fromStatus: 'requested', toStatus: 'requested', side: 'system', actorAccountId: null, reasonEnc: null, at: toDate(now) });
      await outbox.enqueue(tx, 'request.notify', { requestId: row.id, event: 'emergency_alert', position: next });
      if (nextMember) {
        const rules = await repo.findPolicy(tx, row.provider_facility_id);
        await outbox.enqueue(tx, 'request.escalate', { requestId: row.id, position: next }, now.add({ minutes: rules.emergency_ack_minutes }));
      }
    });
  }

  // -------------------------------------------------------------------------------------------------
  // Use cases
  // -------------------------------------------------------------------------------------------------

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
        const created = await policy.guard(ctx, () =>
          body.urgency === 'planned' && body.mode === 'synchronous'
            ? bookPlanned(ctx, actor, body, idempotencyKey, hash)
            : withTransaction(db, (tx) => createRequestTx(tx, ctx, actor, body, idempotencyKey, hash)),
        );
        const id = created.id;
        const row = created.row ?? (await repo.findRequest(db, id));
        if (!row) throw new NotFoundError('service_request', id);
        return { ...view(row, 'requester', ctx.lang), replayed: false };
      } catch (err) {
        const slotGone = err instanceof AppError && err.code === 'appointment.slot_taken';
        const dup = err instanceof AppError && err.code === 'resource.conflict';
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

    /**
     * One request with its form, history, attachments and emergency alerts: an audited read of clinical content.
     * @param ctx - either side
     * @param id - the request
     * @returns the detail
     * @throws {NotFoundError} unknown or not the actor's request
     */
    async getRequest(ctx: RequestCtx, id: string): Promise<RequestDetail> {
      return withTransaction(db, async (tx) => {
        const { row, viewer } = await loadVisible(tx, ctx, id);
        const scope = facilityScope(row.provider_facility_id);
        const form = await keyring.decryptJson<RequestForm>(ctx, tx, scope, row.form_enc, formContext(row.id));
        const events = await repo.listEvents(tx, id);
        const attachments = await repo.listAttachments(tx, id);
        const alerts = await repo.listAlerts(tx, id);
        await audit.record(tx, ctx, {
          action: 'request.read',
          ...(row.patient_id ? { patientId: row.patient_id } : {}),
          facilityId: row.provider_facility_id,
          subject: { type: 'service_request', id },
          reason: viewer.reason,
          ...(viewer.onBehalfOf ? { onBehalfOf: viewer.onBehalfOf } : {}),
        });
        return {
          ...view(row, viewer.side, ctx.lang),
          form,
          events: await mapInOrder(events, async (e) => ({
              id: e.id,
              action: e.action,
              fromStatus: e.from_status,
              toStatus: e.to_status,
              side: e.side,
              reason: e.reason_enc ? (await keyring.decrypt(ctx, tx, scope, e.reason_enc, reasonContext(e.id))).toString('utf8') : null,
              at: iso(e.at),
            })),
          attachments: await mapInOrder(attachments, async (a): Promise<AttachmentMeta> => ({
              id: a.id,
              name: (await keyring.decrypt(ctx, tx, scope, a.name_enc, attachmentContext(id, a.id, 'name'))).toString('utf8'),
              contentType: a.content_type,
              sizeBytes: a.size_bytes,
              createdAt: iso(a.created_at),
            })),
          alerts: alerts.map((a) => ({ position: a.position, practitionerId: a.practitioner_id, practitionerName: a.practitioner_name, alertedAt: iso(a.alerted_at), escalatedAt: isoOrNull(a.escalated_at) })),
        };
      });
    },

    /**
     * The requester side's requests: filed by the actor, or about the patients the actor acts for.
     * @param ctx - a patient, representative or specialist
     * @param when - upcoming, past or all
     * @returns the requests (no clinical content), newest first
     */
    async listMyRequests(ctx: RequestCtx, when: 'upcoming' | 'past' | 'all' = 'all'): Promise<RequestList> {
      const actor = requireUser(ctx);
      return withTransaction(db, async (tx) => {
        const patientIds = (await policy.patientIdsActorMayActFor(ctx, tx)).map((r) => r.patientId);
        const rows = await repo.listRequestsForRequester(tx, actor.id, patientIds);
        const now = clock.now().epochMilliseconds;
        const open = (r: repo.RequestRow) => !TERMINAL.has(r.status) && r.status !== 'completed' && (!r.appointment_end || r.appointment_end.getTime() > now);
        const chosen = rows.filter((r) => (when === 'all' ? true : when === 'upcoming' ? open(r) : !open(r)));
        return { items: chosen.map((r) => view(r, 'requester', ctx.lang)) };
      });
    },

    /**
     * The specialist's worklist: emergencies routed to their rota on top, then their planned requests by time.
     * @param ctx - a specialist
     * @returns both lists (no clinical content)
     * @throws {ForbiddenError} for other roles
     */
    async worklist(ctx: RequestCtx): Promise<Worklist> {
      const actor = requireUser(ctx);
      if (actor.role !== 'specialist') throw new ForbiddenError('The worklist is for specialists');
      return withTransaction(db, async (tx) => {
        const practitionerId = await repo.practitionerOfAccount(tx, actor.id);
        if (!practitionerId) return { emergencies: [], planned: [] };
        const rows = await repo.listWorklist(tx, practitionerId, actor.facilityIds);
        const items = rows.filter((r) => r.requester_practitioner_id !== practitionerId).map((r) => view(r, 'provider', ctx.lang));
        return { emergencies: items.filter((i) => i.request.urgency === 'emergency'), planned: items.filter((i) => i.request.urgency === 'planned') };
      });
    },

    /**
     * Applies one lifecycle action as a compare-and-swap update, audited and visible to both sides.
     * @param ctx - the requester or provider side
     * @param id - the request
     * @param body - action, reason, new slot (reschedule), expected version
     * @returns the request after the change
     * @throws {InvalidTransitionError} `state.bad_transition` when the status does not allow it (e.g. a
     *   second specialist acknowledging an emergency); `resource.version_mismatch`; `request.change_window_closed`;
     *   `appointment.slot_taken` (reschedule)
     */
    async transition(ctx: RequestCtx, id: string, body: TransitionBody): Promise<RequestWithAppointment> {
      return deps.admissibility.guardDecision(ctx, id, () => withTransaction(db, (tx) => transitionTx(tx, ctx, id, body)));
    },

    /**
     * Adds a document or image to a request, encrypted with the providing facility's key.
     * @param ctx - the requester side, before the service is completed
     * @param id - the request
     * @param body - name, type, base64 content (≤ 5 MB)
     * @returns the attachment's metadata
     */
    async addAttachment(ctx: RequestCtx, id: string, body: AttachmentBody): Promise<AttachmentMeta> {
      const content = Buffer.from(body.dataBase64, 'base64');
      if (content.length === 0) throw invalid('#/dataBase64', 'empty');
      if (content.length > MAX_ATTACHMENT_BYTES) throw new AppError('request.too_large', { detail: 'At most 5 MB per file' });
      // Security: the bytes must be what the client says they are; the file is served back with that type.
      const isText = body.contentType === 'text/plain' ? looksLikePlainText(content) : sniffFileType(content) === body.contentType;
      if (!isText) throw new AppError('file.type_mismatch', { detail: `The content is not ${body.contentType}` });
      return withTransaction(db, async (tx) => {
        const { row, viewer, actor } = await loadVisible(tx, ctx, id);
        if (['completed', 'documented', 'cancelled', 'declined', 'noshow'].includes(row.status)) throw new InvalidTransitionError(row.status, 'attachment');
        const attachmentId = ids.uuid();
        const scope = facilityScope(row.provider_facility_id);
        const now = toDate(clock.now());
        await repo.insertAttachment(tx, {
          id: attachmentId,
          requestId: id,
          nameEnc: await keyring.encrypt(tx, scope, body.name, attachmentContext(id, attachmentId, 'name')),
          contentType: body.contentType,
          sizeBytes: content.length,
          contentEnc: await keyring.encrypt(tx, scope, content, attachmentContext(id, attachmentId, 'content')),
          createdBy: actor.id,
          at: now,
        });
        await audit.record(tx, ctx, {
          action: 'request.attachment_added',
          ...(row.patient_id ? { patientId: row.patient_id } : {}),
          facilityId: row.provider_facility_id,
          subject: { type: 'request_attachment', id: attachmentId },
          reason: viewer.reason,
          data: { requestId: id, contentType: body.contentType, sizeBytes: content.length },
        });
        return { id: attachmentId, name: body.name, contentType: body.contentType, sizeBytes: content.length, createdAt: iso(now) };
      });
    },

    /**
     * Reads an attachment's content (audited).
     * @returns the decrypted bytes, type and name
     */
    async getAttachment(ctx: RequestCtx, id: string, attachmentId: string): Promise<{ name: string; contentType: string; content: Buffer }> {
      return withTransaction(db, async (tx) => {
        const { row, viewer } = await loadVisible(tx, ctx, id);
        const a = await repo.findAttachmentContent(tx, id, attachmentId);
        if (!a) throw new NotFoundError('request_attachment', attachmentId);
        const scope = facilityScope(row.provider_facility_id);
        const content = await keyring.decrypt(ctx, tx, scope, a.content_enc, attachmentContext(id, a.id, 'content'));
        const name = (await keyring.decrypt(ctx, tx, scope, a.name_enc, attachmentContext(id, a.id, 'name'))).toString('utf8');
        await audit.record(tx, ctx, {
          action: 'request.attachment_read',
          ...(row.patient_id ? { patientId: row.patient_id } : {}),
          facilityId: row.provider_facility_id,
          subject: { type: 'request_attachment', id: a.id },
          reason: viewer.reason,
        });
        return { name, contentType: a.content_type, content };
      });
    },

    /**
     * Facilities and specialties the signed-in specialist may send emergencies to (Art. 14(3)).
     * @param ctx - a specialist
     * @returns contracted facilities with their specialties and how many are on duty
     */
    async listEmergencyTargets(ctx: RequestCtx): Promise<EmergencyTargetList> {
      const actor = requireUser(ctx);
      if (actor.role !== 'specialist') throw new ForbiddenError('Emergencies are filed by specialists');
      // Time zone: each contract is valid on the provider's calendar dates (Europe/Sofia by default), not UTC's.
      const rows = await repo.listEmergencyTargets(db, actor.facilityIds, toDate(clock.now()));
      const byFacility = new Map<string, EmergencyTargetList['items'][number]>();
      for (const r of rows) {
        const key = `${r.requester_facility_id}:${r.facility_id}`;
        const item = byFacility.get(key) ?? { requesterFacilityId: r.requester_facility_id, facilityId: r.facility_id, facilityName: r.facility_name, specialties: [] };
        item.specialties.push({ code: r.specialty_code, name: ctx.lang === 'en' ? r.specialty_name_en : r.specialty_name_bg, onDuty: r.on_duty });
        byFacility.set(key, item);
      }
      return { items: [...byFacility.values()] };
    },

    /**
     * The emergency rota of a facility for a specialty.
     * @param ctx - an administrator or coordinator of the facility, or a specialist working there
     */
    async getRota(ctx: RequestCtx, facilityId: string, specialtyCode: string): Promise<EmergencyRota> {
      const actor = requireUser(ctx);
      if (!actor.facilityIds.includes(facilityId)) throw new ForbiddenError('Not your facility');
      const members = await repo.listRota(db, facilityId, specialtyCode);
      return { facilityId, specialtyCode, members: members.map((m) => ({ position: m.position, practitionerId: m.practitioner_id, practitionerName: m.practitioner_name })) };
    },

    /**
     * Replaces the emergency rota (order = escalation order).
     * @param ctx - an administrator or coordinator of the facility
     * @throws {ForbiddenError} otherwise
     */
    async setRota(ctx: RequestCtx, facilityId: string, specialtyCode: string, practitionerIds: readonly string[]): Promise<EmergencyRota> {
      const actor = requireUser(ctx);
      if (!['facility_admin', 'coordinator'].includes(actor.role) || !actor.facilityIds.includes(facilityId)) throw new ForbiddenError('Only the facility administration sets the rota');
      await withTransaction(db, async (tx) => {
        for (const pid of practitionerIds) {
          if (!(await repo.practitionerServes(tx, pid, facilityId, specialtyCode))) throw invalid('#/practitionerIds', 'Each specialist must work here and hold the specialty');
        }
        await repo.replaceRota(tx, facilityId, specialtyCode, practitionerIds, toDate(clock.now()));
        await audit.record(tx, ctx, { action: 'request.rota_changed', facilityId, data: { specialty: specialtyCode, count: practitionerIds.length } });
      });
      return this.getRota(ctx, facilityId, specialtyCode);
    },

    /**
     * Seeds or changes the rota inside a caller's transaction (demo seeding, CLI).
     * @param q - the transaction
     */
    async setRotaIn(q: Queryable, facilityId: string, specialtyCode: string, practitionerIds: readonly string[]): Promise<void> {
      await repo.replaceRota(q, facilityId, specialtyCode, practitionerIds, toDate(clock.now()));
    },

    /**
     * Demo only: a few requests of the demo patient with the demo specialist in different states
     * (requested, scheduled, cancelled), filed and moved through the real use cases (rules, audit, outbox).
     * @param refs - the demo patient record, specialist and facility
     * @returns how many requests were filed
     */
    async seedDemoRequests(refs: { patientId: string; practitionerId: string; facilityId: string }): Promise<number> {
      const patientAccount = await repo.accountOfPatient(db, refs.patientId);
      const specialistAccount = await repo.accountOfPractitioner(db, refs.practitionerId);
      if (!patientAccount || !specialistAccount) return 0;
      const base = { requestId: 'system:demo', ip: '127.0.0.1', userAgent: undefined, lang: 'bg' as const };
      const patientCtx: RequestCtx = { ...base, actor: { type: 'user', id: patientAccount, role: 'patient', sessionId: 'demo', facilityIds: [], patientId: refs.patientId } };
      const specialistCtx: RequestCtx = { ...base, actor: { type: 'user', id: specialistAccount, role: 'specialist', sessionId: 'demo', facilityIds: [refs.facilityId] } };
      // Later slots, so the patient's 24-hour change rule still allows the cancellation below.
      const slots = await repo.freeSlotsOf(db, refs.practitionerId, refs.facilityId, toDate(clock.now().add({ hours: 48 })), 6, 3);
      const file = (slot: { id: string; service_id: string; specialty_code: string }, circumstances: string) =>
        this.createRequest(patientCtx, {
          urgency: 'planned',
          mode: 'synchronous',
          facilityId: refs.facilityId,
          specialtyCode: slot.specialty_code,
          serviceId: slot.service_id,
          slotId: slot.id,
          phone: '+359 88 800 0001',
          circumstances,
          intake: { anamnesis: 'Демо: артериална хипертония от 5 години', medicines: 'Демо: амлодипин 5 mg' },
        });
      const [a, b, c] = slots;
      if (a) await file(a, 'Демо: заявка, която чака потвърждение');
      if (b) {
        const r = await file(b, 'Демо: потвърдена заявка');
        await this.transition(specialistCtx, r.request.id, {
          action: 'accept',
          checklist: { noRiskToLifeOrHealth: true, qualityAndSafetyAssured: true, notDentalExceptImaging: true, noDirectContactNeeded: true, requesterIdentityVerifiable: true, notConductingBirth: true, notEstablishingDeath: true },
        });
      }
      if (c) {
        const r = await file(c, 'Демо: отменена заявка');
        await this.transition(patientCtx, r.request.id, { action: 'cancel', reason: 'Демо: пациентът е възпрепятстван' });
      }
      return slots.length;
    },

    /** Registers the outbox handlers (notifications, reminders, emergency escalation). */
    registerOutboxHandlers(): void {
      outbox.on('request.notify', handleNotify);
      outbox.on('request.reminder', handleReminder);
      outbox.on('request.escalate', handleEscalate);
    },
  };
}

export type RequestsService = ReturnType<typeof createRequestsService>;
export type { RequestAction };
