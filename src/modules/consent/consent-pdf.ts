import { createPdf, PDF_FONTS } from '../../platform/pdf.js';

/** What the printable copy of a signed consent shows (no clinical content beyond the consent itself). */
export interface ConsentPdfInput {
  id: string;
  kind: 'treatment' | 'recording';
  lang: 'bg' | 'en';
  title: string;
  body: string;
  templateVersion: number;
  templateSha256: string;
  requestId: string;
  patientId: string;
  signerAccountId: string;
  signerRole: 'patient' | 'representative' | 'specialist';
  onBehalfOf: string | null;
  presentedAt: Date;
  signedAt: Date;
  stepUpId: string;
  contentSha256: string;
  recording: { reason: string; media: readonly string[]; purpose: string } | null;
  documentSha256: string | null;
  status: 'active' | 'withdrawn';
  withdrawnAt: Date | null;
  timeZone: string;
}

const LABELS = {
  bg: {
    recording: 'Условия на записа (чл. 19, ал. 2)',
    reason: 'Причина',
    media: 'Вид на записа',
    purpose: 'Цел',
    signature: 'Подпис',
    signer: 'Подписал',
    role: { patient: 'пациент', representative: 'представител по чл. 87 ЗЗ', specialist: 'заявяващ специалист (документ на пациента)' },
    onBehalf: 'От името на пациент',
    shown: 'Информацията е показана',
    signed: 'Подписано',
    method: 'Метод',
    methodValue: 'повторно потвърждение с втори фактор (TOTP)',
    hash: 'Контролна сума (SHA-256)',
    template: 'Версия на формуляра',
    document: 'Документ на пациента (SHA-256)',
    withdrawn: 'ОТТЕГЛЕНО',
    verify: 'Проверка',
    media_: { audio: 'аудио', video: 'видео', screen: 'екран' },
  },
  en: {
    recording: 'Recording terms (Art. 19(2))',
    reason: 'Reason',
    media: 'Type of recording',
    purpose: 'Purpose',
    signature: 'Signature',
    signer: 'Signed by',
    role: { patient: 'patient', representative: 'representative (Art. 87 Health Act)', specialist: "requesting specialist (patient's document)" },
    onBehalf: 'On behalf of patient',
    shown: 'Information shown',
    signed: 'Signed',
    method: 'Method',
    methodValue: 'second-factor step-up (TOTP)',
    hash: 'Content hash (SHA-256)',
    template: 'Form version',
    document: "Patient's document (SHA-256)",
    withdrawn: 'WITHDRAWN',
    verify: 'Verification',
    media_: { audio: 'audio', video: 'video', screen: 'screen' },
  },
} as const;

/**
 * Renders the printable copy of a signed consent (A4, DejaVu Sans for Cyrillic). The file is
 * reproducible: its creation date is the signature time.
 * @param c - the consent as signed
 * @returns PDF bytes
 */
export async function renderConsentPdf(c: ConsentPdfInput): Promise<Buffer> {
  const L = LABELS[c.lang];
  const fmt = new Intl.DateTimeFormat(c.lang === 'bg' ? 'bg-BG' : 'en-GB', { timeZone: c.timeZone, dateStyle: 'long', timeStyle: 'medium' });
  const when = (d: Date) => `${fmt.format(d)} (${c.timeZone})`;
  const { doc, finish } = createPdf({ title: c.title, subject: `consent ${c.id}` }, c.signedAt);
  doc.font(PDF_FONTS.bold).fontSize(16).text(c.title);
  if (c.status === 'withdrawn') doc.moveDown(0.3).fillColor('#b00020').text(`${L.withdrawn}${c.withdrawnAt ? ` — ${when(c.withdrawnAt)}` : ''}`).fillColor('black');
  doc.moveDown(0.5).font(PDF_FONTS.regular).fontSize(11).text(c.body, { align: 'left' });
  if (c.recording) {
    doc.moveDown().font(PDF_FONTS.bold).fontSize(12).text(L.recording);
    doc.font(PDF_FONTS.regular).fontSize(11);
    doc.text(`${L.reason}: ${c.recording.reason}`);
    doc.text(`${L.media}: ${c.recording.media.map((m) => L.media_[m as keyof typeof L.media_] ?? m).join(', ')}`);
    doc.text(`${L.purpose}: ${c.recording.purpose}`);
  }
  doc.moveDown().font(PDF_FONTS.bold).fontSize(12).text(L.signature);
  doc.font(PDF_FONTS.regular).fontSize(10);
  doc.text(`${L.signer}: ${c.signerAccountId} (${L.role[c.signerRole]})`);
  if (c.onBehalfOf) doc.text(`${L.onBehalf}: ${c.onBehalfOf}`);
  doc.text(`${L.shown}: ${when(c.presentedAt)}`);
  doc.text(`${L.signed}: ${when(c.signedAt)}`);
  doc.text(`${L.method}: ${L.methodValue}, step-up ${c.stepUpId}`);
  doc.text(`${L.template}: ${c.templateVersion} (${c.templateSha256})`);
  if (c.documentSha256) doc.text(`${L.document}: ${c.documentSha256}`);
  doc.moveDown(0.5).font(PDF_FONTS.mono).fontSize(9).text(`${L.hash}: ${c.contentSha256}`);
  doc.font(PDF_FONTS.regular).fontSize(9).text(`${L.verify}: /api/v1/consents/${c.id}/verification — request ${c.requestId}, patient ${c.patientId}`);
  return finish();
}
