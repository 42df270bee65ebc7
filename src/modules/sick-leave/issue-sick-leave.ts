import { Temporal } from 'temporal-polyfill';
import { toDate } from '../../platform/clock.js';
import { withTransaction, type Queryable } from '../../platform/db/index.js';
import { facilityScope } from '../../platform/crypto/keyring.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError } from '../../platform/errors/app-error.js';
import type { ErrorCode } from '../../platform/errors/catalog.js';
import type { IssueSickLeaveBody, IssueSickLeaveResult } from '../../contracts/sick-leave.js';
import { actingPractitioner, dataContext, examinationOf, EXPERTISE_NHIS, localDate, rulesOn, toSickLeave, type SickLeaveData, type SickLeaveDeps } from './sick-leave.deps.js';
import { benefitWarning, checkIssue, checkLimits, daysIn, daysInYear, limitPool, type IssueFacts } from './sick-leave-rules.js';
import * as repo from './sick-leave.repo.js';
import { readPatientGpOn } from '../gp/index.js';

/** A refusal by a rule, audited after the transaction rolled back. */
export function ruleRefusal(code: ErrorCode, rule: string, detail: string, pointer?: string, meta: Record<string, unknown> = {}): AppError {
  return new AppError(code, { detail, meta: { rule, ...meta }, ...(pointer ? { errors: [{ in: 'body' as const, pointer, detail: rule }] } : {}) });
}

const CARE_KINDS = new Set(['family_care', 'quarantine']);
const ageOn = (birthDate: string, on: string) => Temporal.PlainDate.from(birthDate).until(Temporal.PlainDate.from(on), { largestUnit: 'years' }).years;

/**
 * `POST /sick-leaves`: the doctor who examined the patient issues the certificate(s) on that encounter
 * (W15): one per employer (R-SL-13), after every rule of {@link checkIssue} and the issuing doctor's
 * 14/40 limits (R-SL-01..04, DECISIONS.md item 18). Beyond a limit the problem names the rule and offers
 * the ЛКК routing (R-SL-03). A remote consultation counts only if recorded as remotely assessable
 * (Art. 9), and the certificate cites it. Each certificate goes to the NHIS as X011 through the outbox.
 * @param deps - see `SickLeaveDeps`
 * @returns the use case
 */
export function issueSickLeaveUseCase(deps: SickLeaveDeps) {
  async function issue(tx: Queryable, ctx: RequestCtx, body: IssueSickLeaveBody): Promise<IssueSickLeaveResult> {
    const encounter = await examinationOf(deps, ctx, tx, body);
    const me = await actingPractitioner(ctx, tx, encounter.facilityId);
    // R-SL-21: the doctor who examined the patient issues; nobody issues on someone else's examination.
    if (me.practitionerId !== encounter.practitionerId) throw new ForbiddenError('Only the doctor who examined the patient issues the sick leave');
    const now = deps.clock.now();
    const today = localDate(now, deps.zone);
    const examOn = localDate(encounter.startedAt, deps.zone);
    const rules = await rulesOn(tx, today);
    const care = CARE_KINDS.has(body.kind);
    // The certificate is the insured person's: for care leave the carer, the examined patient is the sick one.
    const insuredId = care && body.care ? body.care.patientId : encounter.patientId;
    const insured = await deps.patients.readPatientIn(tx, ctx, insuredId);
    let careFacts: IssueFacts['care'];
    if (care && body.care) {
      const sick = await deps.patients.readPatientIn(tx, ctx, encounter.patientId);
      careFacts = { relation: body.care.relation, sickPersonGpPractitionerId: await readPatientGpOn(tx, encounter.patientId, examOn), sickPersonAge: ageOn(sick.birthDate, examOn), ...(body.care.attendsChildrenFacility === undefined ? {} : { attendsChildrenFacility: body.care.attendsChildrenFacility }) };
    }
    const facts: IssueFacts = {
      kind: body.kind,
      capacity: body.capacity,
      startOn: body.startOn,
      endOn: body.endOn,
      issuedOn: today,
      exam: { kind: encounter.kind, remoteAssessable: encounter.remoteAssessable, examOn, practitionerId: encounter.practitionerId, patientId: encounter.patientId },
      employers: body.employers,
      ...(body.lateIssueReason ? { lateIssueReason: body.lateIssueReason } : {}),
      ...(body.examDocument ? { examDocument: body.examDocument } : {}),
      ...(careFacts ? { care: careFacts } : {}),
      ...(body.serviceNote ? { serviceNote: body.serviceNote } : {}),
      ...(body.hospitalDischargeOn ? { hospitalDischargeOn: body.hospitalDischargeOn } : {}),
      ...(body.maternity ? { maternity: body.maternity } : {}),
    };
    const check = checkIssue(facts, rules.maternity);
    if (!check.ok) throw ruleRefusal(check.code, check.rule, check.detail, check.pointer);

    // Concurrency: one issue at a time per insured person, so two requests cannot both pass the limits.
    await repo.lockPerson(tx, insuredId);
    const prior = await repo.priorLeaves(tx, insuredId);
    const limit = checkLimits(body, prior, me.practitionerId, rules.limits);
    if (!limit.ok) {
      const lkks = (await repo.listLkks(tx)).map((l) => ({ id: l.id, name: l.name, facilityId: l.facilityId }));
      // R-SL-03: beyond the limits the ЛКК decides; the routing is offered with the refused request.
      throw ruleRefusal(limit.code, limit.rule, limit.rule === 'R-SL-01' ? `Over ${limit.counters.limits.consecutiveDays} consecutive days by this doctor` : `Over ${limit.counters.limits.yearDays} days in ${limit.year} by this doctor`, '#/endOn', {
        counters: limit.counters,
        lkkRouting: { href: '/api/v1/lkk-cases', source: limit.rule === 'R-SL-01' ? 'limit_14' : 'limit_40', lkks, form6Needed: true },
      });
    }
    const warnings = [];
    if (care && careFacts) {
      const year = Temporal.PlainDate.from(body.startOn).year;
      const careDays = prior.filter((p) => limitPool(p.kind) === 'care').reduce((n, p) => n + daysInYear(p.startOn, p.endOn, year), 0);
      const w = benefitWarning(body, careDays, careFacts.sickPersonAge, rules.limits);
      if (w) warnings.push(w);
    }

    // The doctor signs with a fresh second factor (as referrals and consents do): no signature, no certificate.
    const signature = await deps.stepUp.confirmStepUp(tx, ctx, body.code, `sick_leave.sign:${body.kind}`);
    const practitioner = await repo.practitionerInfo(tx, me.practitionerId);
    const facility = await repo.facilityInfo(tx, encounter.facilityId);
    if (!practitioner || !facility) throw new Error('practitioner or facility vanished');
    const set = deps.ids.uuid();
    const at = toDate(now);
    const ids: string[] = [];
    for (const [index, employer] of body.employers.entries()) {
      const id = deps.ids.uuid();
      ids.push(id);
      const data: SickLeaveData = {
        diagnosis: body.diagnosis,
        ...(body.reason ? { reason: body.reason } : {}),
        employer,
        ...(care && body.care ? { care: { sickPatientId: encounter.patientId, relation: body.care.relation } } : {}),
        ...(body.serviceNote ? { serviceNote: body.serviceNote } : {}),
        ...(body.examDocument ? { examDocument: body.examDocument } : {}),
        ...(body.maternity ? { maternity: body.maternity } : {}),
        ...(body.lateIssueReason ? { lateIssueReason: body.lateIssueReason } : {}),
        subject: { identifierType: insured.identifierKind, identifier: insured.identifier, birthDate: insured.birthDate, sex: insured.sex },
        performer: { uin: practitioner.uin, practiceNumber: facility.number },
        signedWith: { stepUpId: signature.stepUpId, at: signature.at.toString() },
      };
      await repo.insertSickLeave(tx, {
        id,
        certificate_set: set,
        employer_index: index,
        patient_id: insuredId,
        facility_id: encounter.facilityId,
        practitioner_id: me.practitionerId,
        encounter_id: encounter.id,
        consultation_id: encounter.kind === 'remote' ? encounter.consultationId : null,
        lkk_case_id: null,
        kind: body.kind,
        capacity: body.capacity,
        start_on: body.startOn,
        end_on: body.endOn,
        days: daysIn(body.startOn, body.endOn),
        issued_on: today,
        retroactive: check.retroactive,
        late_issue_reason: body.lateIssueReason ?? null,
        duplicate_of: null,
        data_enc: await deps.keyring.encryptJson(tx, facilityScope(encounter.facilityId), data, dataContext('sick_leave', id)),
        issued_by: me.accountId,
        created_at: at,
      });
      await deps.outbox.enqueue(tx, EXPERTISE_NHIS, { type: 'sick_leave', id });
    }
    if (check.retroactive) {
      // R-SL-16: a retroactive leave is issued within 1 working day of the patient's request.
      const requestedOn = body.requestedOn ?? today;
      await repo.upsertDeadline(tx, { id: deps.ids.uuid(), facility_id: encounter.facilityId, patient_id: insuredId, kind: 'retroactive_leave', rule_id: 'R-SL-16', subject_id: set, started_on: requestedOn, due_on: deps.calendar.addWorkingDays(Temporal.PlainDate.from(requestedOn), rules.deadlines.retroactiveWorkingDays).toString(), done_on: today, at });
    }
    await deps.audit.record(tx, ctx, { action: 'sick_leave.issued', patientId: insuredId, facilityId: encounter.facilityId, subject: { type: 'sick_leave', id: set }, data: { stepUpId: signature.stepUpId, kind: body.kind, days: daysIn(body.startOn, body.endOn), count: ids.length, retroactive: check.retroactive, encounterKind: encounter.kind } });
    const rows = await repo.listSet(tx, set);
    return { certificates: await Promise.all(rows.map((r) => toSickLeave(deps, ctx, tx, r))), counters: limit.counters, warnings };
  }

  return async function issueSickLeave(ctx: RequestCtx, body: IssueSickLeaveBody): Promise<IssueSickLeaveResult> {
    return deps.policy.guard(ctx, async () => {
      try {
        return await withTransaction(deps.db, (tx) => issue(tx, ctx, body));
      } catch (err) {
        if (err instanceof AppError && err.code === 'auth.mfa_invalid' && err.meta?.['stepUp'] === true) throw await deps.stepUp.recordStepUpFailure(ctx);
        const rule = err instanceof AppError && typeof err.meta?.['rule'] === 'string' ? err.meta['rule'] : undefined;
        if (rule) await deps.audit.recordStandalone(ctx, { action: 'sick_leave.refused', outcome: 'failure', data: { rule, code: (err as AppError).code, kind: body.kind, encounterId: body.encounterId } });
        throw err;
      }
    });
  };
}
