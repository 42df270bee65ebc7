import { z } from 'zod';
import { Instant } from './common.js';
import { SERVICE_MODES } from './registry-reference.js';

// Contracts of the facility registry: facilities, certificates, specialists, published
// services, telemedicine centres and emergency contracts. Dates are ISO calendar dates (Europe/Sofia
// wall dates); instants are ISO 8601 strings with an offset (STYLE C3, C11).

const IsoDate = z.iso.date();
const Uuid = z.uuid();
const SpecialtyCode = z.string().regex(/^\d{4}$/);
const optionalText = (max: number) => z.string().trim().max(max).optional();

const LOCAL_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether a URL may be published as a link: `https:`, or `http:` on this machine (development).
 * Security: `javascript:`, `data:` and every other scheme would run or smuggle content in the page or in
 * a FHIR client that follows `Organization.telecom` (docs/access.md "Registry input").
 * @param value - the URL as stored or typed
 * @returns true when it is safe to publish
 */
export function isSafeWebUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname));
}

/** A web address the registry publishes: `https:` only (`http:` for localhost), at most 500 characters. */
export const WebUrlSchema = z
  .string()
  .trim()
  .max(500)
  .refine(isSafeWebUrl, { message: 'Use an https:// address' });

export const FacilityStatusSchema = z.enum(['active', 'suspended']);
export type FacilityStatus = z.infer<typeof FacilityStatusSchema>;

export const FacilityInputSchema = z.object({
  number: z.string().regex(/^\d{10}$/),
  name: z.string().trim().min(2).max(200),
  typeCode: z.string().min(1),
  rhifCode: z.string().regex(/^\d{2}$/),
  ekatte: z.string().regex(/^\d{5}$/).optional(),
  settlement: z.string().trim().min(1).max(100),
  address: z.string().trim().min(1).max(300),
  phone: z.string().trim().max(30).optional(),
  email: z.email().optional(),
  website: WebUrlSchema.optional(),
  description: optionalText(2000),
});
export type FacilityInput = z.infer<typeof FacilityInputSchema>;

/** A change to a facility's data; `version` is the one the editor saw (optimistic lock, STYLE C9). */
export const FacilityUpdateSchema = FacilityInputSchema.omit({ number: true })
  .partial()
  .extend({
    version: z.number().int().min(1),
    ekatte: z.string().regex(/^\d{5}$/).nullable().optional(),
    phone: z.string().trim().max(30).nullable().optional(),
    email: z.email().nullable().optional(),
    website: WebUrlSchema.nullable().optional(),
    maxWeeklyHoursPerSpecialist: z.number().int().min(1).max(168).optional(),
  });
export type FacilityUpdate = z.infer<typeof FacilityUpdateSchema>;

export const FacilityStatusChangeSchema = z.object({ status: FacilityStatusSchema, version: z.number().int().min(1) });
export type FacilityStatusChange = z.infer<typeof FacilityStatusChangeSchema>;

export const FacilitySchema = z
  .object({
    id: Uuid,
    number: z.string(),
    name: z.string(),
    typeCode: z.string(),
    rhifCode: z.string(),
    ekatte: z.string().nullable(),
    settlement: z.string(),
    address: z.string(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    website: z.string().nullable(),
    description: z.string(),
    status: FacilityStatusSchema,
    timeZone: z.string(),
    maxWeeklyHoursPerSpecialist: z.number().int(),
    version: z.number().int(),
    updatedAt: Instant,
  })
  .meta({ id: 'Facility' });
export type Facility = z.infer<typeof FacilitySchema>;
export const FacilityListSchema = z.object({ items: z.array(FacilitySchema) });

/**
 * The facility's entry in the NHIS database of telemedicine facilities (Art. 24, R-TM-34): what the NHIS
 * last acknowledged, and whether today's services and hours are what it holds.
 */
export const NhisRegistrationSchema = z
  .object({
    status: z.enum(['not_registered', 'pending', 'registered', 'deregistered', 'failed', 'refused']),
    /** True when the NHIS holds exactly what the facility publishes today. */
    upToDate: z.boolean(),
    reference: z.string().nullable(),
    acknowledgedAt: Instant.nullable(),
    lastAttemptAt: Instant.nullable(),
    /** Why the last attempt did not go through: `nhis_unavailable`, or the NHIS's refusal reason. */
    lastError: z.string().nullable(),
    services: z.number().int(),
    practitioners: z.number().int(),
  })
  .meta({ id: 'NhisRegistration' });
export type NhisRegistration = z.infer<typeof NhisRegistrationSchema>;

// ---- Certificates and technical documentation (Art. 25-26) ----

export const CertificateKindSchema = z.enum(['software', 'diagnostic_equipment', 'ict_equipment', 'infrastructure', 'ce_mark', 'other']);
export const CertificateInputSchema = z.object({
  kind: CertificateKindSchema,
  title: z.string().trim().min(2).max(300),
  issuer: z.string().trim().min(1).max(300),
  reference: z.string().trim().min(1).max(200),
  issuedOn: IsoDate,
  expiresOn: IsoDate.optional(),
});
export type CertificateInput = z.infer<typeof CertificateInputSchema>;
export const CertificateSchema = CertificateInputSchema.extend({
  id: Uuid,
  facilityId: Uuid,
  expiresOn: IsoDate.nullable(),
  /** Valid, expiring within 30 days, expired (past `expiresOn`, Europe/Sofia) or withdrawn. */
  state: z.enum(['valid', 'expiring', 'expired', 'withdrawn']),
  recordedAt: Instant,
}).meta({ id: 'FacilityCertificate' });
export type Certificate = z.infer<typeof CertificateSchema>;
export const CertificateListSchema = z.object({ items: z.array(CertificateSchema) });

// ---- Reference data ----

// Performance: in zod/mini, read by the directory's first load (registry-reference.ts).
export { FacilityTypeSchema, ReferenceDataSchema, RhifRegionSchema, ServiceKindSchema, SpecialtySchema } from './registry-reference.js';
export type { ReferenceData, Specialty } from './registry-reference.js';

// ---- Specialists (Art. 4(1), 15 item 3) ----

export const PractitionerInputSchema = z.object({
  uin: z.string().regex(/^\d{9,10}$/),
  givenName: z.string().trim().min(1).max(100),
  familyName: z.string().trim().min(1).max(100),
  specialtyCodes: z.array(SpecialtyCode).min(1),
  facilityIds: z.array(Uuid).min(1),
});
export type PractitionerInput = z.infer<typeof PractitionerInputSchema>;

export const PractitionerUpdateSchema = z.object({
  version: z.number().int().min(1),
  givenName: z.string().trim().min(1).max(100).optional(),
  familyName: z.string().trim().min(1).max(100).optional(),
  specialtyCodes: z.array(SpecialtyCode).min(1).optional(),
  active: z.boolean().optional(),
});
export type PractitionerUpdate = z.infer<typeof PractitionerUpdateSchema>;

/** Whether a specialist works for a facility and is listed there as a telemedicine provider. */
export const PractitionerRoleInputSchema = z.object({ active: z.boolean(), listed: z.boolean() });
export type PractitionerRoleInput = z.infer<typeof PractitionerRoleInputSchema>;

export const PractitionerSchema = z
  .object({
    id: Uuid,
    uin: z.string(),
    givenName: z.string(),
    familyName: z.string(),
    active: z.boolean(),
    specialtyCodes: z.array(z.string()),
    roles: z.array(z.object({ facilityId: Uuid, active: z.boolean(), listed: z.boolean() })),
    version: z.number().int(),
  })
  .meta({ id: 'Practitioner' });
export type Practitioner = z.infer<typeof PractitionerSchema>;
export const PractitionerListSchema = z.object({ items: z.array(PractitionerSchema) });

// ---- Published services (Art. 15 items 1-2) ----

/** Art. 14(4): with direct interaction (synchronous) or without (asynchronous). */
export const ServiceModeSchema = z.enum(SERVICE_MODES);
export type ServiceMode = z.infer<typeof ServiceModeSchema>;
export const ServiceStatusSchema = z.enum(['draft', 'published', 'withdrawn']);

export const ServiceInputSchema = z
  .object({
    specialtyCode: SpecialtyCode,
    kindCode: z.string().min(1).max(50),
    name: z.string().trim().min(2).max(200),
    description: z.string().trim().min(2).max(2000),
    mode: ServiceModeSchema,
    typicalMinutes: z.number().int().min(5).max(480),
    /** Price in euro cents; omit when the NHIF pays. */
    priceEurCents: z.number().int().min(0).max(100_000_00).optional(),
    nhifPaid: z.boolean().default(false),
  })
  .refine((s) => s.nhifPaid !== (s.priceEurCents !== undefined), {
    message: 'Give a price in EUR, or mark the service NHIF-paid (not both)',
    path: ['priceEurCents'],
  });
export type ServiceInput = z.input<typeof ServiceInputSchema>;

export const ServiceUpdateSchema = z.object({
  version: z.number().int().min(1),
  name: z.string().trim().min(2).max(200).optional(),
  description: z.string().trim().min(2).max(2000).optional(),
  typicalMinutes: z.number().int().min(5).max(480).optional(),
  priceEurCents: z.number().int().min(0).max(100_000_00).nullable().optional(),
  nhifPaid: z.boolean().optional(),
});
export type ServiceUpdate = z.infer<typeof ServiceUpdateSchema>;

export const ServiceSchema = z
  .object({
    id: Uuid,
    facilityId: Uuid,
    specialtyCode: z.string(),
    kindCode: z.string(),
    name: z.string(),
    description: z.string(),
    mode: ServiceModeSchema,
    typicalMinutes: z.number().int(),
    priceEurCents: z.number().int().nullable(),
    nhifPaid: z.boolean(),
    status: ServiceStatusSchema,
    publishedAt: Instant.nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'FacilityService' });
export type Service = z.infer<typeof ServiceSchema>;
export const ServiceListSchema = z.object({ items: z.array(ServiceSchema) });

export const VersionBodySchema = z.object({ version: z.number().int().min(1) });

// ---- Telemedicine centres (Art. 5) ----

export const CentreInputSchema = z.object({
  name: z.string().trim().min(2).max(200),
  contractReference: z.string().trim().min(1).max(200).optional(),
  contractSignedOn: IsoDate.optional(),
  /** The functional head who coordinates the members (Art. 5(4) item 1). */
  headName: z.string().trim().min(2).max(200).optional(),
  headPractitionerId: Uuid.optional(),
});
export type CentreInput = z.infer<typeof CentreInputSchema>;
export const CentreUpdateSchema = CentreInputSchema.partial().extend({ version: z.number().int().min(1) });
export type CentreUpdate = z.infer<typeof CentreUpdateSchema>;

export const CentreMemberInputSchema = z.object({
  facilityId: Uuid,
  /** This facility's rights and obligations under the contract (Art. 5(4) item 2). */
  rightsObligations: z.string().trim().max(5000).default(''),
  /** Structures and specialties it contributes (Art. 5(4) item 3). */
  structures: z.array(z.object({ structure: z.string().trim().min(2).max(200), specialtyCode: SpecialtyCode })).max(100).default([]),
});
export type CentreMemberInput = z.input<typeof CentreMemberInputSchema>;

export const CentreSchema = z
  .object({
    id: Uuid,
    name: z.string(),
    status: z.enum(['draft', 'active', 'suspended']),
    contractReference: z.string().nullable(),
    contractSignedOn: IsoDate.nullable(),
    headName: z.string().nullable(),
    headPractitionerId: Uuid.nullable(),
    activatedAt: Instant.nullable(),
    members: z.array(
      z.object({
        facilityId: Uuid,
        rightsObligations: z.string(),
        structures: z.array(z.object({ structure: z.string(), specialtyCode: z.string() })),
      }),
    ),
    /** What is still missing before the centre can be activated (R-TM-21); empty when complete. */
    missing: z.array(z.string()),
    version: z.number().int(),
  })
  .meta({ id: 'TelemedicineCentre' });
export type Centre = z.infer<typeof CentreSchema>;
export const CentreListSchema = z.object({ items: z.array(CentreSchema) });

// ---- Emergency contracts (Art. 14(3)) ----

export const EmergencyContractInputSchema = z
  .object({
    requesterFacilityId: Uuid,
    providerFacilityId: Uuid,
    reference: z.string().trim().min(1).max(200),
    specialtyCodes: z.array(SpecialtyCode).min(1),
    validFrom: IsoDate,
    validTo: IsoDate.optional(),
  })
  .refine((c) => c.requesterFacilityId !== c.providerFacilityId, { message: 'A facility cannot contract with itself', path: ['providerFacilityId'] })
  .refine((c) => !c.validTo || c.validTo >= c.validFrom, { message: 'validTo is before validFrom', path: ['validTo'] });
export type EmergencyContractInput = z.infer<typeof EmergencyContractInputSchema>;

export const EmergencyContractSchema = z
  .object({
    id: Uuid,
    requesterFacilityId: Uuid,
    providerFacilityId: Uuid,
    reference: z.string(),
    specialtyCodes: z.array(z.string()),
    validFrom: IsoDate,
    validTo: IsoDate.nullable(),
    status: z.enum(['active', 'terminated']),
    version: z.number().int(),
  })
  .meta({ id: 'EmergencyContract' });
export type EmergencyContract = z.infer<typeof EmergencyContractSchema>;
export const EmergencyContractListSchema = z.object({ items: z.array(EmergencyContractSchema) });

export const IdParamsSchema = z.object({ id: Uuid });
export const FacilityChildParamsSchema = z.object({ id: Uuid, childId: Uuid });
