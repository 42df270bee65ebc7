// Image dimensions from the header alone (PNG, JPEG, WebP, GIF), without decoding pixels. A small file
// can declare a huge canvas (a 60000x60000 PNG compresses to a few kilobytes); the browser of the
// other participant would try to allocate it. Pure: no I/O (docs/security-input.md).

/** The largest image accepted: 40 megapixels (a 7200x5400 photo; medical photos and scans fit). */
export const MAX_IMAGE_PIXELS = 40_000_000;

export interface ImageSize {
  width: number;
  height: number;
}

const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const at = (b: Uint8Array, sig: readonly number[], offset = 0) => b.length >= offset + sig.length && sig.every((v, i) => b[offset + i] === v);
const ascii = (b: Uint8Array, offset: number, s: string) => at(b, [...s].map((c) => c.charCodeAt(0)), offset);
const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

function png(b: Uint8Array): ImageSize | null {
  // The first chunk must be IHDR, 13 bytes long (PNG spec 11.2.2).
  if (b.length < 33 || !at(b, PNG_SIG) || !ascii(b, 12, 'IHDR') || view(b).getUint32(8) !== 13) return null;
  return { width: view(b).getUint32(16), height: view(b).getUint32(20) };
}

function gif(b: Uint8Array): ImageSize | null {
  if (b.length < 10 || !(ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a'))) return null;
  return { width: view(b).getUint16(6, true), height: view(b).getUint16(8, true) };
}

function jpeg(b: Uint8Array): ImageSize | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  const v = view(b);
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1] ?? 0;
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // end of image or scan data before any frame header
    const len = v.getUint16(i + 2);
    if (len < 2) return null;
    // SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (i + 9 > b.length) return null;
      return { height: v.getUint16(i + 5), width: v.getUint16(i + 7) };
    }
    i += 2 + len;
  }
  return null;
}

function webp(b: Uint8Array): ImageSize | null {
  if (b.length < 30 || !ascii(b, 0, 'RIFF') || !ascii(b, 8, 'WEBP')) return null;
  const v = view(b);
  if (ascii(b, 12, 'VP8X')) return { width: 1 + (v.getUint32(24, true) & 0xffffff), height: 1 + (v.getUint32(27, true) & 0xffffff) };
  if (ascii(b, 12, 'VP8L')) {
    if (b[20] !== 0x2f) return null;
    const bits = v.getUint32(21, true);
    return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >>> 14) & 0x3fff) };
  }
  if (ascii(b, 12, 'VP8 ')) {
    if (!at(b, [0x9d, 0x01, 0x2a], 23)) return null;
    return { width: v.getUint16(26, true) & 0x3fff, height: v.getUint16(28, true) & 0x3fff };
  }
  return null;
}

/**
 * Reads an image's dimensions from its header.
 * @param bytes - the file (the header is enough for PNG, GIF and WebP; JPEG needs the bytes up to its frame header)
 * @returns the size, or null when the header does not decode (or declares an empty image)
 */
export function readImageSize(bytes: Uint8Array): ImageSize | null {
  const size = png(bytes) ?? jpeg(bytes) ?? gif(bytes) ?? webp(bytes);
  return size && size.width > 0 && size.height > 0 ? size : null;
}

/**
 * Whether an image may be accepted: its header decodes and it has at most `MAX_IMAGE_PIXELS` pixels.
 * @param bytes - the file
 * @returns `ok`, or why not
 */
export function checkImage(bytes: Uint8Array): { ok: true; size: ImageSize } | { ok: false; reason: 'undecodable' | 'too_many_pixels'; size?: ImageSize } {
  const size = readImageSize(bytes);
  if (!size) return { ok: false, reason: 'undecodable' };
  if (size.width * size.height > MAX_IMAGE_PIXELS) return { ok: false, reason: 'too_many_pixels', size };
  return { ok: true, size };
}
