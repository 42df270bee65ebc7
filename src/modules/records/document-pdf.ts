import { Temporal } from 'temporal-polyfill';
import { createPdf, PDF_FONTS } from '../../platform/pdf.js';
import type { SignedContent } from '../../contracts/records.js';

const KIND_TITLE: Record<SignedContent['kind'], { bg: string; en: string }> = {
  ambulatory_sheet: { bg: 'Амбулаторен лист', en: 'Ambulatory sheet' },
  consultation_report: { bg: 'Писмена консултация', en: 'Written consultation' },
  patient_information: { bg: 'Писмена информация за пациента', en: 'Written information for the patient' },
};

/**
 * The printable copy of a signed document. It carries the verification data: the document id and
 * revision, the SHA-256 of the canonical content, the key id, the JWS, and the canonical content and JWS
 * as embedded files, so the copy can be checked without Distansia's database.
 * @param input - the signed content, the signature, NHIS reference and where to verify
 * @returns the PDF bytes
 */
export async function renderDocumentPdf(input: {
  content: SignedContent;
  canonical: string;
  jws: string;
  keyId: string;
  level: 'advanced' | 'qualified';
  sha256: string;
  nrn: string | null;
  verifyUrl: string;
  timeZone: string;
}): Promise<Buffer> {
  const c = input.content;
  const title = KIND_TITLE[c.kind];
  const signedAt = Temporal.Instant.from(c.signedAt);
  const { doc, finish } = createPdf({ title: `${title.bg} / ${title.en}`, subject: `document ${c.documentId} rev ${c.revision}` }, new Date(signedAt.epochMilliseconds));
  const local = (iso: string | null) => (iso ? Temporal.Instant.from(iso).toZonedDateTimeISO(input.timeZone).toPlainDateTime().toString({ smallestUnit: 'minute' }).replace('T', ' ') : '—');
  const heading = (t: string) => doc.moveDown(0.6).font(PDF_FONTS.bold).fontSize(11).text(t).font(PDF_FONTS.regular).fontSize(10);
  const field = (label: string, value: string | undefined) => {
    if (!value) return;
    heading(label);
    doc.text(value);
  };

  doc.font(PDF_FONTS.bold).fontSize(16).text(title.bg, { continued: false });
  doc.font(PDF_FONTS.regular).fontSize(9).fillColor('#444').text(`${title.en} · ревизия ${c.revision}${c.replaces ? ` (коригира ${c.replaces.documentId})` : ''} · медицинска услуга от разстояние (VR)`);
  doc.fillColor('black').fontSize(10).moveDown(0.5);
  doc.text(`Лечебно заведение: ${c.performer.facilityName} (рег. № ${c.performer.practiceNumber})`);
  doc.text(`Специалист: ${c.performer.givenName} ${c.performer.familyName}, УИН ${c.performer.uin}, ${c.performer.qualificationName} (${c.performer.qualification})`);
  if (c.subject) {
    const idLabel = { egn: 'ЕГН', lnch: 'ЛНЧ', passport: 'Паспорт', other: 'Идентификатор' }[c.subject.identifierType];
    doc.text(`Пациент: ${[c.subject.givenName, c.subject.middleName, c.subject.familyName].filter(Boolean).join(' ')}, ${idLabel} ${c.subject.identifier}, роден(а) ${c.subject.birthDate}`);
  }
  doc.text(`Завършване на услугата: ${local(c.examination.completedAt)} (${input.timeZone}) · Подписан: ${local(c.signedAt)}`);
  if (input.nrn) doc.text(`НРН в НЗИС: ${input.nrn}`);

  field('Въпрос / Question', c.body.question);
  field('Анамнеза / Anamnesis', c.body.anamnesis);
  field('Обективно състояние / Findings', c.body.objectiveFindings);
  if (c.body.diagnoses.length) {
    heading('Диагнози (МКБ-10) / Diagnoses');
    for (const d of c.body.diagnoses) doc.text(`${d.rank === 'primary' ? 'Основна' : 'Придружаваща'}: ${d.code} ${d.title}${d.note ? ` — ${d.note}` : ''}`);
  }
  field('Изследвания / Tests reviewed', c.body.testsReviewed);
  field('Терапия / Therapy', c.body.therapy);
  if (c.body.medications.length) {
    heading('Медикаменти / Medications');
    for (const m of c.body.medications) doc.text(`${m.name}${m.dosage ? ` — ${m.dosage}` : ''}`);
  }
  field('Препоръки / Recommendations', c.body.recommendations);
  field('Контролен преглед / Follow-up', c.body.followUp);
  field(c.kind === 'consultation_report' ? 'Заключение / Conclusion' : 'Информация / Information', c.body.summary);
  if (c.replaces) field('Основание за корекция / Reason for correction', c.replaces.reason);

  doc.moveDown(1).font(PDF_FONTS.bold).fontSize(10).text('Електронен подпис и проверка / Signature and verification');
  doc.font(PDF_FONTS.regular).fontSize(8.5);
  doc.text(
    input.level === 'advanced'
      ? 'Подписан с усъвършенстван електронен подпис (JWS) с ключа на специалиста в Distansia. Това НЕ е квалифициран електронен подпис (КЕП). / Advanced electronic signature, not a qualified one.'
      : 'Подписан с квалифициран електронен подпис (КЕП). / Qualified electronic signature.',
  );
  doc.text(`Документ: ${c.documentId} · ревизия ${c.revision} · ключ: ${input.keyId}`);
  doc.text(`SHA-256 на каноничното съдържание (RFC 8785): ${input.sha256}`);
  doc.text(`Проверка: ${input.verifyUrl}`);
  doc.font(PDF_FONTS.mono).fontSize(6).text(input.jws, { lineBreak: true });
  doc.font(PDF_FONTS.regular).fontSize(7).text('Приложени файлове: canonical-content.json (подписаното съдържание), signature.jws.');
  doc.file(Buffer.from(input.canonical, 'utf8'), { name: 'canonical-content.json', type: 'application/json', description: 'RFC 8785 canonical content covered by the signature' });
  doc.file(Buffer.from(input.jws, 'utf8'), { name: 'signature.jws', type: 'application/jose', description: 'Compact JWS over the document digest' });
  return finish();
}
