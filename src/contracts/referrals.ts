import { z } from 'zod';

/**
 * Referrals (МЗ-НЗОК № 3, 3А, 4, 6, 7, МЗ 119а) and e-prescriptions issued from an encounter (§2.C, W13,
 * W14, W27). A document counts as issued when the NHIS acknowledges it with its НРН (`nrn`).
 */
export const ReferralFormSchema = z.enum(['3', '3A', '4', '6', '7', '119a']);
export const ReferralPurposeSchema = z.enum(['consultation', 'joint_treatment', 'tests', 'highly_specialised', 'hospitalisation', 'telk', 'sick_leave_extension', 'assistive_device_lkk', 'hospital_admission_tests', 'noi_rehabilitation']);
export const ReferralBasisSchema = z.enum(['clinical_need', 'patient_wish', 'ordered_elsewhere', 'relatives_or_media']);
export const NhisDocumentStatusSchema = z.enum(['pending', 'issued', 'rejected', 'cancelling', 'cancelled', 'superseded', 'used', 'dispensed']);

const Icd10 = z.string().regex(/^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/);
/** A fresh second factor (TOTP) confirms the signature, as for a consent. */
const StepUpCode = z.string().regex(/^\d{6}$/);

/** The encounter: a recorded visit, or the remote consultation by its request (exactly one). */
const oneEncounter = (b: { encounterId?: string | undefined; requestId?: string | undefined }) => Boolean(b.encounterId) !== Boolean(b.requestId);
const oneEncounterIssue = { message: 'Give encounterId or requestId', path: ['encounterId'] };

export const CreateReferralBodySchema = z
  .object({
    encounterId: z.uuid().optional(),
    requestId: z.uuid().optional(),
    form: ReferralFormSchema,
    purpose: ReferralPurposeSchema,
    basis: ReferralBasisSchema.default('clinical_need'),
    /** R-REF-10: the doctor judged it necessary on their own assessment. */
    independentlyJudgedNecessary: z.boolean().default(false),
    diagnosisCode: Icd10,
    /** The concrete request to the specialist (НРД 2006 R-39). */
    request: z.string().trim().min(3).max(2000),
    /** № 3 / № 3А: the specialty consulted (CL006). */
    specialtyCode: z.string().regex(/^\d{4}$/).optional(),
    /** № 4 / № 3А: activity or test codes. */
    activityCodes: z.array(z.string().trim().min(1).max(20)).max(10).optional(),
    /** № 7: the hospital and the clinical pathway. */
    hospitalFacilityId: z.uuid().optional(),
    clinicalPathway: z.string().trim().min(1).max(20).optional(),
    /** A correction: the referral this one replaces (a new signed version; the old is cancelled in the NHIS). */
    replacesId: z.uuid().optional(),
    code: StepUpCode,
  })
  .refine(oneEncounter, oneEncounterIssue)
  .meta({ id: 'CreateReferralBody' });
export type CreateReferralBody = z.infer<typeof CreateReferralBodySchema>;

export const BudgetSchema = z.object({
  form: ReferralFormSchema,
  quarterFrom: z.iso.date(),
  used: z.number().int(),
  limit: z.number().int().nullable(),
  remaining: z.number().int().nullable(),
  level: z.enum(['ok', 'warning', 'exhausted', 'none']),
});
export type Budget = z.infer<typeof BudgetSchema>;

export const ReferralSchema = z
  .object({
    id: z.uuid(),
    revision: z.number().int(),
    replacesId: z.uuid().nullable(),
    patientId: z.uuid(),
    encounterId: z.uuid(),
    /** The platform consultation it was issued in (DECISIONS 20), if remote. */
    consultationId: z.uuid().nullable(),
    form: ReferralFormSchema,
    purpose: ReferralPurposeSchema,
    status: NhisDocumentStatusSchema,
    issuedOn: z.iso.date(),
    /** Last day it can be used (R-REF-01/03/04/05); null when the source sets no limit. */
    validUntil: z.iso.date().nullable(),
    nrn: z.string().nullable(),
    diagnosisCode: z.string(),
    request: z.string(),
    specialtyCode: z.string().nullable(),
    activityCodes: z.array(z.string()),
    hospital: z.object({ facilityId: z.uuid(), clinicalPathway: z.string() }).nullable(),
    issuer: z.object({ practitionerId: z.uuid(), name: z.string(), uin: z.string(), facilityId: z.uuid(), facilityName: z.string() }),
    /** Where it can be used (W14), in words. */
    usableAt: z.string(),
    signature: z.object({ keyId: z.uuid(), signedAt: z.string(), contentSha256: z.string(), jws: z.string() }),
    nhisError: z.string().nullable(),
    usedAt: z.string().nullable(),
    /** R-REF-02: a used № 3's secondary examinations — the provider of its primary one and the last local day; absent otherwise. */
    followUp: z.object({ facilityId: z.uuid(), until: z.iso.date() }).optional(),
    /** The practice's quarter budget for this form when it was issued, shown to the doctor. */
    budget: BudgetSchema.optional(),
  })
  .meta({ id: 'Referral' });
export type Referral = z.infer<typeof ReferralSchema>;

export const ReferralListSchema = z.object({ items: z.array(ReferralSchema) }).meta({ id: 'ReferralList' });

export const CancelBodySchema = z.object({ reason: z.string().trim().min(3).max(500), code: StepUpCode }).meta({ id: 'CancelNhisDocumentBody' });
export type CancelBody = z.infer<typeof CancelBodySchema>;

/** The receiving specialist uses a referral (booking or exam) by its НРН. */
export const UseReferralBodySchema = z.object({ facilityId: z.uuid() }).meta({ id: 'UseReferralBody' });
/** The query of a referral looked up by НРН: a querystring cannot be an OpenAPI component reference. */
export const ReferralLookupQuerySchema = z.object({ facilityId: z.uuid() });
export type UseReferralBody = z.infer<typeof UseReferralBodySchema>;

export const PrescriptionLineBodySchema = z.object({
  medicineCode: z.string().trim().min(1).max(40),
  packages: z.number().int().min(1).max(99),
  days: z.number().int().min(1).max(365),
  dosage: z.string().trim().min(1).max(300),
  substitutionAllowed: z.boolean().default(true),
});

export const CreatePrescriptionBodySchema = z
  .object({
    encounterId: z.uuid().optional(),
    requestId: z.uuid().optional(),
    diagnosisCode: Icd10,
    lines: z.array(PrescriptionLineBodySchema).min(1).max(10),
    protocolNumber: z.string().trim().min(1).max(40).optional(),
    /** НРД 2006 R-59: an early prescription only aligns periods; the last day it covers is recorded. */
    earlyAlignment: z.object({ coversUntil: z.iso.date() }).optional(),
    /** НРД 2006 R-66 / W14: the patient is in hospital now (the anamnesis notes it). */
    hospitalStay: z.object({ mainDiagnosisCode: Icd10, newlyFoundDiagnosisCodes: z.array(Icd10).max(10).default([]) }).optional(),
    replacesId: z.uuid().optional(),
    code: StepUpCode,
  })
  .refine(oneEncounter, oneEncounterIssue)
  .meta({ id: 'CreatePrescriptionBody' });
export type CreatePrescriptionBody = z.infer<typeof CreatePrescriptionBodySchema>;

export const PrescriptionSchema = z
  .object({
    id: z.uuid(),
    revision: z.number().int(),
    replacesId: z.uuid().nullable(),
    patientId: z.uuid(),
    encounterId: z.uuid(),
    kind: z.enum(['nhif', 'ordinary']),
    status: NhisDocumentStatusSchema,
    issuedOn: z.iso.date(),
    nrn: z.string().nullable(),
    diagnosisCode: z.string(),
    lines: z.array(z.object({ medicineCode: z.string(), name: z.string(), inn: z.string(), nhifReimbursed: z.boolean(), packages: z.number().int(), days: z.number().int(), dosage: z.string(), substitutionAllowed: z.boolean() })),
    protocolNumber: z.string().nullable(),
    issuer: z.object({ practitionerId: z.uuid(), name: z.string(), uin: z.string(), facilityId: z.uuid(), facilityName: z.string() }),
    signature: z.object({ keyId: z.uuid(), signedAt: z.string(), contentSha256: z.string(), jws: z.string() }),
    nhisError: z.string().nullable(),
    /** Which pharmacy dispensed it (from the NHIS, P017). */
    dispensations: z.array(z.object({ pharmacyNumber: z.string(), pharmacyName: z.string().optional(), dispensedOn: z.string() })),
  })
  .meta({ id: 'Prescription' });
export type Prescription = z.infer<typeof PrescriptionSchema>;

export const PrescriptionListSchema = z.object({ items: z.array(PrescriptionSchema) }).meta({ id: 'PrescriptionList' });

export const MedicineSchema = z.object({ code: z.string(), name: z.string(), inn: z.string(), dosageForm: z.string(), strength: z.string().nullable(), pack: z.string().nullable(), atc: z.string().nullable(), nhifReimbursed: z.boolean(), protocolRequired: z.boolean(), source: z.string() }).meta({ id: 'Medicine' });
export type Medicine = z.infer<typeof MedicineSchema>;
export const MedicineSearchQuerySchema = z.object({ q: z.string().trim().min(2).max(100), limit: z.coerce.number().int().min(1).max(50).default(20) });
export const MedicineListSchema = z.object({ items: z.array(MedicineSchema) });

export const BudgetQuerySchema = z.object({ facilityId: z.uuid() });
export const BudgetListSchema = z.object({ items: z.array(BudgetSchema) }).meta({ id: 'ReferralBudgets' });

/** One line of the doctor's list of what they issued (`GET /issued-documents`): enough to scan and open it. */
export const IssuedDocumentSchema = z.object({
  kind: z.enum(['referral', 'prescription']),
  id: z.uuid(),
  /** The referral form; null for a prescription. */
  form: ReferralFormSchema.nullable(),
  status: NhisDocumentStatusSchema,
  issuedOn: z.iso.date(),
  validUntil: z.iso.date().nullable(),
  nrn: z.string().nullable(),
  diagnosisCode: z.string(),
  patientName: z.string(),
  /** The remote consultation's request, when it was issued in one (opens the patient's screens). */
  requestId: z.uuid().nullable(),
  /** The encounter it was issued in (a correction is issued from it again). */
  encounterId: z.uuid(),
  /** The request to the specialist, or the medicines, in one line. */
  summary: z.string(),
});
export type IssuedDocument = z.infer<typeof IssuedDocumentSchema>;
export const IssuedDocumentListSchema = z.object({ items: z.array(IssuedDocumentSchema) }).meta({ id: 'IssuedDocumentList' });

/** Hospitals contracted with the RHIF for a clinical pathway today (R-REF-07): the choices of a № 7. */
export const PathwayHospitalsQuerySchema = z.object({ pathway: z.string().trim().min(1).max(20) });
export const PathwayHospitalListSchema = z.object({ items: z.array(z.object({ facilityId: z.uuid(), name: z.string(), settlement: z.string() })) }).meta({ id: 'PathwayHospitalList' });
export type PathwayHospital = z.infer<typeof PathwayHospitalListSchema>['items'][number];
