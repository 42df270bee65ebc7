/**
 * The audit event catalogue. Persisted shape: changes to an action's meaning need a `schema_version`
 * bump and a migration. Codes are `domain.past_tense` (STYLE C1).
 */
export const auditActions = [
  'demo.seeded', // demo data was created
  'patient.created', // a patient record was created
  'patient.read', // a patient's demographics were read
  'facility.created', // a facility was registered
  'practitioner.created', // a practitioner was registered
] as const;

export type AuditAction = (typeof auditActions)[number];
