import { Temporal } from 'temporal-polyfill';
import { mapInOrder, withTransaction, type Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { ForbiddenError } from '../../platform/errors/app-error.js';
import type { PatientList, PatientListQuery, PatientListSummary } from '../../contracts/gp.js';
import { assertUser } from '../identity/index.js';
import { ruleOn, type DatedRule } from './dated-rules.js';
import { ageOn, localDate } from './gp-rules.js';
import { decryptForm, type GpDeps } from './gp.deps.js';
import * as repo from './gp.repo.js';
import { ageBand, bgnToEur, staffingRequired, timesBgn } from './patient-list-rules.js';

/**
 * The GP's own registers (НРД R-31) are read only by that GP: the list holds exactly the patients whose
 * registration opened the GP's care relationship (Art. 13), so the actor check is the access check.
 * Call it with the database handle, outside a transaction: a denial is recorded at once.
 * @throws {ForbiddenError} for anyone else (recorded as `access.denied`)
 */
async function assertOwnList(deps: GpDeps, q: Queryable, ctx: RequestCtx, practitionerId: string): Promise<void> {
  const actor = assertUser(ctx);
  if (actor.role === 'specialist' && (await repo.practitionerOfAccount(q, actor.id)) === practitionerId) return;
  await deps.audit.recordStandalone(ctx, { action: 'access.denied', outcome: 'denied', subject: { type: 'practitioner', id: practitionerId }, data: { operation: 'read', purpose: 'gp_patient_list', why: 'not_own_list' } });
  throw new ForbiddenError("Only the GP reads their patient list");
}

/**
 * Tallies a GP's list on a date: age bands with capitation (R-76, EUR at the fixed rate), temporary
 * patients, capacity from the contract, required staff and who left by reason.
 */
export async function tallyList(deps: GpDeps, tx: Queryable, ctx: RequestCtx, practitionerId: string, on: string, rules: readonly DatedRule[]): Promise<PatientListSummary> {
  const bands = ruleOn(rules, 'gp.age_bands', on);
  const rate = ruleOn(rules, 'money.bgn_per_eur', on).rate;
  const onDate = Temporal.PlainDate.from(on);
  const rows = await repo.listForPeriod(tx, practitionerId, '0001-01-01', onDate.add({ days: 1 }).toString());
  const counts = new Map<string, number>(bands.map((b) => [b.code, 0]));
  const left = new Map<string, number>();
  let total = 0;
  let temporary = 0;
  for (const r of rows) {
    if (r.ended_on !== null && r.ended_on <= on) {
      if (r.end_reason) left.set(r.end_reason, (left.get(r.end_reason) ?? 0) + 1);
      continue;
    }
    if (r.ends_on !== null && r.ends_on < on) continue;
    const form = await decryptForm(deps, ctx, tx, r);
    const band = ageBand(ageOn(Temporal.PlainDate.from(form.patient.birthDate), onDate), bands);
    counts.set(band.code, (counts.get(band.code) ?? 0) + 1);
    total += 1;
    if (r.kind === 'temporary') temporary += 1;
  }
  const contract = await repo.findContract(tx, practitionerId, on);
  const max = contract?.max_list_size ?? null;
  const ageGroups = bands.map((b) => {
    const count = counts.get(b.code) ?? 0;
    const bgn = timesBgn(b.capitationBgn, count);
    return { code: b.code, count, capitationBgn: bgn, capitationEur: bgnToEur(bgn, rate) };
  });
  const totalBgn = ageGroups.reduce((s, g) => s + BigInt(g.capitationBgn.replace('.', '')), 0n);
  return {
    practitionerId,
    on,
    total,
    temporary,
    ageGroups,
    capitationEur: bgnToEur(`${totalBgn / 100n}.${String(totalBgn % 100n).padStart(2, '0')}`, rate),
    capacity: { maxListSize: max, remaining: max === null ? null : Math.max(0, max - total) },
    staffing: staffingRequired(total, ruleOn(rules, 'gp.staffing', on)),
    left: [...left.entries()].map(([reason, count]) => ({ reason: reason as PatientListSummary['left'][number]['reason'], count })),
  };
}

/**
 * `GET /practitioners/:id/patient-list` and `.../summary`: the GP's list, paged, and its tallies.
 * @param deps - see `GpDeps`
 * @returns the two use cases
 */
export function readPatientListUseCases(deps: GpDeps) {
  return {
    async readPatientList(ctx: RequestCtx, practitionerId: string, query: PatientListQuery): Promise<PatientList> {
      const on = query.on ?? localDate(deps.clock.now(), deps.zone).toString();
      // Concurrency: checked before the transaction, so a denial is recorded on its own connection (PGlite).
      await assertOwnList(deps, deps.db, ctx, practitionerId);
      return withTransaction(deps.db, async (tx) => {
        const rules = await repo.loadRules(tx);
        const bands = ruleOn(rules, 'gp.age_bands', on);
        const onDate = Temporal.PlainDate.from(on);
        const { rows, total } = await repo.pageList(tx, practitionerId, on, query.status, query.pageSize, (query.page - 1) * query.pageSize);
        const items = await mapInOrder(rows, async (r) => {
          const f = await decryptForm(deps, ctx, tx, r);
          return {
            registrationId: r.id,
            patientId: r.patient_id,
            givenName: f.patient.givenName,
            familyName: f.patient.familyName,
            identifierKind: f.patient.identifierKind,
            identifier: f.patient.identifier,
            birthDate: f.patient.birthDate,
            ageGroup: ageBand(ageOn(Temporal.PlainDate.from(f.patient.birthDate), onDate), bands).code,
            kind: r.kind,
            startsOn: r.starts_on,
            endsOn: r.ends_on,
            endedOn: r.ended_on,
            endReason: r.end_reason,
          };
        });
        // One event per page: the page's patients are the GP's own list; ids stay out of `data` (size cap).
        await deps.audit.record(tx, ctx, { action: 'gp.patient_list_read', subject: { type: 'practitioner', id: practitionerId }, data: { count: items.length, page: query.page, status: query.status, on } });
        return { practitionerId, on, status: query.status, total, page: query.page, pageSize: query.pageSize, items };
      });
    },

    async readPatientListSummary(ctx: RequestCtx, practitionerId: string, onDate?: string): Promise<PatientListSummary> {
      const on = onDate ?? localDate(deps.clock.now(), deps.zone).toString();
      await assertOwnList(deps, deps.db, ctx, practitionerId);
      return withTransaction(deps.db, async (tx) => {
        const summary = await tallyList(deps, tx, ctx, practitionerId, on, await repo.loadRules(tx));
        await deps.audit.record(tx, ctx, { action: 'gp.patient_list_read', subject: { type: 'practitioner', id: practitionerId }, data: { count: summary.total, summary: true, on } });
        return summary;
      });
    },
  };
}

export { assertOwnList };
