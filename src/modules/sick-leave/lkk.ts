import { toDate } from '../../platform/clock.js';
import { withTransaction, type Queryable } from '../../platform/db/index.js';
import { facilityScope } from '../../platform/crypto/keyring.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError, NotFoundError } from '../../platform/errors/app-error.js';
import type { Lkk, LkkCase, RouteToLkkBody } from '../../contracts/sick-leave.js';
import { actingPractitioner, caseContext, dataContext, EXPERTISE_NHIS, localDate, type SickLeaveData, type SickLeaveDeps } from './sick-leave.deps.js';
import { daysIn } from './sick-leave-rules.js';
import * as repo from './sick-leave.repo.js';

/** What the ЛКК holds encrypted about a routed case: the refused request and the patient's identity snapshot. */
interface CaseRequest {
  request: RouteToLkkBody['request'];
  patientName: string;
  subject: SickLeaveData['subject'];
}
interface Protocol {
  text: string;
  startOn?: string;
  endOn?: string;
}

const SOURCE_RULE: Record<RouteToLkkBody['source'], string> = { limit_14: 'R-SL-01', limit_40: 'R-SL-02', form6: 'R-SL-03', contest_employer: 'R-SL-23', contest_patient: 'R-SL-23' };

/**
 * The medical advisory commission (ЛКК) as a facility body (НРД чл. 66-69, E20): members and a chair,
 * sessions, the queue of cases routed by the 14/40 limits (R-SL-03), a № 6 or a contest (R-SL-23), and
 * decisions (extend, refuse, send to TELK, confirm, reject) whose protocol takes effect when every member
 * has signed. An extension becomes an ЛКК sick leave that counts for no doctor's limits.
 * @param deps - see `SickLeaveDeps`
 * @returns the use cases
 */
export function lkkUseCases(deps: SickLeaveDeps) {
  const run = <T>(ctx: RequestCtx, fn: (tx: Queryable) => Promise<T>) => deps.policy.guard(ctx, () => withTransaction(deps.db, fn));

  async function member(ctx: RequestCtx, tx: Queryable, lkkId: string) {
    const lkk = (await repo.listLkks(tx, lkkId))[0];
    if (!lkk) throw new NotFoundError('lkk', lkkId);
    const a = ctx.actor;
    if (a.type !== 'user') throw new AppError('auth.unauthenticated');
    const practitionerId = a.role === 'specialist' ? await repo.practitionerOfAccount(tx, a.id) : undefined;
    const m = lkk.members.find((x) => x.practitionerId === practitionerId);
    if (!m || !practitionerId) throw new AppError('lkk.not_member');
    return { lkk, practitionerId, role: m.role };
  }

  async function toCase(ctx: RequestCtx, tx: Queryable, row: repo.LkkCaseRow): Promise<LkkCase> {
    const scope = facilityScope(row.lkk_facility_id);
    const req = await deps.keyring.decryptJson<CaseRequest>(ctx, tx, scope, row.request_enc, caseContext(row.id, 'request'));
    const protocol = row.protocol_enc ? await deps.keyring.decryptJson<Protocol>(ctx, tx, scope, row.protocol_enc, caseContext(row.id, 'protocol')) : null;
    return {
      id: row.id,
      lkkId: row.lkk_id,
      patientId: row.patient_id,
      fromFacilityId: row.from_facility_id,
      fromPractitionerId: row.from_practitioner_id,
      source: row.source,
      ruleId: row.rule_id,
      request: req.request,
      patientName: req.patientName,
      form6Needed: row.form6_needed,
      form6ReferralId: row.form6_referral_id,
      status: row.status,
      sessionId: row.session_id,
      decision: row.decision,
      protocolNo: row.protocol_no,
      protocol,
      signatures: (await repo.signatures(tx, row.id)).map((s) => ({ practitionerId: s.practitioner_id, signedAt: new Date(s.signed_at).toISOString() })),
      createdAt: new Date(row.created_at).toISOString(),
    };
  }

  /** Applies a fully signed protocol: an extension becomes the ЛКК's certificate(s), one per employer. */
  async function applyDecision(ctx: RequestCtx, tx: Queryable, row: repo.LkkCaseRow, chairId: string): Promise<void> {
    if (row.decision !== 'extend') return;
    const scope = facilityScope(row.lkk_facility_id);
    const req = await deps.keyring.decryptJson<CaseRequest>(ctx, tx, scope, row.request_enc, caseContext(row.id, 'request'));
    const protocol = await deps.keyring.decryptJson<Protocol>(ctx, tx, scope, row.protocol_enc as Buffer, caseContext(row.id, 'protocol'));
    const startOn = protocol.startOn ?? req.request.startOn;
    const endOn = protocol.endOn ?? req.request.endOn;
    const chair = await repo.practitionerInfo(tx, chairId);
    const facility = await repo.facilityInfo(tx, row.lkk_facility_id);
    if (!chair || !facility) throw new Error('chair or facility vanished');
    const set = deps.ids.uuid();
    const at = toDate(deps.clock.now());
    const accountId = ctx.actor.type === 'user' ? ctx.actor.id : '';
    for (const [index, employer] of req.request.employers.entries()) {
      const id = deps.ids.uuid();
      const data: SickLeaveData = { diagnosis: { code: req.request.diagnosisCode }, employer, subject: req.subject, performer: { uin: chair.uin, practiceNumber: facility.number } };
      await repo.insertSickLeave(tx, {
        id, certificate_set: set, employer_index: index, patient_id: row.patient_id, facility_id: row.lkk_facility_id, practitioner_id: chairId, encounter_id: null, consultation_id: null,
        lkk_case_id: row.id, kind: req.request.kind, capacity: 'lkk', start_on: startOn, end_on: endOn, days: daysIn(startOn, endOn), issued_on: localDate(deps.clock.now(), deps.zone),
        retroactive: false, late_issue_reason: null, duplicate_of: null, data_enc: await deps.keyring.encryptJson(tx, scope, data, dataContext('sick_leave', id)), issued_by: accountId, created_at: at,
      });
      await deps.outbox.enqueue(tx, EXPERTISE_NHIS, { type: 'sick_leave', id });
    }
    await deps.audit.record(tx, ctx, { action: 'sick_leave.issued', patientId: row.patient_id, facilityId: row.lkk_facility_id, subject: { type: 'sick_leave', id: set }, data: { kind: req.request.kind, days: daysIn(startOn, endOn), count: req.request.employers.length, lkkCaseId: row.id } });
  }

  return {
    async createLkk(ctx: RequestCtx, body: { facilityId: string; name: string; orderRef: string; members: { practitionerId: string; role: 'chair' | 'member' }[] }): Promise<Lkk> {
      return run(ctx, async (tx) => {
        const a = ctx.actor;
        if (a.type !== 'user' || a.role !== 'facility_admin' || !a.facilityIds.includes(body.facilityId)) throw new ForbiddenError('Only the facility’s administrator creates its ЛКК');
        if (body.members.filter((m) => m.role === 'chair').length !== 1) throw new AppError('request.invalid', { detail: 'Exactly one chair', errors: [{ in: 'body', pointer: '#/members', detail: 'exactly one chair' }] });
        if (new Set(body.members.map((m) => m.practitionerId)).size !== body.members.length) throw new AppError('request.invalid', { detail: 'A member is listed twice' });
        for (const m of body.members) {
          if (!(await repo.practitionerWorksAt(tx, m.practitionerId, body.facilityId))) throw new AppError('account.practitioner_not_in_facility', { detail: 'Members are doctors of the facility' });
        }
        const id = deps.ids.uuid();
        await repo.insertLkk(tx, { id, ...body, at: toDate(deps.clock.now()) });
        await deps.audit.record(tx, ctx, { action: 'lkk.created', facilityId: body.facilityId, subject: { type: 'lkk', id }, data: { members: body.members.length } });
        return (await repo.listLkks(tx, id))[0] as Lkk;
      });
    },

    async listLkks(ctx: RequestCtx): Promise<{ items: Lkk[] }> {
      if (ctx.actor.type !== 'user') throw new AppError('auth.unauthenticated');
      if (ctx.actor.role === 'patient' || ctx.actor.role === 'representative') throw new ForbiddenError();
      return { items: await repo.listLkks(deps.db) };
    },

    async openSession(ctx: RequestCtx, lkkId: string, heldOn: string): Promise<{ id: string; lkkId: string; heldOn: string }> {
      return run(ctx, async (tx) => {
        const { lkk } = await member(ctx, tx, lkkId);
        // One session a day: a second member opening it joins the same session (and its protocol numbers).
        const existing = await repo.findSessionOn(tx, lkkId, heldOn);
        if (existing) return { id: existing.id, lkkId, heldOn };
        const id = deps.ids.uuid();
        await repo.insertSession(tx, { id, lkkId, heldOn, at: toDate(deps.clock.now()) });
        await deps.audit.record(tx, ctx, { action: 'lkk.session_opened', facilityId: lkk.facilityId, subject: { type: 'lkk_session', id }, data: { heldOn } });
        return { id, lkkId, heldOn };
      });
    },

    /** R-SL-03, R-SL-23: the treating doctor routes the case with the refused request; a № 6 is prepared. */
    async routeCase(ctx: RequestCtx, body: RouteToLkkBody): Promise<LkkCase> {
      // НРД R-46: the cited referral is a № 6 for the ЛКК or TELK, for this patient (checked before our transaction).
      const form6 = body.form6ReferralId ? await deps.referrals.getReferral(ctx, body.form6ReferralId) : undefined;
      if (form6 && (form6.form !== '6' || form6.patientId !== body.patientId || !['sick_leave_extension', 'telk'].includes(form6.purpose))) throw new AppError('lkk.form6_mismatch', { meta: { rule: 'R-46' }, errors: [{ in: 'body', pointer: '#/form6ReferralId', detail: 'not a № 6 for this patient' }] });
      return run(ctx, async (tx) => {
        const me = await actingPractitioner(ctx, tx, body.facilityId);
        const access = await deps.policy.assertCanReadPatient(ctx, tx, body.patientId, 'clinical');
        const lkk = (await repo.listLkks(tx, body.lkkId))[0];
        if (!lkk) throw new NotFoundError('lkk', body.lkkId);
        // НРД R-47: an ЛКК member may not refer the patient to themselves.
        if (lkk.members.some((m) => m.practitionerId === me.practitionerId)) throw new AppError('lkk.not_member', { detail: 'An ЛКК member may not refer a patient to their own commission (НРД чл. 66, ал. 5)', meta: { rule: 'R-47' } });
        if (form6 && form6.issuer.practitionerId !== me.practitionerId) throw new AppError('lkk.form6_mismatch', { meta: { rule: 'R-46' }, errors: [{ in: 'body', pointer: '#/form6ReferralId', detail: 'another doctor’s referral' }] });
        const p = await deps.patients.readPatientIn(tx, ctx, body.patientId);
        const id = deps.ids.uuid();
        const req: CaseRequest = { request: body.request, patientName: [p.givenName, p.familyName].join(' '), subject: { identifierType: p.identifierKind, identifier: p.identifier, birthDate: p.birthDate, sex: p.sex } };
        await repo.insertCase(tx, {
          id, lkkId: body.lkkId, patientId: body.patientId, fromFacilityId: body.facilityId, fromPractitionerId: me.practitionerId, source: body.source, ruleId: SOURCE_RULE[body.source],
          requestEnc: await deps.keyring.encryptJson(tx, facilityScope(lkk.facilityId), req, caseContext(id, 'request')),
          contestedSickLeaveId: body.contestedSickLeaveId ?? null,
          // The № 6 itself is the referrals module's; the need is stored and its link set later.
          form6Needed: body.source !== 'contest_employer' && body.source !== 'contest_patient',
          form6ReferralId: body.form6ReferralId ?? null,
          at: toDate(deps.clock.now()),
        });
        await deps.audit.record(tx, ctx, { action: 'lkk.case_routed', patientId: body.patientId, facilityId: body.facilityId, reason: access.reason, subject: { type: 'lkk_case', id }, data: { source: body.source, rule: SOURCE_RULE[body.source], lkkId: body.lkkId } });
        return toCase(ctx, tx, (await repo.findCase(tx, id)) as repo.LkkCaseRow);
      });
    },

    async readQueue(ctx: RequestCtx, lkkId: string): Promise<{ items: LkkCase[] }> {
      return run(ctx, async (tx) => {
        const { lkk } = await member(ctx, tx, lkkId);
        const rows = await repo.listQueue(tx, lkkId);
        const items = await Promise.all(rows.map((r) => toCase(ctx, tx, r)));
        // Membership of the commission the case was routed to is the basis for reading it.
        for (const r of rows) await deps.audit.record(tx, ctx, { action: 'lkk.case_read', patientId: r.patient_id, facilityId: lkk.facilityId, reason: `lkk_case:${r.id}`, subject: { type: 'lkk_case', id: r.id } });
        return { items };
      });
    },

    async readCase(ctx: RequestCtx, caseId: string): Promise<LkkCase> {
      return run(ctx, async (tx) => {
        const row = await repo.findCase(tx, caseId);
        if (!row) throw new NotFoundError('lkk_case', caseId);
        let reason = `lkk_case:${row.id}`;
        try {
          await member(ctx, tx, row.lkk_id);
        } catch {
          // The patient, a representative or the routing doctor's care team read it through the policy.
          reason = (await deps.policy.assertCanReadPatient(ctx, tx, row.patient_id, 'clinical')).reason;
        }
        await deps.audit.record(tx, ctx, { action: 'lkk.case_read', patientId: row.patient_id, facilityId: row.lkk_facility_id, reason, subject: { type: 'lkk_case', id: row.id } });
        return toCase(ctx, tx, row);
      });
    },

    async decideCase(ctx: RequestCtx, caseId: string, body: { sessionId: string; decision: NonNullable<LkkCase['decision']>; text: string; startOn?: string; endOn?: string }): Promise<LkkCase> {
      return run(ctx, async (tx) => {
        const row = await repo.findCase(tx, caseId, true);
        if (!row) throw new NotFoundError('lkk_case', caseId);
        const { practitionerId } = await member(ctx, tx, row.lkk_id);
        if (row.status !== 'queued') throw new AppError('lkk.case_state', { detail: 'The case was decided already' });
        const session = await repo.findSession(tx, body.sessionId);
        if (!session || session.lkk_id !== row.lkk_id) throw new AppError('request.invalid', { detail: 'The session is not this commission’s', errors: [{ in: 'body', pointer: '#/sessionId', detail: 'unknown session' }] });
        if (body.decision === 'extend') {
          if (!body.startOn || !body.endOn || body.endOn < body.startOn) throw new AppError('sick_leave.period_invalid', { detail: 'An extension needs its period', errors: [{ in: 'body', pointer: '#/endOn', detail: 'required' }] });
          const req = await deps.keyring.decryptJson<CaseRequest>(ctx, tx, facilityScope(row.lkk_facility_id), row.request_enc, caseContext(row.id, 'request'));
          if (req.request.employers.length === 0) throw new AppError('sick_leave.employer_data', { detail: 'The routed request has no employer data (R-SL-22)', meta: { rule: 'R-SL-22' } });
        }
        const protocol: Protocol = { text: body.text, ...(body.startOn ? { startOn: body.startOn } : {}), ...(body.endOn ? { endOn: body.endOn } : {}) };
        const at = toDate(deps.clock.now());
        const no = await repo.recordDecision(tx, { id: caseId, sessionId: body.sessionId, decision: body.decision, protocolEnc: await deps.keyring.encryptJson(tx, facilityScope(row.lkk_facility_id), protocol, caseContext(caseId, 'protocol')), by: practitionerId, at });
        await repo.insertSignature(tx, caseId, practitionerId, at);
        await deps.audit.record(tx, ctx, { action: 'lkk.case_decided', patientId: row.patient_id, facilityId: row.lkk_facility_id, reason: `lkk_case:${row.id}`, subject: { type: 'lkk_case', id: caseId }, data: { decision: body.decision, protocolNo: no } });
        return toCase(ctx, tx, (await repo.findCase(tx, caseId)) as repo.LkkCaseRow);
      });
    },

    async signProtocol(ctx: RequestCtx, caseId: string): Promise<LkkCase> {
      return run(ctx, async (tx) => {
        const row = await repo.findCase(tx, caseId, true);
        if (!row) throw new NotFoundError('lkk_case', caseId);
        const { lkk, practitionerId } = await member(ctx, tx, row.lkk_id);
        if (row.status !== 'awaiting_signatures') throw new AppError('lkk.case_state', { detail: 'The protocol is not awaiting signatures' });
        await repo.insertSignature(tx, caseId, practitionerId, toDate(deps.clock.now()));
        const signed = new Set((await repo.signatures(tx, caseId)).map((s) => s.practitioner_id));
        const complete = lkk.members.every((m) => signed.has(m.practitionerId));
        if (complete) {
          await repo.markDecided(tx, caseId);
          const chair = lkk.members.find((m) => m.role === 'chair');
          await applyDecision(ctx, tx, row, chair?.practitionerId ?? practitionerId);
        }
        await deps.audit.record(tx, ctx, { action: 'lkk.protocol_signed', patientId: row.patient_id, facilityId: row.lkk_facility_id, reason: `lkk_case:${row.id}`, subject: { type: 'lkk_case', id: caseId }, data: { complete } });
        return toCase(ctx, tx, (await repo.findCase(tx, caseId)) as repo.LkkCaseRow);
      });
    },

    async listPatientCases(ctx: RequestCtx, patientId: string): Promise<{ items: LkkCase[] }> {
      return run(ctx, async (tx) => {
        const access = await deps.policy.assertCanReadPatient(ctx, tx, patientId, 'clinical');
        const items = await Promise.all((await repo.listPatientCases(tx, patientId)).map((r) => toCase(ctx, tx, r)));
        await deps.audit.record(tx, ctx, { action: 'lkk.case_read', patientId, reason: access.reason, data: { count: items.length } });
        return { items };
      });
    },
  };
}
