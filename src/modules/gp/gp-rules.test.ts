import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import type { CreateGpRegistrationBody } from '../../contracts/gp.js';
import { changeWindowInfo, decideRegistration, inChangeWindow, localDate, representationNeeded, temporaryPeriodAllowed, type RegistrationFacts } from './gp-rules.js';
import { ruleOn, type DatedRule } from './dated-rules.js';

// The rule values as migrations/0022_insurance_gp.sql seeds them (dated data, DECISIONS.md item 17).
const RULES: DatedRule[] = [
  { key: 'gp.change_windows', ruleId: 'R-GP-02', value: [{ from: '06-01', to: '06-30' }, { from: '12-01', to: '12-31' }], validFrom: '2006-01-01', validTo: null },
  { key: 'gp.temporary_months', ruleId: 'R-GP-04', value: { min: 1, max: 5 }, validFrom: '2006-01-01', validTo: null },
  { key: 'gp.representation', ruleId: 'R-GP-08', value: { representedUnderAge: 14, consentUnderAge: 18 }, validFrom: '2006-01-01', validTo: null },
  { key: 'gp.newborn', ruleId: 'R-GP-09', value: { maxAgeDays: 365 }, validFrom: '2006-01-01', validTo: null },
];
const ZONE = 'Europe/Sofia';
const P_OLD = 'a0000000-0000-4000-8000-000000000001';
const P_NEW = 'a0000000-0000-4000-8000-000000000002';

function body(over: Partial<CreateGpRegistrationBody> = {}): CreateGpRegistrationBody {
  return {
    kind: 'permanent',
    patientId: 'b0000000-0000-4000-8000-000000000001',
    practitionerId: P_NEW,
    facilityId: 'c0000000-0000-4000-8000-000000000001',
    signer: { kind: 'self' },
    interdiction: 'none',
    documents: { healthInsuranceBooklet: true, initialFormCopy3: false, choiceForm: true },
    ...over,
  };
}

function facts(today: Temporal.PlainDate, over: Partial<RegistrationFacts> = {}): RegistrationFacts {
  const on = today.toString();
  return {
    today,
    identifierKind: 'egn',
    birthDate: Temporal.PlainDate.from('1980-05-05'),
    actorIsRepresentative: false,
    permanent: { practitionerId: P_OLD, rhifCode: '22' },
    temporaryOpen: false,
    target: { practitionerId: P_NEW, rhifCode: '16' },
    rules: { windows: ruleOn(RULES, 'gp.change_windows', on), temporaryMonths: ruleOn(RULES, 'gp.temporary_months', on), representation: ruleOn(RULES, 'gp.representation', on), newborn: ruleOn(RULES, 'gp.newborn', on) },
    ...over,
  };
}

const decideAt = (instant: string, b = body()) => decideRegistration(b, facts(localDate(Temporal.Instant.from(instant), ZONE)));

describe('R-GP-02: a permanent change only 1-30 June and 1-31 December, in Europe/Sofia', () => {
  // EEST (UTC+3) in May-July: midnight in Sofia is 21:00 UTC; EET (UTC+2) in Nov-Jan: 22:00 UTC.
  it.each([
    ['2026-05-31T20:59:59Z', '31 May 23:59:59 EEST', false],
    ['2026-05-31T21:00:00Z', '1 June 00:00 EEST', true],
    ['2026-06-30T20:59:59Z', '30 June 23:59:59 EEST', true],
    ['2026-06-30T21:00:00Z', '1 July 00:00 EEST', false],
    ['2026-11-30T21:59:59Z', '30 November 23:59:59 EET', false],
    ['2026-11-30T22:00:00Z', '1 December 00:00 EET', true],
    ['2026-12-31T21:59:59Z', '31 December 23:59:59 EET', true],
    ['2026-12-31T22:00:00Z', '1 January 00:00 EET', false],
  ])('%s (%s) → allowed %s', (instant, _local, allowed) => {
    const d = decideAt(instant);
    if (allowed) expect(d).toMatchObject({ ok: true, basis: 'change_window' });
    else expect(d).toMatchObject({ ok: false, code: 'gp.change_window_closed', rule: 'R-GP-02' });
  });
  it('the same UTC instant is a different local day in summer and winter (21:00 vs 22:00 UTC)', () => {
    expect(localDate(Temporal.Instant.from('2026-06-30T21:30:00Z'), ZONE).toString()).toBe('2026-07-01');
    expect(localDate(Temporal.Instant.from('2026-12-31T21:30:00Z'), ZONE).toString()).toBe('2026-12-31');
  });
  it('explains the window: when it closes, or when the next one opens', () => {
    const w = ruleOn(RULES, 'gp.change_windows', '2026-01-01');
    expect(changeWindowInfo(Temporal.PlainDate.from('2026-06-10'), w)).toEqual({ open: true, closesOn: '2026-06-30', opensOn: null });
    expect(changeWindowInfo(Temporal.PlainDate.from('2026-07-01'), w)).toEqual({ open: false, closesOn: null, opensOn: '2026-12-01' });
    expect(changeWindowInfo(Temporal.PlainDate.from('2027-01-01'), w)).toEqual({ open: false, closesOn: null, opensOn: '2027-06-01' });
    expect(inChangeWindow(Temporal.PlainDate.from('2028-02-29'), w)).toBe(false);
  });
  it('a later rule version replaces the windows from its date (dated data)', () => {
    const later: DatedRule[] = [...RULES, { key: 'gp.change_windows', ruleId: 'R-GP-02', value: [{ from: '03-01', to: '03-31' }], validFrom: '2027-01-01', validTo: null }];
    expect(ruleOn(later, 'gp.change_windows', '2026-12-31')).toHaveLength(2);
    expect(ruleOn(later, 'gp.change_windows', '2027-03-15')).toEqual([{ from: '03-01', to: '03-31' }]);
    expect(() => ruleOn(RULES, 'gp.change_windows', '2005-12-31')).toThrow(/no gp.change_windows rule/);
  });
});

describe('R-GP-01 and R-GP-03', () => {
  it('R-GP-01: an initial choice on any date, including outside the windows', () => {
    expect(decideRegistration(body({ kind: 'initial' }), facts(Temporal.PlainDate.from('2026-03-29'), { permanent: undefined }))).toMatchObject({ ok: true, basis: 'first_choice' });
    expect(decideRegistration(body({ kind: 'initial' }), facts(Temporal.PlainDate.from('2026-03-29')))).toMatchObject({ ok: false, code: 'gp.already_registered', rule: 'R-GP-01' });
  });
  it('R-GP-03: RHIF-confirmed inability of the GP or a change of address allow a change outside the windows', () => {
    const march = Temporal.PlainDate.from('2026-03-10');
    expect(decideRegistration(body({ exception: { kind: 'gp_unable', documentRef: 'РЗОК писмо 12/2026' } }), facts(march))).toMatchObject({ ok: true, basis: 'gp_unable' });
    expect(decideRegistration(body({ exception: { kind: 'address_change', documentRef: 'Адресна карта 1' } }), facts(march))).toMatchObject({ ok: true, basis: 'address_change' });
  });
  it('R-GP-06: the booklet or copy 3 of the initial form, and the completed form', () => {
    const june = Temporal.PlainDate.from('2026-06-10');
    expect(decideRegistration(body({ documents: { healthInsuranceBooklet: false, initialFormCopy3: false, choiceForm: true } }), facts(june))).toMatchObject({ ok: false, code: 'gp.documents_missing', rule: 'R-GP-06' });
    expect(decideRegistration(body({ documents: { healthInsuranceBooklet: false, initialFormCopy3: true, choiceForm: false } }), facts(june))).toMatchObject({ ok: false, rule: 'R-GP-06' });
    expect(decideRegistration(body({ documents: { healthInsuranceBooklet: false, initialFormCopy3: true, choiceForm: true } }), facts(june))).toMatchObject({ ok: true });
  });
});

describe('R-GP-04: temporary choice of 1 to 5 months outside the permanent GP region', () => {
  it('month bounds, first and last day inclusive', () => {
    const rule = { min: 1, max: 5 };
    const s = Temporal.PlainDate.from('2026-01-31');
    // Tricky: one month from 31 January is 28 February (Temporal's month-end clamp), so the stay may end on the 27th.
    expect(temporaryPeriodAllowed(s, Temporal.PlainDate.from('2026-02-26'), rule)).toBe(false);
    expect(temporaryPeriodAllowed(s, Temporal.PlainDate.from('2026-02-27'), rule)).toBe(true);
    expect(temporaryPeriodAllowed(Temporal.PlainDate.from('2026-03-10'), Temporal.PlainDate.from('2026-04-09'), rule)).toBe(true);
    expect(temporaryPeriodAllowed(Temporal.PlainDate.from('2026-03-10'), Temporal.PlainDate.from('2026-08-09'), rule)).toBe(true);
    expect(temporaryPeriodAllowed(Temporal.PlainDate.from('2026-03-10'), Temporal.PlainDate.from('2026-08-10'), rule)).toBe(false);
  });
  it('refuses the same region, a period too long and starts in the past; accepts a valid stay', () => {
    const today = Temporal.PlainDate.from('2026-03-10');
    const t = (startsOn: string, endsOn: string) => body({ kind: 'temporary', temporary: { startsOn, endsOn } });
    expect(decideRegistration(t('2026-03-10', '2026-06-09'), facts(today))).toMatchObject({ ok: true, basis: 'temporary_stay' });
    expect(decideRegistration(t('2026-03-10', '2026-06-09'), facts(today, { target: { practitionerId: P_NEW, rhifCode: '22' } }))).toMatchObject({ ok: false, code: 'gp.temporary_same_region', rule: 'R-GP-04' });
    expect(decideRegistration(t('2026-03-10', '2026-09-30'), facts(today))).toMatchObject({ ok: false, code: 'gp.temporary_period_invalid', rule: 'R-GP-04' });
    expect(decideRegistration(t('2026-03-09', '2026-05-09'), facts(today))).toMatchObject({ ok: false, code: 'gp.temporary_period_invalid' });
    expect(decideRegistration(t('2026-03-10', '2026-06-09'), facts(today, { temporaryOpen: true }))).toMatchObject({ ok: false, code: 'gp.temporary_active' });
  });
  it('R-GP-05: a temporary choice needs a permanent one to restore', () => {
    const b = body({ kind: 'temporary', temporary: { startsOn: '2026-03-10', endsOn: '2026-05-09' } });
    expect(decideRegistration(b, facts(Temporal.PlainDate.from('2026-03-10'), { permanent: undefined }))).toMatchObject({ ok: false, code: 'gp.no_current_choice', rule: 'R-GP-05' });
  });
});

describe('R-GP-08: minors and interdicted persons', () => {
  const rule = { representedUnderAge: 14, consentUnderAge: 18 };
  it('under 14 and full interdiction: a representative signs; 14-17 and limited: consent', () => {
    expect(representationNeeded(13, 'none', rule)).toBe('representative');
    expect(representationNeeded(14, 'none', rule)).toBe('consent');
    expect(representationNeeded(17, 'none', rule)).toBe('consent');
    expect(representationNeeded(18, 'none', rule)).toBe('none');
    expect(representationNeeded(40, 'full', rule)).toBe('representative');
    expect(representationNeeded(40, 'limited', rule)).toBe('consent');
  });
  it('a child of 10 without a representative is refused; with one it passes', () => {
    const today = Temporal.PlainDate.from('2026-06-10');
    const child = { birthDate: Temporal.PlainDate.from('2016-01-01') };
    expect(decideRegistration(body(), facts(today, child))).toMatchObject({ ok: false, code: 'gp.representative_required', rule: 'R-GP-08' });
    const rep = { kind: 'representative' as const, representative: { basis: 'parent' as const, name: 'Мария Иванова', documentRef: 'Удостоверение за раждане 123' } };
    expect(decideRegistration(body({ signer: rep }), facts(today, child))).toMatchObject({ ok: true });
    expect(decideRegistration(body(), facts(today, { ...child, actorIsRepresentative: true }))).toMatchObject({ ok: true });
  });
  it('a 15-year-old signs with a parent’s consent', () => {
    const today = Temporal.PlainDate.from('2026-06-10');
    const teen = { birthDate: Temporal.PlainDate.from('2011-01-01') };
    expect(decideRegistration(body(), facts(today, teen))).toMatchObject({ ok: false, code: 'gp.representative_consent_required', rule: 'R-GP-08' });
    expect(decideRegistration(body({ signer: { kind: 'self', consent: { basis: 'parent', name: 'Петър Петров', documentRef: 'Съгласие 1' } } }), facts(today, teen))).toMatchObject({ ok: true });
  });
});

describe('R-GP-09 and R-GP-10', () => {
  it('R-GP-09: a newborn without EGN needs the birth-notification number', () => {
    const today = Temporal.PlainDate.from('2026-03-10');
    const newborn = { identifierKind: 'other' as const, birthDate: Temporal.PlainDate.from('2026-03-01'), permanent: undefined, actorIsRepresentative: true };
    expect(decideRegistration(body({ kind: 'initial' }), facts(today, newborn))).toMatchObject({ ok: false, code: 'gp.birth_notification_required', rule: 'R-GP-09' });
    expect(decideRegistration(body({ kind: 'initial', birthNotification: { number: 'СР-2026-0042', facilityNumber: '2201121001' } }), facts(today, newborn))).toMatchObject({ ok: true, basis: 'first_choice' });
  });
  it('R-GP-10: a practice in any region is accepted for an initial choice', () => {
    for (const rhifCode of ['01', '16', '22', '28']) {
      expect(decideRegistration(body({ kind: 'initial' }), facts(Temporal.PlainDate.from('2026-08-01'), { permanent: undefined, target: { practitionerId: P_NEW, rhifCode } }))).toMatchObject({ ok: true });
    }
  });
});
