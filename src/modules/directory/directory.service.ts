import type { Clock } from '../../platform/clock.js';
import { toDate } from '../../platform/clock.js';
import type { Db } from '../../platform/db/index.js';
import { AppError, NotFoundError } from '../../platform/errors/app-error.js';
import type {
  DirectoryFacilityPage,
  DirectorySearchQuery,
  DirectorySearchResult,
  DirectorySlotList,
  DirectorySlotsQuery,
} from '../../contracts/directory.js';
import { DirectorySearchQuerySchema } from '../../contracts/directory.js';
import { facilityBundle } from './fhir.js';
import * as repo from './directory.repo.js';

const iso = (v: string | Date) => (v instanceof Date ? v : new Date(v)).toISOString();
const MAX_SLOT_WINDOW_DAYS = 31;

/**
 * The public directory (Art. 15, R-TM-32): search, facility pages, free slots and the FHIR export. No
 * sign-in and no personal data of patients; reads are not audited (public data, nothing about a patient).
 * @param deps - database and clock
 * @returns the directory service
 */
export function createDirectoryService(deps: { db: Db; clock: Clock }) {
  const service = {
    /**
     * Searches facilities by specialty, facility, settlement, region, name, mode and earliest free slot.
     * @param query - the filters
     * @returns a page of facilities (by name) with their earliest free slot
     */
    async searchFacilities(query: DirectorySearchQuery): Promise<DirectorySearchResult> {
      const f = DirectorySearchQuerySchema.parse(query);
      const rows = await repo.searchFacilities(deps.db, {
        ...f,
        freeBefore: f.freeBefore ? new Date(f.freeBefore) : undefined,
        now: toDate(deps.clock.now()),
      });
      return {
        items: rows.slice(0, f.limit).map((r) => ({
          id: r.id,
          name: r.name,
          typeCode: r.type_code,
          settlement: r.settlement,
          ekatte: r.ekatte,
          regionCode: r.rhif_code,
          address: r.address,
          specialtyCodes: (r.specialties ?? []).map((c) => c.trim()),
          modes: (r.modes ?? []) as ('synchronous' | 'asynchronous')[],
          earliestFreeSlot: r.earliest ? iso(r.earliest) : null,
        })),
        hasMore: rows.length > f.limit,
      };
    },

    /**
     * Free future slots of one specialist for one service (advisory: the booking constraint decides).
     * @param query - specialist, service and a window of at most 31 days
     * @returns free slots in the window, from now on
     * @throws {AppError} `request.invalid` when the window is empty or too long
     */
    async listFreeSlots(query: DirectorySlotsQuery): Promise<DirectorySlotList> {
      const now = deps.clock.now();
      const from = new Date(Math.max(Date.parse(query.from), now.epochMilliseconds));
      const to = new Date(query.to);
      if (to.getTime() <= Date.parse(query.from)) throw new AppError('request.invalid', { detail: '`to` must be after `from`', errors: [{ in: 'query', pointer: '#/to', detail: 'before from' }] });
      if (to.getTime() - Date.parse(query.from) > MAX_SLOT_WINDOW_DAYS * 86_400_000) {
        throw new AppError('request.invalid', { detail: `The window is at most ${MAX_SLOT_WINDOW_DAYS} days`, errors: [{ in: 'query', pointer: '#/to', detail: 'window too long' }] });
      }
      const rows = await repo.freeSlots(deps.db, query.specialistId, query.serviceId, from, to, 1000);
      return { items: rows.map((r) => ({ id: r.id, start: iso(r.start), end: iso(r.end) })) };
    },

    /**
     * A facility's public page with everything Art. 15 requires it to publish.
     * @param id - facility id
     * @returns the page
     * @throws {NotFoundError} when the facility is unknown, suspended or ineligible
     */
    async getFacilityPage(id: string): Promise<DirectoryFacilityPage> {
      const p = await repo.facilityPage(deps.db, id, toDate(deps.clock.now()));
      if (!p) throw new NotFoundError('facility', id);
      const servicesBySpecialist = new Map<string, { serviceId: string; earliestFreeSlot: string | null }[]>();
      for (const s of p.schedules) {
        servicesBySpecialist.set(s.practitioner_id, [...(servicesBySpecialist.get(s.practitioner_id) ?? []), { serviceId: s.service_id, earliestFreeSlot: s.earliest ? iso(s.earliest) : null }]);
      }
      const f = p.facility;
      return {
        id: f.id,
        name: f.name,
        number: f.number,
        typeCode: f.type_code,
        settlement: f.settlement,
        ekatte: f.ekatte,
        regionCode: f.rhif_code,
        address: f.address,
        phone: f.phone,
        email: f.email,
        website: f.website,
        description: f.description,
        timeZone: f.time_zone,
        centres: p.centres,
        services: p.services.map((s) => ({
          id: s.id,
          name: s.name,
          description: s.description,
          specialtyCode: s.specialty_code.trim(),
          kindCode: s.kind_code,
          mode: s.mode,
          typicalMinutes: Number(s.typical_minutes),
          priceEurCents: s.price_eur_cents === null ? null : Number(s.price_eur_cents),
          nhifPaid: s.nhif_paid,
        })),
        specialists: p.specialists.map((s) => ({
          id: s.id,
          givenName: s.given_name,
          familyName: s.family_name,
          specialtyCodes: (s.specialties ?? []).map((c) => c.trim()),
          services: servicesBySpecialist.get(s.id) ?? [],
        })),
        schedules: p.schedules.map((s) => ({
          id: s.id,
          practitionerId: s.practitioner_id,
          serviceId: s.service_id,
          timeZone: s.time_zone,
          validFrom: s.valid_from,
          validTo: s.valid_to,
          rules: (s.rules ?? []).map((r) => ({ weekday: Number(r.weekday), start: r.start, end: r.end })),
        })),
      };
    },

    /**
     * The facility's register entry as a FHIR R4 Bundle with free slots of the next 14 days.
     * @param id - facility id
     * @param baseUrl - base for `fullUrl`s
     * @returns the Bundle
     */
    async getFacilityFhir(id: string, baseUrl: string): Promise<Record<string, unknown>> {
      const page = await service.getFacilityPage(id);
      const now = deps.clock.now();
      const slots = await repo.facilitySlots(deps.db, id, toDate(now), toDate(now.add({ hours: 24 * 14 })));
      const published = new Set(page.schedules.map((s) => s.id));
      return facilityBundle(
        page,
        slots.filter((s) => published.has(s.schedule_id)).map((s) => ({ id: s.id, scheduleId: s.schedule_id, start: iso(s.start), end: iso(s.end) })),
        baseUrl,
      );
    },
  };
  return service;
}
export type DirectoryService = ReturnType<typeof createDirectoryService>;
