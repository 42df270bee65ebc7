import { Temporal } from 'temporal-polyfill';
import { createPdf, PDF_FONTS } from '../../platform/pdf.js';
import type { Lkk, LkkCase, SickLeave } from '../../contracts/sick-leave.js';

/**
 * Print-ready data of a sick-leave certificate and of an ЛКК protocol (docs/sick-leave.md#pdfs). The
 * certificate's legal form is the NOI's electronic one recorded through the NHIS (X011); this is the
 * patient's and employer's copy of its data, not the form itself (its layout is not in the sources).
 */

export interface PrintSubject {
  name: string;
  identifierLabel: string;
  identifier: string;
  birthDate: string;
}

export const KIND: Record<SickLeave['kind'], string> = {
  illness: 'заболяване',
  family_care: 'гледане на болен член от семейството',
  quarantine: 'карантина на дете',
  maternity_prenatal: 'бременност (преди раждането)',
  maternity_postnatal: 'раждане (след раждането)',
  newborn_care: 'гледане на новородено',
  exam_consultation: 'изследване и консултация',
  accompanying: 'придружаване',
  sanatorium: 'санаторно-курортно лечение',
  dental: 'дентално лечение',
};
export const DECISION: Record<NonNullable<LkkCase['decision']>, string> = {
  extend: 'продължава временната неработоспособност',
  refuse: 'отказва продължаване на временната неработоспособност',
  send_to_telk: 'насочва пациента към ТЕЛК',
  confirm: 'потвърждава обжалвания болничен лист',
  reject: 'отменя обжалвания болничен лист',
};
/** Dates as people write them: 10.03.2026 (DESIGN: words and dates, not ISO). */
export const d = (iso: string) => Temporal.PlainDate.from(iso).toLocaleString('bg-BG', { day: '2-digit', month: '2-digit', year: 'numeric' });

export function rows(doc: PDFKit.PDFDocument) {
  return (label: string, value: string | null | undefined) => {
    if (value) doc.font(PDF_FONTS.bold).text(`${label}: `, { continued: true }).font(PDF_FONTS.regular).text(value);
  };
}

/**
 * Renders a certificate's data.
 * @returns the PDF bytes
 */
export async function renderSickLeavePdf(s: SickLeave, who: PrintSubject, facilityName: string): Promise<Buffer> {
  const title = s.marking ? 'Болничен лист — дубликат' : 'Болничен лист за временна неработоспособност';
  const { doc, finish } = createPdf({ title, subject: `sick leave ${s.id}` }, new Date(s.createdAt));
  doc.font(PDF_FONTS.bold).fontSize(14).text(title);
  doc.font(PDF_FONTS.regular).fontSize(9).fillColor('#444').text('Данни от болничния лист (Sick-leave certificate data). Електронният болничен лист се вписва в НЗИС и НОИ.').fillColor('black');
  doc.fontSize(11).moveDown(0.8);
  const row = rows(doc);
  row('Номер в НЗИС', s.nrn ?? 'очаква вписване в НЗИС');
  if (s.marking) row('Отбелязване', s.marking.toUpperCase());
  row('Лице', `${who.name}, ${who.identifierLabel} ${who.identifier}, роден(а) ${d(who.birthDate)}`);
  row('Вид', KIND[s.kind]);
  row('Период', `от ${d(s.startOn)} до ${d(s.endOn)} включително — ${s.days} календарни дни`);
  row('Диагноза (МКБ-10)', [s.diagnosis.code, s.diagnosis.text].filter(Boolean).join(' — '));
  row('Издаден на', d(s.issuedOn));
  row('Издал', s.lkkCaseId ? `ЛКК (председател ${s.practitioner.name})` : s.practitioner.name);
  row('Лечебно заведение', facilityName);
  row('Основание', s.consultationId ? 'консултация от разстояние, при която състоянието е оценено като оценимо от разстояние (чл. 9)' : s.lkkCaseId ? 'решение на ЛКК' : 'преглед');
  doc.moveDown(0.6).font(PDF_FONTS.bold).text('Работодател');
  doc.font(PDF_FONTS.regular);
  row('Наименование', s.employer.name);
  row('Адрес', s.employer.address);
  row('Длъжност', s.employer.jobTitle);
  if (s.retroactive) doc.moveDown(0.6).text('Издаден за минало време въз основа на документ от прегледа в първия ден (R-SL-14).');
  return finish();
}

/**
 * Renders an ЛКК protocol: the commission, the session, the decision, the members and who has signed.
 * @returns the PDF bytes
 */
export async function renderLkkProtocolPdf(c: LkkCase, lkk: Lkk, who: PrintSubject, session: { heldOn: string } | null, zone: string): Promise<Buffer> {
  const title = `Протокол на ЛКК № ${c.protocolNo ?? '—'}`;
  const { doc, finish } = createPdf({ title, subject: `lkk case ${c.id}` }, new Date(c.signatures[0]?.signedAt ?? c.createdAt));
  doc.font(PDF_FONTS.bold).fontSize(14).text(title);
  doc.font(PDF_FONTS.regular).fontSize(9).fillColor('#444').text('Решение на лекарска консултативна комисия (Medical advisory commission decision).').fillColor('black');
  doc.fontSize(11).moveDown(0.8);
  const row = rows(doc);
  row('Комисия', `${lkk.name} (${lkk.orderRef})`);
  row('Заседание', session ? d(session.heldOn) : null);
  row('Пациент', `${who.name}, ${who.identifierLabel} ${who.identifier}, роден(а) ${d(who.birthDate)}`);
  row('Искане', `от ${d(c.request.startOn)} до ${d(c.request.endOn)}, ${KIND[c.request.kind]}, диагноза ${c.request.diagnosisCode}`);
  row('Решение', c.decision ? `Комисията ${DECISION[c.decision]}` : 'предстои');
  if (c.protocol?.startOn && c.protocol.endOn) row('Период', `от ${d(c.protocol.startOn)} до ${d(c.protocol.endOn)} включително`);
  row('Мотиви', c.protocol?.text);
  doc.moveDown(0.6).font(PDF_FONTS.bold).text('Членове и подписи');
  doc.font(PDF_FONTS.regular);
  for (const m of lkk.members) {
    const sig = c.signatures.find((s) => s.practitionerId === m.practitionerId);
    const at = sig ? Temporal.Instant.from(sig.signedAt).toZonedDateTimeISO(zone).toPlainDateTime().toString({ smallestUnit: 'minute' }).replace('T', ' ') : null;
    doc.text(`${m.role === 'chair' ? 'Председател' : 'Член'}: ${m.name ?? m.practitionerId} — ${at ? `подписал(а) на ${at}` : 'не е подписал(а)'}`);
  }
  doc.moveDown(0.6).text(c.status === 'decided' ? 'Решението е в сила: подписано от всички членове.' : 'Решението влиза в сила, когато всички членове подпишат.');
  return finish();
}
