import { Temporal } from 'temporal-polyfill';
import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, NotFoundError } from '../../platform/errors/app-error.js';
import type { Complaint, CreateComplaintBody, OutOfHours, QueueEntry } from '../../contracts/practice.js';
import { assertUser } from '../identity/index.js';
import { breachNotice, checkOutOfHours, complaintDeadlines, complaintNeedsReply, queueOrder, walkInTarget, type QueuePriority } from './desk-rules.js';
import { ruleOn } from './fee-rules.js';
import { assertPracticeStaff, openFor, ruleRefusal, sealFor, type PracticeDeps } from './practice.deps.js';
import { localDay } from './price-list.js';
import * as repo from './practice.repo.js';

const ADMINS = new Set(['specialist', 'facility_admin']);
const complaintContext = (id: string) => `practice_complaint:${id}:content`;
const replyContext = (id: string) => `practice_complaint:${id}:reply`;
const breachContext = (id: string) => `practice_data_breach:${id}:description`;

interface ComplaintContent {
  submitterName?: string | undefined;
  contact?: string | undefined;
  topic: string;
  text: string;
}

/**
 * The front desk's registers: the walk-in queue (W19, R-PC-01/02), the opinion and complaint journal
 * (W24, R-CMP-01..03), the personal-data breach register (W25, R-DATA-02) and the out-of-hours
 * arrangement (W21, R-OOH-01/03).
 * @returns the use cases
 */
export function deskRegisterUseCases(deps: PracticeDeps) {
  const today = () => localDay(deps.clock.now(), deps.zone);

  async function toQueue(rows: repo.QueueRow[], hours: number): Promise<QueueEntry[]> {
    const now = deps.clock.now();
    const wire = rows.map((r) => ({ id: r.id, patientId: r.patient_id, priority: r.priority, requestedAt: new Date(r.requested_at).toISOString(), status: r.status, encounterId: r.encounter_id }));
    return queueOrder(wire).map((e) => ({ ...e, ...walkInTarget(e.requestedAt, hours, now) }));
  }

  async function toComplaint(ctx: RequestCtx, q: Parameters<typeof repo.findComplaint>[0], r: repo.ComplaintRow): Promise<Complaint> {
    const c = await openFor<ComplaintContent>(deps, ctx, q, r.facility_id, r.content_enc, complaintContext(r.id));
    const rule = ruleOn(await repo.loadRules(q), 'practice.complaint_reply', r.received_on);
    const d = complaintDeadlines(r.received_on, r.reviewed_on, rule);
    return {
      id: r.id,
      facilityId: r.facility_id,
      channel: r.channel,
      receivedOn: r.received_on,
      submitterName: c.submitterName ?? null,
      topic: c.topic,
      text: c.text,
      needsReply: r.needs_reply,
      reviewBy: d.reviewBy,
      reviewedOn: r.reviewed_on,
      replyBy: r.needs_reply ? d.replyBy : null,
      repliedOn: r.replied_on,
      reply: r.reply_enc ? await openFor<string>(deps, ctx, q, r.facility_id, r.reply_enc, replyContext(r.id)) : null,
    };
  }

  return {
    // ---- Walk-in queue ----
    async joinQueue(ctx: RequestCtx, facilityId: string, body: { patientId: string; priority: QueuePriority }): Promise<QueueEntry> {
      const actor = await assertPracticeStaff(deps, ctx, facilityId);
      return withTransaction(deps.db, async (tx) => {
        const id = deps.ids.uuid();
        await repo.insertQueueEntry(tx, { id, facilityId, patientId: body.patientId, priority: body.priority, requestedAt: deps.clock.now().toString(), recordedBy: actor.id });
        await deps.audit.record(tx, ctx, { action: 'practice.queue_changed', facilityId, patientId: body.patientId, subject: { type: 'practice_queue_entry', id }, data: { priority: body.priority, status: 'waiting' } });
        const hours = ruleOn(await repo.loadRules(tx), 'practice.walk_in_target_hours', today()).hours;
        return (await toQueue([(await repo.findQueueEntry(tx, id)) as repo.QueueRow], hours))[0] as QueueEntry;
      });
    },
    async readQueue(ctx: RequestCtx, facilityId: string): Promise<{ items: QueueEntry[] }> {
      await assertPracticeStaff(deps, ctx, facilityId);
      return withTransaction(deps.db, async (tx) => {
        const rows = await repo.listOpenQueue(tx, facilityId);
        await deps.audit.record(tx, ctx, { action: 'practice.queue_read', facilityId, subject: { type: 'facility', id: facilityId }, data: { count: rows.length, list: 'queue' } });
        return { items: await toQueue(rows, ruleOn(await repo.loadRules(tx), 'practice.walk_in_target_hours', today()).hours) };
      });
    },
    async closeQueueEntry(ctx: RequestCtx, facilityId: string, entryId: string, status: 'seen' | 'left'): Promise<void> {
      await assertPracticeStaff(deps, ctx, facilityId);
      await withTransaction(deps.db, async (tx) => {
        const e = await repo.findQueueEntry(tx, entryId);
        if (!e || e.facility_id !== facilityId) throw new NotFoundError('queue entry', entryId);
        if (!(await repo.closeQueueEntry(tx, entryId, status, null, deps.clock.now().toString()))) throw new AppError('resource.conflict', { detail: 'The entry is no longer waiting' });
        await deps.audit.record(tx, ctx, { action: 'practice.queue_changed', facilityId, patientId: e.patient_id, subject: { type: 'practice_queue_entry', id: entryId }, data: { status } });
      });
    },

    // ---- Complaints ----
    /** A patient writes from the portal (for themself or a represented patient); staff record oral or paper ones. */
    async fileComplaint(ctx: RequestCtx, facilityId: string, body: CreateComplaintBody): Promise<Complaint> {
      const actor = assertUser(ctx);
      const staff = actor.facilityIds.includes(facilityId) && actor.role !== 'patient';
      return deps.policy.guard(ctx, () =>
        withTransaction(deps.db, async (tx) => {
          if (!(await repo.findFacility(tx, facilityId))) throw new NotFoundError('facility', facilityId);
          if (!staff) {
            if (!body.patientId) throw new AppError('request.invalid', { detail: 'Name the patient', errors: [{ in: 'body', pointer: '#/patientId', detail: 'required from the portal' }] });
            await deps.policy.assertCanActForPatient(ctx, tx, body.patientId, 'complaint');
          }
          const id = deps.ids.uuid();
          const content: ComplaintContent = { submitterName: body.submitterName, contact: body.contact, topic: body.topic, text: body.text };
          await repo.insertComplaint(tx, {
            id,
            facilityId,
            patientId: body.patientId ?? null,
            channel: staff ? body.channel : 'portal',
            receivedOn: today(),
            needsReply: complaintNeedsReply({ name: body.submitterName, contact: body.contact }),
            contentEnc: await sealFor(deps, tx, facilityId, content, complaintContext(id)),
            createdAt: deps.clock.now().toString(),
          });
          await deps.audit.record(tx, ctx, { action: 'practice.complaint_changed', facilityId, ...(body.patientId ? { patientId: body.patientId } : {}), subject: { type: 'practice_complaint', id }, data: { channel: staff ? body.channel : 'portal' } });
          return toComplaint(ctx, tx, (await repo.findComplaint(tx, id)) as repo.ComplaintRow);
        }),
      );
    },
    /** The journal: the practice's GP and administrator, and the supervisor (read-only). */
    async listComplaints(ctx: RequestCtx, facilityId: string): Promise<{ items: Complaint[] }> {
      const actor = assertUser(ctx);
      if (actor.role !== 'supervisor') await assertPracticeStaff(deps, ctx, facilityId, ADMINS);
      return withTransaction(deps.db, async (tx) => {
        const rows = await repo.listComplaints(tx, facilityId);
        const items: Complaint[] = [];
        for (const r of rows) items.push(await toComplaint(ctx, tx, r));
        await deps.audit.record(tx, ctx, { action: 'practice.complaints_read', facilityId, subject: { type: 'facility', id: facilityId }, data: { count: items.length } });
        return { items };
      });
    },
    /** R-CMP-01/02: the review date, and the reply when one is owed. */
    async answerComplaint(ctx: RequestCtx, facilityId: string, complaintId: string, body: { reviewedOn: string; reply?: string | undefined }): Promise<Complaint> {
      await assertPracticeStaff(deps, ctx, facilityId, ADMINS);
      return withTransaction(deps.db, async (tx) => {
        const r = await repo.findComplaint(tx, complaintId);
        if (!r || r.facility_id !== facilityId) throw new NotFoundError('complaint', complaintId);
        if (body.reviewedOn < r.received_on || body.reviewedOn > today()) throw new AppError('request.invalid', { detail: 'The review date lies between receipt and today', errors: [{ in: 'body', pointer: '#/reviewedOn', detail: 'out of range' }] });
        if (body.reply && !r.needs_reply) throw ruleRefusal('request.invalid', 'R-CMP-02', 'No reply goes to a submission without name and contact');
        const replyEnc = body.reply ? await sealFor(deps, tx, facilityId, body.reply, replyContext(r.id)) : null;
        await repo.answerComplaint(tx, r.id, body.reviewedOn, body.reply ? today() : null, replyEnc);
        await deps.audit.record(tx, ctx, { action: 'practice.complaint_changed', facilityId, subject: { type: 'practice_complaint', id: r.id }, data: { reviewed: true, replied: Boolean(body.reply) } });
        return toComplaint(ctx, tx, (await repo.findComplaint(tx, r.id)) as repo.ComplaintRow);
      });
    },

    // ---- Personal-data breaches ----
    async recordBreach(ctx: RequestCtx, facilityId: string, body: { detectedAt: string; description: string }) {
      const actor = await assertPracticeStaff(deps, ctx, facilityId, ADMINS);
      return withTransaction(deps.db, async (tx) => {
        const id = deps.ids.uuid();
        const hours = ruleOn(await repo.loadRules(tx), 'practice.breach_notice_hours', today()).hours;
        const notifyBy = Temporal.Instant.from(body.detectedAt).add({ hours }).toString();
        await repo.insertBreach(tx, { id, facilityId, detectedAt: body.detectedAt, notifyBy, descriptionEnc: await sealFor(deps, tx, facilityId, body.description, breachContext(id)), recordedBy: actor.id, createdAt: deps.clock.now().toString() });
        await deps.audit.record(tx, ctx, { action: 'practice.breach_changed', facilityId, subject: { type: 'practice_data_breach', id }, data: { notifyBy } });
        return { id, detectedAt: new Date(body.detectedAt).toISOString(), notifyBy, notifiedAt: null, channel: null, late: breachNotice(body.detectedAt, null, hours, deps.clock.now()).late, description: body.description };
      });
    },
    async listBreaches(ctx: RequestCtx, facilityId: string) {
      await assertPracticeStaff(deps, ctx, facilityId, ADMINS);
      return withTransaction(deps.db, async (tx) => {
        const rows = await repo.listBreaches(tx, facilityId);
        const hours = ruleOn(await repo.loadRules(tx), 'practice.breach_notice_hours', today()).hours;
        const items = [];
        for (const r of rows) {
          const detectedAt = new Date(r.detected_at).toISOString();
          const notifiedAt = r.notified_at ? new Date(r.notified_at).toISOString() : null;
          items.push({ id: r.id, detectedAt, notifyBy: new Date(r.notify_by).toISOString(), notifiedAt, channel: r.notice_channel, late: breachNotice(detectedAt, notifiedAt, hours, deps.clock.now()).late, description: await openFor<string>(deps, ctx, tx, facilityId, r.description_enc, breachContext(r.id)) });
        }
        return { items };
      });
    },
    async notifyBreach(ctx: RequestCtx, facilityId: string, breachId: string, channel: 'waiting_room' | 'website' | 'both'): Promise<void> {
      await assertPracticeStaff(deps, ctx, facilityId, ADMINS);
      await withTransaction(deps.db, async (tx) => {
        const b = await repo.findBreach(tx, breachId);
        if (!b || b.facility_id !== facilityId) throw new NotFoundError('breach', breachId);
        if (!(await repo.notifyBreach(tx, breachId, deps.clock.now().toString(), channel))) throw new AppError('resource.conflict', { detail: 'Already notified' });
        await deps.audit.record(tx, ctx, { action: 'practice.breach_changed', facilityId, subject: { type: 'practice_data_breach', id: breachId }, data: { notified: channel } });
      });
    },

    // ---- Out of hours ----
    async setOutOfHours(ctx: RequestCtx, facilityId: string, body: Omit<OutOfHours, 'facilityId'>): Promise<OutOfHours> {
      await assertPracticeStaff(deps, ctx, facilityId, ADMINS);
      const check = checkOutOfHours(body);
      if (!check.ok) throw ruleRefusal('practice.out_of_hours_invalid', check.ruleId, check.why);
      await withTransaction(deps.db, async (tx) => {
        await repo.upsertOutOfHours(tx, { id: deps.ids.uuid(), facilityId, arrangement: body.arrangement, partnerName: body.partnerName ?? null, partnerDistanceKm: body.partnerDistanceKm ?? null, phone: body.phone ?? null, note: body.note ?? null, validFrom: body.validFrom, createdAt: deps.clock.now().toString() });
        await deps.audit.record(tx, ctx, { action: 'practice.out_of_hours_changed', facilityId, subject: { type: 'practice_out_of_hours', id: facilityId }, data: { arrangement: body.arrangement, validFrom: body.validFrom } });
      });
      return { facilityId, ...body };
    },
    /** Public (R-OOH-03, W21): shown on the directory page and in every "closed" answer. */
    async readOutOfHours(facilityId: string): Promise<OutOfHours | null> {
      const r = await repo.outOfHoursOn(deps.db, facilityId, today());
      if (!r) return null;
      return {
        facilityId,
        arrangement: r.arrangement as OutOfHours['arrangement'],
        validFrom: r.valid_from,
        ...(r.partner_name ? { partnerName: r.partner_name } : {}),
        ...(r.partner_distance_km !== null ? { partnerDistanceKm: Number(r.partner_distance_km) } : {}),
        ...(r.phone ? { phone: r.phone } : {}),
        ...(r.note ? { note: r.note } : {}),
      };
    },
  };
}
