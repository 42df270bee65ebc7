// File types recognised by their content (magic bytes), shared by the server's upload checks and the
// browser's pre-upload checks, so both sides agree on what a file is. Pure: no I/O, no imports.

/** Types recognised from their first bytes. */
export type SniffedFileType = 'application/pdf' | 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif' | 'application/dicom';

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0): boolean => b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);
const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

/**
 * The type of a file from its first bytes.
 * @param head - the file, or at least its first 132 bytes (DICOM's marker follows a 128-byte preamble)
 * @returns the detected type, or null when it is none of the recognised ones
 */
export function sniffFileType(head: Uint8Array): SniffedFileType | null {
  if (startsWith(head, ascii('%PDF-'))) return 'application/pdf';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(head, ascii('DICM'), 128)) return 'application/dicom';
  return null;
}

/**
 * Whether bytes read as plain text: valid UTF-8 without NUL or other control characters than tab,
 * line feed, carriage return and form feed.
 * @param bytes - the content
 * @returns true for plain text
 */
export function looksLikePlainText(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  // eslint-disable-next-line no-control-regex -- the point is to find control characters
  return !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text);
}
