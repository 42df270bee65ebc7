import { describe, expect, it } from 'vitest';
import { contentDisposition } from './content-disposition.js';

describe('contentDisposition', () => {
  it('keeps an ASCII name as it is in both forms', () => {
    expect(contentDisposition('attachment', 'report-2026-11.csv')).toBe(`attachment; filename="report-2026-11.csv"; filename*=UTF-8''report-2026-11.csv`);
  });

  it('gives a Cyrillic name an ASCII fallback and the exact name in UTF-8, with nothing a header refuses', () => {
    const header = contentDisposition('inline', 'болничен "лист".pdf');
    expect(header).toBe(`inline; filename="________ ______.pdf"; filename*=UTF-8''${encodeURIComponent('болничен "лист".pdf')}`);
    expect(/^[\x20-\x7e]*$/.test(header)).toBe(true);
  });
});
