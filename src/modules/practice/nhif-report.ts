import { Temporal } from 'temporal-polyfill';
import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { NotFoundError } from '../../platform/errors/app-error.js';
import { createPdf, PDF_FONTS } from '../../platform/pdf.js';
import type { NhifMonthlyReport } from '../../contracts/practice.js';
import { ruleOn } from './fee-rules.js';
import { assertPracticeStaff, type PracticeDeps } from './practice.deps.js';
import { reportXml, tallyMonth, tallyReferrals } from './report-rules.js';
import * as repo from './practice.repo.js';

const GP_OR_ADMIN = new Set(['specialist', 'facility_admin']);
const KIND_BG: Record<string, string> = { in_person: 'Амбулаторни прегледи', home_visit: 'Домашни посещения', phone: 'Телефонни консултации' };

/**
 * `GET /practices/:id/reports/nhif-monthly?month=YYYY-MM&format=json|xml|pdf` (R-127, R-NHIF-02, R-DATA-07):
 * the practice's monthly activity report of NHIF-paid work, due by the 5th working day of the next
 * month. Built from the month's visit and payment records only, so a past month gives the same figures
 * and the same XML bytes; the JSON ties each figure to the records it counts (the drill-down).
 * @returns the use case
 */
export function nhifReportUseCase(deps: PracticeDeps) {
  async function build(ctx: RequestCtx, facilityId: string, month: string): Promise<NhifMonthlyReport> {
    await assertPracticeStaff(deps, ctx, facilityId, GP_OR_ADMIN);
    const first = Temporal.PlainDate.from(`${month}-01`);
    const next = first.add({ months: 1 });
    const last = next.subtract({ days: 1 }).toString();
    return withTransaction(deps.db, async (tx) => {
      const facility = await repo.findFacility(tx, facilityId);
      if (!facility) throw new NotFoundError('facility', facilityId);
      const rules = await repo.loadRules(tx);
      const bands = (rules.find((r) => r.key === 'gp.age_bands' && r.validFrom <= last && (r.validTo === null || last < r.validTo))?.value ?? []) as { code: string }[];
      const rate = ruleOn(rules, 'money.bgn_per_eur', last).rate;
      const visits = await repo.visitsForMonth(tx, facilityId, first.toString(), next.toString());
      const payments = await repo.paymentsForMonth(tx, facilityId, first.toString(), next.toString());
      const from = first.toZonedDateTime({ timeZone: deps.zone }).toInstant().toString();
      const to = next.toZonedDateTime({ timeZone: deps.zone }).toInstant().toString();
      const phone = await repo.countPhoneBetween(tx, facilityId, from, to);
      const dueDay = (rules.find((r) => r.key === 'gp.list_report_due')?.value as { workingDay: number } | undefined)?.workingDay ?? 5;
      const t = tallyMonth(visits, payments, bands.map((b) => b.code), rate);
      // R-48 / R-128: the quarter so far, against the standards in force at the month's end.
      const quarterStart = first.with({ month: Math.floor((first.month - 1) / 3) * 3 + 1 }).toString();
      const refs = await deps.referrals.readIssuedReferralsIn(tx, facilityId, quarterStart, next.toString(), last);
      const referrals = tallyReferrals(month, refs.items, refs.standards, ruleOn(rules, 'referral.standard_tolerance_percent', last).percent);
      await deps.audit.record(tx, ctx, { action: 'practice.report_generated', facilityId, subject: { type: 'facility', id: facilityId }, data: { month, visits: t.visits.count } });
      return {
        month,
        facility: { id: facility.id, number: facility.number, name: facility.name, rhifCode: facility.rhif_code },
        practitioners: await repo.practitionersOf(tx, facilityId),
        dueBy: deps.calendar.addWorkingDays(Temporal.PlainDate.from(last), dueDay).toString(),
        ...t,
        referrals,
        phoneRegister: phone,
      };
    });
  }

  return {
    readNhifMonthlyReport: build,
    async nhifMonthlyReportFile(ctx: RequestCtx, facilityId: string, month: string, format: 'xml' | 'pdf'): Promise<{ filename: string; contentType: string; body: Buffer | string }> {
      const r = await build(ctx, facilityId, month);
      if (format === 'xml') return { filename: `nhif-${r.facility.number}-${month}.xml`, contentType: 'application/xml; charset=utf-8', body: reportXml(r, r) };
      // Reproducible: the PDF's creation date is the month's end, not the moment it was printed.
      const { doc, finish } = createPdf({ title: `Отчет към НЗОК ${month}`, subject: r.facility.number }, new Date(`${month}-01T00:00:00Z`));
      doc.font(PDF_FONTS.bold).fontSize(15).text(`Месечен отчет към РЗОК ${r.facility.rhifCode} за ${month}`);
      doc.font(PDF_FONTS.regular).fontSize(11).text(`${r.facility.name}, рег. № ${r.facility.number}`);
      doc.text(`Срок за подаване: ${r.dueBy} (5-ти работен ден на следващия месец)`).moveDown();
      doc.font(PDF_FONTS.bold).text(`Прегледи, платени от НЗОК: ${r.visits.count}`).font(PDF_FONTS.regular);
      for (const f of r.byKindAndAge.filter((x) => x.count > 0)) doc.text(`  ${KIND_BG[f.kind] ?? f.kind}, възрастова група ${f.ageGroup}: ${f.count}`);
      doc.text(`Профилактични прегледи: ${r.prophylaxis.count}`);
      doc.text(`Диспансерни прегледи: ${r.dispensary.count}`);
      for (const f of r.referrals) doc.text(`Направления бл. ${f.form}: ${f.count} (от началото на тримесечието ${f.quarterToDate}${f.standardPerQuarter === null ? '' : `, норматив ${f.standardPerQuarter}, допустимо ${f.allowedWithTolerance}${f.overStandard ? ' — НАДВИШЕН' : ''}`})`);
      doc.text(`Телефонни консултации в регистъра: медицински ${r.phoneRegister.medical}, административни ${r.phoneRegister.administrative}`).moveDown();
      doc.font(PDF_FONTS.bold).text('Такси').font(PDF_FONTS.regular);
      doc.text(`Прегледи с потребителска такса: ${r.userFeeDue.count}`);
      for (const e of r.exempted) doc.text(`  Освободени (${e.code}): ${e.count}`);
      doc.text(`Прегледи, платени от пациента по ценоразпис: ${r.paidByPatient.count}`);
      for (const c of r.collected) doc.text(`  Събрано (${c.purpose}): ${c.amount} ${c.currency}${c.currency === 'BGN' ? ` = ${c.eur} EUR` : ''} (${c.count} квитанции)`);
      doc.text(`Общо събрано: ${r.collectedEur} EUR`);
      return { filename: `nhif-${r.facility.number}-${month}.pdf`, contentType: 'application/pdf', body: await finish() };
    },
  };
}
