/**
 * What may be uploaded to a consultation, decided from the content's magic bytes, not only from the
 * type the browser declared (issue 7). Pure: no I/O.
 */

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

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0): boolean => b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);

/**
 * Detects the file type from its first bytes.
 * @param bytes - the whole file, or at least its first 132 bytes
 * @returns the detected type, or null when it is none of the allowed ones
 */
export function detectFileType(bytes: Uint8Array): AllowedFileType | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
  // DICOM Part 10: a 128-byte preamble, then "DICM"
  if (startsWith(bytes, [0x44, 0x49, 0x43, 0x4d], 128)) return 'application/dicom';
  return null;
}

/** Whether bytes start like WebM/Matroska (EBML header), as MediaRecorder's first chunk does. */
export function looksLikeWebm(bytes: Uint8Array): boolean {
  return startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3]);
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
