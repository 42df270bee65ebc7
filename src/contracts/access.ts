import { z } from 'zod';
import { Instant } from './common.js';

// Access control (docs/access.md): grants (Art. 28(4)), representative links (Health Act Art. 87),
// supervision cases (Art. 21). Shared by the server routes and the web client.


/** How an actor came to see a patient's data; shown to the patient in the access log. */
export const AccessBasisSchema = z.enum([
  'self', // the patient
  'representative', // a parent, guardian or curator linked to the patient
  'care', // a specialist with an active request or consultation (Art. 13)
  'grant', // a person the patient named (Art. 28(4))
  'supervision', // the supervisory agency inside an opened case (Art. 21)
  'facility_system', // a facility's registered system, for patients under care there (its own records only)
]);
export type AccessBasis = z.infer<typeof AccessBasisSchema>;

export const PatientIdParamsSchema = z.object({ patientId: z.uuid() });
export const AccessIdParamsSchema = z.object({ id: z.uuid() });

/** Where a grant stands now (computed from its instants). */
export const AccessGrantStatusSchema = z.enum(['active', 'expired', 'revoked']);
export type AccessGrantStatus = z.infer<typeof AccessGrantStatusSchema>;

export const AccessGrantSchema = z
  .object({
    id: z.uuid(),
    patientId: z.uuid(),
    grantee: z.object({
      accountId: z.uuid(),
      email: z.string(),
      role: z.string(),
      /** A practitioner's public name, when the grantee is a specialist. */
      displayName: z.string().nullable(),
    }),
    scope: z.literal('read'),
    purpose: z.string(),
    validFrom: Instant,
    validUntil: Instant.nullable(),
    revokedAt: Instant.nullable(),
    status: AccessGrantStatusSchema,
  })
  .meta({ id: 'AccessGrant' });
export type AccessGrant = z.infer<typeof AccessGrantSchema>;

export const AccessGrantListSchema = z.object({ items: z.array(AccessGrantSchema) });
export type AccessGrantList = z.infer<typeof AccessGrantListSchema>;

export const CreateAccessGrantBodySchema = z.object({
  /** The account e-mail of the person to let in. */
  granteeEmail: z.email().max(320),
  /** Why, in the patient's words; stored encrypted. */
  purpose: z.string().trim().min(1).max(300),
  /** Optional end; without it the grant lasts until revoked. */
  validUntil: Instant.optional(),
});
export type CreateAccessGrantBody = z.infer<typeof CreateAccessGrantBodySchema>;

/** A patient whose data someone shared with the signed-in account. */
export const SharedPatientSchema = z.object({
  grantId: z.uuid(),
  patientId: z.uuid(),
  purpose: z.string(),
  validUntil: Instant.nullable(),
});
export const SharedPatientListSchema = z.object({ items: z.array(SharedPatientSchema) });
export type SharedPatientList = z.infer<typeof SharedPatientListSchema>;

/** A patient the signed-in account may act for: themself, or a linked patient. */
export const ActingForSchema = z.object({
  patientId: z.uuid(),
  basis: z.enum(['self', 'representative']),
  linkId: z.uuid().nullable(),
  givenName: z.string(),
  familyName: z.string(),
});
export const ActingForListSchema = z.object({ items: z.array(ActingForSchema) });
export type ActingForList = z.infer<typeof ActingForListSchema>;
export type ActingFor = z.infer<typeof ActingForSchema>;

export const RepresentationBasisSchema = z.enum(['parent', 'guardian', 'curator']);

export const RepresentativeLinkSchema = z
  .object({
    id: z.uuid(),
    representativeAccountId: z.uuid(),
    patientId: z.uuid(),
    basis: RepresentationBasisSchema,
    documentRef: z.string(),
    facilityId: z.uuid(),
    validFrom: Instant,
    validUntil: Instant.nullable(),
    endedAt: Instant.nullable(),
  })
  .meta({ id: 'RepresentativeLink' });
export type RepresentativeLink = z.infer<typeof RepresentativeLinkSchema>;
export const RepresentativeLinkListSchema = z.object({ items: z.array(RepresentativeLinkSchema) });

export const CreateRepresentativeLinkBodySchema = z.object({
  /** The facility whose administrator checked the documents. */
  facilityId: z.uuid(),
  representativeEmail: z.email().max(320),
  patientIdentifierKind: z.enum(['egn', 'lnch', 'passport', 'other']),
  patientIdentifier: z.string().trim().min(5).max(20),
  basis: RepresentationBasisSchema,
  /** The document checked, e.g. a birth certificate or court decision number and date. */
  documentRef: z.string().trim().min(3).max(200),
  validUntil: Instant.optional(),
});
export type CreateRepresentativeLinkBody = z.infer<typeof CreateRepresentativeLinkBodySchema>;

export const FacilityQuerySchema = z.object({ facilityId: z.uuid() });

export const SupervisionCaseSchema = z
  .object({
    id: z.uuid(),
    /** The facility inspected: the case reaches only the care given there (Art. 21). */
    facilityId: z.uuid(),
    patientId: z.uuid().nullable(),
    /** The inspection order number or other legal act the case acts under. */
    legalBasis: z.string(),
    openedAt: Instant,
    closedAt: Instant.nullable(),
  })
  .meta({ id: 'SupervisionCase' });
export type SupervisionCase = z.infer<typeof SupervisionCaseSchema>;
export const SupervisionCaseListSchema = z.object({ items: z.array(SupervisionCaseSchema) });
export type SupervisionCaseList = z.infer<typeof SupervisionCaseListSchema>;

export const OpenSupervisionCaseBodySchema = z.object({
  /** The facility inspected. */
  facilityId: z.uuid(),
  /** One patient of that facility; without it the case covers the patients the facility cared for. */
  patientId: z.uuid().optional(),
  /** The legal basis: the inspection order number (e.g. "Заповед № РД-09-123/2026"). */
  legalBasis: z.string().trim().min(3).max(200),
  /** The complaint or inspection order; stored encrypted. */
  reason: z.string().trim().min(3).max(500),
});
export type OpenSupervisionCaseBody = z.infer<typeof OpenSupervisionCaseBodySchema>;
