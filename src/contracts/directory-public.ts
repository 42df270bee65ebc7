import * as z from 'zod/mini';
import { SERVICE_MODES } from './registry-reference.js';

// The public directory's answers that its search page reads on the first load (Art. 15, R-TM-32): the
// search result and each facility's public page. Performance: written with `zod/mini`, so that load
// validates them without the whole of zod (bench/README.md, first load and LCP). `directory.ts`, with the
// rest of the directory's contracts, re-exports these; other contracts may embed them but not call methods
// on them (mini schemas have none).

/** The same instant as `common.ts`'s `Instant` (ISO 8601 with an offset); a test keeps the two equal. */
export const InstantMini = z.iso.datetime({ offset: true });

export const DirectoryFacilitySummarySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    typeCode: z.string(),
    settlement: z.string(),
    ekatte: z.nullable(z.string()),
    regionCode: z.string(),
    address: z.string(),
    specialtyCodes: z.array(z.string()),
    modes: z.array(z.enum(SERVICE_MODES)),
    /** Earliest free slot from now, for the searched specialty if one was given. */
    earliestFreeSlot: z.nullable(InstantMini),
  })
  .register(z.globalRegistry, { id: 'DirectoryFacilitySummary' });
export type DirectoryFacilitySummary = z.infer<typeof DirectoryFacilitySummarySchema>;

export const DirectorySearchResultSchema = z.object({
  items: z.array(DirectoryFacilitySummarySchema),
  /** Whether another page exists after this one. */
  hasMore: z.boolean(),
});
export type DirectorySearchResult = z.infer<typeof DirectorySearchResultSchema>;

export const DirectoryServiceSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  specialtyCode: z.string(),
  kindCode: z.string(),
  mode: z.enum(SERVICE_MODES),
  typicalMinutes: z.int(),
  priceEurCents: z.nullable(z.int()),
  nhifPaid: z.boolean(),
});

export const DirectorySpecialistSchema = z.object({
  id: z.uuid(),
  givenName: z.string(),
  familyName: z.string(),
  specialtyCodes: z.array(z.string()),
  /** Services this specialist has a schedule for, with the earliest free slot of each. */
  services: z.array(z.object({ serviceId: z.uuid(), earliestFreeSlot: z.nullable(InstantMini) })),
});

/** Art. 15 item 4: the published weekly schedule, in wall time of the facility's zone. */
export const DirectoryScheduleSchema = z.object({
  id: z.uuid(),
  practitionerId: z.uuid(),
  serviceId: z.uuid(),
  timeZone: z.string(),
  validFrom: z.iso.date(),
  validTo: z.nullable(z.iso.date()),
  rules: z.array(z.object({ weekday: z.int(), start: z.string(), end: z.string() })),
});

/** A facility's public page: everything Art. 15 requires it to publish. */
export const DirectoryFacilityPageSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    number: z.string(),
    typeCode: z.string(),
    settlement: z.string(),
    ekatte: z.nullable(z.string()),
    regionCode: z.string(),
    address: z.string(),
    phone: z.nullable(z.string()),
    email: z.nullable(z.string()),
    website: z.nullable(z.string()),
    description: z.string(),
    timeZone: z.string(),
    centres: z.array(z.object({ id: z.uuid(), name: z.string() })),
    services: z.array(DirectoryServiceSchema),
    specialists: z.array(DirectorySpecialistSchema),
    schedules: z.array(DirectoryScheduleSchema),
  })
  .register(z.globalRegistry, { id: 'DirectoryFacilityPage' });
export type DirectoryFacilityPage = z.infer<typeof DirectoryFacilityPageSchema>;
