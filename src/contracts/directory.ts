import { z } from 'zod';
import { Instant } from './common.js';
import { ServiceModeSchema } from './registry.js';
import { SlotSchema } from './scheduling.js';

// The public directory (Art. 15, R-TM-32): no sign-in, no personal data of patients. What it
// shows is exactly what a facility must publish: services, specialties, specialists and schedules.


export const DirectorySearchQuerySchema = z.object({
  /** CL006 specialty code. */
  specialty: z.string().regex(/^\d{4}$/).optional(),
  facilityId: z.uuid().optional(),
  /** EKATTE code of the settlement. */
  ekatte: z.string().regex(/^\d{5}$/).optional(),
  /** RHIF (РЗОК) region code. */
  region: z.string().regex(/^\d{2}$/).optional(),
  /** Part of a facility's or a specialist's name. */
  q: z.string().trim().min(2).max(100).optional(),
  mode: ServiceModeSchema.optional(),
  /** Only facilities with a free slot before this instant (e.g. the end of this week). */
  freeBefore: Instant.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  offset: z.coerce.number().int().min(0).max(10_000).default(0),
});
export type DirectorySearchQuery = z.input<typeof DirectorySearchQuerySchema>;

export const DirectoryFacilitySummarySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    typeCode: z.string(),
    settlement: z.string(),
    ekatte: z.string().nullable(),
    regionCode: z.string(),
    address: z.string(),
    specialtyCodes: z.array(z.string()),
    modes: z.array(ServiceModeSchema),
    /** Earliest free slot from now, for the searched specialty if one was given. */
    earliestFreeSlot: Instant.nullable(),
  })
  .meta({ id: 'DirectoryFacilitySummary' });
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
  mode: ServiceModeSchema,
  typicalMinutes: z.number().int(),
  priceEurCents: z.number().int().nullable(),
  nhifPaid: z.boolean(),
});

export const DirectorySpecialistSchema = z.object({
  id: z.uuid(),
  givenName: z.string(),
  familyName: z.string(),
  specialtyCodes: z.array(z.string()),
  /** Services this specialist has a schedule for, with the earliest free slot of each. */
  services: z.array(z.object({ serviceId: z.uuid(), earliestFreeSlot: Instant.nullable() })),
});

/** Art. 15 item 4: the published weekly schedule, in wall time of the facility's zone. */
export const DirectoryScheduleSchema = z.object({
  id: z.uuid(),
  practitionerId: z.uuid(),
  serviceId: z.uuid(),
  timeZone: z.string(),
  validFrom: z.iso.date(),
  validTo: z.iso.date().nullable(),
  rules: z.array(z.object({ weekday: z.number().int(), start: z.string(), end: z.string() })),
});

/** A facility's public page: everything Art. 15 requires it to publish. */
export const DirectoryFacilityPageSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    number: z.string(),
    typeCode: z.string(),
    settlement: z.string(),
    ekatte: z.string().nullable(),
    regionCode: z.string(),
    address: z.string(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    website: z.string().nullable(),
    description: z.string(),
    timeZone: z.string(),
    centres: z.array(z.object({ id: z.uuid(), name: z.string() })),
    services: z.array(DirectoryServiceSchema),
    specialists: z.array(DirectorySpecialistSchema),
    schedules: z.array(DirectoryScheduleSchema),
  })
  .meta({ id: 'DirectoryFacilityPage' });
export type DirectoryFacilityPage = z.infer<typeof DirectoryFacilityPageSchema>;

export const DirectorySlotsQuerySchema = z.object({
  specialistId: z.uuid(),
  serviceId: z.uuid(),
  from: Instant,
  to: Instant,
});
export type DirectorySlotsQuery = z.infer<typeof DirectorySlotsQuerySchema>;

export const PublicSlotSchema = SlotSchema.pick({ id: true, start: true, end: true });
export const DirectorySlotListSchema = z.object({ items: z.array(PublicSlotSchema) });
export type DirectorySlotList = z.infer<typeof DirectorySlotListSchema>;

/** A FHIR R4 resource or Bundle, as JSON (validated by the mapper's tests, opaque here). */
export const FhirJsonSchema = z.record(z.string(), z.unknown());
