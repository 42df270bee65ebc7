import { describe, expect, it } from 'vitest';
import { parseCl011, parseIcd10Query, searchTextOf, transliterate, Icd10ImportError } from './icd10.js';
import { ICD10_DEMO } from '../../demo/icd10-demo.js';

describe('ICD-10 helpers', () => {
  it('transliterates Bulgarian by the Transliteration Act (щ → sht, ъ → a)', () => {
    expect(transliterate('Щъркел Грип Юнак')).toBe('shtarkel grip yunak');
  });

  it('indexes code, code without dot, both titles and the transliteration', () => {
    expect(searchTextOf({ code: 'J06.9', titleBg: 'Остра инфекция', titleEn: 'Acute infection' })).toBe('j06.9 j069 остра инфекция acute infection ostra infektsiya');
  });

  it('reads code prefixes and word queries', () => {
    expect(parseIcd10Query('j06')).toEqual({ kind: 'code', prefix: 'J06' });
    expect(parseIcd10Query('I10')).toEqual({ kind: 'code', prefix: 'I10' });
    expect(parseIcd10Query('остър   фаринг%')).toEqual({ kind: 'text', terms: ['остър', 'фаринг'] });
    expect(parseIcd10Query('grip')).toEqual({ kind: 'text', terms: ['grip'] });
  });

  it('parses the NHIS C002 export of CL011 (key, description, meta DescriptionEn / is_chronic) and skips ranges', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><nhis:message xmlns:nhis="https://www.his.bg"><nhis:header><nhis:messageType value="C002"/></nhis:header>
      <nhis:contents><nhis:nomenclature><nhis:nomenclatureId value="CL011"/>
      <nhis:entry><nhis:key value="A00-A09"/><nhis:description value="Чревни инфекции"/></nhis:entry>
      <nhis:entry><nhis:key value="I10"/><nhis:description value="Титла БГ"/><nhis:meta><nhis:name value="DescriptionEn"/><nhis:value value="Title EN"/></nhis:meta><nhis:meta><nhis:name value="is_chronic"/><nhis:value value="1"/></nhis:meta></nhis:entry>
      </nhis:nomenclature></nhis:contents></nhis:message>`;
    expect(parseCl011(xml)).toEqual({ rows: [{ code: 'I10', titleBg: 'Титла БГ', titleEn: 'Title EN', isChronic: true }], skipped: 1 });
  });

  it('parses CSV with quoted fields and a semicolon separator', () => {
    const csv = 'key;description;descriptionEn;is_chronic\nJ06.9;"Остра инфекция; неуточнена";Acute;0\nbad;x;y;1\n';
    expect(parseCl011(csv)).toEqual({ rows: [{ code: 'J06.9', titleBg: 'Остра инфекция; неуточнена', titleEn: 'Acute', isChronic: false }], skipped: 1 });
    expect(() => parseCl011('a,b\n1,2')).toThrow(Icd10ImportError);
  });

  it('ships a demo subset with unique, valid codes and both titles', () => {
    expect(new Set(ICD10_DEMO.map((r) => r.code)).size).toBe(ICD10_DEMO.length);
    expect(ICD10_DEMO.length).toBeGreaterThanOrEqual(60);
    for (const r of ICD10_DEMO) {
      expect(r.code).toMatch(/^[A-Z][0-9]{2}(\.[0-9])?$/);
      expect(r.titleBg).toMatch(/[а-я]/i);
      expect(r.titleEn).toMatch(/[a-z]/i);
    }
  });
});

describe('in-memory ICD-10 index', () => {
  it('finds code prefixes in order and ranks word hits (title start, then shorter title)', async () => {
    const { createIcd10Index } = await import('./icd10.js');
    const index = createIcd10Index(ICD10_DEMO.map((r) => ({ ...r, source: 'demo' as const, searchText: searchTextOf(r) })));
    expect(index.search(parseIcd10Query('J0'), 10).map((e) => e.code)).toEqual(['J00', 'J01.9', 'J02.9', 'J03.9', 'J06.9']);
    expect(index.search(parseIcd10Query('остър фаринг'), 10).map((e) => e.code)).toEqual(['J02.9', 'J00']);
    expect(index.search(parseIcd10Query('zapek'), 10).map((e) => e.code)).toEqual(['K59.0']);
    expect(index.search(parseIcd10Query('ос'), 3)).toHaveLength(3);
  });
});

describe('ICD-10 ranking (docs/records.md#icd-10-search)', () => {
  const entry = (code: string, titleBg: string) => ({ code, titleBg, titleEn: null, isChronic: null, source: 'demo' as const, searchText: searchTextOf({ code, titleBg, titleEn: null }) });

  it('a term at the start of a word beats the same letters inside a word, whatever the doctor used', async () => {
    const { createIcd10Index } = await import('./icd10.js');
    const index = createIcd10Index([entry('A01', 'Хипертония'), entry('B02', 'Тонзилит, хроничен, неуточнен')]);
    expect(index.search(parseIcd10Query('тон'), 5).map((e) => e.code)).toEqual(['B02', 'A01']);
    expect(index.search(parseIcd10Query('тон'), 5, new Map([['A01', 40]])).map((e) => e.code)).toEqual(['B02', 'A01']);
  });

  it('a code that starts with a typed term comes first', async () => {
    const { createIcd10Index } = await import('./icd10.js');
    const index = createIcd10Index([entry('A01', 'Болка в корема'), entry('B02', 'Болка')]);
    expect(index.search(parseIcd10Query('болка'), 5).map((e) => e.code)).toEqual(['B02', 'A01']);
    expect(index.search(parseIcd10Query('b0 болка'), 5).map((e) => e.code)).toEqual(['B02']);
    expect(index.search(parseIcd10Query('a0 болка'), 5).map((e) => e.code)).toEqual(['A01']);
  });

  it('"хиперт": the doctor who signs I10 every day sees it first; without uses the shorter title leads', async () => {
    const { createIcd10Index } = await import('./icd10.js');
    const index = createIcd10Index(ICD10_DEMO.map((r) => ({ ...r, source: 'demo' as const, searchText: searchTextOf(r) })));
    expect(index.search(parseIcd10Query('хиперт'), 10).map((e) => e.code)).toEqual(['E05.9', 'I11.9', 'I10']);
    expect(index.search(parseIcd10Query('хиперт'), 10, new Map([['I10', 12], ['I11.9', 2]])).map((e) => e.code)).toEqual(['I10', 'I11.9', 'E05.9']);
    // Code prefixes: the doctor's codes first, the rest in code order.
    expect(index.search(parseIcd10Query('I1'), 10, new Map([['I11.9', 1]])).map((e) => e.code)).toEqual(['I11.9', 'I10']);
    expect(index.search(parseIcd10Query('J0'), 2, new Map([['J06.9', 3]])).map((e) => e.code)).toEqual(['J06.9', 'J00']);
  });
});
