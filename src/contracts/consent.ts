import { z } from 'zod';
import { Art7ChecklistSchema, Instant } from './common.js';

export { Art7ChecklistSchema, type Art7Checklist } from './common.js';

// Consent (Art. 10, 11, 19), identity verification (Art. 7(1) item 5) and the admissibility decision
// (Art. 7, 9). Shared by the server routes and the web client.

const Lang = z.enum(['bg', 'en']);
const FreeText = (min: number, max: number) => z.string().trim().min(min).max(max);

export const RequestIdParamsSchema = z.object({ requestId: z.uuid() });
export const ConsentIdParamsSchema = z.object({ consentId: z.uuid() });
export const FacilityIdParamsSchema = z.object({ facilityId: z.uuid() });
export const TemplateIdParamsSchema = z.object({ templateId: z.uuid() });
export const PatientIdParamsSchema = z.object({ patientId: z.uuid() });

/** Treatment consent (Art. 10) or recording consent (Art. 19). */
export const ConsentKindSchema = z.enum(['treatment', 'recording']);
export type ConsentKind = z.infer<typeof ConsentKindSchema>;

/** What may be recorded (Art. 19(2) "type of recording"). */
export const RecordingMediaSchema = z.enum(['audio', 'video', 'screen']);
export type RecordingMedia = z.infer<typeof RecordingMediaSchema>;

// ---------------------------------------------------------------------------------------------------
// Templates (Art. 19(3), R-TM-27)
// ---------------------------------------------------------------------------------------------------

export const ConsentTemplateSchema = z
  .object({
    id: z.uuid(),
    facilityId: z.uuid(),
    kind: ConsentKindSchema,
    version: z.number().int(),
    status: z.enum(['draft', 'published', 'retired']),
    title: z.object({ bg: z.string(), en: z.string() }),
    body: z.object({ bg: z.string(), en: z.string() }),
    textSha256: z.string().nullable(),
    createdAt: Instant,
    publishedAt: Instant.nullable(),
  })
  .meta({ id: 'ConsentTemplate' });
export type ConsentTemplate = z.infer<typeof ConsentTemplateSchema>;

export const ConsentTemplateListSchema = z.object({ items: z.array(ConsentTemplateSchema) });
export type ConsentTemplateList = z.infer<typeof ConsentTemplateListSchema>;

/** A new draft version of a facility's form; both languages are required. */
export const CreateConsentTemplateBodySchema = z.object({
  kind: ConsentKindSchema,
  title: z.object({ bg: FreeText(1, 200), en: FreeText(1, 200) }),
  body: z.object({ bg: FreeText(20, 20000), en: FreeText(20, 20000) }),
});
export type CreateConsentTemplateBody = z.infer<typeof CreateConsentTemplateBodySchema>;

export const TemplateQuerySchema = z.object({ kind: ConsentKindSchema.optional() });

// ---------------------------------------------------------------------------------------------------
// Reading and signing (Art. 10, 11; docs/decisions.md#d5-d6)
// ---------------------------------------------------------------------------------------------------

export const PresentConsentBodySchema = z.object({ kind: ConsentKindSchema, lang: Lang });
export type PresentConsentBody = z.infer<typeof PresentConsentBodySchema>;

/** The text shown to the signer, and the proof that it was shown (R-TM-24). */
export const ConsentPresentationSchema = z
  .object({
    presentationId: z.uuid(),
    presentedAt: Instant,
    requestId: z.uuid(),
    lang: Lang,
    template: z.object({ id: z.uuid(), kind: ConsentKindSchema, version: z.number().int(), title: z.string(), body: z.string(), textSha256: z.string() }),
  })
  .meta({ id: 'ConsentPresentation' });
export type ConsentPresentation = z.infer<typeof ConsentPresentationSchema>;

/** Art. 19(2), R-TM-26: all three are required; a missing one is refused. */
export const RecordingTermsSchema = z.object({
  reason: FreeText(3, 1000),
  media: z.array(RecordingMediaSchema).min(1).max(3),
  purpose: FreeText(3, 1000),
});
export type RecordingTerms = z.infer<typeof RecordingTermsSchema>;

/** The patient's signed paper or scanned consent, recorded by the requesting specialist. */
export const ConsentDocumentSchema = z.object({
  contentType: z.enum(['application/pdf', 'image/jpeg', 'image/png']),
  /** base64, at most 5 MB decoded */
  contentBase64: z.string().min(4).max(7_000_000),
});

export const SignConsentBodySchema = z.object({
  kind: ConsentKindSchema,
  presentationId: z.uuid(),
  /** A fresh second-factor code (TOTP) for this signature. */
  code: z.string().trim().min(6).max(20),
  /** Treatment consent: the signer confirms the Art. 12 duty to give complete health information (R-TM-28). */
  healthInfoDutyAcknowledged: z.literal(true).optional(),
  recording: RecordingTermsSchema.optional(),
  document: ConsentDocumentSchema.optional(),
});
export type SignConsentBody = z.infer<typeof SignConsentBodySchema>;

export const WithdrawConsentBodySchema = z.object({ reason: FreeText(0, 1000).optional() });
export type WithdrawConsentBody = z.infer<typeof WithdrawConsentBodySchema>;

export const ConsentSchema = z
  .object({
    id: z.uuid(),
    kind: ConsentKindSchema,
    requestId: z.uuid(),
    facilityId: z.uuid(),
    patientId: z.uuid(),
    templateId: z.uuid(),
    templateVersion: z.number().int(),
    presentationId: z.uuid(),
    presentedAt: Instant,
    lang: Lang,
    signerAccountId: z.uuid(),
    signerRole: z.enum(['patient', 'representative', 'specialist']),
    onBehalfOf: z.uuid().nullable(),
    method: z.literal('totp-step-up'),
    stepUpId: z.uuid(),
    signedAt: Instant,
    contentSha256: z.string(),
    recording: RecordingTermsSchema.nullable(),
    hasDocument: z.boolean(),
    status: z.enum(['active', 'withdrawn']),
    withdrawnAt: Instant.nullable(),
  })
  .meta({ id: 'Consent' });
export type Consent = z.infer<typeof ConsentSchema>;

export const ConsentListSchema = z.object({ items: z.array(ConsentSchema) });
export type ConsentList = z.infer<typeof ConsentListSchema>;

export const ConsentVerificationSchema = z.object({
  consentId: z.uuid(),
  valid: z.boolean(),
  storedSha256: z.string(),
  recomputedSha256: z.string(),
  /** The step-up confirmation is in the audit trail. */
  stepUpAudited: z.boolean(),
  /** The presentation precedes the signature (R-TM-24). */
  presentedBeforeSigning: z.boolean(),
  documentIntact: z.boolean().nullable(),
});
export type ConsentVerification = z.infer<typeof ConsentVerificationSchema>;

// ---------------------------------------------------------------------------------------------------
// Identity verification (Art. 7(1) item 5, R-TM-15, docs/decisions.md#d7)
// ---------------------------------------------------------------------------------------------------

export const VerificationMethodSchema = z.enum(['qualified_esignature', 'nhis_login', 'video_document_check', 'in_person_earlier']);
export type VerificationMethod = z.infer<typeof VerificationMethodSchema>;

export const RecordVerificationBodySchema = z.object({
  method: VerificationMethodSchema,
  outcome: z.enum(['verified', 'failed']),
  note: FreeText(0, 1000).optional(),
});
export type RecordVerificationBody = z.infer<typeof RecordVerificationBodySchema>;

export const IdentityVerificationSchema = z
  .object({
    id: z.uuid(),
    requestId: z.uuid(),
    method: VerificationMethodSchema,
    outcome: z.enum(['verified', 'failed']),
    note: z.string().nullable(),
    verifiedByAccountId: z.uuid(),
    verifiedByPractitionerId: z.uuid(),
    verifiedAt: Instant,
  })
  .meta({ id: 'IdentityVerification' });
export type IdentityVerification = z.infer<typeof IdentityVerificationSchema>;

// ---------------------------------------------------------------------------------------------------
// Admissibility (Art. 7, 9; docs/decisions.md#d8)
// ---------------------------------------------------------------------------------------------------


export const DecideAdmissibilityBodySchema = z.object({
  outcome: z.enum(['accept', 'decline']),
  checklist: Art7ChecklistSchema,
  /** Required to decline (Art. 9); optional notes when accepting. */
  reasons: FreeText(0, 2000).optional(),
});
export type DecideAdmissibilityBody = z.infer<typeof DecideAdmissibilityBodySchema>;

export const AdmissibilityDecisionSchema = z
  .object({
    id: z.uuid(),
    requestId: z.uuid(),
    outcome: z.enum(['accept', 'decline']),
    checklist: Art7ChecklistSchema,
    blockedRule: z.string().nullable(),
    reasons: z.string().nullable(),
    decidedByAccountId: z.uuid(),
    decidedByPractitionerId: z.uuid(),
    decidedAt: Instant,
  })
  .meta({ id: 'AdmissibilityDecision' });
export type AdmissibilityDecision = z.infer<typeof AdmissibilityDecisionSchema>;

/** Everything a side needs to see whether the service may start, and why not. */
export const GateStatusSchema = z
  .object({
    requestId: z.uuid(),
    requestStatus: z.string(),
    viewerSide: z.enum(['requester', 'provider']),
    /** Hard blocks found from the request's data (R-TM-13, R-TM-16, R-TM-17), before any decision. */
    hardBlocks: z.array(z.string()),
    consentRequired: z.boolean(),
    treatmentConsent: ConsentSchema.nullable(),
    recordingConsent: ConsentSchema.nullable(),
    identity: IdentityVerificationSchema.nullable(),
    decision: AdmissibilityDecisionSchema.nullable(),
    /** The problem codes that would refuse a start now (empty: the service may start). */
    missing: z.array(z.string()),
  })
  .meta({ id: 'GateStatus' });
export type GateStatus = z.infer<typeof GateStatusSchema>;
