import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { centreMissing, certificateState, facilityRefusal, isValidEkatte, serviceRefusal } from './registry-rules.js';

const kind = (code: string, prohibitedRule: string | null = null, allowedForDental = false) => ({ code, prohibitedRule, allowedForDental });
const cardiology = { code: '1020', dental: false };
const generalDentistry = { code: '2081', dental: true };

describe('serviceRefusal (Art. 7)', () => {
  it('R-TM-13: a dental specialty may publish imaging for dental purposes only', () => {
    expect(serviceRefusal(kind('consultation'), generalDentistry)?.rule).toBe('R-TM-13');
    expect(serviceRefusal(kind('dental_imaging', null, true), generalDentistry)).toBeNull();
    expect(serviceRefusal(kind('dental_treatment', 'R-TM-13'), cardiology)?.rule).toBe('R-TM-13');
  });
  it('R-TM-16: conducting a birth is never a remote service, whatever the specialty', () => {
    expect(serviceRefusal(kind('childbirth', 'R-TM-16'), { code: '1001', dental: false })?.rule).toBe('R-TM-16');
    expect(serviceRefusal(kind('specialist_consultation'), { code: '1001', dental: false })).toBeNull();
  });
  it('R-TM-17: establishing death is never a remote service', () => {
    expect(serviceRefusal(kind('death_certification', 'R-TM-17'), cardiology)?.rule).toBe('R-TM-17');
  });
  it('allows an ordinary consultation', () => {
    expect(serviceRefusal(kind('consultation'), cardiology)).toBeNull();
  });
});

describe('facilityRefusal (Art. 4)', () => {
  it('R-TM-02: an ineligible type is refused; R-TM-01: a suspended facility cannot publish', () => {
    expect(facilityRefusal({ status: 'active', typeEligible: false })?.rule).toBe('R-TM-02');
    expect(facilityRefusal({ status: 'suspended', typeEligible: true })?.rule).toBe('R-TM-01');
    expect(facilityRefusal({ status: 'active', typeEligible: true })).toBeNull();
  });
});

describe('centreMissing (Art. 5(4))', () => {
  const member = (facilityId: string, over: Partial<{ rightsObligations: string; structures: number; eligible: boolean; active: boolean }> = {}) => ({
    facilityId,
    rightsObligations: 'Provides cardiology on call',
    structures: 1,
    eligible: true,
    active: true,
    ...over,
  });
  it('R-TM-21: a complete contract lacks nothing', () => {
    expect(centreMissing({ headName: 'Д-р Иванов', headPractitionerId: null, contractReference: 'Д-5/2026', members: [member('a'), member('b')] })).toEqual([]);
  });
  it('R-TM-21: names each missing part: head, rights and obligations, structures, second member', () => {
    expect(centreMissing({ headName: ' ', headPractitionerId: null, contractReference: null, members: [member('a', { rightsObligations: '', structures: 0 })] })).toEqual([
      'head',
      'contract_reference',
      'members',
      'rights_obligations:a',
      'structures:a',
    ]);
  });
});

describe('certificateState (Art. 25-26)', () => {
  const today = Temporal.PlainDate.from('2026-11-25');
  it('flags an expired certificate the day after its expiry date, and warns 30 days ahead', () => {
    expect(certificateState({ expiresOn: '2026-11-24', withdrawn: false }, today)).toBe('expired');
    expect(certificateState({ expiresOn: '2026-11-25', withdrawn: false }, today)).toBe('expiring');
    expect(certificateState({ expiresOn: '2026-12-25', withdrawn: false }, today)).toBe('expiring');
    expect(certificateState({ expiresOn: '2026-12-26', withdrawn: false }, today)).toBe('valid');
    expect(certificateState({ expiresOn: null, withdrawn: false }, today)).toBe('valid');
    expect(certificateState({ expiresOn: '2026-11-24', withdrawn: true }, today)).toBe('withdrawn');
  });
});

describe('isValidEkatte', () => {
  it('accepts real codes (Sofia 68134, Plovdiv 56784, Varna 10135, Burgas 07079, Blagoevgrad 04279) and refuses a wrong check digit', () => {
    for (const c of ['68134', '56784', '10135', '07079', '04279']) expect(isValidEkatte(c)).toBe(true);
    expect(isValidEkatte('68135')).toBe(false);
    expect(isValidEkatte('6813')).toBe(false);
  });
});
