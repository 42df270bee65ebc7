import { z } from 'zod';

/**
 * What the NRA's insurance-status service (PIS) answers for a person and a date: insured (code 1),
 * interrupted rights with the months whose contributions are missing (code 2), or not found. No other
 * personal data comes back (R-NHIF-01; НРД 2006 чл. 137, ал. 2).
 */
export const InsuranceStatusSchema = z.enum(['insured', 'interrupted', 'not_found']);
export type InsuranceStatus = z.infer<typeof InsuranceStatusSchema>;

export const InsuranceQuerySchema = z.object({
  /** The date the status is asked for (local date); defaults to today in the platform's zone. */
  on: z.iso.date().optional(),
});
export type InsuranceQuery = z.infer<typeof InsuranceQuerySchema>;

export const InsuranceCheckSchema = z
  .object({
    patientId: z.uuid(),
    on: z.iso.date(),
    status: InsuranceStatusSchema,
    /** `YYYY-MM` months without contributions (interrupted rights only). */
    missingMonths: z.array(z.string().regex(/^\d{4}-\d{2}$/)),
    /** Whether the NHIF pays for care on that date (R-NHIF-01): only with continuous rights. */
    nhifPays: z.boolean(),
    /** When the registry answered (the cached answer keeps its time). */
    checkedAt: z.iso.datetime({ offset: true }),
    /** `registry` for a fresh round trip, `cache` for today's earlier answer. */
    source: z.enum(['registry', 'cache']),
  })
  .meta({ id: 'InsuranceCheck' });
export type InsuranceCheck = z.infer<typeof InsuranceCheckSchema>;
