import QRCode from 'qrcode';
import { Temporal } from 'temporal-polyfill';
import { createPdf, PDF_FONTS } from '../../platform/pdf.js';
import type { PrescriptionContent, ReferralContent, SubjectSnapshot } from './referrals.deps.js';

/**
 * Print-ready referrals and prescriptions: the fields of the NHIF paper forms (their exact layouts are not
 * in the sources, §2.C), the НРН in large type and a QR code of it for the receiving side's scanner.
 */

export const FORM_TITLE: Record<ReferralContent['form'], string> = {
  '3': 'МЗ-НЗОК бл. № 3 — Медицинско направление за консултация или за провеждане на съвместно лечение',
  '3A': 'МЗ-НЗОК бл. № 3А — Медицинско направление за високоспециализирани медицински дейности',
  '4': 'МЗ-НЗОК бл. № 4 — Медицинско направление за медико-диагностична дейност',
  '6': 'МЗ-НЗОК бл. № 6 — Направление за ЛКК / консултация по искане на ТЕЛК',
  '7': 'МЗ-НЗОК бл. № 7 — Направление за хоспитализация',
  '119a': 'МЗ бл. 119а — Направление (платено)',
};

const idLabel = (s: SubjectSnapshot) => ({ egn: 'ЕГН', lnch: 'ЛНЧ', passport: 'Паспорт', other: 'Идентификатор' })[s.identifierType];
const nameOf = (s: SubjectSnapshot) => [s.givenName, s.middleName, s.familyName].filter(Boolean).join(' ');

async function header(doc: PDFKit.PDFDocument, title: string, nrn: string | null) {
  doc.font(PDF_FONTS.bold).fontSize(12).text(title, { width: 380 });
  if (nrn) {
    const png = await QRCode.toBuffer(nrn, { type: 'png', errorCorrectionLevel: 'M', margin: 1, scale: 4 });
    doc.image(png, 460, 45, { width: 85 });
    doc.font(PDF_FONTS.mono).fontSize(14).text(`НРН ${nrn}`, 50, doc.y + 6);
  } else {
    doc.font(PDF_FONTS.regular).fontSize(9).fillColor('#a00').text('Очаква номер от НЗИС (НРН): документът все още не е валиден.').fillColor('black');
  }
  doc.font(PDF_FONTS.regular).fontSize(10).moveDown(0.8);
}

function footer(doc: PDFKit.PDFDocument, sig: { sha256: string; keyId: string; signedAt: string }, zone: string) {
  const at = Temporal.Instant.from(sig.signedAt).toZonedDateTimeISO(zone).toPlainDateTime().toString({ smallestUnit: 'minute' }).replace('T', ' ');
  doc.moveDown(1).font(PDF_FONTS.regular).fontSize(8).fillColor('#444');
  doc.text(`Подписано с усъвършенстван електронен подпис на лекаря (не КЕП) на ${at} · ключ ${sig.keyId} · SHA-256 ${sig.sha256}`);
  doc.fillColor('black');
}

/**
 * Renders a referral.
 * @returns the PDF bytes
 */
export async function renderReferralPdf(c: ReferralContent, meta: { nrn: string | null; sha256: string; keyId: string; zone: string }): Promise<Buffer> {
  const { doc, finish } = createPdf({ title: FORM_TITLE[c.form], subject: `referral ${c.documentId} rev ${c.revision}` }, new Date(Temporal.Instant.from(c.signedAt).epochMilliseconds));
  await header(doc, FORM_TITLE[c.form], meta.nrn);
  const row = (label: string, value: string | null | undefined) => {
    if (value) doc.font(PDF_FONTS.bold).text(`${label}: `, { continued: true }).font(PDF_FONTS.regular).text(value);
  };
  row('Издадено на', c.issuedOn);
  row('Валидно до', c.validUntil ?? 'без срок по нормативните документи');
  row('Пациент', `${nameOf(c.subject)}, ${idLabel(c.subject)} ${c.subject.identifier}, роден(а) ${c.subject.birthDate}`);
  row('Издал', `${c.issuer.givenName} ${c.issuer.familyName}, УИН ${c.issuer.uin}, код специалност ${c.issuer.qualification}`);
  row('Лечебно заведение', `${c.issuer.facilityName}, рег. № ${c.issuer.practiceNumber}`);
  row('Основание', c.encounter.kind === 'remote' ? `консултация от разстояние (${c.encounter.consultationId ?? c.encounter.id})` : `преглед (${c.encounter.id})`);
  row('Диагноза (МКБ-10)', c.diagnosisCode);
  row('Специалност', c.specialtyCode);
  row('Дейности / изследвания', c.activityCodes.join(', ') || null);
  if (c.hospital) row('Болница / клинична пътека', `${c.hospital.name} (рег. № ${c.hospital.number}), КП ${c.hospital.clinicalPathway}`);
  doc.moveDown(0.5).font(PDF_FONTS.bold).text('Конкретно искане (чл. 119, ал. 4 НРД):').font(PDF_FONTS.regular).text(c.request);
  if (c.replaces) row('Коригира', c.replaces.documentId);
  footer(doc, { sha256: meta.sha256, keyId: meta.keyId, signedAt: c.signedAt }, meta.zone);
  return finish();
}

/**
 * Renders a prescription.
 * @returns the PDF bytes
 */
export async function renderPrescriptionPdf(c: PrescriptionContent, meta: { nrn: string | null; sha256: string; keyId: string; zone: string }): Promise<Buffer> {
  const title = c.kind === 'nhif' ? 'Електронно предписание (реимбурсирани от НЗОК лекарства)' : 'Рецепта';
  const { doc, finish } = createPdf({ title, subject: `prescription ${c.documentId} rev ${c.revision}` }, new Date(Temporal.Instant.from(c.signedAt).epochMilliseconds));
  await header(doc, title, meta.nrn);
  doc.text(`Издадена на: ${c.issuedOn}`);
  doc.text(`Пациент: ${nameOf(c.subject)}, ${idLabel(c.subject)} ${c.subject.identifier}, роден(а) ${c.subject.birthDate}`);
  doc.text(`Лекар: ${c.issuer.givenName} ${c.issuer.familyName}, УИН ${c.issuer.uin} · ${c.issuer.facilityName}, рег. № ${c.issuer.practiceNumber}`);
  doc.text(`Диагноза (МКБ-10): ${c.diagnosisCode}${c.protocolNumber ? ` · протокол № ${c.protocolNumber}` : ''}`);
  doc.moveDown(0.5).font(PDF_FONTS.bold).text('Rp.').font(PDF_FONTS.regular);
  c.lines.forEach((l, i) => {
    doc.text(`${i + 1}. ${l.name} (${l.inn}) — ${l.packages} оп., за ${l.days} дни; ${l.dosage}${l.nhifReimbursed ? ' · НЗОК' : ''}${l.substitutionAllowed ? '' : ' · без заместване'}`);
  });
  footer(doc, { sha256: meta.sha256, keyId: meta.keyId, signedAt: c.signedAt }, meta.zone);
  return finish();
}
