import type { Encounter } from '../../contracts/encounters.js';
import { STD } from '../../platform/fhir/systems.js';

// v3-ActCode encounter classes (R4 Encounter.class, extensible): VR virtual (a remote consultation, a
// phone call), AMB ambulatory (a visit at the practice), HH home health (a home visit).
const CLASS: Record<Encounter['kind'], { code: string; display: string }> = {
  remote: { code: 'VR', display: 'virtual' },
  phone: { code: 'VR', display: 'virtual' },
  in_person: { code: 'AMB', display: 'ambulatory' },
  home_visit: { code: 'HH', display: 'home health' },
};

/**
 * An encounter as a FHIR R4 Encounter. Pure.
 * @param e - the encounter, as the encounters service answers it (already access-checked)
 * @returns the resource
 */
export function encounterResourceOf(e: Encounter): Record<string, unknown> {
  return {
    resourceType: 'Encounter',
    id: e.id,
    status: e.endedAt ? 'finished' : 'in-progress',
    class: { system: STD.v3ActCode, ...CLASS[e.kind] },
    subject: { reference: `Patient/${e.patientId}` },
    participant: [{ individual: { reference: `Practitioner/${e.practitionerId}` } }],
    period: { start: e.startedAt, ...(e.endedAt ? { end: e.endedAt } : {}) },
    ...(e.reason ? { reasonCode: [{ text: e.reason }] } : {}),
    serviceProvider: { reference: `Organization/${e.facilityId}` },
  };
}
