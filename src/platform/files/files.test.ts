import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MAX_IMAGE_PIXELS, checkImage, readImageSize } from './image-header.js';
import { pdfIsPassive, scanPdf } from './pdf-active-content.js';

// Header-only image sizes and PDF active content (docs/security-input.md).

const u32be = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const png = (w: number, h: number) => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, ...u32be(w), ...u32be(h), 8, 0, 0, 0, 0, 0, 0, 0, 0]);
// JPEG: SOI, an APP0 segment to skip, then SOF2 (progressive) with height 300 and width 400.
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x4a, 0x46, 0xff, 0xc2, 0x00, 0x0b, 0x08, 0x01, 0x2c, 0x01, 0x90, 0x01, 0x01, 0x11, 0x00]);
const gif = Buffer.from([...Buffer.from('GIF89a'), 0x20, 0x03, 0x58, 0x02, 0, 0, 0]);
const webpVp8x = Buffer.concat([Buffer.from('RIFF\0\0\0\0WEBPVP8X'), Buffer.from([10, 0, 0, 0, 0, 0, 0, 0, 0x7f, 0x1f, 0, 0x37, 0x13, 0]), Buffer.alloc(4)]);

describe('image header', () => {
  it('reads PNG, JPEG (after other segments), GIF and WebP sizes', () => {
    expect(readImageSize(png(60000, 60000))).toEqual({ width: 60000, height: 60000 });
    expect(readImageSize(jpeg)).toEqual({ width: 400, height: 300 });
    expect(readImageSize(gif)).toEqual({ width: 800, height: 600 });
    expect(readImageSize(webpVp8x)).toEqual({ width: 8064, height: 4920 });
  });

  it('refuses more than 40 megapixels and headers that do not decode', () => {
    expect(checkImage(png(60000, 60000))).toMatchObject({ ok: false, reason: 'too_many_pixels' });
    expect(checkImage(png(8000, 5000)).ok).toBe(true);
    expect(8000 * 5000).toBe(MAX_IMAGE_PIXELS);
    expect(checkImage(png(8000, 5001)).ok).toBe(false);
    expect(checkImage(png(0, 10))).toMatchObject({ ok: false, reason: 'undecodable' });
    expect(checkImage(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0, 2]))).toMatchObject({ ok: false, reason: 'undecodable' });
    expect(checkImage(png(10, 10).subarray(0, 20))).toMatchObject({ ok: false, reason: 'undecodable' });
  });
});

describe('PDF active content', () => {
  const pdf = (body: string) => Buffer.from(`%PDF-1.7\n${body}\ntrailer << /Root 1 0 R >>\n%%EOF`, 'latin1');

  it('finds actions in plain dictionaries, behind #-escapes and inside compressed object streams', () => {
    expect(scanPdf(pdf('1 0 obj << /Type /Catalog /OpenAction 2 0 R >> endobj 2 0 obj << /S /JavaScript /JS (x) >> endobj')).active.sort()).toEqual(['JS', 'JavaScript', 'OpenAction']);
    expect(scanPdf(pdf('1 0 obj << /Type /Catalog /#41A << >> >> endobj')).active).toEqual(['AA']);
    const inner = deflateSync(Buffer.from('<< /S /Launch /F (cmd.exe) >>'));
    const withObjStm = Buffer.concat([pdf('1 0 obj << /Type /Catalog >> endobj'), Buffer.from(`\n3 0 obj << /Type /ObjStm /Filter /FlateDecode /Length ${inner.length} >>\nstream\n`), inner, Buffer.from('\nendstream\nendobj\n')]);
    expect(scanPdf(withObjStm)).toEqual({ active: ['Launch'], complete: true });
  });

  it('is passive only when scanned completely and clean', () => {
    expect(pdfIsPassive(pdf('1 0 obj << /Type /Catalog >> endobj'))).toBe(true);
    expect(pdfIsPassive(Buffer.from(pdf('1 0 obj << /Type /Catalog >> endobj').toString('latin1').replace('/Root 1 0 R', '/Root 1 0 R /Encrypt 5 0 R'), 'latin1'))).toBe(false);
    const broken = Buffer.concat([pdf(''), Buffer.from('\n3 0 obj << /Type /ObjStm /Filter /FlateDecode >>\nstream\nnot deflate data\nendstream\nendobj\n')]);
    expect(scanPdf(broken)).toEqual({ active: [], complete: false });
  });
});
