import { beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryFacilityPage } from '../../contracts/directory.js';
import { fhirProblems, unresolvedReferences, warmUpFhirValidation } from '../../test/fhir-validate.js';
import { facilityBundle, practitionerRoleId } from './fhir.js';

const DOCTOR = '01900000-0000-7000-8000-0000000000dd';
const page = (id: string): DirectoryFacilityPage => ({
  id,
  name: 'ДКЦ Тест',
  number: '2201211001',
  typeCode: 'dkc',
  settlement: 'София',
  ekatte: '68134',
  regionCode: 'SOF',
  address: 'ул. Тест 1',
  phone: '+35921234567',
  email: null,
  website: null,
  description: '',
  timeZone: 'Europe/Sofia',
  centres: [],
  services: [{ id: '01900000-0000-7000-8000-0000000000a1', name: 'Видеоконсултация', description: '', specialtyCode: '1020', kindCode: 'consultation', mode: 'synchronous', typicalMinutes: 20, priceEurCents: 3000, nhifPaid: false }],
  specialists: [{ id: DOCTOR, givenName: 'Иван', familyName: 'Петров', specialtyCodes: ['1020'], services: [{ serviceId: '01900000-0000-7000-8000-0000000000a1', earliestFreeSlot: null }] }],
  schedules: [{ id: '01900000-0000-7000-8000-0000000000b1', practitionerId: DOCTOR, serviceId: '01900000-0000-7000-8000-0000000000a1', timeZone: 'Europe/Sofia', validFrom: '2026-11-01', validTo: null, rules: [{ weekday: 1, start: '09:00', end: '12:00' }] }],
});

describe('directory FHIR Bundle (docs/fhir.md#endpoint)', () => {
  beforeAll(warmUpFhirValidation, 60_000);
  const FACILITY_A = '01900000-0000-7000-8000-00000000aaaa';
  const slots = [{ id: '01900000-0000-7000-8000-0000000000c1', scheduleId: '01900000-0000-7000-8000-0000000000b1', start: '2026-11-30T09:00:00+02:00', end: '2026-11-30T09:20:00+02:00' }];
  const bundle = facilityBundle(page(FACILITY_A), slots, 'https://host.example/fhir/R4');

  it('is a valid collection without total whose references all resolve against the endpoint fullUrls', () => {
    expect(bundle).not.toHaveProperty('total');
    expect(fhirProblems(bundle)).toEqual([]);
    expect(unresolvedReferences(bundle as never)).toEqual([]);
    const types = (bundle.entry as { resource: { resourceType: string } }[]).map((e) => e.resource.resourceType);
    expect(types).toEqual(['Organization', 'HealthcareService', 'Practitioner', 'PractitionerRole', 'Schedule', 'Slot']);
  });

  it('declares the РЗИ number and EKATTE with declared systems and has no non-R4 time-zone extension', () => {
    const json = JSON.stringify(bundle);
    expect(json).toContain('"system":"https://distansia.bg/fhir/sid/rhi-facility-number","value":"2201211001"');
    expect(json).toContain('"url":"https://distansia.bg/fhir/StructureDefinition/address-ekatte","valueIdentifier":{"system":"https://distansia.bg/fhir/sid/ekatte","value":"68134"}');
    expect(json).not.toContain('StructureDefinition/timezone');
  });

  it('gives one specialist at two facilities two different PractitionerRole ids (same first 8 characters of the facility id)', () => {
    const FACILITY_B = '01900000-0000-7000-8000-00000000bbbb';
    expect(FACILITY_A.slice(0, 8)).toBe(FACILITY_B.slice(0, 8));
    expect(practitionerRoleId(FACILITY_A, DOCTOR)).not.toBe(practitionerRoleId(FACILITY_B, DOCTOR));
    const roleOf = (b: Record<string, unknown>) => (b.entry as { resource: { resourceType: string; id: string } }[]).find((e) => e.resource.resourceType === 'PractitionerRole')!.resource.id;
    expect(roleOf(bundle)).not.toBe(roleOf(facilityBundle(page(FACILITY_B), [], 'https://host.example/fhir/R4')));
  });
});
