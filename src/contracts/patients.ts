import { z } from 'zod';

export const IdentifierKindSchema = z.enum(['egn', 'lnch', 'passport', 'other']);
export type IdentifierKind = z.infer<typeof IdentifierKindSchema>;

/** What identifies a patient. Stored only encrypted (docs/decisions.md#d13). */
export const PatientDemographicsSchema = z.object({
  identifierKind: IdentifierKindSchema,
  identifier: z.string().trim().min(5).max(20),
  givenName: z.string().trim().min(1).max(100),
  middleName: z.string().trim().max(100).optional(),
  familyName: z.string().trim().min(1).max(100),
  birthDate: z.iso.date(),
  sex: z.enum(['male', 'female', 'other', 'unknown']),
  phone: z.string().trim().max(30).optional(),
  email: z.email().optional(),
  /** Foreigners: country of citizenship (ISO 3166-1 alpha-2). */
  citizenship: z.string().length(2).optional(),
});
export type PatientDemographics = z.infer<typeof PatientDemographicsSchema>;

export const PatientSchema = PatientDemographicsSchema.extend({ id: z.uuid() }).meta({ id: 'Patient' });
export type Patient = z.infer<typeof PatientSchema>;
