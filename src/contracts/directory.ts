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

// Performance: what the directory page reads on its first load is in zod/mini (directory-public.ts).
export {
  DirectoryFacilityPageSchema,
  DirectoryFacilitySummarySchema,
  DirectoryScheduleSchema,
  DirectorySearchResultSchema,
  DirectoryServiceSchema,
  DirectorySpecialistSchema,
} from './directory-public.js';
export type { DirectoryFacilityPage, DirectoryFacilitySummary, DirectorySearchResult } from './directory-public.js';

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
