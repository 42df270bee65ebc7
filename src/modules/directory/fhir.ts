import type { DirectoryFacilityPage } from '../../contracts/directory.js';
import { isSafeWebUrl } from '../../contracts/registry.js';
import { CS, EXT, SID } from '../../platform/fhir/systems.js';
import { practitionerRoleId } from '../../platform/fhir/uuid.js';

export { practitionerRoleId };

/**
 * Maps a facility's public page to FHIR R4 JSON (STYLE C14: FHIR at the edge, relational inside).
 * Pure. The system URIs are declared once in `platform/fhir/systems.ts` (docs/fhir.md#identifiers-and-codes).
 * The per-resource mappers are shared by the directory Bundle and the `/fhir/R4` endpoint, so both
 * serve the same resources.
 */

type Json = Record<string, unknown>;
type Page = DirectoryFacilityPage;
type Specialist = Page['specialists'][number];

/** A free slot as the directory lists it (the service's kind and CL006 specialty when known). */
export interface DirectorySlot {
  id: string;
  scheduleId: string;
  start: string;
  end: string;
  kindCode?: string;
  specialtyCode?: string;
}

/** @returns the facility as an Organization with its РЗИ number */
export function organizationOf(page: Page): Json {
  const telecom = [
    page.phone ? { system: 'phone', value: page.phone } : undefined,
    page.email ? { system: 'email', value: page.email } : undefined,
    page.website && isSafeWebUrl(page.website) ? { system: 'url', value: page.website } : undefined,
  ].filter(Boolean);
  return {
    resourceType: 'Organization',
    id: page.id,
    identifier: [{ system: SID.rhiFacility, value: page.number }],
    active: true,
    type: [{ coding: [{ system: CS.facilityType, code: page.typeCode }] }],
    name: page.name,
    ...(telecom.length ? { telecom } : {}),
    address: [
      {
        ...(page.ekatte ? { extension: [{ url: EXT.addressEkatte, valueIdentifier: { system: SID.ekatte, value: page.ekatte } }] } : {}),
        line: [page.address],
        city: page.settlement,
        country: 'BG',
      },
    ],
  };
}

/** @returns one published service as a HealthcareService */
export function healthcareServiceOf(page: Page, s: Page['services'][number]): Json {
  return {
    resourceType: 'HealthcareService',
    id: s.id,
    active: true,
    providedBy: { reference: `Organization/${page.id}` },
    type: [{ coding: [{ system: CS.serviceKind, code: s.kindCode }] }],
    specialty: [{ coding: [{ system: CS.nhisCl006, code: s.specialtyCode }] }],
    name: s.name,
    ...(s.description ? { comment: s.description } : {}),
    // Art. 14(4): with direct interaction (synchronous) or without (asynchronous).
    characteristic: [{ text: s.mode === 'synchronous' ? 'with direct interaction' : 'without direct interaction' }],
    appointmentRequired: s.mode === 'synchronous',
    extraDetails: s.nhifPaid ? 'NHIF-paid' : `Price: ${((s.priceEurCents ?? 0) / 100).toFixed(2)} EUR`,
  };
}

/** @returns the public fields of a specialist (name only: no УИН, no contact) */
export function practitionerOf(p: Specialist): Json {
  return { resourceType: 'Practitioner', id: p.id, active: true, name: [{ family: p.familyName, given: [p.givenName] }] };
}

/** @returns the specialist's role at the facility */
export function practitionerRoleOf(page: Page, p: Specialist): Json {
  return {
    resourceType: 'PractitionerRole',
    id: practitionerRoleId(page.id, p.id),
    active: true,
    practitioner: { reference: `Practitioner/${p.id}`, display: `${p.givenName} ${p.familyName}` },
    organization: { reference: `Organization/${page.id}` },
    ...(p.specialtyCodes.length ? { specialty: p.specialtyCodes.map((code) => ({ coding: [{ system: CS.nhisCl006, code }] })) } : {}),
    ...(p.services.length ? { healthcareService: p.services.map((s) => ({ reference: `HealthcareService/${s.serviceId}` })) } : {}),
  };
}

/** @returns a published weekly schedule as a Schedule of the specialist's role for the service */
export function scheduleOf(page: Page, s: Page['schedules'][number]): Json {
  const service = page.services.find((x) => x.id === s.serviceId);
  return {
    resourceType: 'Schedule',
    id: s.id,
    active: true,
    ...(service ? { serviceType: [{ coding: [{ system: CS.serviceKind, code: service.kindCode }] }], specialty: [{ coding: [{ system: CS.nhisCl006, code: service.specialtyCode }] }] } : {}),
    actor: [{ reference: `PractitionerRole/${practitionerRoleId(page.id, s.practitionerId)}` }, { reference: `HealthcareService/${s.serviceId}` }],
    planningHorizon: { start: s.validFrom, ...(s.validTo ? { end: s.validTo } : {}) },
    // Time zone: the rules are wall times in the facility's zone; R4 has no core time-zone extension, so
    // the zone is named in the text and every Slot carries explicit offsets.
    comment: `${s.rules.map((r) => `${r.weekday} ${r.start}-${r.end}`).join('; ')} (${s.timeZone})`,
  };
}

/** @returns a free slot as a Slot */
export function slotOf(sl: DirectorySlot): Json {
  return {
    resourceType: 'Slot',
    id: sl.id,
    ...(sl.kindCode ? { serviceType: [{ coding: [{ system: CS.serviceKind, code: sl.kindCode }] }] } : {}),
    ...(sl.specialtyCode ? { specialty: [{ coding: [{ system: CS.nhisCl006, code: sl.specialtyCode.trim() }] }] } : {}),
    schedule: { reference: `Schedule/${sl.scheduleId}` },
    status: 'free',
    start: sl.start,
    end: sl.end,
  };
}

/**
 * @param page - the facility's public page
 * @param slots - free slots to include
 * @param baseUrl - absolute base of the FHIR endpoint for `fullUrl`s, e.g. `https://host/fhir/R4`
 * @returns a FHIR R4 `collection` Bundle (no `total`: bdl-1) with Organization, HealthcareService,
 *   Practitioner, PractitionerRole, Schedule and Slot, whose relative references resolve against the
 *   entries' server fullUrls
 */
export function facilityBundle(page: Page, slots: readonly DirectorySlot[], baseUrl: string): Json {
  const resources: Json[] = [
    organizationOf(page),
    ...page.services.map((s) => healthcareServiceOf(page, s)),
    ...page.specialists.map(practitionerOf),
    ...page.specialists.map((p) => practitionerRoleOf(page, p)),
    ...page.schedules.map((s) => scheduleOf(page, s)),
    ...slots.map(slotOf),
  ];
  return { resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ fullUrl: `${baseUrl}/${String(resource.resourceType)}/${String(resource.id)}`, resource })) };
}

