/**
 * What may be uploaded to a consultation, decided from the content's magic bytes, not only from the
 * type the browser declared. Pure: no I/O.
 */
import { sniffFileType } from '../../contracts/file-types.js';

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
  | { ok: false; reason: 'empty' | 'type_not_allowed' | 'type_mismatch' | 'too_large'; detected: AllowedFileType | null };

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
  return { ok: true, type: detected };
}
