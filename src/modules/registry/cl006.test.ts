import { describe, expect, it } from 'vitest';
import { XmlParseError } from '../nhis/index.js';
import { parseCl006 } from './cl006.js';

describe('parseCl006', () => {
  it('reads a C002 reply with the nhif code and English description metas', () => {
    const xml = `<?xml version="1.0"?><nhis:message xmlns:nhis="https://www.his.bg"><nhis:contents><nhis:nomenclature>
      <nhis:entry><nhis:key value="1020"/><nhis:description value="Кардиология"/>
        <nhis:meta><nhis:name value="nhif code"/><nhis:value value="5"/></nhis:meta>
        <nhis:meta><nhis:name value="DescriptionEn"/><nhis:value value="Cardiology &amp; more"/></nhis:meta></nhis:entry>
      <nhis:entry><nhis:key value="2083"/><nhis:description value="Орална хирургия"/>
        <nhis:meta><nhis:name value="nhif code"/><nhis:value value="62"/></nhis:meta></nhis:entry>
      <nhis:entry><nhis:key value="0"/><nhis:description value="Общопрактикуващ лекар"/></nhis:entry>
    </nhis:nomenclature></nhis:contents></nhis:message>`;
    expect(parseCl006(xml)).toEqual([
      { code: '0000', nameBg: 'Общопрактикуващ лекар', nameEn: null, nhifCode: null, dental: false },
      { code: '1020', nameBg: 'Кардиология', nameEn: 'Cardiology & more', nhifCode: '05', dental: false },
      { code: '2083', nameBg: 'Орална хирургия', nameEn: null, nhifCode: '62', dental: true },
    ]);
  });

  it('reads the OpenPrescription JSON shape (numeric codes lose their leading zeros there)', () => {
    expect(parseCl006('[{"code": 0, "name": "Общопрактикуващ лекар", "doc": 1}, {"code": 2081, "name": "Обща дентална медицина", "doc": 2}]')).toEqual([
      { code: '0000', nameBg: 'Общопрактикуващ лекар', nameEn: null, nhifCode: null, dental: false },
      { code: '2081', nameBg: 'Обща дентална медицина', nameEn: null, nhifCode: null, dental: true },
    ]);
  });

  it('refuses a file without entries or with a broken entry', () => {
    expect(() => parseCl006('<nhis:message/>')).toThrow(/No CL006 entries/);
    expect(() => parseCl006('[{"code": "abc", "name": "x"}]')).toThrow(/Entry 1/);
  });

  it('reads the XML with the NHIS reader: a DOCTYPE (entity expansion) or malformed XML is refused', () => {
    expect(() => parseCl006('<!DOCTYPE m [<!ENTITY x "Кардиология">]><nhis:message><nhis:nomenclature><nhis:entry><nhis:key value="1020"/><nhis:description value="&x;"/></nhis:entry></nhis:nomenclature></nhis:message>')).toThrow(XmlParseError);
    expect(() => parseCl006('<nhis:nomenclature><nhis:entry><nhis:key value="1020"/></nhis:nomenclature>')).toThrow(XmlParseError);
  });
});
