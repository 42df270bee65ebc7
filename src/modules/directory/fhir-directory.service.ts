import type { Clock } from '../../platform/clock.js';
import { toDate } from '../../platform/clock.js';
import type { Db } from '../../platform/db/index.js';
import { NotFoundError } from '../../platform/errors/app-error.js';
import { parsePractitionerRoleId } from '../../platform/fhir/uuid.js';
import type { DirectoryFacilityPage } from '../../contracts/directory.js';
import { healthcareServiceOf, organizationOf, practitionerOf, practitionerRoleId, practitionerRoleOf, scheduleOf, slotOf } from './fhir.js';
import * as repo from './fhir-directory.repo.js';
import type { DirectoryCache } from './directory-cache.js';

type Json = Record<string, unknown>;

/** The directory's resource types at `/fhir/R4` (public, no sign-in: Art. 15, R-TM-32). */
export const DIRECTORY_TYPES = ['Organization', 'HealthcareService', 'Practitioner', 'PractitionerRole', 'Schedule', 'Slot'] as const;
export type DirectoryResourceType = (typeof DIRECTORY_TYPES)[number];

/** Parsed search criteria, all ANDed; what each type honours is listed in docs/fhir.md#directory. */
export interface DirectoryCriteria {
  id?: string;
  /** Organization: `address-city` (starts with). */
  city?: string;
  /** Organization: `name` (contains). */
  name?: string;
  /** Organization: `identifier` (РЗИ number). */
  number?: string;
  /** CL006 code: `specialty`. */
  specialty?: string;
  /** Service kind: `service-type`. */
  kind?: string;
  /** `organization` of HealthcareService / PractitionerRole. */
  organizationId?: string;
  /** `practitioner` of PractitionerRole. */
  practitionerId?: string;
  /** `service` of PractitionerRole. */
  serviceId?: string;
  /** Slot: `schedule`. */
  scheduleId?: string;
  /** Slot `schedule.actor`, Schedule `actor`. */
  actor?: { type: 'PractitionerRole' | 'Practitioner' | 'HealthcareService'; id: string };
  /** Slot `start` bounds. */
  after?: { at: Date; inclusive: boolean };
  before?: { at: Date; inclusive: boolean };
  /** Slot `status`: only free slots are published, so any other status matches nothing. */
  onlyNonFree?: boolean;
}

/** How many facilities are read per round while collecting a page of non-Slot resources. */
const FACILITY_BATCH = 25;

/**
 * The public directory as FHIR resources, for `/fhir/R4`: read by id and search with paging. Reuses the
 * facility page (so the same visibility rules hold) and the mappers of the directory Bundle.
 * @param deps - database and clock
 * @param directory - the facility page of the directory service
 * @returns the use cases
 */
export function createFhirDirectory(deps: { db: Db; clock: Clock; cache?: DirectoryCache }, directory: { getFacilityPage(id: string): Promise<DirectoryFacilityPage> }) {
  const now = () => toDate(deps.clock.now());
  const pageOrUndefined = async (id: string | undefined) => {
    if (!id) return undefined;
    try {
      return await directory.getFacilityPage(id);
    } catch (err) {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
  };

  /** Resources of one type from one facility page matching the criteria. */
  function fromPage(type: Exclude<DirectoryResourceType, 'Slot'>, page: DirectoryFacilityPage, c: DirectoryCriteria): Json[] {
    const actorRole = c.actor?.type === 'PractitionerRole' ? parsePractitionerRoleId(c.actor.id) : undefined;
    switch (type) {
      case 'Organization':
        return [organizationOf(page)];
      case 'HealthcareService':
        return page.services.filter((s) => (!c.id || s.id === c.id) && (!c.specialty || s.specialtyCode === c.specialty) && (!c.kind || s.kindCode === c.kind)).map((s) => healthcareServiceOf(page, s));
      case 'Practitioner':
        return page.specialists.filter((p) => !c.id || p.id === c.id).map(practitionerOf);
      case 'PractitionerRole':
        return page.specialists
          .filter((p) => (!c.id || practitionerRoleId(page.id, p.id) === c.id) && (!c.practitionerId || p.id === c.practitionerId) && (!c.specialty || p.specialtyCodes.includes(c.specialty)) && (!c.serviceId || p.services.some((s) => s.serviceId === c.serviceId)))
          .map((p) => practitionerRoleOf(page, p));
      case 'Schedule':
        return page.schedules
          .filter((s) => {
            const svc = page.services.find((x) => x.id === s.serviceId);
            if (c.id && s.id !== c.id) return false;
            if (c.specialty && svc?.specialtyCode !== c.specialty) return false;
            if (c.kind && svc?.kindCode !== c.kind) return false;
            if (c.actor?.type === 'HealthcareService' && s.serviceId !== c.actor.id) return false;
            if (c.actor?.type === 'Practitioner' && s.practitionerId !== c.actor.id) return false;
            if (c.actor?.type === 'PractitionerRole' && (!actorRole || actorRole.facilityId !== page.id || actorRole.practitionerId !== s.practitionerId)) return false;
            return true;
          })
          .map((s) => scheduleOf(page, s));
    }
  }

  const fhirDirectory = {
    /**
     * One public resource by id.
     * @param type - the resource type
     * @param id - its id
     * @returns the resource
     * @throws {NotFoundError} when it does not exist or is not public
     */
    async read(type: DirectoryResourceType, id: string): Promise<Json> {
      const { resources } = await fhirDirectory.search(type, { id }, 1, 0);
      const found = resources[0];
      if (!found) throw new NotFoundError(type, id);
      return found;
    },

    /**
     * A page of public resources of one type matching the criteria.
     * @param type - the resource type
     * @param c - the criteria
     * @param count - page size
     * @param offset - resources to skip
     * @returns the page and whether another follows
     */
    async search(type: DirectoryResourceType, c: DirectoryCriteria, count: number, offset: number): Promise<{ resources: Json[]; hasMore: boolean }> {
      const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
      // Security: ids are uuids; anything else cannot exist, and must not reach a ::uuid cast.
      for (const v of [c.id && type !== 'PractitionerRole' ? c.id : undefined, c.organizationId, c.practitionerId, c.serviceId, c.scheduleId, c.actor && c.actor.type !== 'PractitionerRole' ? c.actor.id : undefined]) {
        if (v !== undefined && !UUID.test(v)) return { resources: [], hasMore: false };
      }
      const role = c.actor?.type === 'PractitionerRole' ? parsePractitionerRoleId(c.actor.id) : undefined;
      if (c.actor?.type === 'PractitionerRole' && !role) return { resources: [], hasMore: false };
      if (type === 'Slot') {
        if (c.onlyNonFree) return { resources: [], hasMore: false };
        const filters: repo.SlotFilters = {
          id: c.id,
          scheduleId: c.scheduleId,
          specialty: c.specialty,
          kind: c.kind,
          after: c.after,
          before: c.before,
          ...(role ? { facilityId: role.facilityId, practitionerId: role.practitionerId } : {}),
          ...(c.actor?.type === 'Practitioner' ? { practitionerId: c.actor.id } : {}),
          ...(c.actor?.type === 'HealthcareService' ? { serviceId: c.actor.id } : {}),
        };
        const compute = async () => {
          const rows = await repo.searchSlots(deps.db, filters, now(), count + 1, offset);
          const page = { resources: rows.slice(0, count).map((r) => slotOf({ id: r.id, scheduleId: r.schedule_id, start: r.start, end: r.end, kindCode: r.kind_code, specialtyCode: r.specialty_code })), hasMore: rows.length > count };
          // A listed slot that starts is past and must not be served from memory any more.
          const first = rows[0] ? Date.parse(rows[0].start) : undefined;
          return { page, validUntilMs: first };
        };
        if (!deps.cache) return (await compute()).page;
        // Performance: the same short-lived cache as /api/v1/directory/slots (directory-cache.ts): public
        // data, invalidated by this process's directory writes, at most its TTL stale across processes.
        const body = await deps.cache.get(`fhir:Slot:${JSON.stringify(filters)}:${count}:${offset}`, async () => {
          const { page, validUntilMs } = await compute();
          return { body: Buffer.from(JSON.stringify(page)), ...(validUntilMs !== undefined ? { validUntilMs } : {}) };
        });
        return JSON.parse(body.toString('utf8')) as { resources: Json[]; hasMore: boolean };
      }
      // Narrow the facilities in SQL first, then map and filter their pages.
      let facilityId = c.organizationId ?? role?.facilityId;
      if (type === 'Organization' && c.id) facilityId = c.id;
      if (type === 'PractitionerRole' && c.id) {
        const parsed = parsePractitionerRoleId(c.id);
        if (!parsed) return { resources: [], hasMore: false };
        facilityId = parsed.facilityId;
      }
      if ((type === 'HealthcareService' || type === 'Schedule') && c.id) {
        facilityId = await repo.facilityOf(deps.db, type === 'HealthcareService' ? 'service' : 'schedule', c.id);
        if (!facilityId) return { resources: [], hasMore: false };
      }
      const filters: repo.FacilityFilters = {
        id: facilityId,
        city: c.city,
        name: c.name,
        number: c.number,
        ...(type === 'Organization' || type === 'HealthcareService' || type === 'Schedule' ? { specialty: c.specialty, kind: c.kind } : {}),
        practitionerId: type === 'Practitioner' ? c.id : c.practitionerId,
      };
      const out: Json[] = [];
      const seen = new Set<string>();
      for (let batch = 0; out.length <= offset + count; batch += FACILITY_BATCH) {
        const ids = await repo.facilityIds(deps.db, filters, FACILITY_BATCH, batch);
        for (const id of ids) {
          const page = await pageOrUndefined(id);
          if (!page) continue;
          for (const r of fromPage(type, page, c)) {
            // A specialist listed at two facilities is one Practitioner.
            const key = `${String(r.resourceType)}/${String(r.id)}`;
            if (!seen.has(key)) {
              seen.add(key);
              out.push(r);
            }
          }
        }
        if (ids.length < FACILITY_BATCH) break;
      }
      return { resources: out.slice(offset, offset + count), hasMore: out.length > offset + count };
    },
  };
  return fhirDirectory;
}
export type FhirDirectory = ReturnType<typeof createFhirDirectory>;
