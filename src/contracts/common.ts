import { z } from 'zod';

// Shapes every contract shares (STYLE C3, C11): one declaration each, imported by the domain contracts.

/** A date-time on the wire: ISO 8601 with an offset, never a Date object (STYLE C11). */
export const Instant = z.iso.datetime({ offset: true });

/** Path parameters `:id` as a UUID. */
export const IdParamsSchema = z.object({ id: z.uuid() });
export type IdParams = z.infer<typeof IdParamsSchema>;

/** The Art. 7 checklist: each is the specialist's confirmation that the condition holds. */
export const Art7ChecklistSchema = z.object({
  noRiskToLifeOrHealth: z.boolean(), // Art. 7(1) item 1
  qualityAndSafetyAssured: z.boolean(), // Art. 7(1) item 2
  notDentalExceptImaging: z.boolean(), // Art. 7(1) item 3
  noDirectContactNeeded: z.boolean(), // Art. 7(1) item 4
  requesterIdentityVerifiable: z.boolean(), // Art. 7(1) item 5
  notConductingBirth: z.boolean(), // Art. 7(2)
  notEstablishingDeath: z.boolean(), // Art. 7(3)
});
export type Art7Checklist = z.infer<typeof Art7ChecklistSchema>;

/**
 * Art. 7 with every condition for care at a distance confirmed (R-TM-10..14): what the specialist ticks
 * when accepting a request. Used by the demo seeding and tests; a real decision comes from the form.
 */
export const ART7_CHECKLIST_ALL_MET: Art7Checklist = Object.freeze({
  noRiskToLifeOrHealth: true,
  qualityAndSafetyAssured: true,
  notDentalExceptImaging: true,
  noDirectContactNeeded: true,
  requesterIdentityVerifiable: true,
  notConductingBirth: true,
  notEstablishingDeath: true,
});
