import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import {
  makeEgn,
  makeFacilityNumber,
  makeLnch,
  makeUin,
  validateEgn,
  validateFacilityNumber,
  validateLnch,
  validateUin,
} from './identifiers.js';

const date = (iso: string) => Temporal.PlainDate.from(iso);

/** Replaces the digit at index i with another digit. */
const withDigit = (s: string, i: number, digit: number) => s.slice(0, i) + String(digit) + s.slice(i + 1);

/** All nine other digits for position i. */
const otherDigits = (s: string, i: number) => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].filter((d) => String(d) !== s[i]);

const birthDates = fc
  .integer({ min: 0, max: Temporal.PlainDate.from('1800-01-01').until('2099-12-31').days })
  .map((days) => Temporal.PlainDate.from('1800-01-01').add({ days }));
const sexes = fc.constantFrom('male' as const, 'female' as const);

describe('validateEgn (§1.1)', () => {
  it.each([
    ['8032056031', '1880-12-05', 'female'],
    ['7523169263', '1875-03-16', 'male'],
    ['7542011030', '2075-02-01', 'female'],
  ] as const)('accepts the stdnum vector %s (born %s, %s)', (egn, birth, sex) => {
    const result = validateEgn(egn);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.birthDate.toString()).toBe(birth);
      expect(result.sex).toBe(sex);
    }
  });

  it.each([
    ['8032056032', 'checksum'],
    ['8019010008', 'date'],
    ['2992070971', 'date'],
  ] as const)('rejects the stdnum vector %s: %s', (egn, reason) => {
    expect(validateEgn(egn)).toEqual({ ok: false, reason });
  });

  it.each(['', '803205603', '80320560311', '803205603a', ' 8032056031', '8032056031 ', '８０３２０５６０３１'])(
    'rejects %j as format',
    (s) => {
      expect(validateEgn(s)).toEqual({ ok: false, reason: 'format' });
    },
  );

  it('maps months 01-12 to the 1900s, 21-32 to the 1800s and 41-52 to the 2000s', () => {
    expect(validateEgn(makeEgn(date('1999-12-31'), 'male', 0)).ok).toBe(true);
    expect(makeEgn(date('1999-12-31'), 'male', 0).slice(0, 6)).toBe('991231');
    expect(makeEgn(date('1800-01-01'), 'male', 0).slice(0, 6)).toBe('002101');
    expect(makeEgn(date('2000-02-29'), 'female', 0).slice(0, 6)).toBe('004229');
  });

  it.each(['00', '13', '20', '33', '40', '53', '99'])('rejects month field %s as date', (mm) => {
    // Build a checksum-correct string so only the date can fail.
    const body = `85${mm}15123`;
    const weights = [2, 4, 8, 5, 10, 9, 7, 3, 6];
    const c = weights.reduce((sum, w, i) => sum + w * Number(body[i]), 0) % 11;
    expect(validateEgn(body + String(c === 10 ? 0 : c))).toEqual({ ok: false, reason: 'date' });
  });

  it('checks real calendar dates, including leap years per century', () => {
    // 29 Feb 2000 exists (month 42); 29 Feb 1900 (month 02) and 1800 (month 22) do not.
    expect(validateEgn(makeEgn(date('2000-02-29'), 'male', 7))).toMatchObject({ ok: true });
    for (const prefix of ['000229', '002229', '000431']) {
      const body = `${prefix}123`;
      const weights = [2, 4, 8, 5, 10, 9, 7, 3, 6];
      const c = weights.reduce((sum, w, i) => sum + w * Number(body[i]), 0) % 11;
      expect(validateEgn(body + String(c === 10 ? 0 : c))).toEqual({ ok: false, reason: 'date' });
    }
  });

  it('reads sex from the 9th digit: even male, odd female', () => {
    expect(makeEgn(date('1985-06-15'), 'male', 123)[8]).toBe('6');
    expect(makeEgn(date('1985-06-15'), 'female', 123)[8]).toBe('7');
  });

  it('maps a weighted-sum remainder of 10 to check digit 0', () => {
    // 8506150280: 2·8+4·5+8·0+5·6+10·1+9·5+7·0+3·2+6·8 = 175 = 15·11 + 10 → check digit 0.
    expect(validateEgn('8506150280')).toMatchObject({ ok: true, sex: 'male' });
    expect(makeEgn(date('1985-06-15'), 'male', 14)).toBe('8506150280');
    for (const d of [1, 2, 3, 4, 5, 6, 7, 8, 9]) {
      expect(validateEgn(withDigit('8506150280', 9, d))).toEqual({ ok: false, reason: 'checksum' });
    }
  });

  it('round-trips generated EGNs: birth date and sex survive validation (property)', () => {
    fc.assert(
      fc.property(birthDates, sexes, fc.integer({ min: 0, max: 499 }), (birth, sex, serial) => {
        const egn = makeEgn(birth, sex, serial);
        expect(egn).toMatch(/^\d{10}$/);
        const result = validateEgn(egn);
        expect(result).toEqual({ ok: true, birthDate: birth, sex });
      }),
    );
  });

  it('rejects every other check digit of a generated EGN as checksum (property)', () => {
    fc.assert(
      fc.property(birthDates, sexes, fc.integer({ min: 0, max: 499 }), (birth, sex, serial) => {
        const egn = makeEgn(birth, sex, serial);
        for (const d of otherDigits(egn, 9)) expect(validateEgn(withDigit(egn, 9, d))).toEqual({ ok: false, reason: 'checksum' });
      }),
    );
  });

  it('makeEgn rejects birth years outside 1800-2099 and bad serials', () => {
    expect(() => makeEgn(date('1799-12-31'), 'male', 0)).toThrow(RangeError);
    expect(() => makeEgn(date('2100-01-01'), 'male', 0)).toThrow(RangeError);
    expect(() => makeEgn(date('1985-06-15'), 'male', 500)).toThrow(RangeError);
    expect(() => makeEgn(date('1985-06-15'), 'male', -1)).toThrow(RangeError);
    expect(() => makeEgn(date('1985-06-15'), 'male', 1.5)).toThrow(RangeError);
  });

  it('gives 1000 distinct EGNs per birth date across sexes and serials', () => {
    const all = new Set<string>();
    for (const sex of ['male', 'female'] as const) {
      for (let serial = 0; serial < 500; serial++) all.add(makeEgn(date('1985-06-15'), sex, serial));
    }
    expect(all.size).toBe(1000);
  });
});

describe('validateLnch (§1.2)', () => {
  it('accepts the stdnum vector 7111042925', () => {
    expect(validateLnch('7111042925')).toEqual({ ok: true });
  });

  it('rejects the stdnum vector 7111042922 as checksum', () => {
    expect(validateLnch('7111042922')).toEqual({ ok: false, reason: 'checksum' });
  });

  it.each(['', '711104292', '71110429251', '711104292x', '7111-04292'])('rejects %j as format', (s) => {
    expect(validateLnch(s)).toEqual({ ok: false, reason: 'format' });
  });

  it('cannot tell EGN and LNCh apart: 8506150063 passes both checks, so the type is stored explicitly (§1.2)', () => {
    expect(validateEgn('8506150063')).toMatchObject({ ok: true, sex: 'male' });
    expect(validateLnch('8506150063')).toEqual({ ok: true });
    expect(validateLnch('8032056031')).toEqual({ ok: false, reason: 'checksum' });
  });

  it('accepts generated LNChs (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999 }), (seed) => {
        const lnch = makeLnch(seed);
        expect(lnch).toMatch(/^\d{10}$/);
        expect(validateLnch(lnch)).toEqual({ ok: true });
      }),
    );
  });

  it('rejects every single-digit substitution anywhere in a generated LNCh (property)', () => {
    // Every weight is coprime to 10, so a change in one digit always changes the check digit.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999 }), fc.integer({ min: 0, max: 9 }), (seed, position) => {
        const lnch = makeLnch(seed);
        for (const d of otherDigits(lnch, position)) {
          expect(validateLnch(withDigit(lnch, position, d))).toEqual({ ok: false, reason: 'checksum' });
        }
      }),
    );
  });

  it('makeLnch gives distinct values for distinct seeds and rejects out-of-range seeds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999 }), fc.integer({ min: 0, max: 999_999_999 }), (a, b) => {
        fc.pre(a !== b);
        expect(makeLnch(a)).not.toBe(makeLnch(b));
      }),
    );
    expect(() => makeLnch(-1)).toThrow(RangeError);
    expect(() => makeLnch(1_000_000_000)).toThrow(RangeError);
    expect(() => makeLnch(0.5)).toThrow(RangeError);
  });
});

describe('validateUin (§1.4)', () => {
  it.each([
    ['2400000354', '24'],
    ['220010652', '22'],
  ])('accepts the observed example %s (region %s)', (uin, regionCode) => {
    expect(validateUin(uin)).toEqual({ ok: true, regionCode });
  });

  it.each(['', '12345678', '12345678901', '22001065x', '2200 10652'])('rejects %j as format', (s) => {
    expect(validateUin(s)).toEqual({ ok: false, reason: 'format' });
  });

  it.each(['0012345678', '2912345678', '3112345678', '9912345678', '001234567'])('rejects %s as region (prefix not 01-28)', (s) => {
    expect(validateUin(s)).toEqual({ ok: false, reason: 'region' });
  });

  it('accepts generated UINs and rejects them with an out-of-range prefix (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 28 * 100_000_000 - 1 }), fc.integer({ min: 29, max: 99 }), (seed, badPrefix) => {
        const uin = makeUin(seed);
        expect(uin).toMatch(/^(0[1-9]|1\d|2[0-8])\d{8}$/);
        expect(validateUin(uin)).toEqual({ ok: true, regionCode: uin.slice(0, 2) });
        expect(validateUin(String(badPrefix) + uin.slice(2))).toEqual({ ok: false, reason: 'region' });
        expect(validateUin('00' + uin.slice(2))).toEqual({ ok: false, reason: 'region' });
      }),
    );
  });

  it('makeUin covers every region 01-28 and rejects out-of-range seeds', () => {
    const regions = new Set(Array.from({ length: 28 }, (_, seed) => makeUin(seed).slice(0, 2)));
    expect(regions.size).toBe(28);
    expect(() => makeUin(-1)).toThrow(RangeError);
    expect(() => makeUin(28 * 100_000_000)).toThrow(RangeError);
  });
});

describe('validateFacilityNumber (§1.5)', () => {
  it.each([
    ['0103211001', '01', '03'],
    ['0111211004', '01', '11'],
  ])('accepts the NHIF hospital list number %s (RZOK %s, municipality %s)', (n, rhifCode, municipality) => {
    expect(validateFacilityNumber(n)).toEqual({ ok: true, prefix: rhifCode, rhifCode, municipality });
  });

  it('accepts the 31-58 prefixes without parsing an oblast from them', () => {
    expect(validateFacilityNumber('3103211001')).toEqual({ ok: true, prefix: '31', rhifCode: null, municipality: null });
    expect(validateFacilityNumber('5803211001')).toEqual({ ok: true, prefix: '58', rhifCode: null, municipality: null });
  });

  it.each(['0003211001', '2903211001', '3003211001', '5903211001', '9903211001'])('rejects %s as region', (n) => {
    expect(validateFacilityNumber(n)).toEqual({ ok: false, reason: 'region' });
  });

  it.each(['', '010321100', '01032110011', '010321100x'])('rejects %j as format', (n) => {
    expect(validateFacilityNumber(n)).toEqual({ ok: false, reason: 'format' });
  });

  const rhifCodes = fc.integer({ min: 1, max: 28 }).map((n) => String(n).padStart(2, '0'));

  it('accepts generated facility numbers with their RZOK code (property)', () => {
    fc.assert(
      fc.property(rhifCodes, fc.integer({ min: 0, max: 99_999_999 }), (rhifCode, seed) => {
        const n = makeFacilityNumber(rhifCode, seed);
        expect(n).toMatch(/^\d{10}$/);
        expect(validateFacilityNumber(n)).toEqual({ ok: true, prefix: rhifCode, rhifCode, municipality: n.slice(2, 4) });
      }),
    );
  });

  it('makeFacilityNumber rejects unknown RZOK codes and out-of-range seeds', () => {
    for (const code of ['00', '29', '31', '1', '001', 'ab']) expect(() => makeFacilityNumber(code, 0)).toThrow(RangeError);
    expect(() => makeFacilityNumber('22', -1)).toThrow(RangeError);
    expect(() => makeFacilityNumber('22', 100_000_000)).toThrow(RangeError);
  });
});
