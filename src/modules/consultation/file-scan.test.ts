import { describe, expect, it } from 'vitest';
import { FILE_LIMITS, detectFileType, looksLikeWebm, scanFile } from './file-scan.js';

const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46]);
// A JPEG whose frame header (SOF0, 16x16) decodes: images are accepted only then (docs/security-input.md).
const jpegWithFrame = Buffer.from([0xff, 0xd8, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x10, 0x00, 0x10, 0x01, 0x01, 0x11, 0x00, 0xff, 0xd9]);
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00]);
const pdf = Buffer.from('%PDF-1.7\n%âãÏÓ\n');
const dicom = Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), Buffer.from([0x02, 0x00])]);

describe('file scan by magic bytes', () => {
  it.each([
    [jpeg, 'image/jpeg'],
    [png, 'image/png'],
    [pdf, 'application/pdf'],
    [dicom, 'application/dicom'],
  ] as const)('detects %#', (bytes, type) => {
    expect(detectFileType(bytes)).toBe(type);
  });

  it('refuses what is none of the allowed types, whatever was declared', () => {
    expect(scanFile(Buffer.from('MZ\x90\x00'), 'image/png')).toEqual({ ok: false, reason: 'type_not_allowed', detected: null });
    expect(scanFile(Buffer.from('<html><script>'), 'application/pdf')).toMatchObject({ ok: false, reason: 'type_not_allowed' });
    // "DICM" at the start is not DICOM: the marker follows a 128-byte preamble.
    expect(detectFileType(Buffer.from('DICM'))).toBeNull();
    expect(scanFile(Buffer.alloc(0), undefined)).toMatchObject({ ok: false, reason: 'empty' });
  });

  it('refuses a declared type that disagrees with the content, and accepts aliases and octet-stream', () => {
    expect(scanFile(png, 'image/jpeg')).toMatchObject({ ok: false, reason: 'type_mismatch', detected: 'image/png' });
    expect(scanFile(jpegWithFrame, 'image/jpg')).toEqual({ ok: true, type: 'image/jpeg' });
    expect(scanFile(jpeg, 'image/jpg')).toMatchObject({ ok: false, reason: 'type_mismatch' });
    expect(scanFile(dicom, 'application/octet-stream')).toEqual({ ok: true, type: 'application/dicom' });
    expect(scanFile(pdf, 'application/pdf; charset=binary')).toEqual({ ok: true, type: 'application/pdf' });
  });

  it('applies the per-type size limit', () => {
    const big = Buffer.alloc(FILE_LIMITS['image/png'] + 1);
    png.copy(big);
    expect(scanFile(big, 'image/png')).toMatchObject({ ok: false, reason: 'too_large' });
  });

  it('recognises the WebM header of a MediaRecorder chunk', () => {
    expect(looksLikeWebm(Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x01]))).toBe(true);
    expect(looksLikeWebm(png)).toBe(false);
  });
});
