import { mapInOrder, withTransaction, type Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, NotFoundError } from '../../platform/errors/app-error.js';
import type { CreateProcessingActivityBody, CreateSubjectRequestBody, HandleSubjectRequestBody, ProcessingActivity, SubjectRequest } from '../../contracts/practice-records.js';
import { assertUser } from '../identity/index.js';
import { ruleOn } from './fee-rules.js';
import { extendSubjectRequest, subjectRequestDueOn } from './personal-data-rules.js';
import { assertPracticeStaff, listPatientRecords, openFor, ruleRefusal, sealFor, type PracticeDeps } from './practice.deps.js';
import { localDay } from './price-list.js';
import * as repo from './practice.repo.js';
import * as records from './practice-records.repo.js';

const HANDLERS = new Set(['specialist', 'facility_admin']);
const detailsContext = (id: string) => `data_subject_request:${id}:details`;
const answerContext = (id: string) => `data_subject_request:${id}:answer`;
const list = (v: string[] | string): string[] => (typeof v === 'string' ? (JSON.parse(v) as string[]) : v);

const toActivity = (a: records.ProcessingActivityRow): ProcessingActivity => ({
  id: a.id,
  facilityId: a.facility_id,
  name: a.name,
  purpose: a.purpose,
  legalBasis: a.legal_basis,
  subjectCategories: list(a.subject_categories),
  dataCategories: list(a.data_categories),
  recipients: list(a.recipients),
  transfersOutsideEu: a.transfers_outside_eu,
  retention: a.retention,
  retentionRule: a.retention_rule,
  securityMeasures: a.security_measures,
  validFrom: a.valid_from,
  retiredOn: a.retired_on,
});

/**
 * The practice's personal-data duties (E38, W25): the GDPR Art. 30 register of processing activities,
 * and data-subject requests (Art. 15-21) the patient files from the portal and the practice answers
 * within the Art. 12(3) deadline on the calendar (`personal-data-rules.ts`), extended once by two months
 * with a reason. Requests and answers are encrypted with the practice's key; every read and change is
 * audited.
 * @returns the use cases
 */
export function personalDataUseCases(deps: PracticeDeps) {
  const today = () => localDay(deps.clock.now(), deps.zone);
  const deadline = async (q: Queryable, on: string) => ruleOn(await repo.loadRules(q), 'gdpr.subject_request_deadline', on);

  async function toRequest(ctx: RequestCtx, q: Queryable, r: records.SubjectRequestRow): Promise<SubjectRequest> {
    const dueOn = r.extended_to ?? r.due_on;
    return {
      id: r.id,
      facilityId: r.facility_id,
      patientId: r.patient_id,
      right: r.subject_right,
      details: await openFor<string>(deps, ctx, q, r.facility_id, r.details_enc, detailsContext(r.id)),
      receivedOn: r.received_on,
      dueOn,
      extended: r.extended_to !== null,
      status: r.status,
      answer: r.answer_enc ? await openFor<string>(deps, ctx, q, r.facility_id, r.answer_enc, answerContext(r.id)) : null,
      closedOn: r.closed_on,
      overdue: r.closed_on === null ? today() > dueOn : r.closed_on > dueOn,
    };
  }

  return {
    /** `POST /practices/:id/processing-activities`: the GP or administrator adds an entry to the Art. 30 register. */
    async addProcessingActivity(ctx: RequestCtx, facilityId: string, body: CreateProcessingActivityBody): Promise<ProcessingActivity> {
      const actor = await assertPracticeStaff(deps, ctx, facilityId, HANDLERS);
      return withTransaction(deps.db, async (tx) => {
        const id = deps.ids.uuid();
        const row: Omit<records.ProcessingActivityRow, 'retired_on'> = { id, facility_id: facilityId, name: body.name, purpose: body.purpose, legal_basis: body.legalBasis, subject_categories: body.subjectCategories, data_categories: body.dataCategories, recipients: body.recipients, transfers_outside_eu: body.transfersOutsideEu ?? null, retention: body.retention, retention_rule: body.retentionRule ?? null, security_measures: body.securityMeasures, valid_from: body.validFrom };
        await records.insertProcessingActivity(tx, { ...row, recordedBy: actor.id, createdAt: deps.clock.now().toString() });
        await deps.audit.record(tx, ctx, { action: 'practice.processing_register_changed', facilityId, subject: { type: 'processing_activity', id }, data: { legalBasis: body.legalBasis } });
        return toActivity({ ...row, retired_on: null });
      });
    },

    /** `GET /practices/:id/processing-activities`: the register, for the practice and the supervisor (Art. 30(4)). */
    async listProcessingActivities(ctx: RequestCtx, facilityId: string): Promise<{ items: ProcessingActivity[] }> {
      if (assertUser(ctx).role !== 'supervisor') await assertPracticeStaff(deps, ctx, facilityId, HANDLERS);
      return withTransaction(deps.db, async (tx) => {
        const rows = await records.listProcessingActivities(tx, facilityId);
        await deps.audit.record(tx, ctx, { action: 'practice.processing_register_read', facilityId, subject: { type: 'facility', id: facilityId }, data: { count: rows.length } });
        return { items: rows.map(toActivity) };
      });
    },

    /** `POST /practices/:id/data-subject-requests`: the patient (or representative) files; staff record a paper one. */
    async fileSubjectRequest(ctx: RequestCtx, facilityId: string, body: CreateSubjectRequestBody): Promise<SubjectRequest> {
      const actor = assertUser(ctx);
      const staff = actor.role !== 'patient' && actor.facilityIds.includes(facilityId);
      return deps.policy.guard(ctx, () =>
        withTransaction(deps.db, async (tx) => {
          if (!(await repo.findFacility(tx, facilityId))) throw new NotFoundError('facility', facilityId);
          if (!staff) await deps.policy.assertCanActForPatient(ctx, tx, body.patientId, 'practice.subject_request_filed');
          const receivedOn = today();
          const dueOn = subjectRequestDueOn(receivedOn, await deadline(tx, receivedOn), deps.calendar.isWorkingDay);
          const id = deps.ids.uuid();
          await records.insertSubjectRequest(tx, { id, facilityId, patientId: body.patientId, right: body.right, receivedOn, dueOn, detailsEnc: await sealFor(deps, tx, facilityId, body.details, detailsContext(id)), filedBy: actor.id, createdAt: deps.clock.now().toString() });
          await deps.audit.record(tx, ctx, { action: 'practice.subject_request_filed', facilityId, patientId: body.patientId, subject: { type: 'data_subject_request', id }, data: { right: body.right, dueOn } });
          return toRequest(ctx, tx, (await records.findSubjectRequest(tx, id)) as records.SubjectRequestRow);
        }),
      );
    },

    /** `GET /practices/:id/data-subject-requests`: the GP's or administrator's worklist, open ones by deadline. */
    async listSubjectRequests(ctx: RequestCtx, facilityId: string): Promise<{ items: SubjectRequest[] }> {
      await assertPracticeStaff(deps, ctx, facilityId, HANDLERS);
      return withTransaction(deps.db, async (tx) => {
        const rows = await records.listSubjectRequests(tx, facilityId);
        await deps.audit.record(tx, ctx, { action: 'practice.subject_requests_read', facilityId, subject: { type: 'facility', id: facilityId }, data: { count: rows.length } });
        return { items: await mapInOrder(rows, (r) => toRequest(ctx, tx, r)) };
      });
    },

    /** `GET /patients/:id/data-subject-requests`: the patient's own requests and answers. */
    listPatientSubjectRequests(ctx: RequestCtx, patientId: string): Promise<{ items: SubjectRequest[] }> {
      return listPatientRecords(deps, ctx, patientId, 'practice.subject_requests_read', (tx) => records.listSubjectRequestsOfPatient(tx, patientId), (tx, r) => toRequest(ctx, tx, r));
    },

    /** `POST /practices/:id/data-subject-requests/:entryId`: extend once (within the first month), complete or refuse. */
    async handleSubjectRequest(ctx: RequestCtx, facilityId: string, requestId: string, body: HandleSubjectRequestBody): Promise<SubjectRequest> {
      const actor = await assertPracticeStaff(deps, ctx, facilityId, HANDLERS);
      return withTransaction(deps.db, async (tx) => {
        const r = await records.findSubjectRequest(tx, requestId);
        if (!r || r.facility_id !== facilityId) throw new NotFoundError('data subject request', requestId);
        const on = today();
        let extendedTo: string | null = null;
        if (body.action === 'extend') {
          if (r.extended_to) throw ruleRefusal('resource.conflict', 'GDPR-12-3', 'The deadline was already extended');
          const x = extendSubjectRequest(r.received_on, r.due_on, on, await deadline(tx, r.received_on), deps.calendar.isWorkingDay);
          if ('refused' in x) throw ruleRefusal('practice.subject_request_extension_late', 'GDPR-12-3', `An extension is told to the patient by ${r.due_on}`);
          extendedTo = x.extendedTo;
        }
        const status = body.action === 'extend' ? 'extended' : body.action === 'complete' ? 'completed' : 'refused';
        const answerEnc = await sealFor(deps, tx, facilityId, body.answer, answerContext(requestId));
        if (!(await records.moveSubjectRequest(tx, requestId, r.version, { status, extendedTo, closedOn: body.action === 'extend' ? null : on, answerEnc, by: actor.id }))) {
          throw new AppError('resource.conflict', { detail: 'The request is closed or was changed by someone else' });
        }
        const after = (await records.findSubjectRequest(tx, requestId)) as records.SubjectRequestRow;
        const late = on > (after.extended_to ?? after.due_on);
        await deps.audit.record(tx, ctx, { action: 'practice.subject_request_handled', facilityId, patientId: r.patient_id, subject: { type: 'data_subject_request', id: requestId }, data: { action: body.action, late, rule: 'GDPR-12-3' } });
        return toRequest(ctx, tx, after);
      });
    },
  };
}
