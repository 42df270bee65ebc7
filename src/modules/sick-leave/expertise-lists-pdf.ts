import { createPdf, PDF_FONTS } from '../../platform/pdf.js';
import type { LkkMonthlyReport, MedicalNotice, TelkCase } from '../../contracts/sick-leave.js';
import { d, DECISION, rows, type PrintSubject } from './expertise-pdf.js';
import { TELK_CHECKLIST } from './telk-rules.js';

/**
 * The ЛКК's monthly report, the TELK bundle list (опис) and a medical notice as PDFs
 * (docs/sick-leave.md#pdfs): pdfkit with DejaVu, the same bytes for the same data.
 */

const ID: Record<LkkMonthlyReport['rows'][number]['identifierKind'], string> = { egn: 'ЕГН', lnch: 'ЛНЧ', passport: 'паспорт', other: 'идентификатор' };
const SOURCE: Record<string, string> = { limit_14: '14 дни без прекъсване', limit_40: '40 дни в годината', form6: 'талон № 6', contest_employer: 'обжалване от работодател', contest_patient: 'обжалване от пациента' };
const MONTHS = ['януари', 'февруари', 'март', 'април', 'май', 'юни', 'юли', 'август', 'септември', 'октомври', 'ноември', 'декември'];
const monthName = (month: string) => `${MONTHS[Number(month.slice(5, 7)) - 1] ?? ''} ${month.slice(0, 4)}`;

/** The bundle items in words (E23, R-TELK-10), as the patient's checklist names them. */
export const TELK_ITEM: Record<(typeof TELK_CHECKLIST)[number] | 'parent_identity_document', string> = {
  identity_document: 'Документ за самоличност',
  current_address_certificate: 'Удостоверение за настоящ адрес',
  medical_documents: 'Медицинска документация (епикризи, изследвания, образни)',
  last_12_months_tests: 'Изследвания и консултации от последните 12 месеца',
  previous_telk_decision: 'Предишно решение на ТЕЛК',
  diseases_list: 'Списък на заболяванията',
  medications_list: 'Списък на приеманите лекарства',
  parent_identity_document: 'Лична карта на родителя',
};
const PURPOSE: Record<MedicalNotice['purpose'], string> = { school: 'за училище', kindergarten: 'за детска градина', sport: 'за спорт', driving: 'за шофьорска книжка', work: 'за работа', school_absence: 'за отсъствие от училище' };

/**
 * Renders the monthly report to the РЗОК (НРД R-133): the composition, the sessions, one line per protocol.
 * @param r - the report
 * @param uins - the members' УИН by practitioner id
 * @param at - when it was produced (the PDF's creation date)
 * @returns the PDF bytes
 */
export async function renderLkkReportPdf(r: LkkMonthlyReport, uins: Map<string, string>, at: string): Promise<Buffer> {
  const title = `Отчет на ЛКК за ${monthName(r.month)}`;
  const { doc, finish } = createPdf({ title, subject: `lkk report ${r.lkk.id} ${r.month}` }, new Date(at));
  doc.font(PDF_FONTS.bold).fontSize(14).text(title);
  doc.font(PDF_FONTS.regular).fontSize(9).fillColor('#444').text('Месечен отчет на председателя на ЛКК до РЗОК (НРД, чл. 69). Monthly report of the medical advisory commission.').fillColor('black');
  doc.fontSize(10).moveDown(0.8);
  const row = rows(doc);
  row('Комисия', `${r.lkk.name} (${r.lkk.orderRef})`);
  row('Състав', r.lkk.members.map((m) => `${m.role === 'chair' ? 'председател' : 'член'} ${m.name ?? ''}, УИН ${uins.get(m.practitionerId) ?? '—'}`).join('; '));
  row('Заседания', r.sessions.length > 0 ? r.sessions.map(d).join(', ') : 'няма');
  row('Решения', r.rows.length > 0 ? Object.entries(r.totals).map(([k, n]) => `${DECISION[k as keyof typeof DECISION]}: ${n}`).join('; ') : 'няма');
  doc.moveDown(0.6);
  for (const x of r.rows) {
    doc.font(PDF_FONTS.bold).text(`Протокол № ${x.protocolNo} от ${d(x.heldOn)}${x.inForce ? '' : ' (очаква подписи)'}`);
    doc.font(PDF_FONTS.regular);
    row('Пациент', `${x.patientName}, ${ID[x.identifierKind]} ${x.identifier}`);
    row('Решение', `комисията ${DECISION[x.decision]}${x.period ? ` от ${d(x.period.startOn)} до ${d(x.period.endOn)}` : ''}`);
    row('Талон (обща част)', `${x.talon.practitionerName}, УИН ${x.talon.practitionerUin}; ${x.talon.facilityName}, № ${x.talon.facilityNumber}; МКБ ${x.talon.diagnosisCode}; основание: ${SOURCE[x.source] ?? x.source}`);
    doc.moveDown(0.4);
  }
  return finish();
}

/**
 * Renders the list (опис) of the documents prepared for TELK (R-TELK-10): each bundle item present or
 * missing, the documented diagnoses (R-TELK-06), the medicines and the consultations still to be done on a № 6.
 * @param c - the TELK preparation
 * @param who - the patient
 * @param facilityName - the practice
 * @returns the PDF bytes
 */
export async function renderTelkBundlePdf(c: TelkCase, who: PrintSubject, facilityName: string): Promise<Buffer> {
  const title = 'Опис на документите за ТЕЛК';
  const { doc, finish } = createPdf({ title, subject: `telk bundle ${c.id}` }, new Date(c.createdAt));
  doc.font(PDF_FONTS.bold).fontSize(14).text(title);
  doc.font(PDF_FONTS.regular).fontSize(9).fillColor('#444').text('Документи, които пациентът представя в картотеката на ТЕЛК (List of the documents for the TELK).').fillColor('black');
  doc.fontSize(11).moveDown(0.8);
  const row = rows(doc);
  row('Пациент', `${who.name}, ${who.identifierLabel} ${who.identifier}, роден(а) ${d(who.birthDate)}`);
  row('Лечебно заведение', facilityName);
  row('Искане от', d(c.requestedOn));
  row('Срок за подготовка', `от ${d(c.earliestOn)} до ${d(c.dueOn)}`);
  row('Картотека на ТЕЛК по', c.registryAddress === 'temporary' ? 'настоящ адрес (регистриран поне 3 месеца)' : 'постоянен адрес');
  doc.moveDown(0.6).font(PDF_FONTS.bold).text('Документи');
  doc.font(PDF_FONTS.regular);
  const items = [...TELK_CHECKLIST, ...(c.missing.includes('parent_identity_document') || c.checklist['parent_identity_document'] ? ['parent_identity_document' as const] : [])];
  items.forEach((item, i) => {
    const state = c.checklist[item] ? 'приложен' : c.missing.includes(item) ? 'ЛИПСВА' : 'не се изисква';
    doc.text(`${i + 1}. ${TELK_ITEM[item]} — ${state}`);
  });
  row('Диагнози', c.diagnoses.filter((x) => x.documented).map((x) => x.code).join(', ') || null);
  row('Лекарства', c.medications.join(', ') || null);
  row('Консултации с талон № 6', c.missingConsultations.join(', ') || null);
  doc.moveDown(0.6).text(c.missing.length === 0 ? 'Документите са пълни.' : `Липсват ${c.missing.length} документа: подготовката не може да приключи без тях.`);
  return finish();
}

/**
 * Renders a medical notice (медицинска бележка, E37): purpose, text, validity, the doctor and the NHIS number.
 * @param n - the notice
 * @param who - the patient
 * @param issuer - the doctor and the practice
 * @returns the PDF bytes
 */
export async function renderMedicalNoticePdf(n: MedicalNotice, who: PrintSubject, issuer: { name: string; uin: string; facilityName: string }): Promise<Buffer> {
  const title = `Медицинска бележка ${PURPOSE[n.purpose]}`;
  const { doc, finish } = createPdf({ title, subject: `medical notice ${n.id}` }, new Date(n.createdAt));
  doc.font(PDF_FONTS.bold).fontSize(14).text(title);
  if (n.status === 'cancelled') doc.fillColor('#a00').text('АНУЛИРАНА').fillColor('black');
  doc.font(PDF_FONTS.regular).fontSize(11).moveDown(0.8);
  const row = rows(doc);
  row('Номер в НЗИС', n.nrn ?? 'очаква вписване в НЗИС');
  row('Лице', `${who.name}, ${who.identifierLabel} ${who.identifier}, роден(а) ${d(who.birthDate)}`);
  row('Издадена на', d(n.issuedOn));
  row('Валидна до', n.validUntil ? d(n.validUntil) : null);
  doc.moveDown(0.4).text(n.text);
  doc.moveDown(0.6);
  row('Лекар', `${issuer.name}, УИН ${issuer.uin}`);
  row('Лечебно заведение', issuer.facilityName);
  doc.moveDown(0.4).fontSize(9).text('Издадена след преглед.');
  return finish();
}
