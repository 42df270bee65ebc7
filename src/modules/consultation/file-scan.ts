/**
 * What may be uploaded to a consultation, decided from the content's magic bytes, not only from the
 * type the browser declared. Pure: no I/O.
 */
import { sniffFileType } from '../../contracts/file-types.js';
import { checkImage } from '../../platform/files/image-header.js';
import { pdfIsPassive, scanPdf } from '../../platform/files/pdf-active-content.js';

/** Types a participant may upload, with their size limits in bytes. */
export const FILE_LIMITS = {
  'image/jpeg': 15 * 1024 * 1024,
  'image/png': 15 * 1024 * 1024,
  'application/pdf': 20 * 1024 * 1024,
  // DICOM studies are stored and offered for download, not rendered in the browser
  'application/dicom': 50 * 1024 * 1024,
} as const;

export type AllowedFileType = keyof typeof FILE_LIMITS;

/** The largest upload of any type; the route's body limit. */
export const MAX_FILE_BYTES = Math.max(...Object.values(FILE_LIMITS));

/** Recording chunks from the browser's MediaRecorder (WebM/Matroska). */
export const RECORDING_CHUNK_MAX_BYTES = 8 * 1024 * 1024;

/**
 * Detects the file type from its first bytes (the shared sniffer), limited to the consultation's types.
 * @param bytes - the whole file, or at least its first 132 bytes
 * @returns the detected type, or null when it is none of the allowed ones
 */
export function detectFileType(bytes: Uint8Array): AllowedFileType | null {
  const sniffed = sniffFileType(bytes);
  return sniffed !== null && Object.hasOwn(FILE_LIMITS, sniffed) ? (sniffed as AllowedFileType) : null;
}

/** Whether bytes start like WebM/Matroska (EBML header), as MediaRecorder's first chunk does. */
export function looksLikeWebm(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3;
}

const DECLARED_ALIASES: Record<string, AllowedFileType> = {
  'image/jpeg': 'image/jpeg',
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'image/png': 'image/png',
  'application/pdf': 'application/pdf',
  'application/dicom': 'application/dicom',
};

export type ScanResult =
  | { ok: true; type: AllowedFileType }
  | { ok: false; reason: 'empty' | 'type_not_allowed' | 'type_mismatch' | 'too_large' | 'image_too_large' | 'active_content'; detected: AllowedFileType | null };

/**
 * Scans an upload: the detected type must be allowed, must agree with the declared one (a declared
 * `application/octet-stream` is accepted for DICOM, which browsers rarely know), and fit its limit.
 * @param bytes - the content
 * @param declared - the Content-Type the client declared for the file, if any
 * @returns the accepted type, or why it is refused
 */
export function scanFile(bytes: Uint8Array, declared: string | undefined): ScanResult {
  if (bytes.length === 0) return { ok: false, reason: 'empty', detected: null };
  const detected = detectFileType(bytes);
  if (!detected) return { ok: false, reason: 'type_not_allowed', detected };
  const d = declared?.split(';')[0]?.trim().toLowerCase();
  if (d && d !== 'application/octet-stream' && DECLARED_ALIASES[d] !== detected) return { ok: false, reason: 'type_mismatch', detected };
  if (bytes.length > FILE_LIMITS[detected]) return { ok: false, reason: 'too_large', detected };
  if (detected === 'image/png' || detected === 'image/jpeg') {
    // Security: the other participant's browser decodes it; a header that does not decode is not an image.
    const image = checkImage(bytes);
    if (!image.ok) return { ok: false, reason: image.reason === 'too_many_pixels' ? 'image_too_large' : 'type_mismatch', detected };
  }
  // Security: refused rather than served as a download, because a participant opening a download
  // still opens it in a PDF reader that runs its actions (docs/security-input.md).
  if (detected === 'application/pdf' && scanPdf(bytes).active.length > 0) return { ok: false, reason: 'active_content', detected };
  return { ok: true, type: detected };
}

/** Types a browser shows inside our page without running anything of the file's own. */
const INLINE_TYPES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'application/pdf']);

/**
 * Whether a stored file may be shown inline to the other participant. Checked again at every download,
 * so files stored before a rule existed are served safely too: anything else is a download
 * (`Content-Disposition: attachment`, `nosniff`).
 * @param contentType - the detected type stored with the file
 * @param bytes - the content
 * @returns true for a decodable image within the pixel limit, or a PDF scanned completely and found passive
 */
export function mayShowInline(contentType: string, bytes: Uint8Array): boolean {
  if (!INLINE_TYPES.has(contentType) || sniffFileType(bytes) !== contentType) return false;
  if (contentType === 'application/pdf') return pdfIsPassive(bytes);
  return checkImage(bytes).ok;
}
