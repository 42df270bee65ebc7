import { Temporal } from 'temporal-polyfill';
import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { ruleOn } from './dated-rules.js';
import { ageOn } from './gp-rules.js';
import { decryptForm, type GpDeps } from './gp.deps.js';
import * as repo from './gp.repo.js';
import { ageBand } from './patient-list-rules.js';
import { assertOwnList, tallyList } from './read-patient-list.js';

/** RFC 4180 field: quoted when it holds a separator, a quote or a line break; formulas neutralised. */
function csvField(v: string | number | null): string {
  let s = v === null ? '' : String(v);
  // Security: a leading =, +, - or @ would run as a formula in a spreadsheet (CSV injection).
  if (/^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The monthly list register a practice files with the RHIF (НРД ): patients who joined and
 * left in the month with the reason, the count on the last day by age band and the filing
 * deadline (5th working day of the next month). CSV, UTF-8 with BOM (opens in Bulgarian Excel).
 * @param deps - see `GpDeps`
 * @returns the use case
 */
export function generateListReportUseCase(deps: GpDeps) {
  return async function generateListReport(ctx: RequestCtx, practitionerId: string, month: string): Promise<{ filename: string; csv: string }> {
    await assertOwnList(deps, deps.db, ctx, practitionerId);
    const first = Temporal.PlainDate.from(`${month}-01`);
    const next = first.add({ months: 1 });
    const last = next.subtract({ days: 1 });
    return withTransaction(deps.db, async (tx) => {
      const rules = await repo.loadRules(tx);
      const bands = ruleOn(rules, 'gp.age_bands', last.toString());
      const dueDay = ruleOn(rules, 'gp.list_report_due', last.toString()).workingDay;
      const rows = await repo.listForPeriod(tx, practitionerId, first.toString(), next.toString());
      const lines: string[] = [['section', 'registration_id', 'kind', 'identifier_kind', 'identifier', 'family_name', 'given_name', 'birth_date', 'age_group', 'starts_on', 'ends_on', 'ended_on', 'end_reason'].join(',')];
      let count = 0;
      for (const r of rows) {
        const joined = r.starts_on >= first.toString();
        const leftInMonth = r.ended_on !== null && r.ended_on >= first.toString() && r.ended_on < next.toString();
        if (!joined && !leftInMonth) continue;
        const f = await decryptForm(deps, ctx, tx, r);
        const base = (section: string) =>
          [section, r.id, r.kind, f.patient.identifierKind, f.patient.identifier, f.patient.familyName, f.patient.givenName, f.patient.birthDate,
            ageBand(ageOn(Temporal.PlainDate.from(f.patient.birthDate), last), bands).code, r.starts_on, r.ends_on, r.ended_on, r.end_reason]
            .map(csvField)
            .join(',');
        if (joined) lines.push(base('new'));
        if (leftInMonth) lines.push(base('left'));
        count += 1;
      }
      const s = await tallyList(deps, tx, ctx, practitionerId, last.toString(), rules);
      lines.push(['summary', 'listed_on', last.toString(), 'total', s.total, 'temporary', s.temporary].map(csvField).join(','));
      for (const g of s.ageGroups) lines.push(['summary', 'age_group', g.code, 'count', g.count, 'capitation_eur', g.capitationEur].map(csvField).join(','));
      lines.push(['summary', 'capitation_eur', s.capitationEur, 'due_by', deps.calendar.addWorkingDays(last, dueDay).toString()].map(csvField).join(','));
      await deps.audit.record(tx, ctx, { action: 'gp.list_report_generated', subject: { type: 'practitioner', id: practitionerId }, data: { month, format: 'csv', count } });
      return { filename: `gp-list-${month}.csv`, csv: `\uFEFF${lines.join('\r\n')}\r\n` };
    });
  };
}
