import { z } from 'zod';
import { Instant } from './common.js';

/** Sick leave, the ЛКК, TELK preparation and medical notices (W15, W16, E18-E23, E37; docs/sick-leave.md). */

const LocalDate = z.iso.date();
const Text = (max = 500) => z.string().trim().min(1).max(max);

export const SickLeaveKindSchema = z.enum(['illness', 'family_care', 'quarantine', 'maternity_prenatal', 'maternity_postnatal', 'newborn_care', 'exam_consultation', 'accompanying', 'sanatorium', 'dental']);
export const IssuerCapacitySchema = z.enum(['gp', 'treating_specialist', 'consultant', 'pregnancy_doctor', 'birth_facility', 'baby_doctor', 'hospital_lkk', 'dentist']);
export const EmployerSchema = z.object({ name: z.string().trim().max(300), address: z.string().trim().max(500), jobTitle: z.string().trim().max(200) });
export type Employer = z.infer<typeof EmployerSchema>;

/** The examination: a recorded encounter, or a remote consultation's request (its encounter is created on first use). */
const ExamRef = { encounterId: z.uuid().optional(), requestId: z.uuid().optional() };
const oneExam = (b: { encounterId?: string | undefined; requestId?: string | undefined }) => Boolean(b.encounterId) !== Boolean(b.requestId);
const oneExamIssue = { message: 'Give either encounterId or requestId', path: ['encounterId'] };

export const IssueSickLeaveBodySchema = z.object({
  /** The examination that establishes the incapacity (R-SL-20, R-SL-21). */
  ...ExamRef,
  kind: SickLeaveKindSchema,
  capacity: IssuerCapacitySchema.default('gp'),
  startOn: LocalDate,
  endOn: LocalDate,
  /** ICD-10 code and the reason (причина) for the incapacity. */
  diagnosis: z.object({ code: z.string().regex(/^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/), text: Text(300).optional() }),
  reason: Text(300).optional(),
  /** R-SL-22, R-SL-13: one certificate per employer. */
  employers: z.array(EmployerSchema).max(10),
  lateIssueReason: z.enum(['no_lak', 'unclear_duration', 'missing_employer_data']).optional(),
  /** R-SL-16: when the patient asked for a retroactive leave (default: today). */
  requestedOn: LocalDate.optional(),
  examDocument: z
    .object({ patientNames: z.string().max(200).optional(), examOn: LocalDate.optional(), diagnosis: z.string().max(300).optional(), treatment: z.string().max(500).optional(), incapacityOpinion: z.string().max(300).optional(), doctorNames: z.string().max(200).optional(), signed: z.boolean().optional(), stamped: z.boolean().optional() })
    .optional(),
  /** R-SL-04..07, R-SL-26: the sick family member, a patient of this platform. */
  care: z.object({ patientId: z.uuid(), relation: z.enum(['child', 'parent', 'sibling', 'spouse', 'in_law', 'other']), attendsChildrenFacility: z.boolean().optional() }).optional(),
  serviceNote: z.object({ facility: z.string().max(300), activities: z.string().max(500), hours: z.number().min(0).max(24), mostOfWorkingDay: z.boolean() }).optional(),
  hospitalDischargeOn: LocalDate.optional(),
  maternity: z.object({ dueOn: LocalDate, birthOn: LocalDate.optional() }).optional(),
  /** A fresh second factor (TOTP) confirms the doctor's signature, as for a referral. */
  code: z.string().regex(/^\d{6}$/),
}).refine(oneExam, oneExamIssue);
export type IssueSickLeaveBody = z.infer<typeof IssueSickLeaveBodySchema>;

/** A doctor's recent examination with the patient banner's facts: what sick leave and notices are issued on. */
export const ExaminationSchema = z.object({
  encounterId: z.uuid(),
  requestId: z.uuid().nullable(),
  facilityId: z.uuid(),
  kind: z.enum(['remote', 'in_person', 'phone', 'home_visit']),
  remoteAssessable: z.boolean().nullable(),
  startedAt: Instant,
  patient: z.object({
    id: z.uuid(),
    givenName: z.string(),
    middleName: z.string().nullable(),
    familyName: z.string(),
    sex: z.enum(['male', 'female', 'other', 'unknown']),
    birthDate: LocalDate,
    ageYears: z.number().int().min(0),
    identifierKind: z.enum(['egn', 'lnch', 'passport', 'other']),
    /** All but the last two characters hidden. */
    identifierMasked: z.string(),
  }),
});
export type Examination = z.infer<typeof ExaminationSchema>;
export const ExaminationListSchema = z.object({ items: z.array(ExaminationSchema) });

export const LimitCountersSchema = z.object({
  episodeDaysBefore: z.number().int(),
  yearDaysBefore: z.record(z.string(), z.number().int()),
  requestDays: z.number().int(),
  allIssuersYearDays: z.number().int(),
  limits: z.object({ consecutiveDays: z.number().int(), yearDays: z.number().int() }),
});
export type LimitCountersView = z.infer<typeof LimitCountersSchema>;

export const SickLeaveSchema = z.object({
  id: z.uuid(),
  certificateSet: z.uuid(),
  employerIndex: z.number().int(),
  patientId: z.uuid(),
  facilityId: z.uuid(),
  practitioner: z.object({ id: z.uuid(), name: z.string() }),
  encounterId: z.uuid().nullable(),
  /** A remote examination's consultation, cited (Art. 9). */
  consultationId: z.uuid().nullable(),
  lkkCaseId: z.uuid().nullable(),
  kind: SickLeaveKindSchema,
  capacity: z.string(),
  startOn: LocalDate,
  endOn: LocalDate,
  days: z.number().int(),
  issuedOn: LocalDate,
  retroactive: z.boolean(),
  /** R-SL-18: a duplicate is marked "дубликат". */
  duplicateOf: z.uuid().nullable(),
  marking: z.enum(['', 'дубликат']),
  diagnosis: z.object({ code: z.string(), text: z.string().optional() }),
  employer: EmployerSchema,
  nhisStatus: z.enum(['pending', 'recorded', 'rejected']),
  nrn: z.string().nullable(),
  createdAt: Instant,
});
export type SickLeave = z.infer<typeof SickLeaveSchema>;

export const BenefitWarningSchema = z.object({ rule: z.literal('R-SL-05'), kind: z.enum(['family_care', 'sick_child']), limitDays: z.number().int(), daysInYear: z.number().int() });

export const IssueSickLeaveResultSchema = z.object({ certificates: z.array(SickLeaveSchema), counters: LimitCountersSchema, warnings: z.array(BenefitWarningSchema) });
export type IssueSickLeaveResult = z.infer<typeof IssueSickLeaveResultSchema>;

export const SickLeaveCountersQuerySchema = z.object({ practitionerId: z.uuid(), kind: SickLeaveKindSchema.default('illness'), startOn: LocalDate, endOn: LocalDate });
export const PatientSickLeavesSchema = z.object({ items: z.array(SickLeaveSchema) });

export const DuplicateBodySchema = z.object({ requestedOn: LocalDate, requestedBy: z.enum(['patient', 'employer', 'other']), written: z.boolean(), reason: z.string().trim().max(500) });

// The ЛКК
export const LkkMemberSchema = z.object({ practitionerId: z.uuid(), role: z.enum(['chair', 'member']), name: z.string().optional() });
export const CreateLkkBodySchema = z.object({ facilityId: z.uuid(), name: Text(200), orderRef: Text(200), members: z.array(LkkMemberSchema.omit({ name: true })).min(2).max(7) });
export const LkkSchema = z.object({ id: z.uuid(), facilityId: z.uuid(), name: z.string(), orderRef: z.string(), members: z.array(LkkMemberSchema) });
export type Lkk = z.infer<typeof LkkSchema>;
export const LkkListSchema = z.object({ items: z.array(LkkSchema) });
export const CreateLkkSessionBodySchema = z.object({ heldOn: LocalDate });
export const LkkSessionSchema = z.object({ id: z.uuid(), lkkId: z.uuid(), heldOn: LocalDate });

export const RouteToLkkBodySchema = z.object({
  lkkId: z.uuid(),
  /** The routing doctor's facility. */
  facilityId: z.uuid(),
  patientId: z.uuid(),
  source: z.enum(['limit_14', 'limit_40', 'form6', 'contest_employer', 'contest_patient']),
  /** The refused request (its period and diagnosis) or the contested leave. */
  request: z.object({ startOn: LocalDate, endOn: LocalDate, kind: SickLeaveKindSchema, diagnosisCode: z.string().max(10), note: z.string().max(1000).optional(), employers: z.array(EmployerSchema).max(10).default([]) }),
  contestedSickLeaveId: z.uuid().optional(),
  /** R-SL-03, НРД R-46: the № 6 (талон за ЛКК) the routing doctor issued for this case, if already issued. */
  form6ReferralId: z.uuid().optional(),
});
export type RouteToLkkBody = z.infer<typeof RouteToLkkBodySchema>;

export const LkkCaseSchema = z.object({
  id: z.uuid(),
  lkkId: z.uuid(),
  patientId: z.uuid(),
  fromFacilityId: z.uuid(),
  fromPractitionerId: z.uuid(),
  source: z.string(),
  ruleId: z.string(),
  request: RouteToLkkBodySchema.shape.request,
  patientName: z.string(),
  form6Needed: z.boolean(),
  form6ReferralId: z.uuid().nullable(),
  status: z.enum(['queued', 'awaiting_signatures', 'decided']),
  sessionId: z.uuid().nullable(),
  decision: z.enum(['extend', 'refuse', 'send_to_telk', 'confirm', 'reject']).nullable(),
  protocolNo: z.number().int().nullable(),
  protocol: z.object({ text: z.string(), startOn: LocalDate.optional(), endOn: LocalDate.optional() }).nullable(),
  signatures: z.array(z.object({ practitionerId: z.uuid(), signedAt: Instant })),
  createdAt: Instant,
});
export type LkkCase = z.infer<typeof LkkCaseSchema>;
export const LkkQueueSchema = z.object({ items: z.array(LkkCaseSchema) });
export const DecideLkkCaseBodySchema = z.object({
  sessionId: z.uuid(),
  decision: z.enum(['extend', 'refuse', 'send_to_telk', 'confirm', 'reject']),
  text: Text(4000),
  /** For `extend`: the extended period. */
  startOn: LocalDate.optional(),
  endOn: LocalDate.optional(),
});

// TELK
export const TelkChecklistSchema = z.object({
  identity_document: z.boolean().optional(),
  current_address_certificate: z.boolean().optional(),
  medical_documents: z.boolean().optional(),
  last_12_months_tests: z.boolean().optional(),
  previous_telk_decision: z.boolean().optional(),
  diseases_list: z.boolean().optional(),
  medications_list: z.boolean().optional(),
  parent_identity_document: z.boolean().optional(),
});
export const CreateTelkCaseBodySchema = z.object({
  patientId: z.uuid(),
  facilityId: z.uuid(),
  route: z.enum(['gp', 'treating_specialist', 'lkk']),
  temporaryIncapacityPreceded: z.boolean(),
  lkkCaseId: z.uuid().optional(),
  /** The patient's request (default today). */
  requestedOn: LocalDate.optional(),
  child: z.boolean().default(false),
  addressDiffers: z.boolean().default(false),
  hadPreviousDecision: z.boolean().default(false),
  declaredAddress: z.string().trim().max(500).optional(),
  temporaryAddressRegisteredOn: LocalDate.optional(),
  /** R-TELK-06: each diagnosis is documented or objectively present at the exam. */
  diagnoses: z.array(z.object({ code: z.string().max(10), documented: z.boolean(), presentAtExam: z.boolean() })).max(30).default([]),
  medications: z.array(z.string().max(200)).max(50).default([]),
});
export type CreateTelkCaseBody = z.infer<typeof CreateTelkCaseBodySchema>;
export const UpdateTelkCaseBodySchema = z.object({
  checklist: TelkChecklistSchema.optional(),
  /** W16 step 9: consultations TELK asked for that are missing; each needs a № 6, issued by the referrals module. */
  missingConsultations: z.array(z.string().trim().min(1).max(200)).max(20).optional(),
  scheduledOn: LocalDate.optional(),
  dossierLentOn: LocalDate.optional(),
  dossierReturnedOn: LocalDate.optional(),
  complete: z.boolean().optional(),
});
export const TelkCaseSchema = z.object({
  id: z.uuid(),
  patientId: z.uuid(),
  facilityId: z.uuid(),
  practitionerId: z.uuid(),
  route: z.enum(['gp', 'treating_specialist', 'lkk']),
  temporaryIncapacityPreceded: z.boolean(),
  requestedOn: LocalDate,
  earliestOn: LocalDate,
  dueOn: LocalDate,
  clockSuspended: z.boolean(),
  scheduledOn: LocalDate.nullable(),
  checklist: TelkChecklistSchema,
  missing: z.array(z.string()),
  registryAddress: z.enum(['permanent', 'temporary']),
  diagnoses: z.array(z.object({ code: z.string(), documented: z.boolean(), presentAtExam: z.boolean() })),
  medications: z.array(z.string()),
  missingConsultations: z.array(z.string()),
  form6Needed: z.boolean(),
  status: z.enum(['preparing', 'completed']),
  completedOn: LocalDate.nullable(),
  dossierLentOn: LocalDate.nullable(),
  dossierDueOn: LocalDate.nullable(),
  dossierReturnedOn: LocalDate.nullable(),
  createdAt: Instant,
});
export type TelkCase = z.infer<typeof TelkCaseSchema>;
export const PatientTelkCasesSchema = z.object({ items: z.array(TelkCaseSchema) });

// Medical notices
export const MedicalNoticePurposeSchema = z.enum(['school', 'kindergarten', 'sport', 'driving', 'work', 'school_absence']);
export const IssueMedicalNoticeBodySchema = z.object({ ...ExamRef, purpose: MedicalNoticePurposeSchema, text: Text(2000), validUntil: LocalDate.optional() }).refine(oneExam, oneExamIssue);
export const MedicalNoticeSchema = z.object({
  id: z.uuid(),
  patientId: z.uuid(),
  facilityId: z.uuid(),
  practitionerId: z.uuid(),
  encounterId: z.uuid(),
  purpose: MedicalNoticePurposeSchema,
  issuedOn: LocalDate,
  text: z.string(),
  validUntil: LocalDate.nullable(),
  status: z.enum(['issued', 'cancelled']),
  nhisStatus: z.enum(['pending', 'recorded', 'rejected', 'cancel_pending', 'cancelled']),
  nrn: z.string().nullable(),
  createdAt: Instant,
});
export type MedicalNotice = z.infer<typeof MedicalNoticeSchema>;
export const CancelMedicalNoticeBodySchema = z.object({ reason: Text(500) });
export const PatientNoticesSchema = z.object({ items: z.array(MedicalNoticeSchema) });

// The ЛКК's monthly report to the РЗОК (НРД R-133, чл. 69): patients, protocol numbers, composition,
// decisions and the common part of the № 6 (талон) of each case decided in the month's sessions.
export const LkkReportQuerySchema = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/) });
export const LkkReportRowSchema = z.object({
  caseId: z.uuid(),
  protocolNo: z.number().int(),
  heldOn: LocalDate,
  patientName: z.string(),
  identifierKind: z.enum(['egn', 'lnch', 'passport', 'other']),
  identifier: z.string(),
  source: z.string(),
  decision: z.enum(['extend', 'refuse', 'send_to_telk', 'confirm', 'reject']),
  /** The protocol takes effect when every member has signed. */
  inForce: z.boolean(),
  period: z.object({ startOn: LocalDate, endOn: LocalDate }).nullable(),
  /** The common part of the talon: the sending doctor and practice, the diagnosis, the № 6 if cited. */
  talon: z.object({ practitionerName: z.string(), practitionerUin: z.string(), facilityName: z.string(), facilityNumber: z.string(), diagnosisCode: z.string(), form6ReferralId: z.uuid().nullable() }),
});
export const LkkMonthlyReportSchema = z.object({
  lkk: LkkSchema,
  month: z.string(),
  sessions: z.array(LocalDate),
  rows: z.array(LkkReportRowSchema),
  totals: z.record(z.string(), z.number().int()),
});
export type LkkMonthlyReport = z.infer<typeof LkkMonthlyReportSchema>;

// Deadlines
export const ExpertiseDeadlineSchema = z.object({
  id: z.uuid(),
  facilityId: z.uuid(),
  patientId: z.uuid(),
  kind: z.enum(['retroactive_leave', 'duplicate_leave', 'telk_protocol', 'dossier_return']),
  ruleId: z.string(),
  subjectId: z.uuid(),
  startedOn: LocalDate,
  dueOn: LocalDate,
  doneOn: LocalDate.nullable(),
  state: z.enum(['open', 'due_today', 'breached', 'met', 'late']),
  escalatedAt: Instant.nullable(),
  breachedAt: Instant.nullable(),
});
export const ExpertiseDeadlinesSchema = z.object({ items: z.array(ExpertiseDeadlineSchema) });
