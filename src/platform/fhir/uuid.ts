import { createHash } from 'node:crypto';

/** RFC 4122 name-based namespace for Distansia's FHIR `urn:uuid` fullUrls (a fixed random UUID). */
const NAMESPACE = Buffer.from('5f1e2c4a8d7b4e0f9a3c6b2d1e0f7a8b', 'hex');

/**
 * A stable name-based UUID (RFC 4122 §4.3, version 5, SHA-1): the same name always gives the same
 * UUID, so a document Bundle's `urn:uuid` fullUrls stay the same between exports, and two names never
 * share one (PractitionerRole per facility and specialist, Condition per document and position).
 * @param name - e.g. `PractitionerRole/<facility id>/<practitioner id>`
 * @returns a lower-case UUID
 */
export function nameUuid(name: string): string {
  const h = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest();
  // RFC 4122: version 5 in the high nibble of octet 6, variant 10 in the top bits of octet 8.
  h.writeUInt8((h.readUInt8(6) & 0x0f) | 0x50, 6);
  h.writeUInt8((h.readUInt8(8) & 0x3f) | 0x80, 8);
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** `urn:uuid:` form of {@link nameUuid}. */
export function urnUuid(name: string): string {
  return `urn:uuid:${nameUuid(name)}`;
}

const HEX32 = /^[0-9a-f]{32}$/;

/**
 * The id of the PractitionerRole of a specialist at a facility, the same in the directory, in documents
 * and at `/fhir/R4/PractitionerRole/{id}`: the two UUIDs in hex without dashes (64 characters, the R4 id
 * limit). Tricky: it must be unique per (facility, specialist) pair and reversible, so the endpoint can
 * read it; a prefix of the facility id collided for one specialist at two facilities.
 * @param facilityId - the facility
 * @param practitionerId - the specialist
 * @returns the role id
 */
export function practitionerRoleId(facilityId: string, practitionerId: string): string {
  return `${facilityId.replace(/-/g, '')}${practitionerId.replace(/-/g, '')}`.toLowerCase();
}

/**
 * The inverse of {@link practitionerRoleId}.
 * @param id - a PractitionerRole id
 * @returns the facility and practitioner ids, or undefined when `id` is not one
 */
export function parsePractitionerRoleId(id: string): { facilityId: string; practitionerId: string } | undefined {
  const f = id.slice(0, 32);
  const p = id.slice(32);
  if (!HEX32.test(f) || !HEX32.test(p)) return undefined;
  const dashed = (h: string) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  return { facilityId: dashed(f), practitionerId: dashed(p) };
}
