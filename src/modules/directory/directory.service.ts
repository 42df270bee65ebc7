import type { z } from 'zod';
import type { Clock } from '../../platform/clock.js';
import { toDate } from '../../platform/clock.js';
import type { StatementRunner, Db } from '../../platform/db/index.js';
import { AppError, NotFoundError } from '../../platform/errors/app-error.js';
import type {
  DirectoryFacilityPage,
  DirectorySearchQuery,
  DirectorySearchResult,
  DirectorySlotList,
  DirectorySlotsQuery,
} from '../../contracts/directory.js';
import { DirectorySearchQuerySchema } from '../../contracts/directory.js';
import { isSafeWebUrl } from '../../contracts/registry.js';
import { facilityBundle } from './fhir.js';
import * as repo from './directory.repo.js';
import type { DirectoryCache } from './directory-cache.js';

const iso = (v: string | Date) => (v instanceof Date ? v : new Date(v)).toISOString();
const MAX_SLOT_WINDOW_DAYS = 31;
/**
 * Slot starts are whole minutes (rules are `HH:MM`, lengths whole minutes), so "starts at or after t" and
 * "starts before t" give the same slots for t and t rounded up to the minute: requests that differ only
 * in seconds (every browser sends its own `now`) share one cached answer.
 */
const ceilMinute = (ms: number) => Math.ceil(ms / 60_000) * 60_000;
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

/** The parsed search query (defaults applied), as the route's validation hands it over. */
export type DirectorySearchFilters = z.output<typeof DirectorySearchQuerySchema>;

/**
 * The public directory (Art. 15, R-TM-32): search, facility pages, free slots and the FHIR export. No
 * sign-in and no personal data of patients; reads are not audited (public data, nothing about a patient).
 * Performance: search and free slots run as named statements on the pool and their serialised answers
 * are kept briefly in `cache` (see directory-cache.ts for what invalidates them).
 * @param deps - database, its pool, clock and the answer cache
 * @returns the directory service
 */
export function createDirectoryService(deps: { db: Db; pool: StatementRunner; clock: Clock; cache: DirectoryCache }) {
  const service = {
    /**
     * Searches facilities by specialty, facility, settlement, region, name, mode and earliest free slot.
     * @param query - the filters
     * @returns a page of facilities (by name) with their earliest free slot
     */
    async searchFacilities(query: DirectorySearchQuery): Promise<DirectorySearchResult> {
      return JSON.parse((await service.searchFacilitiesJson(DirectorySearchQuerySchema.parse(query))).toString('utf8')) as DirectorySearchResult;
    },

    /**
     * The search answer as JSON (the route sends it as is). `freeBefore` has minute resolution.
     * @param f - the parsed filters
     * @returns the `DirectorySearchResult` body
     */
    async searchFacilitiesJson(f: DirectorySearchFilters): Promise<Buffer> {
      const freeBeforeMs = f.freeBefore === undefined ? undefined : ceilMinute(Date.parse(f.freeBefore));
      // The text filter goes last: it is the only part that may contain the separator.
      const key = `search|${f.specialty ?? ''}|${f.facilityId ?? ''}|${f.ekatte ?? ''}|${f.region ?? ''}|${f.mode ?? ''}|${freeBeforeMs ?? ''}|${f.limit}|${f.offset}|${f.q ?? ''}`;
      return deps.cache.get(key, async () => {
        const rows = await repo.searchFacilities(deps.pool, {
          ...f,
          freeBefore: freeBeforeMs === undefined ? undefined : new Date(freeBeforeMs),
          now: toDate(deps.clock.now()),
        });
        const result: DirectorySearchResult = {
          items: rows.slice(0, f.limit).map((r) => ({
            id: r.id,
            name: r.name,
            typeCode: r.type_code,
            settlement: r.settlement,
            ekatte: r.ekatte,
            regionCode: r.rhif_code,
            address: r.address,
            specialtyCodes: r.specialties ?? [],
            modes: (r.modes ?? []) as ('synchronous' | 'asynchronous')[],
            earliestFreeSlot: r.earliest,
          })),
          hasMore: rows.length > f.limit,
        };
        // Time: once the earliest slot shown (also of the row past the page) starts, the answer is outdated.
        let validUntilMs = Infinity;
        for (const r of rows) if (r.earliest) validUntilMs = Math.min(validUntilMs, Date.parse(r.earliest));
        return { body: json(result), validUntilMs };
      });
    },

    /**
     * Free future slots of one specialist for one service (advisory: the booking constraint decides).
     * @param query - specialist, service and a window of at most 31 days
     * @returns free slots in the window, from now on
     * @throws {AppError} `request.invalid` when the window is empty or too long
     */
    async listFreeSlots(query: DirectorySlotsQuery): Promise<DirectorySlotList> {
      return JSON.parse((await service.listFreeSlotsJson(query)).toString('utf8')) as DirectorySlotList;
    },

    /**
     * The free slots as JSON (the route sends it as is).
     * @param query - specialist, service and a window of at most 31 days
     * @returns the `DirectorySlotList` body
     * @throws {AppError} `request.invalid` when the window is empty or too long
     */
    async listFreeSlotsJson(query: DirectorySlotsQuery): Promise<Buffer> {
      const fromMs = Date.parse(query.from);
      const toMs = Date.parse(query.to);
      if (toMs <= fromMs) throw new AppError('request.invalid', { detail: '`to` must be after `from`', errors: [{ in: 'query', pointer: '#/to', detail: 'before from' }] });
      if (toMs - fromMs > MAX_SLOT_WINDOW_DAYS * 86_400_000) {
        throw new AppError('request.invalid', { detail: `The window is at most ${MAX_SLOT_WINDOW_DAYS} days`, errors: [{ in: 'query', pointer: '#/to', detail: 'window too long' }] });
      }
      // A window that starts in the past starts now; its answer depends on the time (see validUntilMs).
      const nowMs = deps.clock.now().epochMilliseconds;
      const startsLater = fromMs > nowMs ? ceilMinute(fromMs) : undefined;
      const until = ceilMinute(toMs);
      const key = `slots|${query.specialistId}|${query.serviceId}|${startsLater ?? 'now'}|${until}`;
      return deps.cache.get(key, async () => {
        const from = new Date(startsLater ?? deps.clock.now().epochMilliseconds);
        const rows = await repo.freeSlots(deps.pool, query.specialistId, query.serviceId, from, new Date(until), 1000);
        const result: DirectorySlotList = { items: rows.map((r) => ({ id: r.id, start: r.start, end: r.end })) };
        // Time: from the first listed start on, that slot is no longer in the future.
        const first = rows[0];
        return { body: json(result), validUntilMs: startsLater === undefined && first ? Date.parse(first.start) : undefined };
      });
    },

    /** Hit and miss counters of the answer cache (bench, tests). */
    cacheStats: () => deps.cache.stats(),

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
        // Security: values stored before URL fields were limited to https: are never published.
        website: f.website && isSafeWebUrl(f.website) ? f.website : null,
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
