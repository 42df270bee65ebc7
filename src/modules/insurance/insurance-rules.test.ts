import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { cacheDay, nhifPays, normaliseAnswer } from './insurance-rules.js';
import { InsuranceRegistryError } from './insurance-registry.js';
import { createInsuranceRegistrySimulator } from './insurance-simulator.js';

describe('R-NHIF-01: who pays', () => {
  it('the NHIF pays only with continuous rights on the date (НРД 2006 чл. 137, ал. 2)', () => {
    expect(nhifPays('insured')).toBe(true);
    expect(nhifPays('interrupted')).toBe(false);
    expect(nhifPays('not_found')).toBe(false);
  });
  it('a life-saving emergency is treated whatever the status', () => {
    expect(nhifPays('interrupted', { emergency: true })).toBe(true);
    expect(nhifPays('not_found', { emergency: true })).toBe(true);
  });
});

describe('the cache day is the local date in Sofia', () => {
  it('21:59 UTC in winter is still the same day, 22:00 UTC is the next', () => {
    expect(cacheDay(Temporal.Instant.from('2026-11-25T21:59:59Z'), 'Europe/Sofia')).toBe('2026-11-25');
    expect(cacheDay(Temporal.Instant.from('2026-11-25T22:00:00Z'), 'Europe/Sofia')).toBe('2026-11-26');
  });
  it('in summer (EEST) the day turns at 21:00 UTC', () => {
    expect(cacheDay(Temporal.Instant.from('2026-06-30T20:59:59Z'), 'Europe/Sofia')).toBe('2026-06-30');
    expect(cacheDay(Temporal.Instant.from('2026-06-30T21:00:00Z'), 'Europe/Sofia')).toBe('2026-07-01');
  });
});

describe('registry answers are checked before they are trusted (R-NHIF-01)', () => {
  it('interrupted answers keep sorted, unique missing months', () => {
    expect(normaliseAnswer({ code: 2, status: 'interrupted', missingMonths: ['2026-08', '2026-03', '2026-08'] })).toEqual({ code: 2, status: 'interrupted', missingMonths: ['2026-03', '2026-08'] });
  });
  it('an interrupted answer without months or with a bad month is an outage, not a status', () => {
    expect(() => normaliseAnswer({ code: 2, status: 'interrupted', missingMonths: [] })).toThrow(InsuranceRegistryError);
    expect(() => normaliseAnswer({ code: 2, status: 'interrupted', missingMonths: ['2026-13'] })).toThrow(InsuranceRegistryError);
  });
  it('a code that does not match its status is refused', () => {
    expect(() => normaliseAnswer({ code: 1, status: 'not_found' } as never)).toThrow(InsuranceRegistryError);
  });
});

describe('the simulator speaks the port', () => {
  it('answers insured by default, configured answers per identifier and by date, and fails on demand', async () => {
    const { registry, control } = createInsuranceRegistrySimulator();
    expect(await registry.checkStatus({ identifierKind: 'egn', identifier: '1', on: '2026-11-25' })).toEqual({ code: 1, status: 'insured' });
    control.setAnswer('2', (on) => (on >= '2026-09-01' ? { code: 2, status: 'interrupted', missingMonths: ['2026-06', '2026-07', '2026-08'] } : { code: 1, status: 'insured' }));
    expect((await registry.checkStatus({ identifierKind: 'egn', identifier: '2', on: '2026-08-31' })).status).toBe('insured');
    expect(await registry.checkStatus({ identifierKind: 'egn', identifier: '2', on: '2026-09-01' })).toEqual({ code: 2, status: 'interrupted', missingMonths: ['2026-06', '2026-07', '2026-08'] });
    control.failNext(1);
    await expect(registry.checkStatus({ identifierKind: 'lnch', identifier: '3', on: '2026-11-25' })).rejects.toThrow(InsuranceRegistryError);
    expect((await registry.checkStatus({ identifierKind: 'lnch', identifier: '3', on: '2026-11-25' })).status).toBe('insured');
    expect(control.calls()).toHaveLength(5);
  });
});
