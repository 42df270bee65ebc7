import { Temporal } from 'temporal-polyfill';
import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { toDate } from '../../platform/clock.js';
import { createPdf, PDF_FONTS } from '../../platform/pdf.js';
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

interface ReportLine {
  section: 'new' | 'left';
  cells: (string | number | null)[];
}

/**
 * The monthly list register a practice files with the RHIF (НРД R-29, R-30): patients who joined and
 * left in the month with the reason, the count on the last day by age band (R-77) and the filing
 * deadline (5th working day of the next month), as CSV (UTF-8 with BOM, opens in Bulgarian Excel) or as
 * a printable PDF with the same content.
 * @param deps - see `GpDeps`
 * @returns the use cases
 */
export function generateListReportUseCase(deps: GpDeps) {
  async function collect(ctx: RequestCtx, practitionerId: string, month: string, format: 'csv' | 'pdf') {
    await assertOwnList(deps, deps.db, ctx, practitionerId);
    const first = Temporal.PlainDate.from(`${month}-01`);
    const next = first.add({ months: 1 });
    const last = next.subtract({ days: 1 });
    return withTransaction(deps.db, async (tx) => {
      const rules = await repo.loadRules(tx);
      const bands = ruleOn(rules, 'gp.age_bands', last.toString());
      const dueDay = ruleOn(rules, 'gp.list_report_due', last.toString()).workingDay;
      const rows = await repo.listForPeriod(tx, practitionerId, first.toString(), next.toString());
      const lines: ReportLine[] = [];
      let count = 0;
      for (const r of rows) {
        const joined = r.starts_on >= first.toString();
        const leftInMonth = r.ended_on !== null && r.ended_on >= first.toString() && r.ended_on < next.toString();
        if (!joined && !leftInMonth) continue;
        const f = await decryptForm(deps, ctx, tx, r);
        const cells = [r.id, r.kind, f.patient.identifierKind, f.patient.identifier, f.patient.familyName, f.patient.givenName, f.patient.birthDate,
          ageBand(ageOn(Temporal.PlainDate.from(f.patient.birthDate), last), bands).code, r.starts_on, r.ends_on, r.ended_on, r.end_reason];
        if (joined) lines.push({ section: 'new', cells });
        if (leftInMonth) lines.push({ section: 'left', cells });
        count += 1;
      }
      const summary = await tallyList(deps, tx, ctx, practitionerId, last.toString(), rules);
      const dueBy = deps.calendar.addWorkingDays(last, dueDay).toString();
      await deps.audit.record(tx, ctx, { action: 'gp.list_report_generated', subject: { type: 'practitioner', id: practitionerId }, data: { month, format, count } });
      return { lines, summary, dueBy, last: last.toString() };
    });
  }

  return {
    async generateListReport(ctx: RequestCtx, practitionerId: string, month: string): Promise<{ filename: string; csv: string }> {
      const { lines, summary: s, dueBy, last } = await collect(ctx, practitionerId, month, 'csv');
      const out: string[] = [['section', 'registration_id', 'kind', 'identifier_kind', 'identifier', 'family_name', 'given_name', 'birth_date', 'age_group', 'starts_on', 'ends_on', 'ended_on', 'end_reason'].join(',')];
      for (const l of lines) out.push([l.section, ...l.cells].map(csvField).join(','));
      out.push(['summary', 'listed_on', last, 'total', s.total, 'temporary', s.temporary].map(csvField).join(','));
      for (const g of s.ageGroups) out.push(['summary', 'age_group', g.code, 'count', g.count, 'capitation_eur', g.capitationEur].map(csvField).join(','));
      out.push(['summary', 'capitation_eur', s.capitationEur, 'due_by', dueBy].map(csvField).join(','));
      return { filename: `gp-list-${month}.csv`, csv: `\uFEFF${out.join('\r\n')}\r\n` };
    },

    /** The same register as a printable PDF (Bulgarian headings, DejaVu font for Cyrillic). */
    async generateListReportPdf(ctx: RequestCtx, practitionerId: string, month: string): Promise<{ filename: string; pdf: Buffer }> {
      const { lines, summary: s, dueBy, last } = await collect(ctx, practitionerId, month, 'pdf');
      const { doc, finish } = createPdf({ title: `Регистър на пациентската листа ${month}` }, toDate(deps.clock.now()));
      doc.font(PDF_FONTS.bold).fontSize(14).text(`Регистър на пациентската листа — ${month}`);
      doc.font(PDF_FONTS.regular).fontSize(9).text(`Към ${last}; срок за подаване в РЗОК: ${dueBy} (НРД, чл. 110, ал. 1)`).moveDown();
      for (const section of ['new', 'left'] as const) {
        const these = lines.filter((l) => l.section === section);
        doc.font(PDF_FONTS.bold).fontSize(11).text(section === 'new' ? `Новорегистрирани (${these.length})` : `Отписани (${these.length})`);
        doc.font(PDF_FONTS.regular).fontSize(8);
        for (const l of these) {
          const [, kind, idKind, identifier, family, given, birth, band, startsOn, endsOn, endedOn, reason] = l.cells;
          const tail = section === 'left' ? `, прекратен ${String(endedOn)} (${String(reason)})` : `, от ${String(startsOn)}${endsOn ? ` до ${String(endsOn)}` : ''}`;
          doc.text(`${String(family)} ${String(given)}, ${String(idKind).toUpperCase()} ${String(identifier)}, род. ${String(birth)}, група ${String(band)}, ${String(kind)}${tail}`);
        }
        doc.moveDown();
      }
      doc.font(PDF_FONTS.bold).fontSize(11).text('Обобщение');
      doc.font(PDF_FONTS.regular).fontSize(9).text(`Общо в листата: ${s.total} (временно: ${s.temporary})`);
      for (const g of s.ageGroups) doc.text(`Възрастова група ${g.code}: ${g.count}; капитация ${g.capitationEur} EUR`);
      doc.text(`Капитация общо: ${s.capitationEur} EUR`);
      return { filename: `gp-list-${month}.pdf`, pdf: await finish() };
    },
  };
}
