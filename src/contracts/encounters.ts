import { z } from 'zod';
import { Instant } from './common.js';
import { safeText } from './text.js';

/**
 * An encounter (FHIR Encounter): a remote consultation of this platform, or a visit the practice records
 * in person, by phone or at home. Referrals, prescriptions, sick leave and fees are issued on one.
 */
export const EncounterKindSchema = z.enum(['remote', 'in_person', 'phone', 'home_visit']);
export type EncounterKind = z.infer<typeof EncounterKindSchema>;

export const EncounterSchema = z
  .object({
    id: z.uuid(),
    patientId: z.uuid(),
    facilityId: z.uuid(),
    practitionerId: z.uuid(),
    kind: EncounterKindSchema,
    consultationId: z.uuid().nullable(),
    requestId: z.uuid().nullable(),
    /** NHIF-paid (the user fee applies) or paid by the patient. */
    nhifPaid: z.boolean(),
    /** Remote only: the specialist recorded that the condition can be assessed at a distance (Art. 9, Art. 7(1) item 4). */
    remoteAssessable: z.boolean().nullable(),
    startedAt: Instant,
    endedAt: Instant.nullable(),
    reason: z.string().nullable(),
  })
  .meta({ id: 'Encounter' });
export type Encounter = z.infer<typeof EncounterSchema>;

export const RecordVisitBodySchema = z
  .object({
    facilityId: z.uuid(),
    patientId: z.uuid(),
    practitionerId: z.uuid(),
    kind: z.enum(['in_person', 'phone', 'home_visit']),
    startedAt: Instant,
    endedAt: Instant.optional(),
    nhifPaid: z.boolean(),
    reason: safeText(z.string().trim().min(1).max(500)).optional(),
  })
  .meta({ id: 'RecordVisitBody' });
export type RecordVisitBody = z.infer<typeof RecordVisitBodySchema>;

export const EncounterListSchema = z.object({ items: z.array(EncounterSchema) }).meta({ id: 'EncounterList' });
