import { Temporal } from 'temporal-polyfill';
import type { ComplianceReport } from '../../contracts/records.js';
import { createPdf, PDF_FONTS } from '../../platform/pdf.js';

const csvCell = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  // Security: a leading = + - @ would run as a formula in a spreadsheet (CSV injection).
  const safe = /^[=+\-@]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/**
 * The compliance report as CSV: one row per kind of service, a totals row, then the breaches.
 * @param r - the report
 * @returns CSV text (UTF-8, comma separated, CRLF)
 */
export function complianceCsv(r: ComplianceReport): string {
  const lines: string[] = [];
  const row = (...cells: (string | number | null)[]) => lines.push(cells.map(csvCell).join(','));
  row('facility', r.facilityName, 'from', r.from, 'to', r.to, 'time_zone', r.timeZone, 'generated_at', r.generatedAt);
  row('consents_on_file', r.consentsOnFile, 'quality_breaches', r.qualityBreaches);
  row('urgency', 'mode', 'document_kind', 'services', 'met', 'missed', 'open', 'complex', 'escalated', 'median_seconds_to_record', 'worst_seconds_to_record');
  for (const x of r.rows) row(x.urgency, x.mode, x.documentKind, x.services, x.met, x.missed, x.open, x.complex, x.escalated, x.medianSecondsToRecord, x.worstSecondsToRecord);
  const t = r.totals;
  row('total', '', '', t.services, t.met, t.missed, t.open, t.complex, t.escalated, t.medianSecondsToRecord, t.worstSecondsToRecord);
  row('breach_request_id', 'due_at', 'recorded_at', 'cause');
  for (const b of r.breaches) row(b.requestId, b.dueAt, b.recordedAt, b.cause);
  return `${lines.join('\r\n')}\r\n`;
}

const duration = (s: number | null) => {
  if (s === null) return '—';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h} ч ${m} мин`;
};

/**
 * The compliance report as a PDF (Bulgarian with English column notes).
 * @param r - the report
 * @returns PDF bytes
 */
export async function compliancePdf(r: ComplianceReport): Promise<Buffer> {
  const { doc, finish } = createPdf({ title: `Отчет за спазване на сроковете / Compliance report ${r.from} – ${r.to}` }, new Date(Temporal.Instant.from(r.generatedAt).epochMilliseconds));
  doc.font(PDF_FONTS.bold).fontSize(15).text('Отчет за спазване на сроковете по чл. 17');
  doc.font(PDF_FONTS.regular).fontSize(9).fillColor('#444').text('Compliance report: Art. 17 documentation deadlines, consents and call quality');
  doc.fillColor('black').fontSize(10).moveDown(0.5);
  doc.text(`Лечебно заведение: ${r.facilityName}`);
  doc.text(`Период: ${r.from} – ${r.to} (${r.timeZone}) · Изготвен: ${r.generatedAt}`);
  doc.moveDown(0.5);
  const t = r.totals;
  doc.font(PDF_FONTS.bold).text(`Услуги: ${t.services} · В срок: ${t.met} · Просрочени: ${t.missed} · Отворени: ${t.open} · Сложни случаи: ${t.complex} · Ескалирани: ${t.escalated}`);
  doc.font(PDF_FONTS.regular).text(`Медиана до вписване в НЗИС: ${duration(t.medianSecondsToRecord)} · Най-дълго: ${duration(t.worstSecondsToRecord)}`);
  doc.text(`Информирани съгласия: ${r.consentsOnFile ?? 'няма данни'} · Нарушения на качеството на връзката (чл. 28, т. 8-9): ${r.qualityBreaches ?? 'няма данни'}`);
  doc.moveDown(0.7).font(PDF_FONTS.bold).text('По вид услуга / By kind of service');
  doc.font(PDF_FONTS.regular).fontSize(9);
  for (const x of r.rows) {
    const kind = `${x.urgency === 'planned' ? 'планова' : 'спешна'}, ${x.mode === 'synchronous' ? 'в реално време' : 'без пряко взаимодействие'}, ${x.documentKind === 'ambulatory_sheet' ? 'амбулаторен лист' : 'писмена консултация'}`;
    doc.text(`${kind}: ${x.services} услуги, ${x.met} в срок, ${x.missed} просрочени, ${x.open} отворени; медиана ${duration(x.medianSecondsToRecord)}, най-дълго ${duration(x.worstSecondsToRecord)}`);
  }
  doc.moveDown(0.7).font(PDF_FONTS.bold).fontSize(10).text(`Просрочени срокове / Breaches (${r.breaches.length})`);
  doc.font(PDF_FONTS.regular).fontSize(8);
  for (const b of r.breaches) doc.text(`${b.requestId} · срок ${b.dueAt} · вписан ${b.recordedAt ?? '—'} · причина ${b.cause ?? '—'}`);
  return finish();
}
