import { Temporal } from 'temporal-polyfill';
import { toDate } from '../../platform/clock.js';
import { withTransaction, type Queryable } from '../../platform/db/index.js';
import { facilityScope } from '../../platform/crypto/keyring.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, NotFoundError } from '../../platform/errors/app-error.js';
import type { CreateTelkCaseBody, TelkCase } from '../../contracts/sick-leave.js';
import { actingPractitioner, dataContext, localDate, rulesOn, type SickLeaveDeps } from './sick-leave.deps.js';
import { ruleRefusal } from './issue-sick-leave.js';
import { clockRuns, dossierDueOn, missingChecklistItems, registryAddress, routeRefusal, telkSchedule, undocumentedDiagnoses } from './telk-rules.js';
import * as repo from './sick-leave.repo.js';

interface TelkData {
  declaredAddress?: string;
  temporaryAddressRegisteredOn?: string;
  diagnoses: CreateTelkCaseBody['diagnoses'];
  medications: string[];
  missingConsultations: string[];
}

/**
 * TELK preparation (W16): the patient's request starts the 30-day clock that does not run in June and
 * December (R-TELK-01, R-TELK-02, DECISIONS.md item 19), the route (R-TELK-07), the diagnoses
 * (R-TELK-06), the registry address (R-TELK-03), the 7-item checklist that blocks completion (R-TELK-10),
 * the lent dossier's 7 days (R-TELK-05). The deadlines go to the expertise deadline table.
 * @param deps - see `SickLeaveDeps`
 * @returns the use cases
 */
export function telkUseCases(deps: SickLeaveDeps) {
  const run = <T>(ctx: RequestCtx, fn: (tx: Queryable) => Promise<T>) => deps.policy.guard(ctx, () => withTransaction(deps.db, fn));

  async function view(ctx: RequestCtx, tx: Queryable, row: repo.TelkRow): Promise<TelkCase> {
    const data = await deps.keyring.decryptJson<TelkData>(ctx, tx, facilityScope(row.facility_id), row.data_enc, dataContext('telk_case', row.id));
    const checklist = (typeof row.checklist === 'string' ? JSON.parse(row.checklist) : row.checklist) as Record<string, boolean>;
    const rules = await rulesOn(tx, row.requested_on);
    return {
      id: row.id,
      patientId: row.patient_id,
      facilityId: row.facility_id,
      practitionerId: row.practitioner_id,
      route: row.route,
      temporaryIncapacityPreceded: row.temporary_incapacity_preceded,
      requestedOn: row.requested_on,
      earliestOn: row.earliest_on,
      dueOn: row.due_on,
      clockSuspended: row.clock_suspended,
      scheduledOn: row.scheduled_on,
      checklist,
      missing: missingChecklistItems({ presented: checklist, child: row.child, parentIdPresented: checklist['parent_identity_document'] === true, addressDiffers: row.address_differs, hadPreviousDecision: row.had_previous_decision }),
      registryAddress: registryAddress(data.temporaryAddressRegisteredOn ?? null, row.scheduled_on ?? row.due_on, rules.telkPreparation.temporaryAddressMonths),
      diagnoses: data.diagnoses,
      medications: data.medications,
      missingConsultations: data.missingConsultations,
      form6Needed: row.form6_needed,
      status: row.status,
      completedOn: row.completed_on,
      dossierLentOn: row.dossier_lent_on,
      dossierDueOn: row.dossier_due_on,
      dossierReturnedOn: row.dossier_returned_on,
      createdAt: new Date(row.created_at).toISOString(),
    };
  }

  return {
    async openTelkCase(ctx: RequestCtx, body: CreateTelkCaseBody): Promise<TelkCase> {
      return deps.policy.guard(ctx, async () => {
        try {
          return await withTransaction(deps.db, async (tx) => {
            const me = await actingPractitioner(ctx, tx, body.facilityId);
            const access = await deps.policy.assertCanReadPatient(ctx, tx, body.patientId, 'clinical');
            const today = localDate(deps.clock.now(), deps.zone);
            const requestedOn = body.requestedOn ?? today;
            const rules = await rulesOn(tx, requestedOn);
            // R-TELK-07: after temporary incapacity the ЛКК refers, on its decision.
            const route = routeRefusal(body.route, body.temporaryIncapacityPreceded);
            if (route) throw ruleRefusal('telk.route', 'R-TELK-07', route, '#/route');
            if (body.route === 'lkk') {
              const c = body.lkkCaseId ? await repo.findCase(tx, body.lkkCaseId) : undefined;
              if (!c || c.patient_id !== body.patientId || c.decision !== 'send_to_telk' || c.status !== 'decided') throw ruleRefusal('telk.route', 'R-TELK-07', 'Cite the ЛКК decision that sends the patient to TELK', '#/lkkCaseId');
            }
            const undocumented = undocumentedDiagnoses(body.diagnoses);
            if (undocumented.length > 0) throw ruleRefusal('telk.undocumented_diagnosis', 'R-TELK-06', `Not documented and not present at the exam: ${undocumented.join(', ')}`, '#/diagnoses');
            const s = telkSchedule(requestedOn, rules.telkClock, deps.calendar);
            const id = deps.ids.uuid();
            const at = toDate(deps.clock.now());
            const data: TelkData = { diagnoses: body.diagnoses, medications: body.medications, missingConsultations: [], ...(body.declaredAddress ? { declaredAddress: body.declaredAddress } : {}), ...(body.temporaryAddressRegisteredOn ? { temporaryAddressRegisteredOn: body.temporaryAddressRegisteredOn } : {}) };
            await repo.insertTelk(tx, {
              id, patient_id: body.patientId, facility_id: body.facilityId, practitioner_id: me.practitionerId, route: body.route, temporary_incapacity_preceded: body.temporaryIncapacityPreceded,
              lkk_case_id: body.lkkCaseId ?? null, requested_on: requestedOn, earliest_on: s.earliestOn, due_on: s.dueOn, clock_suspended: s.suspended, child: body.child,
              address_differs: body.addressDiffers, had_previous_decision: body.hadPreviousDecision,
              data_enc: await deps.keyring.encryptJson(tx, facilityScope(body.facilityId), data, dataContext('telk_case', id)), form6_needed: false, created_at: at,
            });
            await repo.upsertDeadline(tx, { id: deps.ids.uuid(), facility_id: body.facilityId, patient_id: body.patientId, kind: 'telk_protocol', rule_id: 'R-TELK-01', subject_id: id, started_on: requestedOn, due_on: s.dueOn, done_on: null, at });
            await deps.audit.record(tx, ctx, { action: 'telk.case_opened', patientId: body.patientId, facilityId: body.facilityId, reason: access.reason, subject: { type: 'telk_case', id }, data: { dueOn: s.dueOn, route: body.route, suspended: s.suspended } });
            return view(ctx, tx, (await repo.findTelk(tx, id)) as repo.TelkRow);
          });
        } catch (err) {
          const rule = err instanceof AppError && typeof err.meta?.['rule'] === 'string' ? err.meta['rule'] : undefined;
          if (rule) await deps.audit.recordStandalone(ctx, { action: 'sick_leave.refused', outcome: 'failure', data: { rule, code: (err as AppError).code, telk: true } });
          throw err;
        }
      });
    },

    async readTelkCase(ctx: RequestCtx, id: string): Promise<TelkCase> {
      return run(ctx, async (tx) => {
        const row = await repo.findTelk(tx, id);
        if (!row) throw new NotFoundError('telk_case', id);
        const access = await deps.policy.assertCanReadPatient(ctx, tx, row.patient_id, 'clinical', row.facility_id);
        await deps.audit.record(tx, ctx, { action: 'telk.case_read', patientId: row.patient_id, facilityId: row.facility_id, reason: access.reason, subject: { type: 'telk_case', id } });
        return view(ctx, tx, row);
      });
    },

    async listPatientTelkCases(ctx: RequestCtx, patientId: string): Promise<{ items: TelkCase[] }> {
      return run(ctx, async (tx) => {
        const access = await deps.policy.assertCanReadPatient(ctx, tx, patientId, 'clinical');
        const rows = (await repo.listTelk(tx, patientId)).filter((r) => !access.facilityScope || access.facilityScope.includes(r.facility_id));
        await deps.audit.record(tx, ctx, { action: 'telk.case_read', patientId, reason: access.reason, data: { count: rows.length } });
        return { items: await Promise.all(rows.map((r) => view(ctx, tx, r))) };
      });
    },

    async updateTelkCase(ctx: RequestCtx, id: string, body: { checklist?: Record<string, boolean | undefined>; missingConsultations?: string[]; scheduledOn?: string; dossierLentOn?: string; dossierReturnedOn?: string; complete?: boolean }): Promise<TelkCase> {
      return run(ctx, async (tx) => {
        const row = await repo.findTelk(tx, id, true);
        if (!row) throw new NotFoundError('telk_case', id);
        await actingPractitioner(ctx, tx, row.facility_id);
        await deps.policy.assertCanReadPatient(ctx, tx, row.patient_id, 'clinical', row.facility_id);
        if (row.status === 'completed') throw new AppError('resource.conflict', { detail: 'The preparation is completed' });
        const rules = await rulesOn(tx, row.requested_on);
        const today = localDate(deps.clock.now(), deps.zone);
        const at = toDate(deps.clock.now());
        const current = (typeof row.checklist === 'string' ? JSON.parse(row.checklist) : row.checklist) as Record<string, boolean>;
        const checklist: Record<string, boolean> = { ...current };
        for (const [k, v] of Object.entries(body.checklist ?? {})) if (v !== undefined) checklist[k] = v;
        if (body.scheduledOn) {
          // R-TELK-02: never in June or December (nor before the 7th after them); R-TELK-01: by the due day.
          if (!clockRuns(Temporal.PlainDate.from(body.scheduledOn), rules.telkClock) || body.scheduledOn < row.earliest_on) throw ruleRefusal('telk.blackout', 'R-TELK-02', `No TELK protocols in June or December; the earliest day is ${row.earliest_on}`, '#/scheduledOn');
          if (body.scheduledOn > row.due_on) throw ruleRefusal('telk.blackout', 'R-TELK-01', `The protocol is due by ${row.due_on}`, '#/scheduledOn');
        }
        const dossierLentOn = body.dossierLentOn ?? row.dossier_lent_on;
        const dossierDue = dossierLentOn ? dossierDueOn(dossierLentOn, rules.telkPreparation.dossierReturnDays) : null;
        const dossierReturnedOn = body.dossierReturnedOn ?? row.dossier_returned_on;
        if (body.dossierLentOn) await repo.upsertDeadline(tx, { id: deps.ids.uuid(), facility_id: row.facility_id, patient_id: row.patient_id, kind: 'dossier_return', rule_id: 'R-TELK-05', subject_id: row.id, started_on: body.dossierLentOn, due_on: dossierDue as string, done_on: dossierReturnedOn, at });
        else if (body.dossierReturnedOn && dossierLentOn) await repo.upsertDeadline(tx, { id: deps.ids.uuid(), facility_id: row.facility_id, patient_id: row.patient_id, kind: 'dossier_return', rule_id: 'R-TELK-05', subject_id: row.id, started_on: dossierLentOn, due_on: dossierDue as string, done_on: body.dossierReturnedOn, at });
        let completedOn: string | null = null;
        if (body.complete) {
          // R-TELK-10: the bundle blocks completion.
          const missing = missingChecklistItems({ presented: checklist, child: row.child, parentIdPresented: checklist['parent_identity_document'] === true, addressDiffers: row.address_differs, hadPreviousDecision: row.had_previous_decision });
          if (missing.length > 0) throw new AppError('telk.checklist_incomplete', { detail: `Missing: ${missing.join(', ')}`, meta: { rule: 'R-TELK-10', missing } });
          completedOn = today;
          await repo.upsertDeadline(tx, { id: deps.ids.uuid(), facility_id: row.facility_id, patient_id: row.patient_id, kind: 'telk_protocol', rule_id: 'R-TELK-01', subject_id: row.id, started_on: row.requested_on, due_on: row.due_on, done_on: today, at });
        }
        if (body.missingConsultations) {
          const data = await deps.keyring.decryptJson<TelkData>(ctx, tx, facilityScope(row.facility_id), row.data_enc, dataContext('telk_case', row.id));
          const enc = await deps.keyring.encryptJson(tx, facilityScope(row.facility_id), { ...data, missingConsultations: body.missingConsultations }, dataContext('telk_case', row.id));
          // W16 step 9, R-46: each missing consultation needs a № 6 (never a № 3): the need is stored for the referrals module.
          await repo.setTelkData(tx, row.id, enc, body.missingConsultations.length > 0);
        }
        await repo.updateTelk(tx, id, { checklist, scheduledOn: body.scheduledOn ?? row.scheduled_on, dossierLentOn, dossierDueOn: dossierDue, dossierReturnedOn, completedOn });
        await deps.audit.record(tx, ctx, { action: 'telk.case_updated', patientId: row.patient_id, facilityId: row.facility_id, subject: { type: 'telk_case', id }, data: { fields: Object.keys(body), completed: Boolean(completedOn) } });
        return view(ctx, tx, (await repo.findTelk(tx, id)) as repo.TelkRow);
      });
    },
  };
}
