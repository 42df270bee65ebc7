import type { DirectoryFacilityPage } from '../../contracts/directory.js';
import { isSafeWebUrl } from '../../contracts/registry.js';

/**
 * Maps a facility's public page to FHIR R4 JSON (STYLE C14: FHIR at the edge, relational inside).
 * Pure. Code systems: Bulgarian NHIS nomenclatures are not published as FHIR CodeSystems, so their
 * system URIs are Distansia's own `https://distansia.bg/fhir/CodeSystem/...` (docs/registry.md#public-directory).
 */

const SYSTEM = {
  facilityNumber: 'https://distansia.bg/fhir/sid/rzi-number',
  specialty: 'https://distansia.bg/fhir/CodeSystem/nhis-cl006',
  facilityType: 'https://distansia.bg/fhir/CodeSystem/zlz-facility-type',
  serviceKind: 'https://distansia.bg/fhir/CodeSystem/service-kind',
  ekatte: 'https://distansia.bg/fhir/sid/ekatte',
} as const;

type Json = Record<string, unknown>;

/**
 * @param page - the facility's public page
 * @param slots - free slots to include (id, schedule id, start, end)
 * @param baseUrl - absolute base for `fullUrl`s, e.g. `https://host/fhir/r4`
 * @returns a FHIR R4 Bundle of type `collection` with Organization, HealthcareService, PractitionerRole, Schedule and Slot
 */
export function facilityBundle(page: DirectoryFacilityPage, slots: readonly { id: string; scheduleId: string; start: string; end: string }[], baseUrl: string): Json {
  const entries: Json[] = [];
  const add = (resource: Json) => entries.push({ fullUrl: `${baseUrl}/${String(resource.resourceType)}/${String(resource.id)}`, resource });
  const telecom = [
    page.phone ? { system: 'phone', value: page.phone } : undefined,
    page.email ? { system: 'email', value: page.email } : undefined,
    page.website && isSafeWebUrl(page.website) ? { system: 'url', value: page.website } : undefined,
  ].filter(Boolean);
  add({
    resourceType: 'Organization',
    id: page.id,
    identifier: [{ system: SYSTEM.facilityNumber, value: page.number }],
    active: true,
    type: [{ coding: [{ system: SYSTEM.facilityType, code: page.typeCode }] }],
    name: page.name,
    telecom,
    address: [
      {
        line: [page.address],
        city: page.settlement,
        country: 'BG',
        ...(page.ekatte ? { extension: [{ url: SYSTEM.ekatte, valueString: page.ekatte }] } : {}),
      },
    ],
  });
  for (const s of page.services) {
    add({
      resourceType: 'HealthcareService',
      id: s.id,
      active: true,
      providedBy: { reference: `Organization/${page.id}` },
      category: [{ coding: [{ system: SYSTEM.serviceKind, code: s.kindCode }] }],
      specialty: [{ coding: [{ system: SYSTEM.specialty, code: s.specialtyCode }] }],
      name: s.name,
      comment: s.description,
      // Art. 14(4): VR = virtual (with direct interaction); without it the service is asynchronous.
      characteristic: [{ text: s.mode === 'synchronous' ? 'with direct interaction' : 'without direct interaction' }],
      appointmentRequired: s.mode === 'synchronous',
      extraDetails: s.nhifPaid ? 'NHIF-paid' : `Price: ${((s.priceEurCents ?? 0) / 100).toFixed(2)} EUR`,
    });
  }
  for (const p of page.specialists) {
    add({
      resourceType: 'PractitionerRole',
      // Tricky: one role per (facility, specialist); the id joins both so it is stable and unique.
      id: `${page.id.slice(0, 8)}-${p.id}`,
      active: true,
      practitioner: { display: `${p.givenName} ${p.familyName}` },
      organization: { reference: `Organization/${page.id}` },
      specialty: p.specialtyCodes.map((code) => ({ coding: [{ system: SYSTEM.specialty, code }] })),
      healthcareService: p.services.map((s) => ({ reference: `HealthcareService/${s.serviceId}` })),
    });
  }
  for (const s of page.schedules) {
    add({
      resourceType: 'Schedule',
      id: s.id,
      active: true,
      actor: [{ reference: `HealthcareService/${s.serviceId}` }, { display: page.specialists.find((p) => p.id === s.practitionerId)?.familyName ?? s.practitionerId }],
      planningHorizon: { start: s.validFrom, ...(s.validTo ? { end: s.validTo } : {}) },
      comment: s.rules.map((r) => `${r.weekday} ${r.start}-${r.end}`).join('; '),
      extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/timezone', valueCode: s.timeZone }],
    });
  }
  for (const sl of slots) {
    add({ resourceType: 'Slot', id: sl.id, schedule: { reference: `Schedule/${sl.scheduleId}` }, status: 'free', start: sl.start, end: sl.end });
  }
  return { resourceType: 'Bundle', type: 'collection', total: entries.length, entry: entries };
}
