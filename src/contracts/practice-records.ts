import { z } from 'zod';

/**
 * The practice's records for patients beyond fees (docs/practice.md): document requests (E34, R-DOC-*),
 * the GDPR Art. 30 register of processing activities and data-subject requests (Art. 12(3), 15-21).
 */

// ---- Document requests (E34) ----

export const DocumentCategorySchema = z.enum(['current_consultation', 'past_circumstance', 'other', 'past_without_request', 'admin_contract_phone']);
export const CreateDocumentRequestBodySchema = z.object({
  patientId: z.uuid(),
  /** E34 category; from the portal only `past_circumstance` (a written request) or `other` */
  category: DocumentCategorySchema,
  /** which document and what for, in the patient's words */
  what: z.string().trim().min(3).max(1000),
});
export type CreateDocumentRequestBody = z.infer<typeof CreateDocumentRequestBodySchema>;
export const CompleteDocumentRequestBodySchema = z.object({
  outcome: z.enum(['issued', 'refused']),
  /** a note to the patient; required for a refusal (R-PC-19: no facts the practice has no information about) */
  note: z.string().trim().max(1000).optional(),
});
export const DocumentRequestSchema = z
  .object({
    id: z.uuid(),
    facilityId: z.uuid(),
    patientId: z.uuid(),
    category: DocumentCategorySchema,
    what: z.string(),
    receivedOn: z.iso.date(),
    /** R-DOC-01..03: the last working day to issue it; null at first opportunity */
    dueOn: z.iso.date().nullable(),
    /** the rule that set the deadline and fee */
    rule: z.string(),
    fee: z.enum(['free', 'price_list', 'urgent_fee', 'contract']),
    status: z.enum(['requested', 'issued', 'refused']),
    issuedOn: z.iso.date().nullable(),
    note: z.string().nullable(),
    overdue: z.boolean(),
  })
  .meta({ id: 'DocumentRequest' });
export type DocumentRequest = z.infer<typeof DocumentRequestSchema>;
export const DocumentRequestListSchema = z.object({ items: z.array(DocumentRequestSchema) }).meta({ id: 'DocumentRequestList' });
export const DocumentRequestQuerySchema = z.object({ status: z.enum(['open', 'all']).default('open') });

// ---- The register of processing activities (GDPR Art. 30, E38) ----

export const LegalBasisSchema = z.enum(['legal_obligation', 'health_care', 'contract', 'consent', 'vital_interest', 'public_interest', 'legitimate_interest']);
const Texts = z.array(z.string().trim().min(1).max(200)).min(1).max(30);
export const CreateProcessingActivityBodySchema = z.object({
  name: z.string().trim().min(3).max(200),
  purpose: z.string().trim().min(3).max(1000),
  legalBasis: LegalBasisSchema,
  subjectCategories: Texts,
  dataCategories: Texts,
  recipients: Texts,
  /** transfers outside the EU and their safeguards, if any */
  transfersOutsideEu: z.string().trim().max(500).optional(),
  retention: z.string().trim().min(3).max(500),
  /** the retention rule the period comes from (R-DATA-03..06) */
  retentionRule: z.string().trim().max(40).optional(),
  securityMeasures: z.string().trim().min(3).max(2000),
  validFrom: z.iso.date(),
});
export type CreateProcessingActivityBody = z.infer<typeof CreateProcessingActivityBodySchema>;
export const ProcessingActivitySchema = CreateProcessingActivityBodySchema.extend({
  id: z.uuid(),
  facilityId: z.uuid(),
  transfersOutsideEu: z.string().nullable(),
  retentionRule: z.string().nullable(),
  retiredOn: z.iso.date().nullable(),
}).meta({ id: 'ProcessingActivity' });
export type ProcessingActivity = z.infer<typeof ProcessingActivitySchema>;
export const ProcessingActivityListSchema = z.object({ items: z.array(ProcessingActivitySchema) }).meta({ id: 'ProcessingActivityList' });

// ---- Data-subject requests (GDPR Art. 12(3), 15-21) ----

export const SubjectRightSchema = z.enum(['access', 'rectification', 'erasure', 'restriction', 'portability', 'objection']);
export const CreateSubjectRequestBodySchema = z.object({
  patientId: z.uuid(),
  right: SubjectRightSchema,
  /** what the patient asks, in their words */
  details: z.string().trim().min(3).max(2000),
});
export type CreateSubjectRequestBody = z.infer<typeof CreateSubjectRequestBodySchema>;
export const HandleSubjectRequestBodySchema = z.discriminatedUnion('action', [
  /** Art. 12(3): two further months, with the reason told to the patient within the first month */
  z.object({ action: z.literal('extend'), answer: z.string().trim().min(3).max(2000) }),
  z.object({ action: z.literal('complete'), answer: z.string().trim().min(3).max(5000) }),
  /** Art. 12(4)-(5): refused, with the reason and the right to complain to the CPDP */
  z.object({ action: z.literal('refuse'), answer: z.string().trim().min(3).max(5000) }),
]);
export type HandleSubjectRequestBody = z.infer<typeof HandleSubjectRequestBodySchema>;
export const SubjectRequestSchema = z
  .object({
    id: z.uuid(),
    facilityId: z.uuid(),
    patientId: z.uuid(),
    right: SubjectRightSchema,
    details: z.string(),
    receivedOn: z.iso.date(),
    /** the deadline in force: one month, or the extended one */
    dueOn: z.iso.date(),
    extended: z.boolean(),
    status: z.enum(['received', 'extended', 'completed', 'refused']),
    answer: z.string().nullable(),
    closedOn: z.iso.date().nullable(),
    overdue: z.boolean(),
  })
  .meta({ id: 'SubjectRequest' });
export type SubjectRequest = z.infer<typeof SubjectRequestSchema>;
export const SubjectRequestListSchema = z.object({ items: z.array(SubjectRequestSchema) }).meta({ id: 'SubjectRequestList' });
