import { describe, expect, it } from 'vitest';
import { parseSearch } from './search-params.js';

describe('FHIR search parameters (docs/fhir.md#endpoint)', () => {
  it('reads a bare start date as midnight in Sofia, in winter and in summer time', () => {
    expect(parseSearch('Slot', { start: 'ge2026-12-01' }).criteria.after).toEqual({ at: new Date('2026-11-30T22:00:00Z'), inclusive: true });
    expect(parseSearch('Slot', { start: 'lt2026-07-01' }).criteria.before).toEqual({ at: new Date('2026-06-30T21:00:00Z'), inclusive: false });
    expect(parseSearch('Slot', { start: ['gt2026-12-01T09:00:00+02:00', 'le2026-12-02T10:00:00Z'] }).criteria).toMatchObject({ after: { at: new Date('2026-12-01T07:00:00Z'), inclusive: false }, before: { at: new Date('2026-12-02T10:00:00Z'), inclusive: true } });
  });

  it('parses tokens with and without a system, and marks a foreign system as matching nothing', () => {
    expect(parseSearch('Slot', { specialty: '1020' }).criteria).toMatchObject({ specialty: '1020', impossible: false });
    expect(parseSearch('Slot', { specialty: 'https://distansia.bg/fhir/CodeSystem/nhis-cl006|1020' }).criteria).toMatchObject({ specialty: '1020', impossible: false });
    expect(parseSearch('Slot', { specialty: 'http://snomed.info/sct|394579002' }).criteria.impossible).toBe(true);
  });

  it('parses references, caps _count at 100 and refuses what it does not support', () => {
    expect(parseSearch('Slot', { 'schedule.actor': 'https://host/fhir/R4/Practitioner/abc' }).criteria.actor).toEqual({ type: 'Practitioner', id: 'abc' });
    expect(parseSearch('HealthcareService', { organization: 'abc' }).criteria.organizationId).toBe('abc');
    expect(parseSearch('Slot', { _count: '500', _offset: '40' })).toMatchObject({ count: 100, offset: 40 });
    expect(parseSearch('Slot', {}).count).toBe(20);
    for (const [type, q] of [
      ['Slot', { colour: 'blue' }],
      ['Organization', { specialty: '1020' }],
      ['Slot', { start: 'eq2026-12-01' }],
      ['Slot', { specialty: '1020,1010' }],
      ['Slot', { 'schedule.actor': 'Patient/abc' }],
      ['Slot', { status: 'open' }],
      ['Slot', { _count: '-1' }],
    ] as const) {
      expect(() => parseSearch(type, q), JSON.stringify(q)).toThrow(expect.objectContaining({ code: 'request.invalid' }));
    }
  });
});
