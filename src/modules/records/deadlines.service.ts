import type { Logger } from 'pino';
import { fromDate, toDate, Temporal, type Clock } from '../../platform/clock.js';
import { withTransaction, type Db, type Queryable } from '../../platform/db/index.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import { systemCtx, type RequestCtx } from '../../platform/auth/request-context.js';
import { facilityScope, type Keyring } from '../../platform/crypto/keyring.js';
import type { Outbox, OutboxMessage } from '../../platform/outbox/outbox.js';
import type { WorkingCalendar } from '../../platform/calendar.js';
import { AppError, ForbiddenError, NotFoundError } from '../../platform/errors/app-error.js';
import type { ComplianceQuery, ComplianceReport, Deadline, MarkComplexBody } from '../../contracts/records.js';
import type { NotificationsService } from '../notifications/index.js';
import type { PatientsService } from '../patients/index.js';
import { findService } from './service-facts.js';
import { readCompletedAtIn } from '../requests/index.js';
import * as repo from './records.repo.js';
import { breachCause, complexRefusal, computeDeadline, pointInSpan, progress, ESCALATION_SHARE } from './deadline-rules.js';
import { closingKind } from './document-rules.js';
import { complianceCsv, compliancePdf } from './compliance-report.js';
import { listPendingNhis } from './list-pending-nhis.js';

/** Outbox message type: check one deadline at its 80% point or at its due instant (STYLE C20). */
export const DEADLINE_CHECK = 'records.deadline_check';

/**
 * Outbox message type: tell the facility's administrators and coordinators that a deadline passed its
 * 80% point (`escalated`) or was breached (`missed`). Written in the transaction that marks it, so it
 * exists exactly when the mark does (STYLE C20).
 */
export const DEADLINE_NOTIFY = 'records.deadline_notify';

type DeadlineEvent = 'escalated' | 'missed';

const reasonContext = (requestId: string) => `documentation_deadline:${requestId}:complex_reason`;

/**
 * Art. 17 documentation deadlines (docs/decisions.md#d9-d11): computed at completion, extended only by
 * the providing specialist (R-TM-43), escalated to the facility at 80%, breaches recorded with their
 * cause, and the compliance report.
 * @param deps - database, clock, calendar, keyring, audit, outbox, notifications
 * @returns the deadlines service
 */
export function createDeadlinesService(deps: { db: Db; clock: Clock; calendar: WorkingCalendar; keyring: Keyring; audit: AuditLog; outbox: Outbox; notifications: Pick<NotificationsService, 'deliver'>; patients: Pick<PatientsService, 'readPatientIn'>; log?: Logger }) {
  const { db, clock, calendar, keyring, audit, outbox } = deps;
  let timer: NodeJS.Timeout | undefined;

  function view(d: repo.DeadlineWithDoc | (repo.DeadlineRow & { document_status?: 'none' | 'draft' | 'signed' }), now: Temporal.Instant): Deadline {
    const completedAt = fromDate(d.completed_at);
    const dueAt = fromDate(d.due_at);
    const p = progress(completedAt, dueAt, now);
    const iso = (x: Date | null) => (x ? fromDate(x).toString() : null);
    return {
      requestId: d.request_id,
      facilityId: d.facility_id,
      practitionerId: d.practitioner_id,
      urgency: d.urgency,
      mode: d.mode,
      documentKind: d.document_kind,
      timeZone: d.time_zone,
      completedAt: completedAt.toString(),
      baseDueAt: fromDate(d.base_due_at).toString(),
      dueAt: dueAt.toString(),
      escalateAt: fromDate(d.escalate_at).toString(),
      complex: d.complex,
      complexKind: d.complex_kind,
      status: d.status,
      recordedAt: iso(d.recorded_at),
      nrn: d.nrn,
      escalatedAt: iso(d.escalated_at),
      breachedAt: iso(d.breached_at),
      breachCause: d.breach_cause,
      secondsLeft: d.recorded_at ? null : p.secondsLeft,
      elapsedShare: d.recorded_at ? Math.round(((d.recorded_at.getTime() - d.completed_at.getTime()) / (d.due_at.getTime() - d.completed_at.getTime())) * 1000) / 1000 : p.elapsedShare,
      documentStatus: d.document_status ?? 'none',
    };
  }

  async function actorPractitioner(ctx: RequestCtx, q: Queryable): Promise<string | undefined> {
    return ctx.actor.type === 'user' && ctx.actor.role === 'specialist' ? repo.practitionerOfAccount(q, ctx.actor.id) : undefined;
  }

  /** Specialists of the service, and staff of its facility, see a deadline (no clinical content in it). */
  async function assertCanSee(ctx: RequestCtx, q: Queryable, d: repo.DeadlineRow): Promise<void> {
    const actor = ctx.actor;
    if (actor.type === 'anonymous') throw new AppError('auth.unauthenticated');
    if (actor.type !== 'user') throw new ForbiddenError();
    if (actor.role === 'supervisor') return;
    if ((actor.role === 'facility_admin' || actor.role === 'coordinator' || actor.role === 'specialist') && actor.facilityIds.includes(d.facility_id)) {
      if (actor.role !== 'specialist') return;
      const practitionerId = await actorPractitioner(ctx, q);
      if (practitionerId && practitionerId === d.practitioner_id) return;
    }
    throw new ForbiddenError('You cannot see this deadline');
  }

  /** Checks one deadline now: escalates at 80%, records a breach after due. Idempotent. */
  async function check(requestId: string, now: Temporal.Instant): Promise<'escalated' | 'missed' | 'none'> {
    const ctx = systemCtx('records.deadlines');
    return withTransaction(db, async (tx) => {
      const d = await repo.findDeadline(tx, requestId, true);
      if (!d || d.status !== 'open') return 'none';
      const nowDate = toDate(now);
      if (d.due_at.getTime() < nowDate.getTime()) {
        const signed = await repo.findCurrentSigned(tx, requestId, d.document_kind);
        const sub = signed ? await repo.findSubmissionByDocument(tx, signed.id) : undefined;
        const cause = breachCause({ signed: Boolean(signed), submission: sub ? { status: sub.status, failedAttempts: await repo.failedAttempts(tx, requestId) } : null });
        if (await repo.markMissed(tx, requestId, cause, nowDate)) {
          await audit.record(tx, ctx, { action: 'deadline.missed', facilityId: d.facility_id, subject: { type: 'service_request', id: requestId }, data: { cause, dueAt: fromDate(d.due_at).toString() } });
          // Regulatory: S-02 — the facility learns of the breach; once, because only one check wins markMissed.
          await outbox.enqueue(tx, DEADLINE_NOTIFY, { requestId, event: 'missed' satisfies DeadlineEvent });
          return 'missed';
        }
        return 'none';
      }
      if (!d.escalated_at && d.escalate_at.getTime() <= nowDate.getTime() && (await repo.markEscalated(tx, requestId, nowDate))) {
        // Regulatory: S-02 — alert the facility before the breach; the facility's dashboard lists escalated deadlines.
        await audit.record(tx, ctx, { action: 'deadline.escalated', facilityId: d.facility_id, subject: { type: 'service_request', id: requestId }, data: { dueAt: fromDate(d.due_at).toString(), share: ESCALATION_SHARE } });
        await outbox.enqueue(tx, DEADLINE_NOTIFY, { requestId, event: 'escalated' satisfies DeadlineEvent });
        return 'escalated';
      }
      return 'none';
    });
  }

  const service = {
    /**
     * Starts the documentation deadline of a completed service (R-TM-39: the clock starts at completion).
     * Call inside the transaction that completes the service; idempotent per service.
     * @param q - the caller's transaction
     * @param ctx - who completed it (audited)
     * @param requestId - the service
     * @param completedAt - the completion instant (default: the request's `completed` event)
     * @returns the deadline, or undefined when the service is unknown or not completed
     */
    async startDeadline(q: Queryable, ctx: RequestCtx, requestId: string, completedAt?: Temporal.Instant): Promise<Deadline | undefined> {
      const svc = await findService(q, requestId);
      if (!svc) throw new NotFoundError('service_request', requestId);
      const completed = completedAt ?? (await readCompletedAtIn(q, requestId).then((d) => (d ? fromDate(d) : undefined)));
      if (!completed) return undefined;
      // Time zone: the facility's zone is data (STYLE C11); facility.time_zone is NOT NULL.
      const computed = computeDeadline({ urgency: svc.urgency, completedAt: completed, complex: false, timeZone: svc.time_zone }, calendar);
      const now = clock.now();
      const inserted = await repo.insertDeadline(q, {
        requestId,
        facilityId: svc.provider_facility_id,
        practitionerId: svc.practitioner_id,
        urgency: svc.urgency,
        mode: svc.mode,
        documentKind: closingKind(svc.requester_kind),
        timeZone: svc.time_zone,
        completedAt: toDate(completed),
        baseDueAt: toDate(computed.baseDueAt),
        dueAt: toDate(computed.dueAt),
        escalateAt: toDate(computed.escalateAt),
        now: toDate(now),
      });
      if (inserted) {
        await outbox.enqueue(q, DEADLINE_CHECK, { requestId, phase: 'escalate' }, computed.escalateAt);
        // one millisecond after due: the breach check sees `due_at < now`
        await outbox.enqueue(q, DEADLINE_CHECK, { requestId, phase: 'due' }, computed.dueAt.add({ milliseconds: 1 }));
        await audit.record(q, ctx, { action: 'deadline.started', patientId: svc.patient_id ?? undefined, facilityId: svc.provider_facility_id, subject: { type: 'service_request', id: requestId }, data: { urgency: svc.urgency, dueAt: computed.dueAt.toString() } });
      }
      const row = await repo.findDeadline(q, requestId);
      return row ? view(row, now) : undefined;
    },

    /** One service's deadline (the service's specialists, its facility's staff, supervisors). */
    async getDeadline(ctx: RequestCtx, requestId: string): Promise<Deadline> {
      return withTransaction(db, async (tx) => {
        const d = await repo.findDeadline(tx, requestId);
        if (!d) throw new NotFoundError('documentation_deadline', requestId);
        await assertCanSee(ctx, tx, d);
        const doc = await repo.findCurrentSigned(tx, requestId, d.document_kind);
        return view({ ...d, document_status: doc ? 'signed' : (await repo.hasAnyDocument(tx, requestId, d.document_kind)) ? 'draft' : 'none' }, clock.now());
      });
    },

    /**
     * R-TM-43: the providing specialist marks the case complex, with a reason, before the base deadline.
     * @throws {AppError} `deadline.extension_refused` with `meta.why`
     */
    async markComplex(ctx: RequestCtx, requestId: string, input: MarkComplexBody): Promise<Deadline> {
      return withTransaction(db, async (tx) => {
        const d = await repo.findDeadline(tx, requestId, true);
        if (!d) throw new NotFoundError('documentation_deadline', requestId);
        const now = clock.now();
        const practitionerId = await actorPractitioner(ctx, tx);
        const isProvider = Boolean(practitionerId && practitionerId === d.practitioner_id && ctx.actor.type === 'user' && ctx.actor.facilityIds.includes(d.facility_id));
        const why = complexRefusal({ isProvider, complex: d.complex, status: d.status, baseDueAt: fromDate(d.base_due_at), now });
        if (why === 'not_provider') throw new ForbiddenError('Only the providing specialist can mark the case complex (R-TM-43)');
        if (why) throw new AppError('deadline.extension_refused', { detail: `Refused: ${why} (R-TM-43)`, meta: { why, rule: 'R-TM-43' } });
        const completedAt = fromDate(d.completed_at);
        const computed = computeDeadline({ urgency: d.urgency, completedAt, complex: true, timeZone: d.time_zone }, calendar);
        const reasonEnc = await keyring.encrypt(tx, facilityScope(d.facility_id), input.reason, reasonContext(requestId));
        const escalateAt = pointInSpan(completedAt, computed.dueAt, ESCALATION_SHARE);
        const ok = await repo.setComplex(tx, { requestId, version: d.version, kind: input.kind, reasonEnc, dueAt: toDate(computed.dueAt), escalateAt: toDate(escalateAt), by: ctx.actor.type === 'user' ? ctx.actor.id : '', now: toDate(now) });
        if (!ok) throw new AppError('deadline.extension_refused', { detail: 'The deadline changed; reload', meta: { why: 'changed' } });
        await outbox.enqueue(tx, DEADLINE_CHECK, { requestId, phase: 'escalate' }, escalateAt);
        await outbox.enqueue(tx, DEADLINE_CHECK, { requestId, phase: 'due' }, computed.dueAt.add({ milliseconds: 1 }));
        await audit.record(tx, ctx, { action: 'deadline.extended', facilityId: d.facility_id, subject: { type: 'service_request', id: requestId }, data: { kind: input.kind, dueAt: computed.dueAt.toString() } });
        return view((await repo.findDeadline(tx, requestId)) as repo.DeadlineRow, now);
      });
    },

    /** The specialist's worklist: open deadlines with the time left, soonest first. */
    async worklist(ctx: RequestCtx): Promise<{ now: string; items: Deadline[] }> {
      const now = clock.now();
      return withTransaction(db, async (tx) => {
        const practitionerId = await actorPractitioner(ctx, tx);
        if (ctx.actor.type === 'anonymous') throw new AppError('auth.unauthenticated');
        if (!practitionerId) throw new ForbiddenError('The worklist belongs to specialists');
        const items = await repo.listWorklist(tx, practitionerId, toDate(now.subtract({ hours: 24 * 7 })));
        return { now: now.toString(), items: items.map((d) => view(d, now)) };
      });
    },

    /** Records waiting for the NHIS, with the last error (list-pending-nhis.ts). */
    pendingNhis: (ctx: RequestCtx) => listPendingNhis({ db, clock, patients: deps.patients }, ctx),

    /** The facility's alert list: escalated or missed deadlines not yet recorded. */
    async facilityAlerts(ctx: RequestCtx): Promise<{ now: string; items: Deadline[] }> {
      const actor = ctx.actor;
      if (actor.type === 'anonymous') throw new AppError('auth.unauthenticated');
      if (actor.type !== 'user' || !['facility_admin', 'coordinator'].includes(actor.role)) throw new ForbiddenError('Facility staff only');
      const now = clock.now();
      const items = await repo.listFacilityEscalated(db, actor.facilityIds);
      return { now: now.toString(), items: items.map((d) => view(d, now)) };
    },

    /**
     * Outbox handler of DEADLINE_NOTIFY: e-mails the facility's administrators and coordinators.
     * Idempotent: the delivery key is the deadline and the event, so a retried or repeated message
     * sends nothing twice. An escalation recorded in the NHIS before the message ran is not sent.
     * @param msg - `{ requestId, event: 'escalated' | 'missed' }`
     */
    async handleNotify(msg: OutboxMessage): Promise<void> {
      const p = msg.payload as { requestId?: unknown; event?: unknown };
      if (typeof p.requestId !== 'string' || (p.event !== 'escalated' && p.event !== 'missed')) throw new Error('deadline notification without requestId or event');
      const event: DeadlineEvent = p.event;
      const d = await repo.findDeadline(db, p.requestId);
      if (!d || (event === 'escalated' && d.recorded_at)) return;
      const facility = await repo.facilityInfo(db, d.facility_id);
      const zone = facility?.time_zone ?? d.time_zone;
      const ref = d.request_id.slice(-8).toUpperCase();
      const recipients = (await repo.facilityStaffAccounts(db, d.facility_id)).map((accountId) => ({ channel: 'email' as const, accountId }));
      // Security: operational text only — reference, facility, due time; never the patient or clinical content.
      await deps.notifications.deliver({
        sourceId: `deadline:${d.request_id}:${event}`,
        requestId: d.request_id,
        facilityId: d.facility_id,
        recipients,
        message: { kind: event === 'escalated' ? 'deadline_escalated' : 'deadline_missed', ref, facility: facility?.name ?? '', due: { at: d.due_at.toISOString(), zone } },
      });
    },

    /** Outbox handler of DEADLINE_CHECK. */
    async handleCheck(msg: OutboxMessage): Promise<void> {
      const p = msg.payload as { requestId?: string };
      if (typeof p.requestId !== 'string') throw new Error('deadline check without requestId');
      await check(p.requestId, clock.now());
    },

    /**
     * The periodic scan (backstop of the outbox rows): starts deadlines for completed services without one,
     * then finds every open deadline past due or past 80%. The two SELECTs use partial indexes
     * (bench/deadline-scan.ts: 1,000,000 open rows).
     * @param limit - rows per kind per run
     * @returns counts
     */
    async scan(limit = 1000): Promise<{ started: number; missed: number; escalated: number }> {
      const now = clock.now();
      const ctx = systemCtx('records.deadlines');
      let started = 0;
      for (const r of await repo.listCompletedWithoutDeadline(db, limit)) {
        await withTransaction(db, async (tx) => {
          if (await service.startDeadline(tx, ctx, r.request_id, fromDate(r.at))) started += 1;
        });
      }
      let missed = 0;
      for (const r of await repo.listBreached(db, toDate(now), limit)) if ((await check(r.request_id, now)) === 'missed') missed += 1;
      let escalated = 0;
      for (const r of await repo.listToEscalate(db, toDate(now), limit)) if ((await check(r.request_id, now)) === 'escalated') escalated += 1;
      return { started, missed, escalated };
    },

    /** Runs `scan` every `intervalMs` (the server starts it with the outbox worker). */
    startScanner(intervalMs = 60_000): void {
      if (timer) return;
      timer = setInterval(() => {
        service.scan().catch((err: unknown) => deps.log?.error({ err }, 'deadline scan failed'));
      }, intervalMs);
      timer.unref();
    },
    stopScanner(): void {
      if (timer) clearInterval(timer);
      timer = undefined;
    },

    /**
     * The compliance report of one facility and period (local dates in the facility's zone, [from, to]):
     * services by kind, deadlines met and missed, median and worst time to record, consents on file and
     * call-quality breaches. For the facility's administrators and coordinators, and supervisors (Art. 21:
     * compliance data needs no case).
     * @returns the report as JSON, or a CSV / PDF file
     */
    async complianceReport(ctx: RequestCtx, query: ComplianceQuery): Promise<{ format: 'json'; body: ComplianceReport } | { format: 'csv' | 'pdf'; filename: string; body: string | Buffer }> {
      const actor = ctx.actor;
      if (actor.type === 'anonymous') throw new AppError('auth.unauthenticated');
      const allowed = actor.type === 'user' && (actor.role === 'supervisor' || ((actor.role === 'facility_admin' || actor.role === 'coordinator') && actor.facilityIds.includes(query.facilityId)));
      if (!allowed) {
        await audit.recordStandalone(ctx, { action: 'access.denied', outcome: 'denied', facilityId: query.facilityId, data: { operation: 'compliance.report' } });
        throw new ForbiddenError('Only the facility’s administrators and the supervisory agency see its compliance report');
      }
      if (query.to < query.from) throw new AppError('request.invalid', { errors: [{ in: 'query', pointer: '#/to', detail: 'must not be before from' }] });
      const now = clock.now();
      const report = await withTransaction(db, async (tx) => {
        const facility = await repo.facilityInfo(tx, query.facilityId);
        if (!facility) throw new NotFoundError('facility', query.facilityId);
        // Time zone: the period is the facility's local dates, inclusive of `to`.
        const from = Temporal.PlainDate.from(query.from).toZonedDateTime({ timeZone: facility.time_zone }).toInstant();
        const to = Temporal.PlainDate.from(query.to).add({ days: 1 }).toZonedDateTime({ timeZone: facility.time_zone }).toInstant();
        // One after another: a transaction is one connection, which runs one query at a time.
        const rows = await repo.complianceByKind(tx, query.facilityId, toDate(from), toDate(to), toDate(now));
        const totals = await repo.complianceTotals(tx, query.facilityId, toDate(from), toDate(to));
        const breaches = await repo.complianceBreaches(tx, query.facilityId, toDate(from), toDate(to), toDate(now));
        const qualityBreaches = (await repo.tableExists(tx, 'consultation')) ? await repo.qualityBreaches(tx, query.facilityId, toDate(from), toDate(to)) : null;
        const consentsOnFile = await consentsFor(tx, query.facilityId, toDate(from), toDate(to));
        const num = (s: string) => Number(s);
        const mapped = rows.map((r) => ({
          urgency: r.urgency,
          mode: r.mode,
          documentKind: r.document_kind,
          services: num(r.services),
          met: num(r.met),
          missed: num(r.missed),
          open: num(r.open),
          complex: num(r.complex),
          escalated: num(r.escalated),
          medianSecondsToRecord: r.median_s === null ? null : Math.round(Number(r.median_s)),
          worstSecondsToRecord: r.worst_s === null ? null : Math.round(Number(r.worst_s)),
        }));
        const sum = (k: 'services' | 'met' | 'missed' | 'open' | 'complex' | 'escalated') => mapped.reduce((a, r) => a + r[k], 0);
        const body: ComplianceReport = {
          facilityId: facility.id,
          facilityName: facility.name,
          from: query.from,
          to: query.to,
          timeZone: facility.time_zone,
          generatedAt: now.toString(),
          rows: mapped,
          totals: {
            services: sum('services'),
            met: sum('met'),
            missed: sum('missed'),
            open: sum('open'),
            complex: sum('complex'),
            escalated: sum('escalated'),
            medianSecondsToRecord: totals.median_s === null ? null : Math.round(Number(totals.median_s)),
            worstSecondsToRecord: totals.worst_s === null ? null : Math.round(Number(totals.worst_s)),
          },
          breaches: breaches.map((b) => ({ requestId: b.request_id, dueAt: fromDate(b.due_at).toString(), recordedAt: b.recorded_at ? fromDate(b.recorded_at).toString() : null, cause: b.breach_cause ?? 'not_signed' })),
          consentsOnFile,
          qualityBreaches,
        };
        await audit.record(tx, ctx, { action: 'compliance.report_generated', facilityId: facility.id, subject: { type: 'facility', id: facility.id }, data: { format: query.format, from: query.from, to: query.to } });
        return body;
      });
      const base = `compliance-${query.facilityId}-${query.from}-${query.to}`;
      if (query.format === 'csv') return { format: 'csv', filename: `${base}.csv`, body: complianceCsv(report) };
      if (query.format === 'pdf') return { format: 'pdf', filename: `${base}.pdf`, body: await compliancePdf(report) };
      return { format: 'json', body: report };
    },
  };

  /**
   * Informed consents on file for the period's completed services: services with a signed treatment
   * consent (the consent module's `consent` table, migrations/0008_consent.sql, looked up by name so this report
   * works before that module is installed).
   */
  async function consentsFor(q: Queryable, facilityId: string, from: Date, to: Date): Promise<number | null> {
    if (!(await repo.tableExists(q, 'consent')) || !(await repo.columnExists(q, 'consent', 'request_id'))) return null;
    return repo.consentsOnFile(q, facilityId, from, to);
  }

  return service;
}

export type DeadlinesService = ReturnType<typeof createDeadlinesService>;
