import { z } from 'zod';
import { Instant } from './common.js';
import { IdentifierKindSchema } from './patients.js';

// Clinical records, signatures, the health record, NHIS recording and Art. 17 deadlines.
// Persisted shape: DocumentBodySchema and SignedContentSchema are stored (encrypted) and signed; changes
// need a new `schema` value (distansia.clinical-document/N) and a reader for the old one, because old
// signatures cover the old canonical form.

const Text = (max: number) => z.string().trim().max(max);

/** R-TM-40: what closes a service, and the written information of Art. 20(2). */
export const DocumentKindSchema = z.enum([
  'ambulatory_sheet', // амбулаторен лист: a patient's request (Art. 20(1))
  'consultation_report', // писмени данни за консултативна помощ: a specialist's request (Art. 17(1))
  'patient_information', // written information the requesting specialist gives the patient (Art. 20(2))
]);
export type DocumentKind = z.infer<typeof DocumentKindSchema>;

/** An ICD-10 code as in the NHIS nomenclature CL011 (e.g. `J06.9`). */
export const Icd10CodeSchema = z.string().trim().toUpperCase().regex(/^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?[+*]?$/, 'ICD-10 code such as J06.9');

/** One diagnosis of an examination (X003 `diagnosis`): exactly one primary, any number of additional ones. */
export const DiagnosisSchema = z.object({
  code: Icd10CodeSchema,
  /** The title as shown when chosen (Bulgarian), kept in the signed document. */
  title: Text(500).min(1),
  rank: z.enum(['primary', 'additional']),
  note: Text(1000).optional(),
  /** NHIS clinicalStatus: active, recurrence, relapse, inactive, remission, resolved. */
  clinicalStatus: z.enum(['active', 'recurrence', 'relapse', 'inactive', 'remission', 'resolved']).default('active'),
  /** NHIS verificationStatus. */
  verificationStatus: z.enum(['unconfirmed', 'provisional', 'differential', 'confirmed']).default('confirmed'),
});
export type Diagnosis = z.infer<typeof DiagnosisSchema>;

/** A medication recorded with the therapy (shown in the health record). */
export const MedicationSchema = z.object({
  name: Text(200).min(1),
  dosage: Text(300).optional(),
});

/**
 * What the specialist writes. The fields follow the NHIS examination (X003): purpose, medical history
 * (anamnesis), objective condition, diagnoses, assessment (tests reviewed), therapy, conclusion
 * (recommendations), plus the follow-up. A written consultation adds the question it answers.
 */
export const DocumentBodySchema = z.object({
  /** NHIS examination purpose (CL: 1 consultation, 2 prophylaxis, 7 dispensary, 10 expertise …). */
  purpose: z.enum(['consultation', 'prophylaxis', 'dispensary', 'expertise', 'other']).default('consultation'),
  /** Written consultation: the requesting specialist's question. */
  question: Text(4000).optional(),
  anamnesis: Text(8000).optional(),
  objectiveFindings: Text(8000).optional(),
  diagnoses: z.array(DiagnosisSchema).max(20).default([]),
  testsReviewed: Text(8000).optional(),
  therapy: Text(8000).optional(),
  medications: z.array(MedicationSchema).max(30).default([]),
  recommendations: Text(8000).optional(),
  followUp: Text(2000).optional(),
  /** Written information for the patient (Art. 20(2)), or the conclusion of a written consultation. */
  summary: Text(8000).optional(),
});
export type DocumentBody = z.infer<typeof DocumentBodySchema>;
export type DocumentBodyInput = z.input<typeof DocumentBodySchema>;

/** X001 `identifierType` (CL004): EGN, LNCh, passport or another identifier. */
export const SubjectIdentifierTypeSchema = z.enum(['egn', 'lnch', 'passport', 'other']);

/**
 * The signed content: the body plus the facts Distansia fills in (who, whom, when). Its RFC 8785
 * canonical form is what the signature covers.
 */
export const SignedContentSchema = z.object({
  schema: z.literal('distansia.clinical-document/1'),
  documentId: z.uuid(),
  kind: DocumentKindSchema,
  revision: z.number().int().min(1),
  /** The revision this one corrects, and the digest it had. */
  replaces: z.object({ documentId: z.uuid(), sha256: z.string(), reason: z.string() }).nullable(),
  requestId: z.uuid(),
  examination: z.object({
    /** HL7 ActEncounterCode: always VR (virtual) for remote services. */
    class: z.literal('VR'),
    urgency: z.enum(['planned', 'emergency']),
    mode: z.enum(['synchronous', 'asynchronous']),
    /** When the service was completed (Art. 17(2)); null for a draft of a service still under way. */
    completedAt: Instant.nullable(),
  }),
  subject: z
    .object({
      patientId: z.uuid(),
      identifierType: SubjectIdentifierTypeSchema,
      identifier: z.string(),
      givenName: z.string(),
      middleName: z.string().optional(),
      familyName: z.string(),
      birthDate: z.string(),
      sex: z.enum(['male', 'female', 'other', 'unknown']),
    })
    .nullable(),
  performer: z.object({
    practitionerId: z.uuid(),
    /** УИН (NHIS `pmi`). */
    uin: z.string(),
    givenName: z.string(),
    familyName: z.string(),
    /** CL006 four-digit qualification code of the request's specialty. */
    qualification: z.string(),
    qualificationName: z.string(),
    facilityId: z.uuid(),
    /** РЗИ number of the facility (NHIS `practiceNumber`). */
    practiceNumber: z.string(),
    facilityName: z.string(),
  }),
  body: DocumentBodySchema,
  signedAt: Instant,
});
export type SignedContent = z.infer<typeof SignedContentSchema>;

/** Creates (or returns) the draft of a request's document. */
export const CreateDraftBodySchema = z.object({
  kind: DocumentKindSchema,
  body: DocumentBodySchema.optional(),
});
export type CreateDraftBody = z.infer<typeof CreateDraftBodySchema>;

export const UpdateDraftBodySchema = z.object({ body: DocumentBodySchema });
export type UpdateDraftBody = z.infer<typeof UpdateDraftBodySchema>;

/** Signing a draft: a fresh TOTP code confirms the signature (docs/decisions.md#d5). */
export const SignDocumentBodySchema = z.object({ code: z.string().trim().regex(/^\d{6}$/) }).meta({ id: 'SignDocumentBody' });

/** The doctor's card certificate chain (base64 DER, the card's certificate first) from the local agent. */
export const PrepareAgentSignatureBodySchema = z.object({ certificateChain: z.array(z.string().regex(/^[A-Za-z0-9+/=]+$/).max(16_384)).min(1).max(5) }).meta({ id: 'PrepareAgentSignatureBody' });
/** What the card signs through the local agent (a JAdES-B-B signing input) and its signing time. */
export const AgentSigningInputSchema = z.object({ signingInput: z.string(), signedAt: z.string(), keyId: z.uuid() }).meta({ id: 'AgentSigningInput' });
/** The card's raw signature (base64url) over the prepared signing input, and a fresh second factor. */
export const AgentSignDocumentBodySchema = z
  .object({ code: z.string().trim().regex(/^\d{6}$/), signingInput: z.string().regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/).max(65_536), signature: z.string().regex(/^[A-Za-z0-9_-]+$/).max(2048) })
  .meta({ id: 'AgentSignDocumentBody' });

/** What the doctor's card signs for the NHIS: the token challenge, then the examination's X001 and X003 (docs/nhis.md#signer). */
export const NhisCardKindSchema = z.enum(['challenge', 'X001', 'X003']);
/** The step the card signed through the local agent (`POST /v1/sign/xml`), sent back as the agent returned it. */
export const NhisCardStepBodySchema = z
  .object({ signed: z.object({ kind: NhisCardKindSchema, xml: z.string().min(1).max(262_144) }).optional() })
  .meta({ id: 'NhisCardStepBody' });
/**
 * The next thing the card signs, or the end: recorded (with the NRN), refused by the NHIS, `unreachable`
 * (the NHIS could not be reached now: the outbox sends the record later, signed with the server's key), or
 * `outbox` (not a record the card sends: a correction, a record whose first attempt failed, or no HTTP NHIS).
 */
export const NhisCardStepSchema = z
  .discriminatedUnion('step', [
    z.object({ step: z.literal('sign'), kind: NhisCardKindSchema, xml: z.string() }),
    z.object({ step: z.literal('done'), outcome: z.enum(['recorded', 'rejected', 'unreachable', 'outbox']), nrn: z.string().nullable() }),
  ])
  .meta({ id: 'NhisCardStep' });
export type NhisCardStep = z.infer<typeof NhisCardStepSchema>;
export type NhisCardStepBody = z.infer<typeof NhisCardStepBodySchema>;

export const CorrectDocumentBodySchema = z.object({
  body: DocumentBodySchema,
  /** Why the signed revision is corrected (kept, encrypted, in the new revision's content). */
  reason: Text(1000).min(3),
});
export type CorrectDocumentBody = z.infer<typeof CorrectDocumentBodySchema>;

export const SignatureInfoSchema = z.object({
  format: z.literal('jws'),
  /** `advanced` (a key Distansia holds for the specialist) or `qualified` (КЕП through an external signer). */
  level: z.enum(['advanced', 'qualified']),
  keyId: z.uuid(),
  alg: z.string(),
  signedAt: Instant,
  contentSha256: z.string(),
  jws: z.string(),
});

export const NhisStatusSchema = z.object({
  status: z.enum(['pending', 'opened', 'acknowledged', 'rejected']),
  nrn: z.string().nullable(),
  attempts: z.number().int(),
  acknowledgedAt: Instant.nullable(),
  lastError: z.string().nullable(),
});

export const ClinicalDocumentSchema = z
  .object({
    id: z.uuid(),
    kind: DocumentKindSchema,
    requestId: z.uuid(),
    patientId: z.uuid().nullable(),
    facilityId: z.uuid(),
    authorPractitionerId: z.uuid(),
    status: z.enum(['draft', 'signed']),
    revision: z.number().int(),
    replacesId: z.uuid().nullable(),
    replacedById: z.uuid().nullable(),
    body: DocumentBodySchema,
    /** The signed content (snapshot of patient, performer and times) once signed. */
    content: SignedContentSchema.nullable(),
    signature: SignatureInfoSchema.nullable(),
    nhis: NhisStatusSchema.nullable(),
    createdAt: Instant,
    updatedAt: Instant,
    version: z.number().int(),
  })
  .meta({ id: 'ClinicalDocument' });
export type ClinicalDocument = z.infer<typeof ClinicalDocumentSchema>;

export const VerificationSchema = z
  .object({
    documentId: z.uuid(),
    revision: z.number().int(),
    /** The signature verifies with the key and covers exactly the stored content. */
    valid: z.boolean(),
    checks: z.object({
      signature: z.boolean(),
      contentDigest: z.boolean(),
      header: z.boolean(),
      chain: z.boolean(),
    }),
    level: z.enum(['advanced', 'qualified']),
    keyId: z.uuid(),
    signer: z.object({ practitionerId: z.uuid(), uin: z.string() }),
    /** Qualified signatures: whose certificate signed, checked against the trusted CAs at the signing time. */
    certificate: z.object({ subject: z.string(), issuer: z.string(), serialNumber: z.string(), notAfter: z.string(), trusted: z.boolean() }).nullable(),
    signedAt: Instant,
    contentSha256: z.string(),
    replacedById: z.uuid().nullable(),
  })
  .meta({ id: 'DocumentVerification' });
export type Verification = z.infer<typeof VerificationSchema>;

/** Checking a detached JWS and canonical content from a PDF copy (no database content needed). */
export const VerifyDetachedBodySchema = z.object({
  jws: z.string().min(10).max(10_000),
  canonicalContent: z.string().max(200_000).optional(),
});
export const DetachedVerificationSchema = z.object({
  valid: z.boolean(),
  keyId: z.uuid().nullable(),
  documentId: z.uuid().nullable(),
  revision: z.number().int().nullable(),
  contentSha256: z.string().nullable(),
  contentMatches: z.boolean().nullable(),
});

export const Icd10EntrySchema = z.object({
  code: z.string(),
  titleBg: z.string(),
  titleEn: z.string().nullable(),
  isChronic: z.boolean().nullable(),
  source: z.enum(['demo', 'cl011']),
});
export type Icd10Entry = z.infer<typeof Icd10EntrySchema>;
export const Icd10SearchQuerySchema = z.object({
  q: z.string().trim().min(1).max(100),
  limit: z.coerce.number().int().min(1).max(50).default(15),
});
export const Icd10SearchResultSchema = z.object({ items: z.array(Icd10EntrySchema) });

/** Templates per specialty for the sheet editor (written by the team; not clinical guidance). */
export const SheetTemplateSchema = z.object({
  id: z.string(),
  specialtyCode: z.string(),
  name: z.object({ bg: z.string(), en: z.string() }),
  body: DocumentBodySchema.partial(),
});
export const SheetTemplateListSchema = z.object({ items: z.array(SheetTemplateSchema) });

// ---------------------------------------------------------------------------------------------------
// Deadlines (Art. 17; docs/decisions.md#d9-d11)
// ---------------------------------------------------------------------------------------------------

export const ComplexKindSchema = z.enum(['complex_case', 'image_processing', 'mutual_consultation']);
export const DeadlineStatusSchema = z.enum(['open', 'met', 'missed']);
export const BreachCauseSchema = z.enum(['not_signed', 'nhis_pending', 'nhis_unavailable', 'nhis_rejected', 'recorded_late']);

export const DeadlineSchema = z
  .object({
    requestId: z.uuid(),
    facilityId: z.uuid(),
    practitionerId: z.uuid().nullable(),
    urgency: z.enum(['planned', 'emergency']),
    mode: z.enum(['synchronous', 'asynchronous']),
    documentKind: z.enum(['ambulatory_sheet', 'consultation_report']),
    timeZone: z.string(),
    completedAt: Instant,
    baseDueAt: Instant,
    dueAt: Instant,
    escalateAt: Instant,
    complex: z.boolean(),
    complexKind: ComplexKindSchema.nullable(),
    status: DeadlineStatusSchema,
    recordedAt: Instant.nullable(),
    nrn: z.string().nullable(),
    escalatedAt: Instant.nullable(),
    breachedAt: Instant.nullable(),
    breachCause: BreachCauseSchema.nullable(),
    /** Seconds until due (negative when overdue); null once recorded. */
    secondsLeft: z.number().int().nullable(),
    /** Share of the allowed time already used, 0..1+ (1 = due now). */
    elapsedShare: z.number(),
    documentStatus: z.enum(['none', 'draft', 'signed']),
  })
  .meta({ id: 'DocumentationDeadline' });
export type Deadline = z.infer<typeof DeadlineSchema>;

export const MarkComplexBodySchema = z.object({
  kind: ComplexKindSchema,
  reason: Text(1000).min(5),
});
export type MarkComplexBody = z.infer<typeof MarkComplexBodySchema>;

export const WorklistSchema = z.object({ now: Instant, items: z.array(DeadlineSchema) });

/** A record waiting for the NHIS, and why (docs/nhis.md#offline): no clinical content, identifiers only. */
export const PendingNhisSubmissionSchema = z
  .object({
    submissionId: z.uuid(),
    requestId: z.uuid(),
    documentId: z.uuid(),
    facilityId: z.uuid(),
    operation: z.enum(['open_close', 'correct']),
    /** pending: not yet recorded; opened: X001 answered, X003 not yet; rejected: refused by the NHIS (final). */
    status: z.enum(['pending', 'opened', 'rejected']),
    attempts: z.number().int(),
    /** The NHIS error reason or transport error class of the last attempt. */
    lastError: z.string().nullable(),
    lastAttemptAt: Instant.nullable(),
    lastMessageType: z.string().nullable(),
    /** The next attempt goes as X013 (open and close after the fact). */
    offline: z.boolean(),
    queuedAt: Instant,
    dueAt: Instant.nullable(),
    /** Whose record it is, for a caller allowed to see that patient (the read is audited); otherwise null. */
    patient: z.object({ name: z.string(), identifierKind: IdentifierKindSchema, identifierMasked: z.string() }).nullable(),
  })
  .meta({ id: 'PendingNhisSubmission' });
export type PendingNhisSubmission = z.infer<typeof PendingNhisSubmissionSchema>;
export const PendingNhisListSchema = z.object({ now: Instant, items: z.array(PendingNhisSubmissionSchema) });

// ---------------------------------------------------------------------------------------------------
// Health record and compliance report
// ---------------------------------------------------------------------------------------------------

export const HealthRecordEntrySchema = z.object({
  documentId: z.uuid(),
  kind: DocumentKindSchema,
  requestId: z.uuid(),
  revision: z.number().int(),
  signedAt: Instant,
  performer: z.object({ name: z.string(), uin: z.string(), qualificationName: z.string(), facilityName: z.string() }),
  diagnoses: z.array(DiagnosisSchema),
  medications: z.array(MedicationSchema),
  /** The signed recommendations and follow-up, for the patient's overview without opening each document. */
  recommendations: z.string().nullable(),
  followUp: z.string().nullable(),
  /** The signed written information for the patient (Art. 20(2)) or conclusion of a written consultation. */
  summary: z.string().nullable(),
  nrn: z.string().nullable(),
  /** Earlier signed revisions this one corrected. */
  history: z.array(z.object({ documentId: z.uuid(), revision: z.number().int(), signedAt: Instant })),
});
export const HealthRecordSchema = z
  .object({
    patientId: z.uuid(),
    documents: z.array(HealthRecordEntrySchema),
    diagnoses: z.array(DiagnosisSchema.extend({ documentId: z.uuid(), recordedAt: Instant })),
    medications: z.array(MedicationSchema.extend({ documentId: z.uuid(), recordedAt: Instant })),
    attachments: z.array(z.object({ id: z.uuid(), requestId: z.uuid(), contentType: z.string(), sizeBytes: z.number().int(), createdAt: Instant })),
  })
  .meta({ id: 'HealthRecord' });
export type HealthRecord = z.infer<typeof HealthRecordSchema>;

export const ComplianceQuerySchema = z.object({
  facilityId: z.uuid(),
  from: z.iso.date(),
  to: z.iso.date(),
  format: z.enum(['json', 'csv', 'pdf']).default('json'),
});
export type ComplianceQuery = z.infer<typeof ComplianceQuerySchema>;

export const ComplianceRowSchema = z.object({
  urgency: z.enum(['planned', 'emergency']),
  mode: z.enum(['synchronous', 'asynchronous']),
  documentKind: z.enum(['ambulatory_sheet', 'consultation_report']),
  services: z.number().int(),
  met: z.number().int(),
  missed: z.number().int(),
  open: z.number().int(),
  complex: z.number().int(),
  escalated: z.number().int(),
  medianSecondsToRecord: z.number().nullable(),
  worstSecondsToRecord: z.number().nullable(),
});
export const ComplianceReportSchema = z
  .object({
    facilityId: z.uuid(),
    facilityName: z.string(),
    from: z.iso.date(),
    to: z.iso.date(),
    timeZone: z.string(),
    generatedAt: Instant,
    rows: z.array(ComplianceRowSchema),
    totals: ComplianceRowSchema.omit({ urgency: true, mode: true, documentKind: true }),
    breaches: z.array(z.object({ requestId: z.uuid(), dueAt: Instant, recordedAt: Instant.nullable(), cause: BreachCauseSchema.nullable() })),
    /** Informed consents on file for the period's services, or null where that module is absent. */
    consentsOnFile: z.number().int().nullable(),
    /** Calls whose measured latency or A/V sync broke Art. 28(1) items 8-9, or null where absent. */
    qualityBreaches: z.number().int().nullable(),
  })
  .meta({ id: 'ComplianceReport' });
export type ComplianceReport = z.infer<typeof ComplianceReportSchema>;

// ---------------------------------------------------------------------------------------------------
// The patient's national record (НЗИС) in a consultation (Art. 13, R-TM-29; docs/records.md#the-national-record)
// ---------------------------------------------------------------------------------------------------

/** A name in both languages, from the nomenclatures (CL006 specialty, CL011 ICD-10). */
const BilingualSchema = z.object({ bg: z.string(), en: z.string() });
/** An ISO date (`YYYY-MM-DD`, as the NHIS gives issue dates) or an instant (an examination's opening). */
const RecordDateSchema = z.union([z.iso.date(), Instant]);

const NationalDoctorSchema = z.object({
  /** The doctor's name when the doctor is in the platform's registry; the NHIS replies carry the UIN only. */
  name: z.string().nullable(),
  uin: z.string().nullable(),
  specialty: BilingualSchema.nullable(),
});
const NationalDiagnosisSchema = z.object({ code: z.string(), title: BilingualSchema.nullable() });

export const NationalExaminationSchema = z.object({
  nrn: z.string(),
  date: RecordDateSchema.nullable(),
  status: z.enum(['open', 'closed', 'cancelled']),
  doctor: NationalDoctorSchema,
  diagnoses: z.array(NationalDiagnosisSchema),
});
export const NationalReferralSchema = z.object({
  nrn: z.string(),
  date: RecordDateSchema.nullable(),
  status: z.enum(['active', 'partly_executed', 'executed', 'expired', 'cancelled']),
  /** The paper form it stands for: № 3 consultation, 3А specialised activities, 4 tests, 6 expertise, 7 hospitalisation. */
  form: z.enum(['3', '3A', '4', '6', '7']).nullable(),
  /** № 3/3А: the specialty the patient is sent to. */
  consultedSpecialty: BilingualSchema.nullable(),
  doctor: NationalDoctorSchema,
  diagnoses: z.array(NationalDiagnosisSchema),
});
export const NationalPrescriptionSchema = z.object({
  nrn: z.string(),
  date: RecordDateSchema.nullable(),
  status: z.enum(['active', 'partly_dispensed', 'dispensed', 'expired', 'cancelled']),
  doctor: NationalDoctorSchema,
  diagnoses: z.array(NationalDiagnosisSchema),
  medications: z.array(z.string()),
});

/**
 * The national record panel of a consultation: not asked yet; the NHIS could not be reached or refused
 * (the consultation goes on without it); or what it returned, read-only, kept for the consultation.
 */
export const NationalRecordSchema = z
  .discriminatedUnion('status', [
    z.object({ status: z.literal('not_fetched') }),
    z.object({ status: z.enum(['unavailable', 'refused']), checkedAt: Instant }),
    z.object({
      status: z.literal('ready'),
      fetchedAt: Instant,
      /** The period asked for, local dates. */
      fromDate: z.iso.date(),
      toDate: z.iso.date(),
      /** True when this answer is the kept copy (the NHIS was not asked again). */
      fromCache: z.boolean(),
      examinations: z.array(NationalExaminationSchema),
      referrals: z.array(NationalReferralSchema),
      prescriptions: z.array(NationalPrescriptionSchema),
    }),
  ])
  .meta({ id: 'NationalRecord' });
export type NationalRecord = z.infer<typeof NationalRecordSchema>;
export type NationalExamination = z.infer<typeof NationalExaminationSchema>;
export type NationalReferral = z.infer<typeof NationalReferralSchema>;
export type NationalPrescription = z.infer<typeof NationalPrescriptionSchema>;
