import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';

/**
 * PDF documents with a Cyrillic font (DejaVu Sans from the `dejavu-fonts-ttf` package, Bitstream Vera /
 * public-domain licence). Shared by the modules that print (records, consent).
 */

const require = createRequire(import.meta.url);
const FONT_DIR = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');

/** Font names registered on every document. */
export const PDF_FONTS = { regular: 'DejaVuSans', bold: 'DejaVuSans-Bold', mono: 'DejaVuSansMono' } as const;

export interface PdfHandle {
  doc: PDFKit.PDFDocument;
  /** Ends the document and resolves with its bytes. */
  finish(): Promise<Buffer>;
}

/**
 * Starts an A4 PDF with the DejaVu fonts registered and the regular font selected.
 * @param info - document metadata (title, author, subject); never patient data
 * @param creationDate - the creation date to store (from the injected clock), for reproducible files
 * @returns the document and `finish()`
 */
export function createPdf(info: { title: string; author?: string; subject?: string }, creationDate: Date): PdfHandle {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: info.title, Author: info.author ?? 'Distansia', Subject: info.subject ?? '', Creator: 'Distansia', CreationDate: creationDate } });
  doc.registerFont(PDF_FONTS.regular, join(FONT_DIR, 'DejaVuSans.ttf'));
  doc.registerFont(PDF_FONTS.bold, join(FONT_DIR, 'DejaVuSans-Bold.ttf'));
  doc.registerFont(PDF_FONTS.mono, join(FONT_DIR, 'DejaVuSansMono.ttf'));
  doc.font(PDF_FONTS.regular);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return {
    doc,
    finish: () => {
      doc.end();
      return ended;
    },
  };
}
