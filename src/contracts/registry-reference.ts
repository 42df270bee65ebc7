import * as z from 'zod/mini';

// The registry's reference data (facility types, CL006 specialties, RHIF regions, service kinds), read
// by the public directory's search form on its first load. Performance: written with `zod/mini`, so the
// directory's first load validates it without the whole of zod (≈ 90 kB; bench/README.md, first load and
// LCP). The server uses it as any other contract (fastify-type-provider-zod accepts both forms); the
// other contracts may embed these schemas but not call methods on them (mini schemas have none).

/** Art. 14(4): with direct interaction (synchronous) or without (asynchronous). */
export const SERVICE_MODES = ['synchronous', 'asynchronous'] as const;

export const FacilityTypeSchema = z.object({ code: z.string(), nameBg: z.string(), nameEn: z.string(), legalBasis: z.string(), eligible: z.boolean() });
export const SpecialtySchema = z.object({ code: z.string(), nhifCode: z.nullable(z.string()), nameBg: z.string(), nameEn: z.string(), dental: z.boolean() });
export type Specialty = z.infer<typeof SpecialtySchema>;
export const RhifRegionSchema = z.object({ code: z.string(), oblast: z.string(), nameBg: z.string(), nameEn: z.string() });
export const ServiceKindSchema = z.object({
  code: z.string(),
  nameBg: z.string(),
  nameEn: z.string(),
  allowedForDental: z.boolean(),
  prohibitedRule: z.nullable(z.string()),
});
export const ReferenceDataSchema = z
  .object({
    facilityTypes: z.array(FacilityTypeSchema),
    specialties: z.array(SpecialtySchema),
    regions: z.array(RhifRegionSchema),
    serviceKinds: z.array(ServiceKindSchema),
  })
  .register(z.globalRegistry, { id: 'RegistryReferenceData' });
export type ReferenceData = z.infer<typeof ReferenceDataSchema>;
