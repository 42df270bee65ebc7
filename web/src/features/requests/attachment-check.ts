/**
 * What the browser checks before it uploads an attachment to a request, so the user hears about a wrong
 * file at once and not after a 5 MB upload. The server's contract (`AttachmentBodySchema` in
 * src/contracts/requests.ts) and its 5 MB limit still decide; these checks mirror them, and the type is
 * taken from the file's first bytes, not from its name.
 */

import { sniffFileType } from '../../../../src/contracts/file-types.js';

/** At most 5 MB decoded per file (the server's limit for request attachments). */
export const ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024;

/** Types the contract accepts, in the order they are offered to the user. */
export const ATTACHMENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/webp', 'image/gif', 'text/plain', 'application/dicom'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

/** The file picker's `accept`: the types and the extensions browsers do not map to them (DICOM). */
export const ATTACHMENT_ACCEPT = [...ATTACHMENT_TYPES, '.pdf', '.png', '.jpg', '.jpeg', '.webp', '.gif', '.txt', '.dcm'].join(',');

/** Short names for the user: what the type is. */
export const ATTACHMENT_TYPE_LABELS: Record<AttachmentType, string> = {
  'application/pdf': 'PDF',
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/webp': 'WebP',
  'image/gif': 'GIF',
  'text/plain': 'TXT',
  'application/dicom': 'DICOM',
};

/** How many leading bytes the checks read (DICOM's marker sits after a 128-byte preamble). */
const SNIFF_BYTES = 4096;

/**
 * The type of a file from its first bytes (the magic numbers the server checks too), or null.
 * @param head - the first bytes of the file (at least 132 for DICOM)
 * @returns the detected type, or null
 */
export function sniffAttachmentType(head: Uint8Array): Exclude<AttachmentType, 'text/plain'> | null {
  return sniffFileType(head);
}

/** The type the browser or the file name claims, normalised to the contract's types (undefined: no claim). */
function declaredType(file: { name: string; type: string }): AttachmentType | 'other' | undefined {
  const t = file.type.split(';')[0]?.trim().toLowerCase() ?? '';
  const byType: Record<string, AttachmentType> = { 'image/jpg': 'image/jpeg', 'image/pjpeg': 'image/jpeg', 'application/x-pdf': 'application/pdf' };
  if (t && t !== 'application/octet-stream') {
    if ((ATTACHMENT_TYPES as readonly string[]).includes(t)) return t as AttachmentType;
    return byType[t] ?? 'other';
  }
  const ext = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase();
  const byExt: Record<string, AttachmentType> = { pdf: 'application/pdf', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif', txt: 'text/plain', dcm: 'application/dicom' };
  if (!ext) return undefined;
  return byExt[ext] ?? 'other';
}

export type AttachmentCheck =
  | { ok: true; contentType: AttachmentType }
  | { ok: false; reason: 'empty' | 'too_large' | 'type_not_allowed' | 'type_mismatch'; detected?: AttachmentType };

/**
 * Checks a chosen file against the limits: not empty, at most 5 MB, one of the allowed types by its
 * bytes, and agreeing with the type its name or the browser claims (a `.pdf` that is really a PNG is
 * refused). Plain text has no magic number: it is accepted when it claims to be text and has no NUL bytes.
 * @param file - the file from the input
 * @returns the content type to send, or why the file is refused
 */
export async function checkAttachment(file: Blob & { name: string }): Promise<AttachmentCheck> {
  if (file.size === 0) return { ok: false, reason: 'empty' };
  if (file.size > ATTACHMENT_MAX_BYTES) return { ok: false, reason: 'too_large' };
  const head = new Uint8Array(await readBytes(file.slice(0, SNIFF_BYTES)));
  const sniffed = sniffAttachmentType(head);
  const declared = declaredType(file);
  if (sniffed) {
    if (declared && declared !== sniffed) return { ok: false, reason: 'type_mismatch', detected: sniffed };
    return { ok: true, contentType: sniffed };
  }
  if (declared === 'text/plain' && !head.includes(0)) return { ok: true, contentType: 'text/plain' };
  return { ok: false, reason: declared && declared !== 'other' ? 'type_mismatch' : 'type_not_allowed' };
}

/** A Blob's bytes through FileReader (works in every browser and in jsdom). */
export function readBytes(blob: Blob): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as ArrayBuffer);
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsArrayBuffer(blob);
  });
}

/** A Blob as base64 (the contract's `dataBase64`), through the browser's own encoder. */
export function readBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(blob);
  });
}
