import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { makeEgn, makeLnch } from '../../platform/identifiers.js';
import { checkRegistrant } from './registration-rules.js';

describe('registration: identifier and date of birth (bulgarian-identifiers §1.1-§1.2)', () => {
  const birth = Temporal.PlainDate.from('1988-03-14');
  const egn = makeEgn(birth, 'female', 17);

  it('§1.1: a valid EGN with its own date of birth passes and gives the sex it encodes', () => {
    expect(checkRegistrant({ identifierKind: 'egn', identifier: egn, birthDate: '1988-03-14' })).toEqual({ ok: true, sex: 'female' });
  });

  it('§1.1: a date of birth other than the EGN encodes is refused on the birth date field', () => {
    const r = checkRegistrant({ identifierKind: 'egn', identifier: egn, birthDate: '1988-03-15' });
    expect(r).toMatchObject({ ok: false, code: 'registration.birth_date_mismatch', problems: [{ pointer: '#/birthDate' }] });
  });

  it('§1.1: a wrong EGN check digit is refused on the identifier field', () => {
    const bad = egn.slice(0, 9) + String((Number(egn[9]) + 1) % 10);
    expect(checkRegistrant({ identifierKind: 'egn', identifier: bad, birthDate: '1988-03-14' })).toMatchObject({ ok: false, code: 'request.invalid', problems: [{ pointer: '#/identifier', detail: 'invalid egn: checksum' }] });
  });

  it('§1.2: an LNCh needs its checksum and a stated sex, and no date rule applies', () => {
    const lnch = makeLnch(42);
    expect(checkRegistrant({ identifierKind: 'lnch', identifier: lnch, birthDate: '1990-01-01', sex: 'male' })).toEqual({ ok: true, sex: 'male' });
    expect(checkRegistrant({ identifierKind: 'lnch', identifier: lnch, birthDate: '1990-01-01' })).toMatchObject({ ok: false, problems: [{ pointer: '#/sex' }] });
    const bad = lnch.slice(0, 9) + String((Number(lnch[9]) + 1) % 10);
    expect(checkRegistrant({ identifierKind: 'lnch', identifier: bad, birthDate: '1990-01-01', sex: 'male' })).toMatchObject({ ok: false, problems: [{ pointer: '#/identifier' }] });
  });
});
