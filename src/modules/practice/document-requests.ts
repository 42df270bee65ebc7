import { Temporal } from 'temporal-polyfill';
import { mapInOrder, withTransaction, type Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, NotFoundError } from '../../platform/errors/app-error.js';
import type { CreateDocumentRequestBody, DocumentRequest } from '../../contracts/practice-records.js';
import { assertUser } from '../identity/index.js';
import { documentTerms } from './desk-rules.js';
import { ruleOn } from './fee-rules.js';
import { assertPracticeStaff, listPatientRecords, openFor, ruleRefusal, sealFor, type PracticeDeps } from './practice.deps.js';
import { localDay } from './price-list.js';
import * as repo from './practice.repo.js';
import * as records from './practice-records.repo.js';

const HANDLERS = new Set(['specialist', 'facility_admin']);
/** A patient asks in writing (E34 1.2, 1.3); the other categories are entered by the practice. */
const PORTAL_CATEGORIES = new Set(['past_circumstance', 'other']);
const whatContext = (id: string) => `practice_document_request:${id}:what`;
const answerContext = (id: string) => `practice_document_request:${id}:answer`;

/**
 * Document requests (E34): a patient asks the practice for a document in writing from the portal, or the
 * desk records one; the deadline in working days on the Bulgarian calendar and the fee basis follow the
 * category (R-DOC-01..05); the GP or administrator issues it or refuses it with a reason (R-PC-19: no
 * document certifying facts the practice has no information about). Every read and change is audited.
 * @returns the use cases
 */
export function documentRequestUseCases(deps: PracticeDeps) {
  const today = () => localDay(deps.clock.now(), deps.zone);

  async function toWire(ctx: RequestCtx, q: Queryable, r: records.DocumentRequestRow): Promise<DocumentRequest> {
    return {
      id: r.id,
      facilityId: r.facility_id,
      patientId: r.patient_id,
      category: r.category,
      what: await openFor<string>(deps, ctx, q, r.facility_id, r.what_enc, whatContext(r.id)),
      receivedOn: r.received_on,
      dueOn: r.due_on,
      rule: r.rule_id ?? documentTerms(r.category, { pastCircumstance: 0, otherDocument: 0, adminContractPhone: 0 }).ruleId,
      fee: r.fee,
      status: r.status,
      issuedOn: r.issued_on,
      note: r.answer_enc ? await openFor<string>(deps, ctx, q, r.facility_id, r.answer_enc, answerContext(r.id)) : null,
      overdue: r.status === 'requested' && r.due_on !== null && r.due_on < today(),
    };
  }

  return {
    /** `POST /practices/:id/document-requests`: the patient (or representative) from the portal, or the practice's staff. */
    async requestDocument(ctx: RequestCtx, facilityId: string, body: CreateDocumentRequestBody): Promise<DocumentRequest> {
      const actor = assertUser(ctx);
      const staff = actor.role !== 'patient' && actor.facilityIds.includes(facilityId);
      return deps.policy.guard(ctx, () =>
        withTransaction(deps.db, async (tx) => {
          if (!(await repo.findFacility(tx, facilityId))) throw new NotFoundError('facility', facilityId);
          if (!staff) {
            await deps.policy.assertCanActForPatient(ctx, tx, body.patientId, 'practice.document_requested');
            if (!PORTAL_CATEGORIES.has(body.category)) throw new AppError('request.invalid', { detail: 'From the portal a document is asked for in writing', errors: [{ in: 'body', pointer: '#/category', detail: 'past_circumstance or other' }] });
          }
          const receivedOn = today();
          const terms = documentTerms(body.category, ruleOn(await repo.loadRules(tx), 'practice.document_deadlines', receivedOn));
          // R-DOC-01..03: working days on the Bulgarian calendar, from the day the request was received.
          const dueOn = terms.workingDays === null ? null : terms.workingDays === 0 ? receivedOn : deps.calendar.addWorkingDays(Temporal.PlainDate.from(receivedOn), terms.workingDays).toString();
          const id = deps.ids.uuid();
          await records.insertDocumentRequest(tx, { id, facilityId, patientId: body.patientId, category: body.category, receivedOn, dueOn, fee: terms.fee, ruleId: terms.ruleId, whatEnc: await sealFor(deps, tx, facilityId, body.what, whatContext(id)), requestedBy: actor.id, createdAt: deps.clock.now().toString() });
          await deps.audit.record(tx, ctx, { action: 'practice.document_requested', facilityId, patientId: body.patientId, subject: { type: 'practice_document_request', id }, data: { category: body.category, rule: terms.ruleId, dueOn } });
          return toWire(ctx, tx, (await records.findDocumentRequest(tx, id)) as records.DocumentRequestRow);
        }),
      );
    },

    /** `GET /practices/:id/document-requests`: the practice's worklist, open ones by deadline. */
    async listDocumentRequests(ctx: RequestCtx, facilityId: string, status: 'open' | 'all'): Promise<{ items: DocumentRequest[] }> {
      await assertPracticeStaff(deps, ctx, facilityId);
      return withTransaction(deps.db, async (tx) => {
        const rows = await records.listDocumentRequests(tx, facilityId, status === 'open');
        await deps.audit.record(tx, ctx, { action: 'practice.document_requests_read', facilityId, subject: { type: 'facility', id: facilityId }, data: { count: rows.length, status } });
        return { items: await mapInOrder(rows, (r) => toWire(ctx, tx, r)) };
      });
    },

    /** `GET /patients/:id/document-requests`: the patient's (or representative's) own requests, access-checked. */
    listPatientDocumentRequests(ctx: RequestCtx, patientId: string): Promise<{ items: DocumentRequest[] }> {
      return listPatientRecords(deps, ctx, patientId, 'practice.document_requests_read', (tx) => records.listDocumentRequestsOfPatient(tx, patientId), (tx, r) => toWire(ctx, tx, r));
    },

    /** `POST /practices/:id/document-requests/:entryId/complete`: issued, or refused with the reason (R-PC-19). */
    async completeDocumentRequest(ctx: RequestCtx, facilityId: string, requestId: string, body: { outcome: 'issued' | 'refused'; note?: string | undefined }): Promise<DocumentRequest> {
      const actor = await assertPracticeStaff(deps, ctx, facilityId, HANDLERS);
      if (body.outcome === 'refused' && !body.note) throw ruleRefusal('request.invalid', 'R-PC-19', 'Tell the patient why the document is refused');
      return withTransaction(deps.db, async (tx) => {
        const r = await records.findDocumentRequest(tx, requestId);
        if (!r || r.facility_id !== facilityId) throw new NotFoundError('document request', requestId);
        const answerEnc = body.note ? await sealFor(deps, tx, facilityId, body.note, answerContext(requestId)) : null;
        if (!(await records.completeDocumentRequest(tx, requestId, { status: body.outcome, on: today(), answerEnc, by: actor.id }))) throw new AppError('resource.conflict', { detail: 'The request is already completed' });
        const after = (await records.findDocumentRequest(tx, requestId)) as records.DocumentRequestRow;
        await deps.audit.record(tx, ctx, { action: 'practice.document_request_completed', facilityId, patientId: r.patient_id, subject: { type: 'practice_document_request', id: requestId }, data: { outcome: body.outcome, late: r.due_on !== null && today() > r.due_on, ...(body.outcome === 'refused' ? { rule: 'R-PC-19' } : {}) } });
        return toWire(ctx, tx, after);
      });
    },
  };
}
